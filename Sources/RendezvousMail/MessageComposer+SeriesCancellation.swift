import Foundation
import RendezvousDomain
import RendezvousLocalization
import RendezvousPersistence

/// Mails of an evening cancelled while its second evening is open (issue 15): the "any date"
/// people moved there are told where they now stand; everyone else's cancellation names the
/// other evening (their registration there, an offer of its seat, or where to register).
extension MessageComposer {
    typealias Translate = (String, [String: String]) -> String

    /// For a registration moved from a cancelled original (`originCancelled`): the subject and the
    /// opening paragraph, naming the cancelled date and the new one. Nil when it came from no such place.
    func movedFromCancelled(_ registration: Registration, on event: Event, position: Int?, f: DisplayFormatter,
                            t: Translate) async throws -> (subject: String, paragraph: String)? {
        guard let origin = try await persistence.registrations.origin(of: registration.id),
              let original = try await persistence.events.event(id: origin.eventID) else { return nil }
        var values = ["event": original.title, "originDate": f.longDate(original.startsAt), "date": f.longDate(event.startsAt),
                      "time": f.time(event.startsAt)]
        switch registration.status {
        case .confirmed:
            return (t("mail.movedOnCancel.subject", values), t("mail.movedOnCancel.body", values))
        case .waitlisted:
            values["position"] = f.number(position ?? 1)
            return (t("mail.movedOnCancelWaitlist.subject", values), t("mail.movedOnCancelWaitlist.body", values))
        default:
            return (t("mail.movedOnCancelWaitlist.subject", values), t("mail.movedOnCancelWaitlist.bodyNoPosition", values))
        }
    }

    /// For the cancellation of an original whose second evening is open (published, to come): a
    /// paragraph about that evening and its link, for this person.
    func secondEveningNote(for registration: Registration, cancelled event: Event, f: DisplayFormatter, now: Date,
                           t: Translate) async throws -> (paragraph: String, link: (String, String))? {
        guard event.overflowOf == nil, let second = try await persistence.events.openOverflow(of: event.id, now: now),
              second.status == .published else { return nil }
        let values = ["date": f.longDate(second.startsAt), "time": f.time(second.startsAt)]
        guard let place = try await persistence.registrations.place(at: second.id, for: registration) else {
            return (t("mail.eventCancelled.secondOpen", values), (t("mail.eventCancelled.secondRegister", values), "\(baseURL)/events/\(second.id)"))
        }
        let link = "\(baseURL)/manage/\(place.manageToken)"
        if place.status == .offered, let deadline = place.offerExpiresAt, now < deadline {
            return (t("mail.eventCancelled.secondOffered", values.merging(["deadline": f.dateTime(deadline)]) { $1 }), (t("manage.accept", [:]), link))
        }
        return (t("mail.eventCancelled.secondHeld", values), (t("mail.eventCancelled.secondPage", values), link))
    }
}
