import Foundation

/// What kind of personal data a stored field holds. Every column a person can fill (and every
/// column of the tables that hold people) declares one; `PrivacyRulesTests` reads the database's
/// columns and fails when one is missing, so a new field cannot slip in unclassified.
public enum PrivacyClass: String, Sendable, CaseIterable {
    /// Who the person is: names.
    case identity
    /// How to reach them: email addresses.
    case contact
    /// What they say about their work: job title, company, LinkedIn.
    case professional
    /// What they write about themselves: "ask me about", bingo facts, answers, quiz nicknames.
    case selfDescription
    /// What others write about them: organisers' notes, the activity log's subjects, block reasons.
    case note
    /// Their choices: consents.
    case consent
    /// Secrets that open links (salts): made useless on anonymisation.
    case secret
    /// Attendance facts kept for insights: status, check-in time, walk-in, source.
    case attendance
    /// Messages sent to them (recipient, body, errors).
    case message
    /// A picture of the person (the optional profile photo).
    case photo
    /// Not personal: identifiers, dates, counters.
    case technical
}

/// Why a field is collected, the legal basis (GDPR art. 6), who sees it.
public enum ProcessingPurpose: String, Sendable, CaseIterable {
    case registration, networking, games, organising, messaging, safety, accountability, insights
}

public enum LegalBasis: String, Sendable, CaseIterable {
    /// Art. 6(1)(b): needed to take part in the meetup the person asked to join.
    case contract
    /// Art. 6(1)(a): the person chose to share it (a consent box, an optional field).
    case consent
    /// Art. 6(1)(f): the network's legitimate interest (safety, accountability, anonymous counts).
    case legitimateInterest
}

public enum Audience: String, Sendable, CaseIterable {
    case person, organisers, doorStaff, attendees, networkAdmins
}

/// What the retention run does to a field of an anonymised registration.
public enum Anonymisation: Sendable, Equatable {
    /// Kept as is (counts, times, statuses).
    case keep
    /// Replaced by an empty text.
    case blank
    /// Replaced by NULL.
    case null
    /// Replaced by false (consents: an anonymous row shares nothing).
    case no
    /// Replaced by a new random salt: every link made from the old one stops working (and the
    /// column's uniqueness holds).
    case newSecret
    /// The whole row is deleted.
    case deleteRow
}

/// One stored field and its privacy rules.
public struct PersonalField: Sendable, Equatable {
    public var table: String
    public var column: String
    public var privacyClass: PrivacyClass
    public var purpose: ProcessingPurpose
    public var basis: LegalBasis
    public var audience: [Audience]
    public var anonymisation: Anonymisation
    /// Whether a person types it (a form field): the retention test seeds a marker in each.
    public var fillable: Bool
    /// Kept when the person erases themselves (the one exception: an incident report's description,
    /// a safety record); the retention run still applies.
    public var keptOnErasure: Bool

    public init(_ table: String, _ column: String, _ privacyClass: PrivacyClass, _ purpose: ProcessingPurpose, _ basis: LegalBasis,
                _ audience: [Audience], _ anonymisation: Anonymisation, fillable: Bool = false, keptOnErasure: Bool = false) {
        self.table = table
        self.column = column
        self.privacyClass = privacyClass
        self.purpose = purpose
        self.basis = basis
        self.audience = audience
        self.anonymisation = anonymisation
        self.fillable = fillable
        self.keptOnErasure = keptOnErasure
    }

    public var isPersonal: Bool { privacyClass != .technical }
}

/// The network's privacy rules as data: the processing register page, the retention run and the
/// tests all read this one list, so they cannot drift apart.
public enum PrivacyRules {
    public static let tablesHoldingPeople = ["registrations", "registration_answers", "quiz_players", "outbox", "audit_log",
                                             "check_ins", "blocked_people", "incident_reports",
                                             "attendee_profiles", "attendee_sign_in_links", "attendee_sessions", "contacts",
                                             "consent_changes", "chapter_audience", "attendee_photos", "feedback"]

    public static let fields: [PersonalField] = {
        let r = "registrations"
        let org: [Audience] = [.person, .organisers]
        let door: [Audience] = [.person, .organisers, .doorStaff]
        return [
            // Registrations: what the form asks.
            .init(r, "first_name", .identity, .registration, .contract, door + [.attendees], .blank, fillable: true),
            .init(r, "last_name", .identity, .registration, .contract, door + [.attendees], .blank, fillable: true),
            .init(r, "email", .contact, .registration, .contract, org, .blank, fillable: true),
            .init(r, "active_email", .contact, .registration, .contract, [.organisers], .null),
            .init(r, "job_title", .professional, .networking, .consent, door + [.attendees], .blank, fillable: true),
            .init(r, "company", .professional, .networking, .consent, door + [.attendees], .blank, fillable: true),
            .init(r, "linkedin_url", .professional, .networking, .consent, org + [.attendees], .blank, fillable: true),
            .init(r, "ask_me_about", .selfDescription, .networking, .consent, org + [.attendees], .blank, fillable: true),
            .init(r, "bingo_facts", .selfDescription, .games, .consent, org + [.attendees], .blank, fillable: true),
            .init(r, "organizer_note", .note, .organising, .legitimateInterest, [.organisers], .blank, fillable: true),
            .init(r, "consent_list", .consent, .networking, .consent, org, .no),
            .init(r, "consent_profile", .consent, .networking, .consent, org, .no),
            .init(r, "games_consent", .consent, .games, .consent, org, .no),
            .init(r, "consent_news", .consent, .messaging, .consent, org, .no),
            .init(r, "manage_token", .secret, .registration, .contract, [.person], .newSecret),
            .init(r, "ticket_token", .secret, .registration, .contract, [.person], .newSecret),
            .init(r, "contact_token", .secret, .networking, .consent, [.person], .newSecret),
            .init(r, "checked_in_by", .identity, .organising, .legitimateInterest, [.organisers, .doorStaff], .blank),
            .init(r, "status", .attendance, .insights, .legitimateInterest, org, .keep),
            .init(r, "checked_in_at", .attendance, .insights, .legitimateInterest, door, .keep),
            .init(r, "walk_in", .attendance, .insights, .legitimateInterest, door, .keep),
            .init(r, "source", .attendance, .insights, .legitimateInterest, [.organisers], .keep),
            .init(r, "language", .attendance, .messaging, .contract, [.organisers], .keep),
            .init(r, "unsubscribed", .consent, .messaging, .consent, org, .keep),
            .init(r, "queue_number", .attendance, .registration, .contract, org, .keep),
            .init(r, "offer_expires_at", .attendance, .registration, .contract, org, .keep),
            .init(r, "cancelled_from", .attendance, .registration, .contract, org, .keep),
            .init(r, "conduct_accepted_at", .consent, .safety, .contract, org, .keep),
            .init(r, "any_date", .consent, .registration, .consent, org, .keep),
            // "How did you hear about us?": optional; organisers see only counts.
            .init(r, "heard_from", .selfDescription, .insights, .consent, org, .null),
            .init(r, "origin_registration_id", .technical, .registration, .contract, [], .keep),
            .init(r, "id", .technical, .registration, .contract, [], .keep),
            .init(r, "event_id", .technical, .registration, .contract, [], .keep),
            .init(r, "created_at", .technical, .registration, .contract, [], .keep),
            .init(r, "updated_at", .technical, .registration, .contract, [], .keep),
            // The organisers' own questions.
            .init("registration_answers", "answer", .selfDescription, .organising, .consent, org, .deleteRow, fillable: true),
            .init("registration_answers", "registration_id", .technical, .organising, .consent, [], .deleteRow),
            .init("registration_answers", "question_id", .technical, .organising, .consent, [], .deleteRow),
            // Quiz nicknames.
            .init("quiz_players", "name", .selfDescription, .games, .consent, [.person, .organisers, .attendees], .blank, fillable: true),
            .init("quiz_players", "team", .selfDescription, .games, .consent, [.person, .organisers, .attendees], .keep),
            .init("quiz_players", "id", .technical, .games, .consent, [], .keep),
            .init("quiz_players", "session_id", .technical, .games, .consent, [], .keep),
            .init("quiz_players", "registration_id", .technical, .games, .consent, [], .keep),
            .init("quiz_players", "joined_ms", .technical, .games, .consent, [], .keep),
            // Copies of the messages sent to them.
            .init("outbox", "recipient", .contact, .messaging, .contract, [.organisers], .blank),
            .init("outbox", "payload", .message, .messaging, .contract, [.organisers], .blank),
            .init("outbox", "last_error", .message, .messaging, .contract, [.organisers], .blank),
            .init("outbox", "subject", .message, .messaging, .contract, [.organisers], .keep),
            // Door log: who admitted them.
            .init("check_ins", "by_name", .identity, .organising, .legitimateInterest, [.organisers, .doorStaff], .blank),
            .init("check_ins", "device", .technical, .organising, .legitimateInterest, [.organisers], .keep),
            // The activity log: who did what to whom.
            .init("audit_log", "user_name", .identity, .accountability, .legitimateInterest, [.organisers, .networkAdmins], .blank),
            .init("audit_log", "subject", .note, .accountability, .legitimateInterest, [.organisers, .networkAdmins], .blank),
            // Blocked people: a keyed hash, never the address.
            .init("blocked_people", "email_hash", .contact, .safety, .legitimateInterest, [.networkAdmins], .keep),
            .init("blocked_people", "reason", .note, .safety, .legitimateInterest, [.networkAdmins], .keep, fillable: true),
            .init("blocked_people", "created_by", .identity, .accountability, .legitimateInterest, [.networkAdmins], .keep),
            // Incident reports: confidential; erased with the meetup's registrations (a block outlives them).
            // The description is kept when its reporter erases themselves: a safety record of what
            // happened, which may concern others (said on the erase page and in the register).
            .init("incident_reports", "description", .note, .safety, .legitimateInterest, [.organisers, .networkAdmins], .blank, fillable: true,
                  keptOnErasure: true),
            .init("incident_reports", "reporter_name", .identity, .safety, .consent, [.organisers, .networkAdmins], .blank, fillable: true),
            .init("incident_reports", "reporter_contact", .contact, .safety, .consent, [.organisers, .networkAdmins], .blank, fillable: true),
            .init("incident_reports", "handling_note", .note, .safety, .legitimateInterest, [.organisers, .networkAdmins], .blank, fillable: true),
            .init("incident_reports", "handled_by", .identity, .accountability, .legitimateInterest, [.organisers, .networkAdmins], .blank),
            // Whose "My data" shows the report: the manage link's registration, or the keyed hash of the
            // signed-in address (never the contact text). Gone when the reporter erases themselves.
            .init("incident_reports", "reporter_registration_id", .identity, .safety, .legitimateInterest, [.person], .null),
            .init("incident_reports", "reporter_email_hash", .contact, .safety, .legitimateInterest, [.person], .null),
            // My Rendezvous: one profile per address (deleted when the person erases themselves).
            .init("attendee_profiles", "email", .contact, .networking, .consent, [.person], .deleteRow),
            .init("attendee_profiles", "first_name", .identity, .networking, .consent, [.person], .deleteRow, fillable: true),
            .init("attendee_profiles", "last_name", .identity, .networking, .consent, [.person], .deleteRow, fillable: true),
            .init("attendee_profiles", "job_title", .professional, .networking, .consent, [.person], .deleteRow, fillable: true),
            .init("attendee_profiles", "company", .professional, .networking, .consent, [.person], .deleteRow, fillable: true),
            .init("attendee_profiles", "linkedin_url", .professional, .networking, .consent, [.person], .deleteRow, fillable: true),
            .init("attendee_profiles", "ask_me_about", .selfDescription, .networking, .consent, [.person], .deleteRow, fillable: true),
            .init("attendee_profiles", "share_email", .consent, .networking, .consent, [.person], .deleteRow),
            .init("attendee_profiles", "share_linkedin", .consent, .networking, .consent, [.person], .deleteRow),
            // The optional profile photo: the person's, shown to people they are connected with.
            .init("attendee_photos", "email", .contact, .networking, .consent, [.person], .deleteRow),
            .init("attendee_photos", "bytes", .photo, .networking, .consent, [.person, .attendees], .deleteRow),
            .init("attendee_photos", "name", .technical, .networking, .consent, [], .deleteRow),
            .init("attendee_photos", "content_type", .technical, .networking, .consent, [], .deleteRow),
            .init("attendee_photos", "width", .technical, .networking, .consent, [], .deleteRow),
            .init("attendee_photos", "height", .technical, .networking, .consent, [], .deleteRow),
            .init("attendee_photos", "created_at", .technical, .networking, .consent, [], .deleteRow),
            .init("attendee_photos", "id", .technical, .networking, .consent, [], .deleteRow),
            // Sign-in links and attendee sessions: deleted once expired.
            .init("attendee_sign_in_links", "email", .contact, .registration, .contract, [.person], .deleteRow),
            .init("attendee_sign_in_links", "token_hash", .secret, .registration, .contract, [], .deleteRow),
            .init("attendee_sign_in_links", "expires_at", .technical, .registration, .contract, [], .deleteRow),
            .init("attendee_sign_in_links", "used_at", .technical, .registration, .contract, [], .deleteRow),
            .init("attendee_sessions", "email", .contact, .registration, .contract, [.person], .deleteRow),
            .init("attendee_sessions", "token_hash", .secret, .registration, .contract, [], .deleteRow),
            .init("attendee_sessions", "csrf_token", .secret, .registration, .contract, [], .deleteRow),
            .init("attendee_sessions", "expires_at", .technical, .registration, .contract, [], .deleteRow),
            // We met: who met whom (both sides consent), and each side's private note.
            .init("contacts", "initiator_registration_id", .attendance, .networking, .consent, [.person], .deleteRow),
            .init("contacts", "recipient_registration_id", .attendance, .networking, .consent, [.person], .deleteRow),
            .init("contacts", "initiator_note", .note, .networking, .consent, [.person], .deleteRow, fillable: true),
            .init("contacts", "recipient_note", .note, .networking, .consent, [.person], .deleteRow, fillable: true),
            .init("contacts", "pair_key", .technical, .networking, .consent, [], .deleteRow),
            .init("contacts", "answered_at", .technical, .networking, .consent, [], .deleteRow),
            .init("contacts", "initiator_followed_at", .technical, .networking, .consent, [], .deleteRow),
            .init("contacts", "recipient_followed_at", .technical, .networking, .consent, [], .deleteRow),
            // Consents changed after registering: which, the new value, where, when.
            .init("consent_changes", "consent", .consent, .accountability, .legitimateInterest, [.person], .deleteRow),
            .init("consent_changes", "given", .consent, .accountability, .legitimateInterest, [.person], .deleteRow),
            .init("consent_changes", "source", .technical, .accountability, .legitimateInterest, [], .deleteRow),
            .init("consent_changes", "changed_at", .technical, .accountability, .legitimateInterest, [], .deleteRow),
            // The evening's two-question feedback: the score stays for insights, the words go.
            .init("feedback", "score", .attendance, .insights, .consent, [.organisers], .keep),
            .init("feedback", "comment", .selfDescription, .insights, .consent, [.organisers], .blank, fillable: true),
            // A chapter's followers (double opt-in) and those who said no more news.
            .init("chapter_audience", "email", .contact, .messaging, .consent, [.organisers], .deleteRow),
            .init("chapter_audience", "language", .attendance, .messaging, .consent, [.organisers], .deleteRow),
            .init("chapter_audience", "salt", .secret, .messaging, .consent, [], .deleteRow),
            .init("chapter_audience", "confirmed_at", .consent, .messaging, .consent, [.organisers], .deleteRow),
            .init("chapter_audience", "unsubscribed_at", .consent, .messaging, .consent, [.organisers], .deleteRow),
        ]
    }()

    /// The rule for a column, or nil when it is not classified.
    public static func field(_ table: String, _ column: String) -> PersonalField? {
        fields.first { $0.table == table && $0.column == column }
    }

    /// Columns a person fills, per table: what a test seeds with a marker.
    public static func fillable(in table: String) -> [String] {
        fields.filter { $0.table == table && $0.fillable }.map(\.column)
    }

    /// Columns that are neither personal nor need a rule: ids, foreign keys, dates, counters.
    /// A column of a people table is fine unclassified only if it is listed here.
    public static let technicalColumns: Set<String> = [
        "id", "event_id", "chapter_id", "registration_id", "created_at", "updated_at", "user_id", "action", "status", "kind",
        "attempts", "next_attempt_at", "claimed_until", "claim", "handled_at", "sent_at", "nonce", "result", "offline", "happened_at", "recorded_at",
            ]

    /// Columns of `table` (as the database lists them) that declare no privacy class.
    public static func unclassified(table: String, columns: [String]) -> [String] {
        columns.filter { field(table, $0) == nil && !technicalColumns.contains($0) }
    }

    /// The one kind of field a person's erasure keeps: an incident report's description.
    public static var keptOnErasure: [PersonalField] { fields.filter(\.keptOnErasure) }

    /// The registrations columns the retention run rewrites, with their new values' kind.
    public static func anonymised(in table: String) -> [PersonalField] {
        fields.filter { $0.table == table && $0.anonymisation != .keep }
    }
}

/// How long the network keeps people's details after an event.
public enum Retention {
    public static let defaultMonths = 24
    public static let allowedMonths = 1...120

    /// Events that ended before this moment are due for anonymisation.
    public static func cutoff(now: Date, months: Int) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(byAdding: .month, value: -months, to: now) ?? now
    }

    /// Reads a typed number of months; nil when out of range or not a number.
    public static func months(from text: String) -> Int? {
        guard let value = Int(text.trimmingCharacters(in: .whitespaces)), allowedMonths.contains(value) else { return nil }
        return value
    }
}
