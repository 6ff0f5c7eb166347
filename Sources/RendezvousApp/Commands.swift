import ArgumentParser
import Foundation
import Hummingbird
import HummingbirdBcrypt
import Logging
import NIOPosix
import RendezvousDomain
import RendezvousPersistence
import RendezvousMail
import RendezvousWeb
import RendezvousWebhooks
import ServiceLifecycle

/// `rendezvous`: serve, migrate, load the demo network, manage users.
public struct RendezvousCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "rendezvous",
        abstract: "Rendezvous: run a network of local in-person professional meetups.",
        subcommands: [Serve.self, Migrate.self, Demo.self, UserCommand.self, BadgesCommand.self, RotationsCommand.self, Backup.self, Restore.self, CopyCommand.self],
        defaultSubcommand: Serve.self)

    public init() {}
}

func makeLogger(_ configuration: AppConfiguration) -> Logger {
    LogFormat.bootstrap()
    var logger = Logger(label: "rendezvous")
    logger.logLevel = Logger.Level(rawValue: configuration.logLevel) ?? .info
    return logger
}

func openPersistence(_ configuration: AppConfiguration, logger: Logger) throws -> Persistence {
    try Persistence(url: configuration.databaseURL, logger: logger,
                    tokens: try ServerSecret.load(databaseURL: configuration.databaseURL))
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Migrate the database, then serve the site and the API.")

    @Option(help: "Address to listen on (default 0.0.0.0, or HOSTNAME_BIND).") var hostname: String?
    @Option(help: "Port to listen on (default 8080, or PORT).") var port: Int?
    @Flag(help: "Load the demo network first if the database is empty.") var demo = false

    func run() async throws {
        ResidentMemory.limitArenas()
        let configuration = try AppConfiguration.fromEnvironment()
        let logger = makeLogger(configuration)
        let persistence = try openPersistence(configuration, logger: logger)
        do {
            try await persistence.migrate()
            if demo {
                try await DemoNetwork.loadIfEmpty(persistence, clock: SystemClock(), logger: logger)
            }
            let services = try await AppServices(persistence: persistence, clock: SystemClock(), configuration: configuration.web, logger: logger)
            let port = port ?? configuration.port
            let composer = MessageComposer(persistence: persistence, baseURL: configuration.baseURL, from: .init(name: "Rendezvous", email: configuration.mailFrom))
            let sender = OutboxSender(persistence: persistence, composer: composer, transport: configuration.mailTransport, clock: SystemClock(), logger: logger,
                                      lease: configuration.outboxLease)
            let webhooks = WebhookSender(persistence: persistence, clock: SystemClock(), logger: logger,
                                         policy: WebhookURLPolicy(allowPrivate: configuration.web.webhooksAllowPrivate),
                                         lease: configuration.webhookLease, baseURL: configuration.baseURL)
            let app = try buildApplication(
                services: services, hostname: hostname ?? configuration.hostname, port: port,
                backgroundServices: [LeasedJobService.offerExpiry(services), LeasedJobService.insights(services), sender, LiveBusService(services: services), LeasedJobService.retention(services),
                                     CacheBusService(services: services), webhooks, ResidentMemoryService(logger: logger)])
            logger.notice("Rendezvous on \(configuration.baseURL) (\(persistence.kind.rawValue)); mail: \(configuration.smtpURL == nil ? ".eml files in " + configuration.outboxDirectory : "SMTP")")
            try await app.runService()
            services.live.stop()
        } catch {
            await persistence.shutdown()
            throw error
        }
        await persistence.shutdown()
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply database migrations.")

    func run() async throws {
        try await withPersistence { persistence, _ in
            try await persistence.migrate()
            print("Migrations applied (\(persistence.kind.rawValue)).")
        }
    }
}

struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy the SQLite database consistently while the server runs (PostgreSQL: use pg_dump).",
        discussion: "The server key (secret.key beside the database) is not copied: back it up apart, and keep the two apart.")

    @Option(name: [.short, .customLong("output")], help: "The new file to write (never overwritten).") var output: String

    func run() async throws {
        try await withPersistence { persistence, _ in
            let started = Date()
            let bytes = try await persistence.backup(to: output)
            print("Backup written to \(output): \(bytes) bytes in \(String(format: "%.1f", Date().timeIntervalSince(started))) s.")
        }
    }
}

struct Restore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Put a backup in place of the SQLite database (stop the server first).",
        discussion: "The backup is checked (integrity, migrations) before anything is replaced; the current database is kept as <file>.before-restore.")

    @Argument(help: "The backup file.") var backup: String
    @Flag(help: "Replace an existing database.") var force = false

    func run() async throws {
        let configuration = try AppConfiguration.fromEnvironment()
        let logger = makeLogger(configuration)
        let target = configuration.databaseURL.hasPrefix("sqlite://") ? String(configuration.databaseURL.dropFirst("sqlite://".count)) : configuration.databaseURL
        if FileManager.default.fileExists(atPath: target) {
            guard force else { throw ValidationError("\(target) exists: stop the server, then run again with --force to replace it.") }
            try? FileManager.default.removeItem(atPath: target + ".before-restore")
            try FileManager.default.copyItem(atPath: target, toPath: target + ".before-restore")
        }
        do {
            let migrations = try await Persistence.restore(from: backup, to: configuration.databaseURL, logger: logger)
            print("Restored \(backup) into \(target) (\(migrations) migrations applied in the backup; the server migrates the rest when it starts).")
        } catch let error as Persistence.BackupError {
            throw ValidationError(error.description)
        }
    }
}

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Load the demo network into an empty database (or, with --scale large, a synthetic network for benchmarks).")

    @Option(help: "large: 1,000 chapters × 40 past evenings × 100 registrations, with check-ins, feedback and contacts (issue 15).") var scale: String?
    @Option(help: "With --scale large: how many chapters (default 1,000; e.g. 20 for a quick run).") var chapters: Int?
    @Option(help: "With --scale large: evenings per chapter (default 40).") var events: Int?
    @Option(help: "With --scale large: registrations per evening (default 100).") var registrations: Int?

    func validate() throws {
        if let scale, scale != "large" { throw ValidationError("--scale accepts large") }
        if scale == nil, chapters != nil || events != nil || registrations != nil { throw ValidationError("--chapters, --events and --registrations go with --scale large") }
        for value in [chapters, events, registrations].compactMap({ $0 }) where !(1...100_000).contains(value) { throw ValidationError("sizes are between 1 and 100,000") }
    }

    func run() async throws {
        try await withPersistence { persistence, logger in
            try await persistence.migrate()
            guard scale != nil else {
                try await DemoNetwork.loadIfEmpty(persistence, clock: SystemClock(), logger: logger)
                return
            }
            let size = LargeNetwork.Size(chapters: chapters ?? LargeNetwork.Size.large.chapters, events: events ?? 40, registrations: registrations ?? 100)
            if try await LargeNetwork.chapterCount(persistence) > 0 {
                print("The database already holds the generated network (bench-… chapters): it is not loaded again.")
                return
            }
            let started = Date()
            try await LargeNetwork.generate(persistence, size: size, now: Date()) { done in
                if done % 10 == 0 || done == size.chapters {
                    print("\(done)/\(size.chapters) chapters, \(done * size.events * size.registrations) registrations, \(Int(Date().timeIntervalSince(started))) s")
                }
            }
        }
    }
}

/// Opens the configured database for one command and always closes it, error or not.
func withPersistence(_ body: (Persistence, Logger) async throws -> Void) async throws {
    let configuration = try AppConfiguration.fromEnvironment()
    let logger = makeLogger(configuration)
    let persistence = try openPersistence(configuration, logger: logger)
    do {
        try await body(persistence, logger)
    } catch {
        await persistence.shutdown()
        throw error
    }
    await persistence.shutdown()
}

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "user", abstract: "Manage accounts.", subcommands: [Add.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a network admin or a chapter organiser.")

        @Option(help: "Email address, used to sign in.") var email: String
        @Option(help: "Password (at least 10 characters).") var password: String
        @Option(help: "network-admin or organizer.") var role: String
        @Option(help: "Chapter slug an organiser runs (repeatable).") var chapter: [String] = []
        @Option(help: "Display name (defaults to the email's local part).") var name: String?

        func validate() throws {
            guard EmailAddress.isValid(email) else { throw ValidationError("Not a valid email address: \(email)") }
            guard password.count >= 10 else { throw ValidationError("The password needs at least 10 characters.") }
            guard let role = Role(rawValue: role) else { throw ValidationError("--role must be network-admin or organizer.") }
            if role == .organizer, chapter.isEmpty { throw ValidationError("An organizer needs at least one --chapter SLUG.") }
        }

        func run() async throws {
            let configuration = try AppConfiguration.fromEnvironment()
            let logger = makeLogger(configuration)
            let persistence = try openPersistence(configuration, logger: logger)
            do {
                try await persistence.migrate()
                let hash = try await hashPassword(password)
                let user = try await persistence.accounts.createUser(
                    email: email, name: name ?? String(email.split(separator: "@").first ?? ""), role: Role(rawValue: role)!,
                    passwordHash: hash, chapterSlugs: chapter, now: Date())
                print("Created \(user.role.rawValue) \(user.email).")
            } catch AccountStore.UserError.emailTaken {
                await persistence.shutdown()
                throw ValidationError("A user with the email \(email) already exists.")
            } catch AccountStore.UserError.unknownChapter(let slug) {
                await persistence.shutdown()
                throw ValidationError("No chapter with the slug \(slug).")
            } catch {
                await persistence.shutdown()
                throw error
            }
            await persistence.shutdown()
        }
    }
}

/// Bcrypt at cost 12 takes about a second: never on an event loop.
func hashPassword(_ password: String) async throws -> String {
    try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: 12) }
}
