import Foundation
import Logging
import RendezvousDomain
import RendezvousPersistence
import ServiceLifecycle

/// How a rendered message leaves: SMTP, or an .eml file when no SMTP server is configured.
public protocol MailTransport: Sendable {
    func send(_ message: MailMessage) async throws
}

extension SMTPClient: MailTransport {}

/// Writes each message as an .eml file (the `make run` default): the demo works with no mail server.
public struct FileTransport: MailTransport {
    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    public func send(_ message: MailMessage) async throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let name = message.messageID.split(separator: "@").first.map(String.init) ?? UUID().uuidString
        let path = URL(fileURLWithPath: directory).appendingPathComponent("\(name).eml")
        // Written whole, then renamed: a reader never sees half a message.
        let temporary = path.appendingPathExtension("partial")
        try Data(message.rendered().utf8).write(to: temporary)
        _ = try? FileManager.default.removeItem(at: path)
        try FileManager.default.moveItem(at: temporary, to: path)
    }
}

/// Delivers the outbox. Temporary failures (4xx, no connection) are retried with growing
/// pauses; permanent ones (5xx) are marked failed and reported to the chapter's organisers.
/// Also queues the day-before reminders.
public struct OutboxSender: Service {
    let persistence: Persistence
    let composer: MessageComposer
    let transport: any MailTransport
    let clock: any Clock
    let logger: Logger
    let interval: Duration

    /// Pauses before each retry; after the last, the message fails.
    public static let backoff: [TimeInterval] = [60, 300, 1800, 7200, 21600]

    public init(persistence: Persistence, composer: MessageComposer, transport: any MailTransport, clock: any Clock, logger: Logger, interval: Duration = .seconds(2)) {
        self.persistence = persistence
        self.composer = composer
        self.transport = transport
        self.clock = clock
        self.logger = logger
        self.interval = interval
    }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            var lastReminderCheck = Date.distantPast
            while !Task.isCancelled {
                if clock.now().timeIntervalSince(lastReminderCheck) > 60 {
                    lastReminderCheck = clock.now()
                    do { try await persistence.enqueueReminders(now: clock.now()) } catch { logger.error("Reminders: \(error)") }
                }
                do {
                    while try await sendDue() > 0 {}
                } catch {
                    logger.error("Outbox: \(error)")
                }
                try await Task.sleep(for: interval)
            }
        }
    }

    /// Sends what is due now; returns how many were handled.
    @discardableResult
    public func sendDue(limit: Int = 20) async throws -> Int {
        let now = clock.now()
        let items = try await persistence.claimDueMessages(now: now, limit: limit)
        for item in items { try await deliver(item, now: now) }
        return items.count
    }

    func deliver(_ item: OutboxItem, now: Date) async throws {
        let message: MailMessage
        switch try await composer.compose(item, now: now) {
        case .skip(let reason):
            try await persistence.markSkipped(item.id, reason: reason)
            return
        case .message(let composed):
            message = composed
        }
        do {
            try await transport.send(message)
            try await persistence.markSent(item.id, subject: message.subject, recipient: message.to.email, now: clock.now())
        } catch let error as SMTPError {
            switch error {
            case .permanent:
                logger.warning("Message \(item.id) refused: \(error)")
                try await persistence.markFailed(item, error: error.description, subject: message.subject, recipient: message.to.email, now: clock.now())
            case .temporary:
                try await retry(item, error: error.description, message: message)
            }
        } catch {
            try await retry(item, error: "\(error)", message: message)
        }
    }

    func retry(_ item: OutboxItem, error: String, message: MailMessage) async throws {
        let attempts = item.attempts + 1
        guard attempts <= Self.backoff.count else {
            try await persistence.markFailed(item, error: error, subject: message.subject, recipient: message.to.email, now: clock.now())
            return
        }
        logger.info("Message \(item.id) will be retried: \(error)")
        try await persistence.markRetry(item.id, error: error, attempts: attempts, next: clock.now().addingTimeInterval(Self.backoff[attempts - 1]),
                                        subject: message.subject, recipient: message.to.email)
    }
}
