import Foundation
import RendezvousDomain
import RendezvousPersistence

/// What the public is told of an evening's overbooking (issue 15: "says plainly on the event page
/// how many are expected"). The event page and the event JSON read this one value, and the figure
/// comes from the one domain rule the organisers' workspace uses too
/// (`OverbookingRule.expectedAttendance` over the chapter's forecast for the evening's venue).
struct PublicOverbooking: Encodable, Sendable, Equatable {
    /// The organisers turned overbooking on.
    var enabled: Bool
    /// Seats are confirmed up to this many: the capacity plus the extra seats overbooking gives.
    var seatsConfirmedUpTo: Int
    /// About how many of the confirmed people are expected to come; null when the page says nothing
    /// (overbooking off or giving no extra seat, an evening not public or already over).
    @NullWhenAbsent var expectedAttendance: Int?

    /// Whether the page says it: overbooking on with seats beyond the capacity, public, not over.
    static func isTold(_ event: Event, now: Date) -> Bool {
        event.overbooking && event.overbookSeats > 0 && event.status == .published && now < event.endsAt
    }

    /// The value for `event` with `confirmed` people; `forecast` is read only when it is told.
    static func of(_ event: Event, confirmed: Int, now: Date, forecast: () async throws -> NoShowForecast) async rethrows -> PublicOverbooking {
        let told = isTold(event, now: now)
        return PublicOverbooking(
            enabled: event.overbooking, seatsConfirmedUpTo: event.seatLimit,
            expectedAttendance: told ? OverbookingRule.expectedAttendance(confirmed: confirmed, forecast: try await forecast()) : nil)
    }

    static func of(_ event: Event, confirmed: Int, persistence: Persistence, now: Date) async throws -> PublicOverbooking {
        try await of(event, confirmed: confirmed, now: now) { try await persistence.events.noShowForecast(of: event, now: now) }
    }
}
