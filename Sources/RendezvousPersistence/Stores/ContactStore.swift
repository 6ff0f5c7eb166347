import Foundation
import RendezvousDomain
import SQLKit

/// "We met": links between two registrations of one evening (see `ContactExchange` for the rules).
/// Every read is from one side: a registration the caller holds (their signed-in address). Nothing
/// here returns the other side's note, or their email before they accepted and chose to share it.
public struct ContactStore: Store { public let persistence: Persistence }

extension Persistence {
    public var contacts: ContactStore { .init(persistence: self) }
}

public enum ContactError: Error, Equatable {
    /// Not two active registrations of the same evening, or the same person.
    case notAllowed
    /// The evening's door admits people, and one of the two was not admitted.
    case notCheckedIn
    case notFound
}

/// One entry of someone's "People I met", as that side may see it.
public struct MetContact: Sendable, Equatable {
    public var id: UUID
    public var eventID: Event.ID
    public var eventTitle: String
    public var eventStartsAt: Date
    public var chapterName: String
    public var side: ContactSide
    public var state: ContactState
    public var name: String
    public var jobTitle: String
    public var company: String
    public var askMeAbout: String?
    public var linkedinURL: String?
    public var email: String?
    /// The viewer's own private note.
    public var note: String
    public var createdAt: Date
    /// The viewer's side marked "I followed up".
    public var followedUp: Bool = false
    /// Their profile photo's name, when they are connected or share their profile on their card.
    public var photo: String? = nil
}

/// Someone on an evening's public attendee list, for "We met" without a scan.
public struct ListedAttendee: Sendable, Equatable {
    public var registrationID: Registration.ID
    public var name: String
    public var jobTitle: String
    public var company: String
    /// The link already there with the viewer, as the viewer sees it.
    public var state: ContactState?
}

extension ContactStore {
    struct LinkRow: Decodable {
        var id: UUID; var eventId: UUID; var initiatorRegistrationId: UUID; var recipientRegistrationId: UUID
        var status: String; var initiatorNote: String; var recipientNote: String; var createdAt: Date
    }

    /// The viewer's active registration for an evening (their address), if any.
    public func registration(of email: String, event: Event.ID) async throws -> Registration? {
        try await sql.raw("""
            SELECT \(unsafeRaw: RegistrationRow.columns) FROM registrations r WHERE r.event_id = \(bind: event.uuid)
              AND LOWER(r.email) = \(bind: EmailAddress.normalize(email)) AND r.status IN ('confirmed', 'waitlisted', 'offered')
            """).row(RegistrationRow.self)?.registration(tokens)
    }

    /// The "We met" cookie of a registration's holder (set when they open their manage page).
    public func holderToken(of registration: Registration.ID) async throws -> String? {
        try await persistence.registrations.ensureToken(.holder, of: registration)
    }

    /// The active registration a "We met" cookie names, if it is its current one.
    public func holder(cookieToken: String) async throws -> Registration? {
        guard let registration = try await persistence.registrations.registration(token: cookieToken, .holder),
              registration.status.isActive else { return nil }
        return registration
    }

    /// `me` says they met `other`: starts a link, accepts one the other started, or changes nothing.
    /// A note, if given, is the tapper's own.
    @discardableResult
    public func weMet(me: Registration.ID, other: Registration.ID, note: String, now: Date) async throws -> WeMetOutcome {
        try await write { sql in
            struct Reg: Decodable { var id: UUID; var eventId: UUID; var chapterId: UUID; var email: String; var status: String; var checkedInAt: Date? }
            let regs = try await sql.raw("""
                SELECT r.id, r.event_id, e.chapter_id, r.email, r.status, r.checked_in_at FROM registrations r JOIN events e ON e.id = r.event_id
                WHERE r.id IN \(SQLBind.group([me.uuid, other.uuid]))
                """).rows(Reg.self)
            guard let mine = regs.first(where: { $0.id == me.uuid }), let theirs = regs.first(where: { $0.id == other.uuid }) else { throw ContactError.notAllowed }
            let active: Set<String> = ["confirmed", "waitlisted", "offered"]
            guard ContactExchange.mayMeet(sameEvent: mine.eventId == theirs.eventId, bothActive: active.contains(mine.status) && active.contains(theirs.status),
                                          sameEmail: EmailAddress.normalize(mine.email) == EmailAddress.normalize(theirs.email)) else { throw ContactError.notAllowed }
            // Whether the door admits people matters only when one of the two has not come.
            let bothCame = mine.checkedInAt != nil && theirs.checkedInAt != nil
            let doorUsed = bothCame ? false : try await Self.doorUsed(event: mine.eventId, on: sql)
            guard ContactExchange.mayMeet(sameEvent: true, bothActive: true, sameEmail: false, doorUsed: doorUsed, bothCame: bothCame) else {
                throw ContactError.notCheckedIn
            }
            let key = ContactExchange.pairKey(me.uuid, other.uuid)
            // Under the pair's lock (not the evening's: taps do not queue behind registrations and
            // the door): two people tapping each other at once find each other's link (one starts
            // it, the other accepts it) instead of both starting one.
            try await persistence.lock("contact:" + key, on: sql)
            let existing = try await sql.raw("""
                SELECT id, event_id, initiator_registration_id, recipient_registration_id, status, initiator_note, recipient_note, created_at
                FROM contacts WHERE pair_key = \(bind: key)
                """).row(LinkRow.self)
            let side: ContactSide? = existing.map { $0.initiatorRegistrationId == me.uuid ? .initiator : .recipient }
            let outcome = ContactExchange.weMet(existing: existing.flatMap { ContactStatus(rawValue: $0.status) }, tapper: side)
            let note = String(note.trimmingCharacters(in: .whitespacesAndNewlines).prefix(ContactExchange.noteMaxLength))
            switch outcome {
            case .start:
                try await sql.raw("""
                    INSERT INTO contacts (id, event_id, chapter_id, initiator_registration_id, recipient_registration_id, pair_key, status,
                        initiator_note, recipient_note, created_at)
                    VALUES (\(bind: UUID()), \(bind: mine.eventId), \(bind: mine.chapterId), \(bind: me.uuid), \(bind: other.uuid), \(bind: key),
                        'pending', \(bind: note), '', \(bind: now))
                    ON CONFLICT (pair_key) DO NOTHING
                    """).run()
                try await EveningStatsStore.invalidate(event: mine.eventId, on: sql)
            case .accept:
                try await sql.raw("""
                    UPDATE contacts SET status = 'accepted', answered_at = \(bind: now) WHERE pair_key = \(bind: key)
                    """).run()
                try await EveningStatsStore.invalidate(event: mine.eventId, on: sql)
                if !note.isEmpty, let side { try await setNote(key: key, side: side, note: note, on: sql) }
            case .unchanged:
                if !note.isEmpty, let side { try await setNote(key: key, side: side, note: note, on: sql) }
            }
            return outcome
        }
    }

    private func setNote(key: String, side: ContactSide, note: String, on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            UPDATE contacts SET \(unsafeRaw: ContactExchange.noteColumn(for: side)) = \(bind: note) WHERE pair_key = \(bind: key)
            """).run()
    }

    /// The link `id` from the side of one of `mine` (the viewer's registrations), or nil.
    func link(_ id: UUID, mine: [Registration.ID], on sql: any SQLDatabase) async throws -> (LinkRow, ContactSide)? {
        guard !mine.isEmpty, let row = try await sql.raw("""
            SELECT id, event_id, initiator_registration_id, recipient_registration_id, status, initiator_note, recipient_note, created_at
            FROM contacts WHERE id = \(bind: id)
            """).row(LinkRow.self) else { return nil }
        let ids = Set(mine.map(\.uuid))
        if ids.contains(row.initiatorRegistrationId) { return (row, .initiator) }
        if ids.contains(row.recipientRegistrationId) { return (row, .recipient) }
        return nil
    }

    /// The recipient accepts or declines "X says you met".
    public func answer(_ id: UUID, mine: [Registration.ID], accept: Bool, now: Date) async throws {
        try await write { sql in
            guard let (row, side) = try await link(id, mine: mine, on: sql), let status = ContactStatus(rawValue: row.status),
                  ContactExchange.canAnswer(status, side: side) else { throw ContactError.notFound }
            // Only from the state this answer was decided on: an accept and a decline at once do not both count.
            let moved = try await sql.raw("""
                UPDATE contacts SET status = \(bind: accept ? "accepted" : "declined"), answered_at = \(bind: now)
                WHERE id = \(bind: id) AND status = \(bind: row.status) RETURNING id
                """).all()
            guard !moved.isEmpty else { throw ContactError.notFound }
            try await EveningStatsStore.invalidate(event: row.eventId, on: sql)
        }
    }

    /// Either side removes the link (and both notes with it).
    public func remove(_ id: UUID, mine: [Registration.ID]) async throws {
        try await write { sql in
            guard let (row, _) = try await link(id, mine: mine, on: sql) else { throw ContactError.notFound }
            try await sql.raw("DELETE FROM contacts WHERE id = \(bind: id)").run()
            try await EveningStatsStore.invalidate(event: row.eventId, on: sql)
        }
    }

    /// The viewer's own note on a link.
    public func setNote(_ id: UUID, mine: [Registration.ID], note: String) async throws {
        try await write { sql in
            guard let (_, side) = try await link(id, mine: mine, on: sql) else { throw ContactError.notFound }
            let note = String(note.trimmingCharacters(in: .whitespacesAndNewlines).prefix(ContactExchange.noteMaxLength))
            try await sql.raw("UPDATE contacts SET \(unsafeRaw: ContactExchange.noteColumn(for: side)) = \(bind: note) WHERE id = \(bind: id)").run()
        }
    }

    /// "People I met" of the registrations `mine` (one address), newest evening first, each as the
    /// viewer may see it.
    public func people(mine: [Registration.ID]) async throws -> [MetContact] {
        guard !mine.isEmpty else { return [] }
        let ids = mine.map(\.uuid)
        struct Row: Decodable {
            var id: UUID; var eventId: UUID; var initiatorRegistrationId: UUID; var recipientRegistrationId: UUID
            var status: String; var initiatorNote: String; var recipientNote: String; var createdAt: Date
            var initiatorFollowedAt: Date?; var recipientFollowedAt: Date?
            var eventTitle: String; var eventStartsAt: Date; var chapterName: String
        }
        // The evening's title, date and chapter come with the links: one query, not one per evening.
        let rows = try await sql.raw("""
            SELECT k.id, k.event_id, k.initiator_registration_id, k.recipient_registration_id, k.status, k.initiator_note, k.recipient_note,
                   k.created_at, k.initiator_followed_at, k.recipient_followed_at, e.title AS event_title, e.starts_at AS event_starts_at,
                   c.name AS chapter_name
            FROM contacts k JOIN events e ON e.id = k.event_id JOIN chapters c ON c.id = e.chapter_id
            WHERE k.initiator_registration_id IN \(SQLBind.group(ids)) OR k.recipient_registration_id IN \(SQLBind.group(ids))
            ORDER BY k.created_at DESC
            """).rows(Row.self)
        let mineSet = Set(ids)
        var others: [UUID: Registration] = [:]
        let otherIDs = rows.map { mineSet.contains($0.initiatorRegistrationId) ? $0.recipientRegistrationId : $0.initiatorRegistrationId }
        if !otherIDs.isEmpty {
            for row in try await sql.raw("SELECT \(unsafeRaw: RegistrationRow.columns) FROM registrations r WHERE r.id IN \(SQLBind.group(otherIDs))")
                .rows(RegistrationRow.self) {
                others[row.id] = row.registration(tokens)
            }
        }
        let emails = others.values.map(\.profile.email)
        let profiles = try await persistence.attendees.sharing(of: emails)
        let photos = try await persistence.attendeePhotos.photos(of: emails)
        var result: [MetContact] = []
        for row in rows {
            let side: ContactSide = mineSet.contains(row.initiatorRegistrationId) ? .initiator : .recipient
            guard let status = ContactStatus(rawValue: row.status), let state = ContactExchange.state(status, side: side),
                  let other = others[side == .initiator ? row.recipientRegistrationId : row.initiatorRegistrationId] else { continue }
            let p = other.profile
            // Someone the network has forgotten (an anonymised registration) is no longer shown.
            guard !(p.firstName + p.lastName).isEmpty else { continue }
            let profile = profiles[p.normalizedEmail]
            let visible = ContactExchange.visibility(status: status, cardSharing: p.consents.profileSharing, choices: profile?.choices ?? SharingChoices())
            // Shared from their profile with the people they accepted: the profile's address (kept
            // up to date), else the one of their registration.
            let profileLinkedIn = status == .accepted && profile?.choices.linkedin == true ? profile?.linkedinURL : nil
            result.append(MetContact(
                id: row.id, eventID: .init(row.eventId), eventTitle: row.eventTitle, eventStartsAt: row.eventStartsAt, chapterName: row.chapterName,
                side: side, state: state, name: "\(p.firstName) \(p.lastName)", jobTitle: p.jobTitle, company: p.company,
                askMeAbout: visible.askMeAbout ? p.askMeAbout.nilIfEmptyValue : nil,
                linkedinURL: visible.linkedin ? profileLinkedIn ?? p.linkedinURL.nilIfEmptyValue : nil,
                email: visible.email ? p.email.nilIfEmptyValue : nil,
                note: side == .initiator ? row.initiatorNote : row.recipientNote, createdAt: row.createdAt,
                followedUp: (side == .initiator ? row.initiatorFollowedAt : row.recipientFollowedAt) != nil,
                photo: status == .accepted || p.consents.profileSharing ? photos[p.normalizedEmail] : nil))
        }
        return result
    }

    /// The link between the viewer's registration and another, as the viewer sees it.
    public func state(me: Registration.ID, other: Registration.ID) async throws -> ContactState? {
        guard let row = try await sql.raw("""
            SELECT id, event_id, initiator_registration_id, recipient_registration_id, status, initiator_note, recipient_note, created_at
            FROM contacts WHERE pair_key = \(bind: ContactExchange.pairKey(me.uuid, other.uuid))
            """).row(LinkRow.self), let status = ContactStatus(rawValue: row.status) else { return nil }
        return ContactExchange.state(status, side: row.initiatorRegistrationId == me.uuid ? .initiator : .recipient)
    }

    /// Whether the evening's door has admitted anyone (then only those it admitted can meet).
    static func doorUsed(event: UUID, on sql: any SQLDatabase) async throws -> Bool {
        struct Row: Decodable { var one: Int }
        return try await sql.raw("""
            SELECT 1 AS one FROM registrations WHERE event_id = \(bind: event) AND checked_in_at IS NOT NULL LIMIT 1
            """).row(Row.self) != nil
    }

    /// Whether `registration` may say "We met" at its evening now: always before the door opens,
    /// and once it has admitted anyone, only if it admitted them.
    public func mayMeetHere(_ registration: Registration.ID, event: Event.ID) async throws -> Bool {
        guard try await Self.doorUsed(event: event.uuid, on: sql) else { return true }
        struct Row: Decodable { var checkedInAt: Date? }
        return try await sql.raw("SELECT checked_in_at FROM registrations WHERE id = \(bind: registration.uuid)").row(Row.self)?.checkedInAt != nil
    }

    /// The evening's attendees who chose to be listed (confirmed; once the door admits people,
    /// those it admitted), without the viewer, each with the link already there with the viewer.
    public func listed(event: Event.ID, me: Registration.ID) async throws -> [ListedAttendee] {
        let cameOnly = try await Self.doorUsed(event: event.uuid, on: sql)
        let rows = try await sql.raw("""
            SELECT \(unsafeRaw: RegistrationRow.columns) FROM registrations r WHERE r.event_id = \(bind: event.uuid) AND r.status = 'confirmed'
              AND r.consent_list = \(bind: true) AND r.id <> \(bind: me.uuid) \(unsafeRaw: cameOnly ? "AND r.checked_in_at IS NOT NULL" : "")
            ORDER BY r.first_name, r.last_name
            """).rows(RegistrationRow.self)
        let links = try await sql.raw("""
            SELECT id, event_id, initiator_registration_id, recipient_registration_id, status, initiator_note, recipient_note, created_at
            FROM contacts WHERE event_id = \(bind: event.uuid)
              AND (initiator_registration_id = \(bind: me.uuid) OR recipient_registration_id = \(bind: me.uuid))
            """).rows(LinkRow.self)
        var states: [UUID: ContactState] = [:]
        for link in links {
            let side: ContactSide = link.initiatorRegistrationId == me.uuid ? .initiator : .recipient
            let other = side == .initiator ? link.recipientRegistrationId : link.initiatorRegistrationId
            if let status = ContactStatus(rawValue: link.status) { states[other] = ContactExchange.state(status, side: side) }
        }
        return rows.map { row in
            ListedAttendee(registrationID: .init(row.id), name: "\(row.firstName) \(row.lastName)", jobTitle: row.jobTitle, company: row.company,
                           state: states[row.id])
        }
    }

    /// Whether a registration is on its evening's public list (confirmed and consenting).
    public func isListed(_ registration: Registration.ID, event: Event.ID) async throws -> Bool {
        try await sql.raw("""
            SELECT COUNT(*) AS count FROM registrations WHERE id = \(bind: registration.uuid) AND event_id = \(bind: event.uuid)
              AND status = 'confirmed' AND consent_list = \(bind: true)
            """).row(CountRow.self)?.count ?? 0 > 0
    }
}

extension String {
    var nilIfEmptyValue: String? { isEmpty ? nil : self }
}
