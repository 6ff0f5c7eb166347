import Foundation
import RendezvousDomain
import SQLKit

/// The network's privacy settings, the retention run, and the people blocked from every chapter.
public struct PrivacyStore: Store { public let persistence: Persistence }

extension Persistence {
    public var privacy: PrivacyStore { .init(persistence: self) }
}

/// What one retention run did.
public struct RetentionRun: Sendable, Equatable {
    /// Events whose registrations this run anonymised (claimed by this instance).
    public var events: Int = 0
    public var registrations: Int = 0
    /// Activity-log entries that lost their personal details.
    public var auditEntries: Int = 0
    /// Outbox messages whose copies were emptied: their .eml files go too.
    public var outboxIDs: [UUID] = []
}

/// A blocked person as the admins see them: never the address, only when, why and by whom.
public struct BlockedPerson: Sendable, Equatable {
    public var id: UUID
    public var hashPrefix: String
    public var reason: String
    public var createdBy: String
    public var createdAt: Date
}

extension PrivacyStore {
    // MARK: Settings

    static let retentionKey = "retention_months"

    public func retentionMonths() async throws -> Int {
        struct Row: Decodable { var value: String }
        let row = try await sql.raw("SELECT value FROM network_settings WHERE key = \(bind: Self.retentionKey)").row(Row.self)
        return row.flatMap { Retention.months(from: $0.value) } ?? Retention.defaultMonths
    }

    public func setRetentionMonths(_ months: Int) async throws {
        try await write { sql in
            try await sql.raw("DELETE FROM network_settings WHERE key = \(bind: Self.retentionKey)").run()
            try await sql.raw("INSERT INTO network_settings (key, value) VALUES (\(bind: Self.retentionKey), \(bind: String(months)))").run()
        }
    }

    // MARK: Code of conduct

    /// The network's own code of conduct in one language, or nil when the admins kept the default.
    public func codeOfConduct(_ language: Language) async throws -> String? {
        struct Row: Decodable { var value: String }
        let text = try await sql.raw("SELECT value FROM network_settings WHERE key = \(bind: "conduct_" + language.rawValue)").row(Row.self)?.value
        return text.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
    }

    /// Saves the code of conduct per language (an empty text goes back to the default).
    public func setCodeOfConduct(_ texts: [Language: String]) async throws {
        try await write { sql in
            for (language, text) in texts {
                try await sql.raw("DELETE FROM network_settings WHERE key = \(bind: "conduct_" + language.rawValue)").run()
                try await sql.raw("INSERT INTO network_settings (key, value) VALUES (\(bind: "conduct_" + language.rawValue), \(bind: text))").run()
            }
        }
    }

    // MARK: Retention

    /// Anonymises the registrations of every event that ended more than the retention ago, and
    /// strips personal details from older activity-log entries. Each event is claimed by one
    /// conditional UPDATE inside its own transaction, so several instances running at once
    /// anonymise each event once, and a second run changes nothing.
    public func runRetention(now: Date, batch: Int = 20) async throws -> RetentionRun {
        let cutoff = Retention.cutoff(now: now, months: try await retentionMonths())
        var run = RetentionRun()
        struct Due: Decodable { var id: UUID }
        let due = try await sql.raw("""
            SELECT id FROM events WHERE ends_at < \(bind: cutoff) AND anonymised_at IS NULL ORDER BY ends_at LIMIT \(bind: batch)
            """).rows(Due.self)
        for event in due {
            guard let done = try await anonymise(event: event.id, now: now) else { continue }
            run.events += 1
            run.registrations += done.registrations
            run.outboxIDs += done.outboxIDs
        }
        run.auditEntries = try await write { sql in
            try await sql.raw("""
                UPDATE audit_log SET user_name = '', subject = '' WHERE created_at < \(bind: cutoff) AND (user_name <> '' OR subject <> '')
                RETURNING id
                """).all().count
        }
        try await forgetLeftovers(now: now, cutoff: cutoff)
        if run.events > 0, persistence.kind == .sqlite { try? await PersonalDataStore.checkpoint(on: sql) }
        return run
    }

    /// What outlives no purpose: expired attendee sessions and sign-in links, the "We met" links
    /// and consent history of anonymised registrations, and My Rendezvous profiles untouched for
    /// the retention whose address no longer has any registration. Idempotent.
    func forgetLeftovers(now: Date, cutoff: Date) async throws {
        try await write { sql in
            try await sql.raw("DELETE FROM attendee_sessions WHERE expires_at <= \(bind: now)").run()
            try await sql.raw("DELETE FROM attendee_sign_in_links WHERE expires_at <= \(bind: now)").run()
            let anonymous = SQLQueryString("SELECT id FROM registrations WHERE email = ''")
            try await sql.raw("""
                DELETE FROM contacts WHERE initiator_registration_id IN (\(anonymous)) OR recipient_registration_id IN (\(anonymous))
                """).run()
            try await sql.raw("DELETE FROM consent_changes WHERE registration_id IN (\(anonymous))").run()
            try await sql.raw("""
                DELETE FROM attendee_profiles WHERE updated_at < \(bind: cutoff)
                AND NOT EXISTS (SELECT 1 FROM registrations r WHERE LOWER(r.email) = attendee_profiles.email)
                """).run()
            // A photo outlives neither its profile nor every registration of its address.
            try await sql.raw("""
                DELETE FROM attendee_photos WHERE created_at < \(bind: cutoff)
                AND NOT EXISTS (SELECT 1 FROM attendee_profiles p WHERE p.email = attendee_photos.email)
                AND NOT EXISTS (SELECT 1 FROM registrations r WHERE LOWER(r.email) = attendee_photos.email)
                """).run()
        }
    }

    /// Anonymises the registrations matching `condition`: every field the rules anonymise, in one
    /// statement, then a fresh random link salt per row (they are unique), so no old link opens
    /// anything. Used by the retention run and by erasure. Returns the registrations' ids.
    static func anonymiseRegistrations(where condition: SQLQueryString, now: Date, on sql: any SQLDatabase) async throws -> [UUID] {
        var assignments: [SQLQueryString] = []
        for field in PrivacyRules.anonymised(in: "registrations") {
            switch field.anonymisation {
            case .blank: assignments.append("\(ident: field.column) = ''")
            case .null: assignments.append("\(ident: field.column) = NULL")
            case .no: assignments.append("\(ident: field.column) = \(bind: false)")
            case .keep, .deleteRow, .newSecret: continue
            }
        }
        assignments.append("updated_at = \(bind: now)")
        let set = assignments.dropFirst().reduce(assignments[0]) { "\($0), \($1)" }
        struct Row: Decodable { var id: UUID }
        let ids = try await sql.raw("UPDATE registrations SET \(set) WHERE \(condition) RETURNING id").rows(Row.self).map(\.id)
        let secrets = PrivacyRules.anonymised(in: "registrations").filter { $0.anonymisation == .newSecret }.map(\.column)
        for id in ids where !secrets.isEmpty {
            let salts = secrets.map { column -> SQLQueryString in "\(ident: column) = \(bind: Secret.token())" }
            let assignment = salts.dropFirst().reduce(salts[0]) { "\($0), \($1)" }
            try await sql.raw("UPDATE registrations SET \(assignment) WHERE id = \(bind: id)").run()
        }
        return ids
    }

    /// One event's anonymisation, or nil when another run claimed it first.
    func anonymise(event: UUID, now: Date) async throws -> (registrations: Int, outboxIDs: [UUID])? {
        let sqlite = persistence.kind == .sqlite
        return try await write { sql in
            // Overwrite what is erased with zeros rather than leave it in free space (SQLite).
            if sqlite { try await sql.raw("PRAGMA secure_delete = ON").run() }
            struct Claimed: Decodable { var chapterId: UUID; var title: String }
            guard let claimed = try await sql.raw("""
                UPDATE events SET anonymised_at = \(bind: now) WHERE id = \(bind: event) AND anonymised_at IS NULL RETURNING chapter_id, title
                """).row(Claimed.self) else { return nil }
            let ofEvent = SQLQueryString("SELECT id FROM registrations WHERE event_id = \(bind: event)")
            let registrations = try await Self.anonymiseRegistrations(where: "event_id = \(bind: event)", now: now, on: sql).count
            try await sql.raw("DELETE FROM registration_answers WHERE registration_id IN (\(ofEvent))").run()
            try await sql.raw("""
                UPDATE quiz_players SET name = '' WHERE session_id IN (SELECT id FROM quiz_sessions WHERE event_id = \(bind: event))
                """).run()
            // Bingo cards are made of people's facts: the cards and ticks go, the anonymous events stay.
            try await sql.raw("DELETE FROM bingo_ticks WHERE event_id = \(bind: event)").run()
            try await sql.raw("DELETE FROM bingo_cards WHERE event_id = \(bind: event)").run()
            try await sql.raw("UPDATE check_ins SET by_name = '' WHERE event_id = \(bind: event)").run()
            try await sql.raw("UPDATE feedback SET comment = '' WHERE event_id = \(bind: event) AND comment <> ''").run()
            try await sql.raw("""
                UPDATE incident_reports SET description = '', reporter_name = '', reporter_contact = '', handling_note = '', handled_by = '',
                    reporter_registration_id = NULL, reporter_email_hash = NULL
                WHERE event_id = \(bind: event)
                """).run()
            struct Message: Decodable { var id: UUID }
            let messages = try await sql.raw("""
                UPDATE outbox SET recipient = '', payload = '', last_error = ''
                WHERE (event_id = \(bind: event) OR registration_id IN (\(ofEvent))) AND (recipient <> '' OR payload <> '' OR last_error <> '')
                RETURNING id
                """).rows(Message.self).map(\.id)
            try await sql.raw("""
                INSERT INTO audit_log (id, chapter_id, user_id, user_name, action, subject, created_at)
                VALUES (\(bind: UUID()), \(bind: claimed.chapterId), NULL, 'Rendezvous', 'privacy.anonymised',
                        \(bind: "\(claimed.title) (\(registrations))"), \(bind: now))
                """).run()
            return (registrations, messages)
        }
    }

    // MARK: Blocking

    public func isBlocked(email: String) async throws -> Bool {
        try await Self.isBlocked(email, tokens: tokens, on: sql)
    }

    /// Whether an address is blocked, its `+tag` dropped (see `TokenVault.blockHashes`).
    static func isBlocked(_ email: String, tokens: TokenVault, on sql: any SQLDatabase) async throws -> Bool {
        try await sql.raw("SELECT COUNT(*) AS count FROM blocked_people WHERE email_hash IN \(SQLBind.group(tokens.blockHashes(email)))")
            .row(CountRow.self)?.count ?? 0 > 0
    }

    /// Which of these normalised addresses are blocked (inside a registration's transaction).
    static func blocked(_ emails: [String], tokens: TokenVault, on sql: any SQLDatabase) async throws -> Set<String> {
        let byHash = Dictionary(emails.flatMap { email in tokens.blockHashes(email).map { ($0, email) } }, uniquingKeysWith: { a, _ in a })
        guard !byHash.isEmpty else { return [] }
        struct Row: Decodable { var emailHash: String }
        let rows = try await sql.select().column("email_hash").from("blocked_people")
            .where(SQLIdentifier("email_hash"), .in, SQLBind.group(Array(byHash.keys))).rows(Row.self)
        return Set(rows.compactMap { byHash[$0.emailHash] })
    }

    /// Blocks an address from every chapter; false when it was blocked already.
    public func block(email: String, reason: String, by admin: String, now: Date) async throws -> Bool {
        do {
            try await sql.raw("""
                INSERT INTO blocked_people (id, email_hash, reason, created_by, created_at)
                VALUES (\(bind: UUID()), \(bind: tokens.blockHashes(email)[0]), \(bind: reason), \(bind: admin), \(bind: now))
                """).run()
            // They no longer follow any chapter (the address itself or any `+tag` of it).
            let base = TokenVault.untagged(EmailAddress.normalize(email))
            if let at = base.lastIndex(of: "@") {
                struct Member: Decodable { var id: UUID; var email: String }
                let sameDomain = try await sql.raw("""
                    SELECT id, email FROM chapter_audience WHERE LOWER(email) LIKE \(bind: "%" + String(base[at...]))
                    """).rows(Member.self)
                let theirs = sameDomain.filter { TokenVault.untagged(EmailAddress.normalize($0.email)) == base }.map(\.id)
                if !theirs.isEmpty { try await sql.raw("DELETE FROM chapter_audience WHERE id IN \(SQLBind.group(theirs))").run() }
            }
            return true
        } catch where Persistence.isUniqueViolation(error) {
            return false
        }
    }

    /// Lifts a block; the reason it had, or nil when there was none.
    public func unblock(_ id: UUID) async throws -> String? {
        struct Row: Decodable { var reason: String }
        return try await sql.raw("DELETE FROM blocked_people WHERE id = \(bind: id) RETURNING reason").row(Row.self)?.reason
    }

    public func blockedPeople() async throws -> [BlockedPerson] {
        struct Row: Decodable { var id: UUID; var emailHash: String; var reason: String; var createdBy: String; var createdAt: Date }
        return try await sql.raw("SELECT id, email_hash, reason, created_by, created_at FROM blocked_people ORDER BY created_at DESC")
            .rows(Row.self).map { BlockedPerson(id: $0.id, hashPrefix: String($0.emailHash.prefix(12)), reason: $0.reason, createdBy: $0.createdBy, createdAt: $0.createdAt) }
    }
}
