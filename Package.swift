// swift-tools-version:6.0
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "Rendezvous",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "rendezvous", targets: ["rendezvous"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/vapor/fluent-kit.git", from: "1.57.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
    ],
    targets: [
        // Rules of the product: Foundation only.
        .target(
            name: "RendezvousDomain",
            swiftSettings: swiftSettings
        ),
        // The interface's words: one JSON catalog per language, with plural forms.
        .target(
            name: "RendezvousLocalization",
            dependencies: ["RendezvousDomain"],
            resources: [.copy("Resources")],
            swiftSettings: swiftSettings
        ),
        // FluentKit records, migrations and SQLKit queries; value types leave it.
        .target(
            name: "RendezvousPersistence",
            dependencies: [
                "RendezvousDomain",
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // Debian's cairo + pango (text shaping for every script) and libqrencode.
        .systemLibrary(
            name: "CCairoPango", pkgConfig: "pangocairo",
            providers: [.apt(["libcairo2-dev", "libpango1.0-dev"])]
        ),
        .systemLibrary(name: "CQRencode", pkgConfig: "libqrencode", providers: [.apt(["libqrencode-dev"])]),
        // glibc's malloc tuning, for ResidentMemory.
        .systemLibrary(name: "CMalloc"),
        // Debian's gdk-pixbuf: uploaded pictures decoded, resized and encoded again.
        .systemLibrary(
            name: "CGdkPixbuf", pkgConfig: "gdk-pixbuf-2.0",
            providers: [.apt(["libgdk-pixbuf-2.0-dev", "webp-pixbuf-loader"])]
        ),
        // Pictures organisers upload (covers, logos, speaker photos): checked and re-encoded.
        .target(
            name: "RendezvousImages",
            dependencies: ["CGdkPixbuf"],
            swiftSettings: swiftSettings
        ),
        // Print-ready name badges: PDF sheets and labels, PNG previews.
        .target(
            name: "RendezvousBadges",
            dependencies: ["RendezvousDomain", "CCairoPango", "CQRencode"],
            swiftSettings: swiftSettings
        ),
        // Mail: the outbox sender, messages in the recipient's language, an SMTP client on NIO + NIOSSL.
        .target(
            name: "RendezvousMail",
            dependencies: [
                "RendezvousBadges",
                "RendezvousDomain",
                "RendezvousLocalization",
                "RendezvousPersistence",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // Webhooks for integrators: signed deliveries from their queue, over async-http-client.
        .target(
            name: "RendezvousWebhooks",
            dependencies: [
                "RendezvousDomain",
                "RendezvousPersistence",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // HTTP: routes, controllers, views, JSON API.
        .target(
            name: "RendezvousWeb",
            dependencies: [
                "RendezvousDomain",
                "RendezvousLocalization",
                "RendezvousPersistence",
                "RendezvousBadges",
                "RendezvousMail",
                "RendezvousImages",
                "RendezvousWebhooks",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "CompressNIO", package: "compress-nio"),
            ],
            resources: [.copy("Templates"), .copy("Public"), .copy("openapi.json")],
            swiftSettings: swiftSettings
        ),
        // Configuration and the commands of the `rendezvous` tool.
        .target(
            name: "RendezvousApp",
            dependencies: [
                "RendezvousDomain",
                "RendezvousPersistence",
                "RendezvousBadges",
                "RendezvousWeb",
                "RendezvousMail",
                "RendezvousWebhooks",
                "CMalloc",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "rendezvous",
            dependencies: ["RendezvousApp"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RendezvousBadgesTests",
            dependencies: ["RendezvousBadges"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RendezvousDomainTests",
            dependencies: ["RendezvousDomain"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RendezvousLocalizationTests",
            dependencies: ["RendezvousLocalization", "RendezvousDomain"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RendezvousTests",
            dependencies: [
                "RendezvousApp",
                "RendezvousWeb",
                "RendezvousMail",
                "RendezvousPersistence",
                "RendezvousDomain",
                "RendezvousImages",
                "RendezvousWebhooks",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            // Page snapshots are read and written by the tests from the source tree.
            exclude: ["Snapshots"],
            swiftSettings: swiftSettings
        ),
    ]
)
