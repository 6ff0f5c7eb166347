import Foundation
import RendezvousDomain
import Testing

/// The privacy rules as data: each field's class, purpose, basis and fate on anonymisation.
@Suite("Privacy rules")
struct PrivacyRulesTests {
    @Test func everyFieldIsDeclaredOnce() {
        let keys = PrivacyRules.fields.map { "\($0.table).\($0.column)" }
        #expect(Set(keys).count == keys.count, "one rule per column")
        for field in PrivacyRules.fields {
            #expect(PrivacyRules.tablesHoldingPeople.contains(field.table), "\(field.table) is listed as holding people")
        }
    }

    @Test func whatPeopleTypeIsPersonalAndGoesAway() {
        // Everything a person types on the registration form is personal, and the retention run
        // removes it; only attendance facts (for counts) are kept.
        let typed = PrivacyRules.fields.filter { $0.fillable && $0.table != "blocked_people" }
        #expect(!typed.isEmpty)
        for field in typed {
            #expect(field.isPersonal, "\(field.table).\(field.column)")
            #expect(field.anonymisation != .keep, "\(field.table).\(field.column) must not survive retention")
        }
        #expect(Set(PrivacyRules.fillable(in: "registrations")) == [
            "first_name", "last_name", "email", "job_title", "company", "linkedin_url", "ask_me_about", "bingo_facts", "organizer_note",
        ])
        #expect(PrivacyRules.field("registration_answers", "answer")?.anonymisation == .deleteRow)
        #expect(PrivacyRules.field("quiz_players", "name")?.anonymisation == .blank)
    }

    @Test func countsCheckInsAndStatusesSurvive() {
        for column in ["status", "checked_in_at", "walk_in", "source", "language"] {
            #expect(PrivacyRules.field("registrations", column)?.anonymisation == .keep, "\(column)")
        }
        // Consents become "no", secrets stop opening anything, the unique email slot frees.
        #expect(PrivacyRules.field("registrations", "consent_list")?.anonymisation == .no)
        #expect(PrivacyRules.field("registrations", "manage_token")?.anonymisation == .newSecret)
        #expect(PrivacyRules.field("registrations", "active_email")?.anonymisation == .null)
        #expect(PrivacyRules.anonymised(in: "registrations").allSatisfy { $0.anonymisation != .keep })
    }

    @Test func unclassifiedColumnsAreFound() {
        #expect(PrivacyRules.unclassified(table: "registrations", columns: ["id", "first_name", "shoe_size"]) == ["shoe_size"])
        #expect(PrivacyRules.unclassified(table: "outbox", columns: ["id", "recipient", "payload", "attempts"]).isEmpty)
    }

    @Test func retentionCountsCalendarMonths() throws {
        let now = try #require(ISO8601DateFormatter().date(from: "2027-03-31T12:00:00Z"))
        let cutoff = Retention.cutoff(now: now, months: 24)
        #expect(ISO8601DateFormatter().string(from: cutoff) == "2025-03-31T12:00:00Z")
        #expect(ISO8601DateFormatter().string(from: Retention.cutoff(now: now, months: 1)) == "2027-02-28T12:00:00Z")
        #expect(Retention.defaultMonths == 24)
        #expect(Retention.months(from: " 12 ") == 12)
        #expect(Retention.months(from: "0") == nil)
        #expect(Retention.months(from: "121") == nil)
        #expect(Retention.months(from: "two") == nil)
    }
}
