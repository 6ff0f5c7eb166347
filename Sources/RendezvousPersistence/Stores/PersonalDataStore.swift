import Foundation
import RendezvousDomain
import SQLKit

/// An attendee's own data: everything held about them (export), their consents (changed at once,
/// recorded), and erasure. Two scopes:
/// - an address (the attendee signed in to My Rendezvous, which proves they read its mail, or a
///   network admin acting on a request by mail): every registration of the address in every
///   chapter, the profile, sessions, sign-in links, followed chapters, reports filed with it;
/// - one registration (its manage link, which proves nothing about the address: anyone may
///   register with any address): that registration and what hangs from it, nothing else.
public struct PersonalDataStore: Store { public let persistence: Persistence }

extension Persistence {
    public var personalData: PersonalDataStore { .init(persistence: self) }
}

/// Whose data: an address, or one registration (its manage link).
public enum PersonScope: Sendable, Equatable {
    case email(String)
    case registration(UUID)
}

/// The consents an attendee can change, as stored per registration.
public enum ConsentKind: String, Sendable, CaseIterable, Codable {
    /// Appear on the event's attendee list.
    case list
    /// Show job title, company, LinkedIn and "ask me about" to people met.
    case profile
    /// The evening's games (bingo facts).
    case games
    /// The chapter's news once attended.
    case news
    /// The mails about a meetup beyond the essential ones (reminders, follow-ups): stored as `unsubscribed`.
    case mail

    /// The registrations column, and whether true there means "given".
    var column: (name: String, givenWhen: Bool) {
        switch self {
        case .list: ("consent_list", true)
        case .profile: ("consent_profile", true)
        case .games: ("games_consent", true)
        case .news: ("consent_news", true)
        case .mail: ("unsubscribed", false)
        }
    }
}

/// Everything held about a person: the JSON export's content (schema: docs/data-export.md).
public struct PersonalData: Sendable, Encodable, Equatable {
    public struct Event: Sendable, Encodable, Equatable {
        @LowercaseID public var id: UUID; public var title: String; public var chapter: String; public var startsAt: Date
        /// The chapter's time zone (IANA), in which "My data" shows the meetup's dates.
        public var timeZone: String
    }
    public struct Answer: Sendable, Encodable, Equatable { public var question: String; public var answer: String }
    public struct Consent: Sendable, Encodable, Equatable {
        public var consent: ConsentKind; public var given: Bool
    }
    public struct Registration: Sendable, Encodable, Equatable {
        @LowercaseID public var id: UUID
        public var event: Event
        public var status: String
        public var firstName: String; public var lastName: String; public var email: String
        public var jobTitle: String; public var company: String; public var linkedinUrl: String; public var askMeAbout: String
        public var bingoFacts: [String]
        public var consents: [Consent]
        /// When the consents above were first given: the registration's time.
        public var registeredAt: Date
        public var updatedAt: Date
        @NullWhenAbsent public var conductAcceptedAt: Date?
        @NullWhenAbsent public var checkedInAt: Date?
        /// The answer to "How did you hear about us?" (a `HeardFrom` code), null when not said.
        @NullWhenAbsent public var heardFrom: String?
        public var walkIn: Bool
        public var language: String
        /// What the organisers wrote about this registration.
        public var organizerNote: String
        public var answers: [Answer]
    }
    public struct ConsentChange: Sendable, Encodable, Equatable {
        @LowercaseID public var registration: UUID; public var consent: ConsentKind; public var given: Bool; public var source: String; public var at: Date
    }
    public struct Profile: Sendable, Encodable, Equatable {
        public var firstName: String; public var lastName: String; public var jobTitle: String; public var company: String
        public var linkedinUrl: String; public var askMeAbout: String; public var shareEmail: Bool; public var shareLinkedin: Bool
        public var createdAt: Date; public var updatedAt: Date
    }
    public struct Contact: Sendable, Encodable, Equatable {
        @LowercaseID public var id: UUID; @LowercaseID public var registration: UUID; public var event: String
        /// The other person's name as they registered it.
        public var with: String
        /// pending, accepted or declined; `startedByMe` says who said "We met" first.
        public var status: String; public var startedByMe: Bool
        public var myNote: String; public var createdAt: Date; @NullWhenAbsent public var answeredAt: Date?
    }
    public struct Message: Sendable, Encodable, Equatable {
        @LowercaseID public var id: UUID; public var kind: String; public var subject: String; public var status: String
        public var createdAt: Date; @NullWhenAbsent public var sentAt: Date?
    }
    public struct QuizAnswer: Sendable, Encodable, Equatable {
        public var quiz: String; public var nickname: String; @NullWhenAbsent public var team: String?; public var question: Int
        public var answer: String; public var right: Bool; public var points: Int
    }
    public struct IncidentReport: Sendable, Encodable, Equatable {
        @LowercaseID public var id: UUID; @NullWhenAbsent public var event: String?; public var description: String; public var reporterName: String
        public var reporterContact: String; public var status: String; public var createdAt: Date
    }
    /// The profile photo: where it is served (`/me/photos/{name}`, signed in) and its type.
    public struct Photo: Sendable, Encodable, Equatable { public var url: String; public var contentType: String }
    public struct Feedback: Sendable, Encodable, Equatable {
        @LowercaseID public var registration: UUID; public var event: String; public var score: Int; public var comment: String; public var at: Date
    }
    public struct Following: Sendable, Encodable, Equatable {
        public var chapter: String; public var status: String; public var since: Date; @NullWhenAbsent public var unsubscribedAt: Date?
    }
    public struct SignIn: Sendable, Encodable, Equatable {
        public var kind: String; public var createdAt: Date; public var expiresAt: Date; @NullWhenAbsent public var usedAt: Date?
    }

    public var format = "rendezvous-personal-data"
    public var version = 1
    public var exportedAt: Date
    /// The address the export is about, or the registration's address for a manage link.
    public var email: String
    public var registrations: [Registration] = []
    @NullWhenAbsent public var profile: Profile?
    @NullWhenAbsent public var photo: Photo?
    public var consentChanges: [ConsentChange] = []
    public var contacts: [Contact] = []
    public var messages: [Message] = []
    public var quizAnswers: [QuizAnswer] = []
    public var feedback: [Feedback] = []
    public var incidentReports: [IncidentReport] = []
    public var following: [Following] = []
    public var signIns: [SignIn] = []
}

/// An id in the export: lowercase, as everywhere in the API.
@propertyWrapper
public struct LowercaseID: Sendable, Equatable, Encodable {
    public var wrappedValue: UUID
    public init(wrappedValue: UUID) { self.wrappedValue = wrappedValue }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(wrappedValue.uuidString.lowercased())
    }
}

/// An optional field of the export: always present, `null` when it holds nothing (docs/data-export.md).
@propertyWrapper
public struct NullWhenAbsent<Value: Encodable & Equatable & Sendable>: Sendable, Equatable, Encodable {
    public var wrappedValue: Value?
    public init(wrappedValue: Value?) { self.wrappedValue = wrappedValue }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let wrappedValue { try container.encode(wrappedValue) } else { try container.encodeNil() }
    }
}

/// What an erasure did: what the caller still has to clean outside the database.
public struct Erasure: Sendable {
    public var registrations = 0
    /// Outbox messages deleted: their .eml copies go too.
    public var outboxIDs: [UUID] = []
    /// Events whose cached pages may have shown the person.
    public var events: [(event: UUID, chapterSlug: String)] = []
    /// Upcoming seats or places given back first (each offered to the waitlist).
    public var cancelled = 0
}

extension PersonalDataStore {
    // MARK: Scope

    /// The registrations in scope (drafts' included: a person's data is theirs wherever it is).
    func registrationIDs(_ scope: PersonScope, on sql: any SQLDatabase) async throws -> [UUID] {
        struct Row: Decodable { var id: UUID }
        switch scope {
        case .registration(let id):
            return try await sql.raw("SELECT id FROM registrations WHERE id = \(bind: id) AND email <> ''").rows(Row.self).map(\.id)
        case .email(let email):
            let email = EmailAddress.normalize(email)
            guard !email.isEmpty else { return [] }
            return try await sql.raw("SELECT id FROM registrations WHERE LOWER(email) = \(bind: email) ORDER BY created_at").rows(Row.self).map(\.id)
        }
    }

    /// How many registrations an erasure of `scope` anonymises (drafts' included, as `erase` does).
    public func count(_ scope: PersonScope) async throws -> Int {
        try await registrationIDs(scope, on: sql).count
    }

    /// The address of an email scope, normalised; nil for a registration's scope.
    func address(_ scope: PersonScope) -> String? {
        if case .email(let email) = scope { return EmailAddress.normalize(email) }
        return nil
    }

    // MARK: Export

    public func export(_ scope: PersonScope, now: Date) async throws -> PersonalData {
        let sql = self.sql
        let ids = try await registrationIDs(scope, on: sql)
        var data = PersonalData(exportedAt: now, email: address(scope) ?? "")
        if !ids.isEmpty {
            let list = SQLBind.group(ids)
            struct Row: Decodable {
                var id: UUID; var eventId: UUID; var title: String; var chapterName: String; var timeZone: String; var startsAt: Date; var status: String
                var firstName: String; var lastName: String; var email: String; var jobTitle: String; var company: String
                var linkedinUrl: String; var askMeAbout: String; var bingoFacts: String; var consentList: Bool; var consentProfile: Bool
                var gamesConsent: Bool; var consentNews: Bool; var unsubscribed: Bool; var createdAt: Date; var updatedAt: Date
                var conductAcceptedAt: Date?; var checkedInAt: Date?; var heardFrom: String?; var walkIn: Bool; var language: String?; var organizerNote: String
            }
            let rows = try await sql.raw("""
                SELECT r.id, r.event_id, e.title, c.name AS chapter_name, c.time_zone, e.starts_at, r.status, r.first_name, r.last_name, r.email,
                       r.job_title, r.company, r.linkedin_url, r.ask_me_about, r.bingo_facts, r.consent_list, r.consent_profile,
                       r.games_consent, r.consent_news, r.unsubscribed, r.created_at, r.updated_at, r.conduct_accepted_at,
                       r.checked_in_at, r.heard_from, r.walk_in, r.language, r.organizer_note
                FROM registrations r JOIN events e ON e.id = r.event_id JOIN chapters c ON c.id = e.chapter_id
                WHERE r.id IN \(list) ORDER BY e.starts_at DESC
                """).rows(Row.self)
            struct AnswerRow: Decodable { var registrationId: UUID; var label: String; var answer: String }
            let answers = Dictionary(grouping: try await sql.raw("""
                SELECT a.registration_id, q.label, a.answer FROM registration_answers a JOIN registration_questions q ON q.id = a.question_id
                WHERE a.registration_id IN \(list) ORDER BY q.position
                """).rows(AnswerRow.self), by: \.registrationId)
            data.email = address(scope) ?? rows.first?.email ?? ""
            data.registrations = rows.map { r in
                PersonalData.Registration(
                    id: r.id, event: .init(id: r.eventId, title: r.title, chapter: r.chapterName, startsAt: r.startsAt, timeZone: r.timeZone), status: r.status,
                    firstName: r.firstName, lastName: r.lastName, email: r.email, jobTitle: r.jobTitle, company: r.company,
                    linkedinUrl: r.linkedinUrl, askMeAbout: r.askMeAbout,
                    bingoFacts: r.bingoFacts.split(separator: ",").map(String.init),
                    consents: [.init(consent: .list, given: r.consentList), .init(consent: .profile, given: r.consentProfile),
                               .init(consent: .games, given: r.gamesConsent), .init(consent: .news, given: r.consentNews),
                               .init(consent: .mail, given: !r.unsubscribed)],
                    registeredAt: r.createdAt, updatedAt: r.updatedAt, conductAcceptedAt: r.conductAcceptedAt, checkedInAt: r.checkedInAt,
                    heardFrom: r.heardFrom, walkIn: r.walkIn, language: r.language ?? "", organizerNote: r.organizerNote,
                    answers: (answers[r.id] ?? []).map { .init(question: $0.label, answer: $0.answer) })
            }
            struct Change: Decodable { var registrationId: UUID; var consent: String; var given: Bool; var source: String; var changedAt: Date }
            data.consentChanges = try await sql.raw("""
                SELECT registration_id, consent, given, source, changed_at FROM consent_changes WHERE registration_id IN \(list) ORDER BY changed_at
                """).rows(Change.self).compactMap { c in
                ConsentKind(rawValue: c.consent).map { .init(registration: c.registrationId, consent: $0, given: c.given, source: c.source, at: c.changedAt) }
            }
            struct ContactRow: Decodable {
                var id: UUID; var title: String; var initiatorRegistrationId: UUID; var recipientRegistrationId: UUID; var status: String
                var initiatorNote: String; var recipientNote: String; var createdAt: Date; var answeredAt: Date?
                var initiatorName: String; var recipientName: String
            }
            data.contacts = try await sql.raw("""
                SELECT k.id, e.title, k.initiator_registration_id, k.recipient_registration_id, k.status, k.initiator_note, k.recipient_note,
                       k.created_at, k.answered_at, ri.first_name || ' ' || ri.last_name AS initiator_name,
                       rr.first_name || ' ' || rr.last_name AS recipient_name
                FROM contacts k JOIN events e ON e.id = k.event_id
                JOIN registrations ri ON ri.id = k.initiator_registration_id JOIN registrations rr ON rr.id = k.recipient_registration_id
                WHERE k.initiator_registration_id IN \(list) OR k.recipient_registration_id IN \(list) ORDER BY k.created_at
                """).rows(ContactRow.self).map { k in
                let mine = ids.contains(k.initiatorRegistrationId)
                return .init(id: k.id, registration: mine ? k.initiatorRegistrationId : k.recipientRegistrationId, event: k.title,
                             with: (mine ? k.recipientName : k.initiatorName).trimmingCharacters(in: .whitespaces),
                             status: k.status, startedByMe: mine, myNote: mine ? k.initiatorNote : k.recipientNote,
                             createdAt: k.createdAt, answeredAt: k.answeredAt)
            }
            struct QuizRow: Decodable {
                var title: String; var name: String; var team: String?; var questionIndex: Int?; var answer: String?; var isRight: Bool?; var points: Int?
            }
            data.quizAnswers = try await sql.raw("""
                SELECT s.title, p.name, p.team, a.question_index, a.answer, a.is_right, a.points
                FROM quiz_players p JOIN quiz_sessions s ON s.id = p.session_id LEFT JOIN quiz_answers a ON a.player_id = p.id
                WHERE p.registration_id IN \(list) ORDER BY s.created_at, a.question_index
                """).rows(QuizRow.self).map { q in
                .init(quiz: q.title, nickname: q.name, team: q.team, question: (q.questionIndex ?? -1) + 1, answer: q.answer ?? "",
                      right: q.isRight ?? false, points: q.points ?? 0)
            }
            struct FeedbackRow: Decodable { var registrationId: UUID; var title: String; var score: Int; var comment: String; var updatedAt: Date }
            data.feedback = try await sql.raw("""
                SELECT f.registration_id, e.title, f.score, f.comment, f.updated_at FROM feedback f JOIN events e ON e.id = f.event_id
                WHERE f.registration_id IN \(list) ORDER BY f.updated_at
                """).rows(FeedbackRow.self).map { .init(registration: $0.registrationId, event: $0.title, score: $0.score, comment: $0.comment, at: $0.updatedAt) }
        }
        data.messages = try await messages(ids: ids, email: address(scope), on: sql)
        if let email = address(scope) {
            struct ProfileRow: Decodable {
                var firstName: String; var lastName: String; var jobTitle: String; var company: String; var linkedinUrl: String
                var askMeAbout: String; var shareEmail: Bool; var shareLinkedin: Bool; var createdAt: Date; var updatedAt: Date
            }
            data.profile = try await sql.raw("""
                SELECT first_name, last_name, job_title, company, linkedin_url, ask_me_about, share_email, share_linkedin, created_at, updated_at
                FROM attendee_profiles WHERE email = \(bind: email)
                """).row(ProfileRow.self).map {
                .init(firstName: $0.firstName, lastName: $0.lastName, jobTitle: $0.jobTitle, company: $0.company, linkedinUrl: $0.linkedinUrl,
                      askMeAbout: $0.askMeAbout, shareEmail: $0.shareEmail, shareLinkedin: $0.shareLinkedin, createdAt: $0.createdAt, updatedAt: $0.updatedAt)
            }
            // The photo is served at `/me/photos/{name}` (MeRoute.photoFile), to the signed-in person.
            struct PhotoRow: Decodable { var name: String; var contentType: String }
            data.photo = try await sql.raw("SELECT name, content_type FROM attendee_photos WHERE email = \(bind: email)").row(PhotoRow.self)
                .map { .init(url: "/me/photos/" + $0.name, contentType: $0.contentType) }
            struct Follow: Decodable { var name: String; var status: String; var createdAt: Date; var unsubscribedAt: Date? }
            data.following = try await sql.raw("""
                SELECT c.name, a.status, a.created_at, a.unsubscribed_at FROM chapter_audience a JOIN chapters c ON c.id = a.chapter_id
                WHERE LOWER(a.email) = \(bind: email) ORDER BY a.created_at
                """).rows(Follow.self).map { .init(chapter: $0.name, status: $0.status, since: $0.createdAt, unsubscribedAt: $0.unsubscribedAt) }
            struct SignInRow: Decodable { var createdAt: Date; var expiresAt: Date; var usedAt: Date? }
            let links = try await sql.raw("""
                SELECT created_at, expires_at, used_at FROM attendee_sign_in_links WHERE email = \(bind: email) ORDER BY created_at
                """).rows(SignInRow.self).map { PersonalData.SignIn(kind: "link", createdAt: $0.createdAt, expiresAt: $0.expiresAt, usedAt: $0.usedAt) }
            let sessions = try await sql.raw("""
                SELECT created_at, expires_at FROM attendee_sessions WHERE email = \(bind: email) ORDER BY created_at
                """).rows(SignInRow.self).map { PersonalData.SignIn(kind: "session", createdAt: $0.createdAt, expiresAt: $0.expiresAt, usedAt: nil) }
            data.signIns = links + sessions
        }
        data.incidentReports = try await reports(ids: ids, email: address(scope), on: sql)
        return data
    }

    /// Where the reports a person filed are: filed from the manage link of one of their
    /// registrations, or signed in to My Rendezvous with their address. Never by the contact text
    /// (anyone may type anyone's address there).
    func reporterCondition(ids: [UUID], email: String?) -> SQLQueryString? {
        var conditions: [SQLQueryString] = []
        if !ids.isEmpty { conditions.append("reporter_registration_id IN \(SQLBind.group(ids))") }
        if let email, !email.isEmpty { conditions.append("reporter_email_hash = \(bind: tokens.emailHash(email))") }
        guard !conditions.isEmpty else { return nil }
        return conditions.dropFirst().reduce(conditions[0]) { "\($0) OR \($1)" }
    }

    func reports(ids: [UUID], email: String?, on sql: any SQLDatabase) async throws -> [PersonalData.IncidentReport] {
        guard let condition = reporterCondition(ids: ids, email: email) else { return [] }
        struct Report: Decodable {
            var id: UUID; var title: String?; var description: String; var reporterName: String; var reporterContact: String
            var status: String; var createdAt: Date
        }
        return try await sql.raw("""
            SELECT i.id, e.title, i.description, i.reporter_name, i.reporter_contact, i.status, i.created_at
            FROM incident_reports i LEFT JOIN events e ON e.id = i.event_id
            WHERE \(condition) ORDER BY i.created_at
            """).rows(Report.self).map {
            .init(id: $0.id, event: $0.title, description: $0.description, reporterName: $0.reporterName, reporterContact: $0.reporterContact,
                  status: $0.status, createdAt: $0.createdAt)
        }
    }

    func messages(ids: [UUID], email: String?, on sql: any SQLDatabase) async throws -> [PersonalData.Message] {
        var conditions: [SQLQueryString] = []
        if !ids.isEmpty { conditions.append("registration_id IN \(SQLBind.group(ids))") }
        if let email, !email.isEmpty { conditions.append("LOWER(recipient) = \(bind: email)") }
        guard !conditions.isEmpty else { return [] }
        let condition = conditions.dropFirst().reduce(conditions[0]) { "\($0) OR \($1)" }
        struct Row: Decodable { var id: UUID; var kind: String; var subject: String; var status: String; var createdAt: Date; var sentAt: Date? }
        return try await sql.raw("SELECT id, kind, subject, status, created_at, sent_at FROM outbox WHERE \(condition) ORDER BY created_at")
            .rows(Row.self).map { .init(id: $0.id, kind: $0.kind, subject: $0.subject, status: $0.status, createdAt: $0.createdAt, sentAt: $0.sentAt) }
    }

    // MARK: Consents

    /// Sets consents on every registration in scope at once; each actual change is recorded with
    /// the time and where it was made. Returns the events whose pages show the changed people.
    @discardableResult
    public func setConsents(_ scope: PersonScope, _ values: [ConsentKind: Bool], source: String, now: Date) async throws -> [UUID] {
        try await write { sql in
            let ids = try await self.registrationIDs(scope, on: sql)
            guard !ids.isEmpty, !values.isEmpty else { return [] }
            var events = Set<UUID>()
            for kind in ConsentKind.allCases {
                guard let given = values[kind] else { continue }
                let column = kind.column
                let stored = given == column.givenWhen
                struct Row: Decodable { var id: UUID; var eventId: UUID }
                let changed = try await sql.raw("""
                    UPDATE registrations SET \(ident: column.name) = \(bind: stored), updated_at = \(bind: now)
                    WHERE id IN \(SQLBind.group(ids)) AND \(ident: column.name) <> \(bind: stored) RETURNING id, event_id
                    """).rows(Row.self)
                for row in changed {
                    events.insert(row.eventId)
                    try await sql.raw("""
                        INSERT INTO consent_changes (id, registration_id, consent, given, source, changed_at)
                        VALUES (\(bind: UUID()), \(bind: row.id), \(bind: kind.rawValue), \(bind: given), \(bind: source), \(bind: now))
                        """).run()
                }
            }
            // Withdrawing "profile shown to people I meet" from My Rendezvous (the address's own
            // session) also stops the profile sharing LinkedIn with accepted contacts: withdrawn
            // means withdrawn everywhere, until the person shares it again from their profile.
            if values[.profile] == false, case .email(let address) = scope {
                try await sql.raw("""
                    UPDATE attendee_profiles SET share_linkedin = \(bind: false), updated_at = \(bind: now)
                    WHERE email = \(bind: EmailAddress.normalize(address)) AND share_linkedin = \(bind: true)
                    """).run()
            }
            return Array(events)
        }
    }

    /// Records consent changes made elsewhere (the manage page's form), one row per change.
    public func recordConsentChanges(registration: UUID, before: [ConsentKind: Bool], after: [ConsentKind: Bool], source: String, now: Date) async throws {
        let changes = ConsentKind.allCases.filter { before[$0] != nil && after[$0] != nil && before[$0] != after[$0] }
        guard !changes.isEmpty else { return }
        try await write { sql in
            for kind in changes {
                try await sql.raw("""
                    INSERT INTO consent_changes (id, registration_id, consent, given, source, changed_at)
                    VALUES (\(bind: UUID()), \(bind: registration), \(bind: kind.rawValue), \(bind: after[kind]!), \(bind: source), \(bind: now))
                    """).run()
            }
        }
    }

    // MARK: Erasure

    /// Erases a person: upcoming seats and places are first given back (each offered to the
    /// waitlist as for any cancellation), then in one transaction every registration is
    /// anonymised as the retention run does (counts, statuses and check-ins stay), and their
    /// answers, quiz answers and nicknames, bingo cards and ticks, "We met" links (both sides'
    /// entries go), consent history, messages (rows; the caller deletes the .eml files), and for
    /// an address the profile, sessions, sign-in links, followed chapters and the identity on
    /// reports they filed are deleted. Activity-log entries naming them lose their subject.
    public func erase(_ scope: PersonScope, now: Date) async throws -> Erasure {
        var erasure = Erasure()
        // Seats first, each under its event's lock (the usual cancellation).
        struct Active: Decodable { var id: UUID; var eventId: UUID }
        let ids = try await registrationIDs(scope, on: sql)
        if !ids.isEmpty {
            let active = try await sql.raw("""
                SELECT r.id, r.event_id FROM registrations r JOIN events e ON e.id = r.event_id
                WHERE r.id IN \(SQLBind.group(ids)) AND r.status IN ('confirmed', 'waitlisted', 'offered') AND e.starts_at > \(bind: now)
                """).rows(Active.self)
            for registration in active {
                // One that moved on meanwhile (declined, expired) has no seat to give back; any other
                // failure stops the erasure: a registration must not be anonymised while it holds a seat.
                do {
                    _ = try await persistence.registrations.cancelByOrganizer(.init(registration.id), in: .init(registration.eventId), now: now)
                    erasure.cancelled += 1
                } catch RegistrationActionError.notCancellable, RegistrationActionError.notFound {
                    continue
                }
            }
        }
        let email = address(scope)
        let cancelled = erasure.cancelled
        let sqlite = persistence.kind == .sqlite
        let done = try await write { sql in
            // SQLite keeps deleted bytes in free space unless told to overwrite them with zeros.
            if sqlite { try await sql.raw("PRAGMA secure_delete = ON").run() }
            var erasure = Erasure()
            erasure.cancelled = cancelled
            let ids = try await self.registrationIDs(scope, on: sql)
            struct Person: Decodable { var firstName: String; var lastName: String; var email: String }
            var people: [Person] = []
            if !ids.isEmpty {
                let list = SQLBind.group(ids)
                people = try await sql.raw("SELECT first_name, last_name, email FROM registrations WHERE id IN \(list)").rows(Person.self)
                struct Event: Decodable { var eventId: UUID; var slug: String }
                erasure.events = try await sql.raw("""
                    SELECT DISTINCT r.event_id, c.slug FROM registrations r JOIN events e ON e.id = r.event_id JOIN chapters c ON c.id = e.chapter_id
                    WHERE r.id IN \(list)
                    """).rows(Event.self).map { ($0.eventId, $0.slug) }
                erasure.outboxIDs = try await self.messages(ids: ids, email: email, on: sql).map(\.id)
                // What hangs from the registrations.
                try await sql.raw("DELETE FROM registration_answers WHERE registration_id IN \(list)").run()
                // Webhook deliveries that name them (their bodies hold names, and the email when asked):
                // one pass over the deliveries for all their registrations.
                let named = ids.map { id -> SQLQueryString in "body LIKE \(bind: "%\"registration_id\":\"\(id.uuidString.lowercased())\"%")" }
                try await sql.raw("DELETE FROM webhook_deliveries WHERE \(named.dropFirst().reduce(named[0]) { "\($0) OR \($1)" })").run()
                try await sql.raw("DELETE FROM consent_changes WHERE registration_id IN \(list)").run()
                try await sql.raw("DELETE FROM contacts WHERE initiator_registration_id IN \(list) OR recipient_registration_id IN \(list)").run()
                try await sql.raw("DELETE FROM quiz_answers WHERE player_id IN (SELECT id FROM quiz_players WHERE registration_id IN \(list))").run()
                try await sql.raw("UPDATE quiz_players SET name = '', team = NULL WHERE registration_id IN \(list)").run()
                try await sql.raw("DELETE FROM bingo_ticks WHERE registration_id IN \(list) OR matched_registration_id IN \(list)").run()
                try await sql.raw("DELETE FROM bingo_cards WHERE registration_id IN \(list)").run()
                // Feedback: the score stays for the evening's insights, the words go.
                try await sql.raw("UPDATE feedback SET comment = '' WHERE registration_id IN \(list)").run()
                // The registrations themselves: every field the rules anonymise, as the retention run does.
                erasure.registrations = try await PrivacyStore.anonymiseRegistrations(where: "id IN \(list)", now: now, on: sql).count
            } else if let email {
                erasure.outboxIDs = try await self.messages(ids: [], email: email, on: sql).map(\.id)
            }
            if !erasure.outboxIDs.isEmpty {
                try await sql.raw("DELETE FROM outbox WHERE id IN \(SQLBind.group(erasure.outboxIDs))").run()
            }
            // Activity-log entries that name them (organisers' actions on their registration).
            var needles = Set<String>()
            for person in people {
                let name = "\(person.firstName) \(person.lastName)".trimmingCharacters(in: .whitespaces)
                if name.count >= 3 { needles.insert(name) }
                if !person.email.isEmpty { needles.insert(person.email) }
            }
            if let email { needles.insert(email) }
            for needle in needles {
                try await sql.raw("UPDATE audit_log SET subject = '' WHERE subject LIKE \(bind: "%" + needle + "%")").run()
            }
            // Reports they filed keep what happened (a safety record: it may concern others, and the
            // erase page says so) but no longer name them nor lead to them: those filed from one of
            // their manage links or signed in.
            if let filed = self.reporterCondition(ids: ids, email: email) {
                try await sql.raw("""
                    UPDATE incident_reports SET reporter_name = '', reporter_contact = '', reporter_registration_id = NULL, reporter_email_hash = NULL
                    WHERE \(filed)
                    """).run()
            }
            // A report whose contact is their address may have been filed by someone else (anyone
            // may type anyone's address there): only the address goes, the reporter stays.
            if let email {
                try await sql.raw("UPDATE incident_reports SET reporter_contact = '' WHERE LOWER(reporter_contact) = \(bind: email)").run()
            }
            if let email {
                try await sql.raw("DELETE FROM attendee_profiles WHERE email = \(bind: email)").run()
                try await sql.raw("DELETE FROM attendee_photos WHERE email = \(bind: email)").run()
                try await sql.raw("DELETE FROM attendee_sessions WHERE email = \(bind: email)").run()
                try await sql.raw("DELETE FROM attendee_sign_in_links WHERE email = \(bind: email)").run()
                try await sql.raw("DELETE FROM chapter_audience WHERE LOWER(email) = \(bind: email)").run()
            }
            return erasure
        }
        // And the write-ahead log would still hold the old pages: copy it back now and empty it.
        if sqlite { try? await Self.checkpoint(on: sql) }
        return done
    }

    /// Moves the write-ahead log into the database file and truncates it (SQLite).
    static func checkpoint(on sql: any SQLDatabase) async throws {
        try await sql.raw("PRAGMA wal_checkpoint(TRUNCATE)").run()
    }

    // MARK: Accountability

    /// A short reference for an address in the activity log (a keyed hash, as for blocks): the
    /// log can tie two requests about one person together without holding the address.
    public func reference(email: String) -> String {
        String(tokens.emailHash(email).prefix(12))
    }

    /// Logs an export or erasure, network-wide: by an admin (named), or by the person themselves
    /// (no name). The subject holds counts and references, never an address or a name.
    public func log(action: String, by user: User?, subject: String, now: Date) async throws {
        try await sql.raw("""
            INSERT INTO audit_log (id, chapter_id, user_id, user_name, action, subject, created_at)
            VALUES (\(bind: UUID()), NULL, \(bind: user?.id.uuid), \(bind: user?.name ?? ""), \(bind: action), \(bind: subject), \(bind: now))
            """).run()
    }
}
