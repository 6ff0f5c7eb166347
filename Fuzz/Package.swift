// swift-tools-version:6.0
// libFuzzer targets for the parsers that read what strangers send (make fuzz, scripts/fuzz.sh).
// A package of its own, so the normal `swift build` never sees them: each target links only with
// `-sanitize=fuzzer` (CFuzzer gives each its `<Target>_main`, which runs libFuzzer's driver).
// RendezvousDomain and the SMTP reply parser are the product's own files (Sources/ holds symlinks
// to them), compiled here with the sanitizers.
import PackageDescription

let package = Package(
    name: "RendezvousFuzz",
    platforms: [.macOS(.v14)],
    targets: [
        .target(name: "RendezvousDomain", swiftSettings: [.enableUpcomingFeature("ExistentialAny")]),
        .target(name: "SMTPReply"),
        .target(name: "CFuzzer"),
        .executableTarget(name: "FuzzCSV", dependencies: ["RendezvousDomain", "CFuzzer"]),
        .executableTarget(name: "FuzzICalendar", dependencies: ["RendezvousDomain", "CFuzzer"]),
        .executableTarget(name: "FuzzSMTPReply", dependencies: ["SMTPReply", "CFuzzer"]),
        .executableTarget(name: "FuzzJSONRequests", dependencies: ["RendezvousDomain", "CFuzzer"]),
    ]
)
