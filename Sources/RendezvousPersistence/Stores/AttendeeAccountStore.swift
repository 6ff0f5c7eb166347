import Foundation
import RendezvousDomain
import SQLKit

/// "My Rendezvous": an attendee's space, reached with a one-time link mailed to their address (no
/// password). Sign-in links and sessions keep only hashes; the profile is kept once per address.
/// Reads across chapters are by address only: an attendee sees their own registrations everywhere,
/// while organisers' stores keep reading their own chapter's.
public struct AttendeeAccountStore: Store { public let persistence: Persistence }

extension Persistence {
    public var attendees: AttendeeAccountStore { .init(persistence: self) }
}

/// A signed-in attendee: their address and the session's CSRF token.
public struct AttendeeSession: Sendable, Equatable {
    public var email: String
    public var csrfToken: String
    public var expiresAt: Date
}

/// What an attendee keeps once for every registration, and what they share with people they accept.
public struct AttendeeAccountProfile: Sendable, Equatable {
    public var firstName = ""
    public var lastName = ""
    public var jobTitle = ""
    public var company = ""
    public var linkedinURL = ""
    public var askMeAbout = ""
    public var sharing = SharingChoices()
    public init(firstName: String = "", lastName: String = "", jobTitle: String = "", company: String = "", linkedinURL: String = "",
                askMeAbout: String = "", sharing: SharingChoices = SharingChoices()) {
        self.firstName = firstName
        self.lastName = lastName
        self.jobTitle = jobTitle
        self.company = company
        self.linkedinURL = linkedinURL
        self.askMeAbout = askMeAbout
        self.sharing = sharing
    }
}

/// One registration of the signed-in address, with its event and chapter.
/// What a profile shares with the people its owner accepted, and the LinkedIn address it keeps
/// (newer than the one typed in an old registration).
public struct ProfileSharing: Sendable, Equatable {
    public var choices: SharingChoices
    public var linkedinURL: String?
}

public struct AttendeeRegistration: Sendable {
    public var registration: Registration
    public var event: Event
    public var chapter: Chapter
    public var venueName: String?
    /// The door admitted them.
    public var came: Bool = false
}

extension AttendeeAccountStore {
    // MARK: Sign-in links

    /// Queues a sign-in link to the address if it has registrations and no link went there in the
    /// last `AttendeeSignIn.mailInterval`. Answers whether a mail was queued; the web never says.
    @discardableResult
    public func requestSignIn(email: String, language: Language, now: Date) async throws -> Bool {
        let email = EmailAddress.normalize(email)
        guard EmailAddress.isValid(email) else { return false }
        let id = UUID()
        let token = signInToken(for: id)
        return try await write { sql in
            // One throttle per address, whatever the parallel requests and instances.
            try await persistence.lock("attendee-sign-in:" + email, on: sql)
            let known = try await sql.raw("SELECT COUNT(*) AS count FROM registrations WHERE LOWER(email) = \(bind: email)").row(CountRow.self)?.count ?? 0
            guard known > 0 else { return false }
            struct Last: Decodable { var createdAt: Date }
            let last = try await sql.raw("""
                SELECT created_at FROM attendee_sign_in_links WHERE email = \(bind: email) ORDER BY created_at DESC LIMIT 1
                """).row(Last.self)
            guard AttendeeSignIn.mayMail(last: last?.createdAt, now: now) else { return false }
            try await sql.raw("""
                INSERT INTO attendee_sign_in_links (id, email, token_hash, created_at, expires_at)
                VALUES (\(bind: id), \(bind: email), \(bind: Persistence.hash(token)), \(bind: now), \(bind: now.addingTimeInterval(AttendeeSignIn.linkLifetime)))
                """).run()
            // The message names the link, not its token: the token is derived again when the mail
            // is written, so neither the outbox nor the links table holds a usable link.
            try await Persistence.enqueue(.attendeeSignIn, recipient: email, payload: ["link": id.uuidString, "language": language.rawValue], now: now, on: sql)
            return true
        }
    }

    /// A sign-in link's token, derived from the link's id under the server key.
    public func signInToken(for id: UUID) -> String {
        tokens.token(.attendeeSignIn, id: id, salt: "attendee")
    }

    /// The address a sign-in link is for, while it is unused and fresh.
    public func signInEmail(token: String, now: Date) async throws -> String? {
        guard token.count >= 20, token.count <= 100 else { return nil }
        struct Row: Decodable { var email: String; var createdAt: Date; var usedAt: Date? }
        guard let row = try await sql.raw("""
            SELECT email, created_at, used_at FROM attendee_sign_in_links WHERE token_hash = \(bind: Persistence.hash(token))
            """).row(Row.self), AttendeeSignIn.linkWorks(createdAt: row.createdAt, usedAt: row.usedAt, now: now) else { return nil }
        return row.email
    }

    /// Spends the link (once) and opens a session; returns the cookie value (only its hash is kept).
    public func completeSignIn(token: String, now: Date) async throws -> (email: String, session: String)? {
        guard token.count >= 20, token.count <= 100 else { return nil }
        let session = Secret.token()
        return try await write { sql in
            struct Row: Decodable { var id: UUID; var email: String; var createdAt: Date; var usedAt: Date? }
            guard let row = try await sql.raw("""
                SELECT id, email, created_at, used_at FROM attendee_sign_in_links WHERE token_hash = \(bind: Persistence.hash(token))
                """).row(Row.self), AttendeeSignIn.linkWorks(createdAt: row.createdAt, usedAt: row.usedAt, now: now) else { return nil }
            let spent = try await sql.raw("""
                UPDATE attendee_sign_in_links SET used_at = \(bind: now) WHERE id = \(bind: row.id) AND used_at IS NULL RETURNING id
                """).all()
            guard !spent.isEmpty else { return nil }
            try await sql.raw("""
                INSERT INTO attendee_sessions (id, email, token_hash, csrf_token, created_at, expires_at)
                VALUES (\(bind: UUID()), \(bind: row.email), \(bind: Persistence.hash(session)), \(bind: Secret.token()), \(bind: now),
                        \(bind: now.addingTimeInterval(AttendeeSignIn.sessionLifetime)))
                """).run()
            return (row.email, session)
        }
    }

    // MARK: Sessions

    public func session(token: String, now: Date) async throws -> AttendeeSession? {
        guard !token.isEmpty, token.count <= 100 else { return nil }
        struct Row: Decodable { var email: String; var csrfToken: String; var expiresAt: Date }
        return try await sql.raw("""
            SELECT email, csrf_token, expires_at FROM attendee_sessions WHERE token_hash = \(bind: Persistence.hash(token)) AND expires_at > \(bind: now)
            """).row(Row.self).map { AttendeeSession(email: $0.email, csrfToken: $0.csrfToken, expiresAt: $0.expiresAt) }
    }

    public func signOut(token: String) async throws {
        try await sql.raw("DELETE FROM attendee_sessions WHERE token_hash = \(bind: Persistence.hash(token))").run()
    }

    public func deleteExpired(now: Date) async throws {
        try await sql.raw("DELETE FROM attendee_sessions WHERE expires_at <= \(bind: now)").run()
        try await sql.raw("DELETE FROM attendee_sign_in_links WHERE expires_at <= \(bind: now.addingTimeInterval(-86400))").run()
    }

    // MARK: Profile

    struct ProfileRow: Decodable {
        var firstName: String; var lastName: String; var jobTitle: String; var company: String; var linkedinUrl: String; var askMeAbout: String
        var shareEmail: Bool; var shareLinkedin: Bool
        var profile: AttendeeAccountProfile {
            AttendeeAccountProfile(firstName: firstName, lastName: lastName, jobTitle: jobTitle, company: company, linkedinURL: linkedinUrl,
                                   askMeAbout: askMeAbout, sharing: SharingChoices(email: shareEmail, linkedin: shareLinkedin))
        }
    }

    /// The address's saved profile, if any.
    public func savedProfile(email: String) async throws -> AttendeeAccountProfile? {
        try await sql.raw("""
            SELECT first_name, last_name, job_title, company, linkedin_url, ask_me_about, share_email, share_linkedin
            FROM attendee_profiles WHERE email = \(bind: EmailAddress.normalize(email))
            """).row(ProfileRow.self)?.profile
    }

    /// The saved profile, or else the one of the address's latest registration (nothing saved yet).
    public func profile(email: String) async throws -> AttendeeAccountProfile {
        if let saved = try await savedProfile(email: email) { return saved }
        struct Row: Decodable { var firstName: String; var lastName: String; var jobTitle: String; var company: String; var linkedinUrl: String; var askMeAbout: String }
        guard let row = try await sql.raw("""
            SELECT first_name, last_name, job_title, company, linkedin_url, ask_me_about FROM registrations
            WHERE LOWER(email) = \(bind: EmailAddress.normalize(email)) ORDER BY created_at DESC LIMIT 1
            """).row(Row.self) else { return AttendeeAccountProfile() }
        return AttendeeAccountProfile(firstName: row.firstName, lastName: row.lastName, jobTitle: row.jobTitle, company: row.company,
                                      linkedinURL: row.linkedinUrl, askMeAbout: row.askMeAbout)
    }

    public func saveProfile(email: String, _ profile: AttendeeAccountProfile, now: Date) async throws {
        let email = EmailAddress.normalize(email)
        try await write { sql in
            try await sql.raw("""
                INSERT INTO attendee_profiles (id, email, first_name, last_name, job_title, company, linkedin_url, ask_me_about,
                    share_email, share_linkedin, created_at, updated_at)
                VALUES (\(bind: UUID()), \(bind: email), \(bind: profile.firstName), \(bind: profile.lastName), \(bind: profile.jobTitle),
                    \(bind: profile.company), \(bind: profile.linkedinURL), \(bind: profile.askMeAbout), \(bind: profile.sharing.email),
                    \(bind: profile.sharing.linkedin), \(bind: now), \(bind: now))
                ON CONFLICT (email) DO UPDATE SET first_name = excluded.first_name, last_name = excluded.last_name,
                    job_title = excluded.job_title, company = excluded.company, linkedin_url = excluded.linkedin_url,
                    ask_me_about = excluded.ask_me_about, share_email = excluded.share_email, share_linkedin = excluded.share_linkedin,
                    updated_at = excluded.updated_at
                """).run()
        }
    }

    /// What each address chose to share with people they accept (default: nothing).
    public func sharing(of emails: [String]) async throws -> [String: ProfileSharing] {
        guard !emails.isEmpty else { return [:] }
        struct Row: Decodable { var email: String; var shareEmail: Bool; var shareLinkedin: Bool; var linkedinUrl: String }
        let list = SQLBind.group(emails.map { EmailAddress.normalize($0) })
        let rows = try await sql.raw("SELECT email, share_email, share_linkedin, linkedin_url FROM attendee_profiles WHERE email IN \(list)").rows(Row.self)
        return Dictionary(rows.map {
            ($0.email, ProfileSharing(choices: SharingChoices(email: $0.shareEmail, linkedin: $0.shareLinkedin), linkedinURL: $0.linkedinUrl.isEmpty ? nil : $0.linkedinUrl))
        }, uniquingKeysWith: { a, _ in a })
    }

    // MARK: Registrations across chapters

    /// Every registration of the address, in every chapter, latest event first.
    public func registrations(email: String) async throws -> [AttendeeRegistration] {
        let email = EmailAddress.normalize(email)
        let rows = try await sql.raw("""
            SELECT \(unsafeRaw: RegistrationRow.columns) FROM registrations r JOIN events e ON e.id = r.event_id
            WHERE LOWER(r.email) = \(bind: email) AND e.status <> 'draft' ORDER BY e.starts_at DESC
            """).rows(RegistrationRow.self)
        struct Came: Decodable { var id: UUID }
        let came = Set(try await sql.raw("""
            SELECT id FROM registrations WHERE LOWER(email) = \(bind: email) AND checked_in_at IS NOT NULL
            """).rows(Came.self).map(\.id))
        var result: [AttendeeRegistration] = []
        for row in rows {
            let registration = row.registration(tokens)
            guard let detail = try await persistence.events.eventDetail(id: registration.eventID) else { continue }
            result.append(AttendeeRegistration(registration: registration, event: detail.event, chapter: detail.chapter, venueName: detail.venue?.name,
                                               came: came.contains(row.id)))
        }
        return result
    }
}
