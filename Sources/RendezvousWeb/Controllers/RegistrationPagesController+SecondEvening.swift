import Foundation
import RendezvousDomain
import RendezvousPersistence

extension RegistrationPagesController {
    /// What the manage page says of a seat on a second evening that came from the original's
    /// waitlist: an open offer names the new date; an offer declined, run out or withdrawn (the
    /// evening cancelled) says the place on the original's waitlist is kept, with a link to it.
    struct SecondEveningStatus {
        var text: String
        var originURL: String?
        var originLabel: String?
    }

    func secondEveningStatus(_ registration: Registration, effective: RegistrationStatus, event: Event, presenter: Presenter,
                             now: Date) async throws -> SecondEveningStatus? {
        let persistence = services.persistence
        guard let originEvent = event.overflowOf, effective == .offered || effective == .expired || effective == .cancelled,
              let origin = try await persistence.registrations.origin(of: registration.id), origin.eventID == originEvent,
              let original = try await persistence.events.event(id: originEvent) else { return nil }
        let f = presenter.formatter
        let originDate = f.longDate(original.startsAt)
        if effective == .offered {
            return .init(text: presenter.t("manage.statusOfferedSecond", [
                "date": f.longDate(event.startsAt), "time": f.time(event.startsAt),
                "deadline": f.dateTime(registration.offerExpiresAt ?? now), "originDate": originDate]))
        }
        // Only while the place is there to keep (a seat taken on the original says so elsewhere).
        guard origin.status == .waitlisted else { return nil }
        let position = try await persistence.registrations.waitlistPosition(of: origin) ?? 1
        let key = event.status == .cancelled ? "manage.secondCancelledKeep"
            : effective == .expired ? "manage.secondExpiredKeep"
            : "manage.secondDeclinedKeep"
        return .init(text: presenter.t(key, ["date": f.longDate(event.startsAt), "originDate": originDate, "position": f.number(position)]),
                     originURL: PublicRoute.manage(token: origin.manageToken).path,
                     originLabel: presenter.t("manage.originLink", ["originDate": originDate]))
    }
}
