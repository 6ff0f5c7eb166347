import Foundation
import SQLKit

/// One aggregate's reads and writes over the shared pool. Stores hold nothing but the
/// `Persistence` they were made from: the pool, the write gate, the token key and the
/// registration queue stay in one place.
public protocol Store: Sendable {
    var persistence: Persistence { get }
}

extension Store {
    var sql: any SQLDatabase { persistence.sql }
    var tokens: TokenVault { persistence.tokens }

    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await persistence.write(body)
    }
}

/// Registrations: registering (group commit), the waitlist and its offers, every status change,
/// the organisers' view of attendees, contact cards.
public struct RegistrationStore: Store { public let persistence: Persistence }
/// Events, their venues, speakers and agenda, capacity, the directory.
public struct EventStore: Store { public let persistence: Persistence }
/// Tickets, check-in at the door, walk-ins, attendance.
public struct DoorStore: Store { public let persistence: Persistence }
/// The transactional outbox: messages, their sending state, reminders, unsubscribing, mail alerts.
public struct OutboxStore: Store { public let persistence: Persistence }
/// Chapter teams, invitations, the audit log.
public struct TeamStore: Store { public let persistence: Persistence }
/// Accounts: users, passwords and their resets, API tokens.
public struct AccountStore: Store { public let persistence: Persistence }
/// Signed-in sessions.
public struct SessionStore: Store { public let persistence: Persistence }
/// Chapters, their settings and pages.
public struct ChapterStore: Store { public let persistence: Persistence }
/// The network: chapter applications, the shared directory, the overview for admins.
public struct NetworkStore: Store { public let persistence: Persistence }

extension Persistence {
    public var registrations: RegistrationStore { .init(persistence: self) }
    public var events: EventStore { .init(persistence: self) }
    public var door: DoorStore { .init(persistence: self) }
    public var outbox: OutboxStore { .init(persistence: self) }
    public var team: TeamStore { .init(persistence: self) }
    public var accounts: AccountStore { .init(persistence: self) }
    public var sessions: SessionStore { .init(persistence: self) }
    public var chapters: ChapterStore { .init(persistence: self) }
    public var network: NetworkStore { .init(persistence: self) }
}
