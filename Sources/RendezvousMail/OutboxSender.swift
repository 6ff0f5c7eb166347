import Foundation
import Logging
import RendezvousDomain
import RendezvousPersistence
import ServiceLifecycle

/// How a rendered message leaves: SMTP, or an .eml file when no SMTP server is configured.
public protocol MailTransport: Sendable {
    func send(_ message: MailMessage) async throws
    /// Why the settings cannot work (said at start-up), or nil.
    var configurationProblem: String? { get }
}

extension MailTransport {
    public var configurationProblem: String? { nil }
}

extension SMTPClient: MailTransport {
    public var configurationProblem: String? { configuration.problem }
}

/// Writes each message as an .eml file (the `make run` default): the demo works with no mail server.
public struct FileTransport: MailTransport {
    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    public func send(_ message: MailMessage) async throws {
        // Messages hold private links: the folder and its files are the server's alone.
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let name = message.messageID.split(separator: "@").first.map(String.init) ?? UUID().uuidString
        let path = URL(fileURLWithPath: directory).appendingPathComponent("\(name).eml")
        // Written whole, then renamed: a reader never sees half a message.
        let temporary = path.appendingPathExtension("partial")
        guard FileManager.default.createFile(atPath: temporary.path, contents: Data(message.rendered().utf8), attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown)
        }
        _ = try? FileManager.default.removeItem(at: path)
        try FileManager.default.moveItem(at: temporary, to: path)
    }
}

/// Delivers the outbox. Temporary failures (4xx, no connection) are retried with growing
/// pauses; permanent ones (a 5xx to RCPT TO or DATA) are marked failed and reported to the
/// chapter's organisers. When the relay itself refuses us (credentials, TLS, settings, no
/// connection), every message waits and the network admins get one alert, cleared by the next
/// message that leaves. Also queues the day-before reminders, new meetups' announcements to the
/// chapters' followers, and the organisers' scheduled messages when they are due.
public struct OutboxSender: Service {
    let persistence: Persistence
    let composer: MessageComposer
    let transport: any MailTransport
    let clock: any Clock
    let logger: Logger
    let interval: Duration
    /// How long a claimed message is this sender's: if the process dies mid-send, another sender
    /// takes the message after this (with the same Message-ID). `OUTBOX_LEASE` in seconds.
    let lease: TimeInterval

    /// Pauses before each retry; after the last, the message fails.
    public static let backoff: [TimeInterval] = [60, 300, 1800, 7200, 21600]

    public init(persistence: Persistence, composer: MessageComposer, transport: any MailTransport, clock: any Clock, logger: Logger, interval: Duration = .seconds(2), lease: TimeInterval = 120) {
        self.persistence = persistence
        self.composer = composer
        self.transport = transport
        self.clock = clock
        self.logger = logger
        self.interval = interval
        self.lease = lease
    }

    public func run() async throws {
        if let problem = transport.configurationProblem {
            logger.error("Mail settings refused: \(problem). Messages wait in the outbox until this is fixed.")
            try? await raiseAlert(.configuration, detail: problem)
        }
        try? await cancelWhenGracefulShutdown {
            var lastReminderCheck = Date.distantPast
            while !Task.isCancelled {
                if clock.now().timeIntervalSince(lastReminderCheck) > 60 {
                    lastReminderCheck = clock.now()
                    await periodic("reminders") { _ = try await persistence.outbox.enqueueReminders(now: clock.now()) }
                    await periodic("announcements") { _ = try await persistence.audience.enqueueAnnouncements(now: clock.now()) }
                    await periodic("scheduled messages") { _ = try await persistence.audience.sendDueScheduledMessages(now: clock.now()) }
                    // The follow-up after each evening: D+1 and D+14 at 9:00 in the chapter's time zone.
                    await periodic("follow-up") { for kind in FollowUpKind.allCases { try await persistence.followUp.run(kind, now: clock.now()) } }
                }
                do {
                    while try await sendDue() > 0 {}
                } catch {
                    logger.error("Outbox: \(LogRedaction.redact(String(describing: error)))")
                }
                try await Task.sleep(for: interval)
            }
        }
    }

    /// One periodic job, run by one instance at a time (a lease in the database): with several
    /// instances the others skip it this round. Errors are logged, not thrown: the loop goes on.
    func periodic(_ name: String, _ job: () async throws -> Void) async {
        do {
            _ = try await persistence.leases.runExclusively(name) { try await job() }
        } catch {
            logger.error("\(name.prefix(1).uppercased() + name.dropFirst()): \(LogRedaction.redact(String(describing: error)))")
        }
    }

    /// Sends what is due now; returns how many were handled.
    @discardableResult
    public func sendDue(limit: Int = 20) async throws -> Int {
        let now = clock.now()
        let items = try await persistence.outbox.claimDueMessages(now: now, limit: limit, lease: lease)
        var relayDown: (trouble: RelayTrouble, error: SMTPError)?
        var delivered = false
        for item in items {
            // Once the relay has refused us, the rest of the batch waits untried: no point (and,
            // with wrong credentials, some risk of a lock-out) in asking again for each message.
            switch try await deliver(item, now: now, relayDown: relayDown?.error) {
            case .sent: delivered = true
            case .relayDown(let trouble, let error): relayDown = (trouble, error)
            case .other: break
            }
        }
        if delivered, let cleared = try await persistence.outbox.clearMailAlert() {
            logger.notice("The mail relay works again (alert \(cleared.kind) since \(cleared.since) cleared)")
        }
        if let relayDown { try await raiseAlert(relayDown.trouble, detail: relayDown.error.description) }
        return items.count
    }

    enum Outcome { case sent, relayDown(RelayTrouble, SMTPError), other }

    func deliver(_ item: OutboxItem, now: Date, relayDown: SMTPError? = nil) async throws -> Outcome {
        let message: MailMessage
        switch try await composer.compose(item, now: now) {
        case .skip(let reason):
            try await persistence.outbox.markSkipped(item, reason: reason)
            return .other
        case .message(let composed):
            message = composed
        }
        if let relayDown {
            try await waitForRelay(item, error: relayDown.description, message: message)
            return .other
        }
        do {
            try await transport.send(message)
            try await persistence.outbox.markSent(item, subject: message.subject, recipient: message.to.email, now: clock.now())
            return .sent
        } catch let error as SMTPError {
            switch error {
            case .permanent:
                logger.warning("Message \(item.id) refused: \(LogRedaction.redact(error.description))")
                try await persistence.outbox.markFailed(item, error: error.description, subject: message.subject, recipient: message.to.email, now: clock.now())
                return .other
            case .temporary:
                try await retry(item, error: error.description, message: message)
                return .other
            case .relay(let trouble, _, _):
                try await waitForRelay(item, error: error.description, message: message)
                return .relayDown(trouble, error)
            }
        } catch {
            try await retry(item, error: "\(error)", message: message)
            return .other
        }
    }

    /// Raises the network admins' alert; logged once per incident, not once per message.
    func raiseAlert(_ trouble: RelayTrouble, detail: String) async throws {
        guard try await persistence.outbox.raiseMailAlert(kind: trouble.rawValue, detail: detail, now: clock.now()) else { return }
        logger.error("Mail relay trouble (\(trouble.rawValue)): \(LogRedaction.redact(detail)). Messages wait in the outbox and are retried; the network admins see it on /admin.")
    }

    /// While the relay refuses us the trouble is ours, not the message's: it waits without using up
    /// its attempts, however long the relay stays down, and goes out once the relay works again.
    static let relayRetry: TimeInterval = 300

    func waitForRelay(_ item: OutboxItem, error: String, message: MailMessage) async throws {
        try await persistence.outbox.markRetry(item, error: error, attempts: item.attempts, next: clock.now().addingTimeInterval(Self.relayRetry),
                                               subject: message.subject, recipient: message.to.email)
    }

    func retry(_ item: OutboxItem, error: String, message: MailMessage) async throws {
        let attempts = item.attempts + 1
        guard attempts <= Self.backoff.count else {
            try await persistence.outbox.markFailed(item, error: error, subject: message.subject, recipient: message.to.email, now: clock.now())
            return
        }
        logger.info("Message \(item.id) will be retried: \(LogRedaction.redact(error))")
        try await persistence.outbox.markRetry(item, error: error, attempts: attempts, next: clock.now().addingTimeInterval(Self.backoff[attempts - 1]),
                                        subject: message.subject, recipient: message.to.email)
    }
}
