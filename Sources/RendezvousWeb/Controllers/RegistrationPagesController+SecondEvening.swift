import Foundation
import RendezvousDomain
import RendezvousPersistence

extension RegistrationPagesController {
    /// What the manage page says of a seat on a second evening that came from the original's
    /// waitlist: an open offer names the new date; an offer declined, run out or withdrawn (the
    /// evening cancelled) says the place on the original's waitlist is kept, with a link to it.
    /// When the original was cancelled there is no such place: declining gives the seat up.
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
        // The first evening was cancelled (issue 15): there is no place there to fall back on.
        if original.status == .cancelled {
            guard event.status != .cancelled else { return nil } // both cancelled: the evening's own status says it
            if effective == .offered {
                return .init(text: presenter.t("manage.statusOfferedSecondOriginCancelled", [
                    "date": f.longDate(event.startsAt), "time": f.time(event.startsAt),
                    "deadline": f.dateTime(registration.offerExpiresAt ?? now), "originDate": originDate]))
            }
            // Declined (not a seat taken and then given up: that page says so) or run out.
            guard effective == .expired || registration.cancelledFrom == nil else { return nil }
            let key = effective == .expired ? "manage.secondExpiredOriginCancelled" : "manage.secondDeclinedOriginCancelled"
            let open = try await persistence.events.otherOpenDates(of: original.id, now: now).first
            return .init(text: presenter.t(key, ["originDate": originDate]),
                         originURL: open.map { PublicRoute.event($0.id).path },
                         originLabel: open.map { presenter.t("mail.eventCancelled.secondRegister", ["date": f.longDate($0.startsAt)]) })
        }
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

    /// What the manage page says of a registration on an evening the organisers cancelled (issue 15):
    /// the cancellation and its date, then the series' other open evening: their place there (with
    /// its page) or where to register. `keep` is a sentence already saying where they went.
    func cancelledEveningStatus(_ registration: Registration, event: Event, keep: String?, presenter: Presenter,
                                now: Date) async throws -> SecondEveningStatus {
        let persistence = services.persistence
        let f = presenter.formatter
        let cancelled = presenter.t("manage.statusEveningCancelled", ["date": f.longDate(event.startsAt)])
        guard let other = try await persistence.events.otherOpenDates(of: event.id, now: now).first else {
            return .init(text: keep ?? cancelled)
        }
        let values = ["date": f.longDate(other.startsAt), "time": f.time(other.startsAt)]
        guard let place = try await persistence.registrations.place(at: other.id, for: registration) else {
            return .init(text: keep ?? "\(cancelled) \(presenter.t("mail.eventCancelled.secondOpen", values))",
                         originURL: PublicRoute.event(other.id).path, originLabel: presenter.t("mail.eventCancelled.secondRegister", values))
        }
        var sentence = presenter.t("mail.eventCancelled.secondHeld", values)
        if place.status == .offered, let deadline = place.offerExpiresAt, now < deadline {
            sentence = presenter.t("mail.eventCancelled.secondOffered", values.merging(["deadline": f.dateTime(deadline)]) { $1 })
        }
        return .init(text: keep ?? "\(cancelled) \(sentence)", originURL: PublicRoute.manage(token: place.manageToken).path,
                     originLabel: presenter.t("mail.eventCancelled.secondPage", values))
    }
}
