import Foundation
import HTTPTypes
import Hummingbird
import RendezvousDomain
import RendezvousPersistence

/// Demand and attendance over JSON (issue 15), for organisers (bearer token): the waitlist and
/// second evenings, the no-show forecast with its confidence, overbooking, and the friendly
/// "tell us if you can't come" note. Never anyone's own attendance record.
extension APIController {
    struct ForecastJSON: Encodable {
        var events: Int
        var confirmed: Int
        var noShows: Int
        var rate: Double
        var low: Double
        var high: Double
        var confidence: String
        var sameVenue: Bool
        var venueChanged: Bool
        var overbookingRate: Double
    }
    struct OverflowJSON: Encodable {
        var id: String
        var startsAt: String
        var capacity: Int
        var offered: Int
        var accepted: Int
        var moved: Int
        var declined: Int
        /// Still to come and not cancelled: the one open second evening (no other can be opened).
        var open: Bool
    }
    struct OverbookingJSON: Encodable {
        var enabled: Bool
        var capacity: Int
        var extraSeats: Int
        var seatLimit: Int
        var venueLimit: Int?
        /// What the rule would allow now, from today's forecast.
        var allowedExtraSeats: Int
    }
    struct DemandJSON: Encodable {
        var waitlisted: Int
        var threshold: Int
        var suggestsOverflow: Bool
        var overflowOf: String?
        var overflows: [OverflowJSON]
        var forecast: ForecastJSON
        var expectedAttendance: Int?
        var overbooking: OverbookingJSON
        var repeatedNoShows: Int
        var attendanceChecksSent: Int
    }
    struct OverflowCreatedJSON: Encodable { var event: API.EventJSON; var offered: Int; var moved: Int }
    struct OverbookingBody: Decodable { var enabled: Bool?; var venueLimit: Int? }
    struct AttendanceChecksJSON: Encodable { var queued: Int }

    func demandJSON(_ event: Event, _ chapter: Chapter) async throws -> DemandJSON {
        let persistence = services.persistence
        let now = services.clock.now()
        let occupancy = try await persistence.events.occupancy(of: event)
        let threshold = try await persistence.chapters.waitlistThreshold(of: chapter.id)
        var overflows: [OverflowJSON] = []
        for sibling in try await persistence.events.overflowEvents(of: event.id) {
            let status = try await persistence.events.overflowStatus(of: sibling.id)
            overflows.append(OverflowJSON(id: sibling.id.description, startsAt: ISO8601.format(sibling.startsAt), capacity: sibling.capacity,
                                          offered: status.offered, accepted: status.accepted, moved: status.moved, declined: status.declined,
                                          open: now < sibling.startsAt))
        }
        let forecast = try await persistence.events.noShowForecast(of: event, now: now)
        let checks = now < event.startsAt ? try await persistence.door.attendanceCheckCandidates(of: event.id, now: now) : (0, 0)
        return DemandJSON(
            waitlisted: occupancy.waitlisted, threshold: threshold,
            suggestsOverflow: event.overflowOf == nil && !overflows.contains { $0.open } && OverflowRules.suggestsOverflow(waiting: occupancy.waitlisted, threshold: threshold,
                                                                                         published: event.status == .published, startsAt: event.startsAt, now: now),
            overflowOf: event.overflowOf?.description, overflows: overflows,
            forecast: ForecastJSON(events: forecast.events, confirmed: forecast.confirmed, noShows: forecast.noShows, rate: forecast.rate,
                                   low: forecast.low, high: forecast.high, confidence: forecast.confidence.rawValue, sameVenue: forecast.sameVenue,
                                   venueChanged: forecast.venueChanged, overbookingRate: forecast.overbookingRate),
            expectedAttendance: forecast.confidence > .none ? OverbookingRule.expectedAttendance(confirmed: occupancy.confirmed, forecast: forecast) : nil,
            overbooking: OverbookingJSON(enabled: event.overbooking, capacity: event.capacity, extraSeats: event.overbookSeats,
                                         seatLimit: event.seatLimit, venueLimit: event.venueLimit,
                                         allowedExtraSeats: OverbookingRule.extraSeats(capacity: event.capacity, forecast: forecast, venueLimit: event.venueLimit)),
            repeatedNoShows: checks.0, attendanceChecksSent: checks.1)
    }

    @Sendable func showDemand(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (event, chapter) = try await organizedEvent(context)
        return JSONBody.response(status: .ok, try await demandJSON(event, chapter))
    }

    /// Opens a second evening from the event's waitlist: 201 with the new event and what was offered.
    @Sendable func createOverflow(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (event, chapter) = try await organizedEvent(context)
        var input = try await Self.decode(EventInput.self, from: request, context: context)
        input.status = .published
        let now = services.clock.now()
        guard event.status == .published, event.overflowOf == nil, now < event.startsAt else { throw AppError.conflict(messageKey: "demand.api.notOpen") }
        // As on the web form: a second evening is still to come.
        let inThePast = input.startsAt.flatMap(ISO8601.parse).map { $0 <= now } ?? false
        switch input.validated() {
        case .failure(var errors):
            if inThePast, errors["startsAt"] == nil { errors.add("startsAt", .inThePast) }
            throw AppError.validation(errors)
        case .success where inThePast:
            throw AppError.validation(ValidationErrors([("startsAt", .inThePast)]))
        case .success(let valid):
            let sibling: Event, opening: OverflowOpening
            do {
                (sibling, opening) = try await services.persistence.events.createOverflow(of: event.id, valid, now: now)
            } catch OverflowError.alreadyOpen {
                throw AppError.conflict(messageKey: "demand.api.overflowExists")
            }
            try await services.persistence.team.audit(chapter: chapter.id, by: try requireUser(context), action: "event.overflow",
                                                      subject: "\(event.title) → \(sibling.id): \(opening.offered) offered, \(opening.moved) moved", now: now)
            services.eventChanged(event.id, chapterSlug: chapter.slug)
            services.eventChanged(sibling.id, chapterSlug: chapter.slug)
            guard let detail = try await services.persistence.events.eventDetail(id: sibling.id) else { throw AppError.notFound }
            return JSONBody.response(status: .created, OverflowCreatedJSON(event: try await eventJSON(detail), offered: opening.offered, moved: opening.moved),
                                     headers: [.location: services.absoluteURL(PublicRoute.event(sibling.id))])
        }
    }

    /// Turns overbooking on (`enabled`, with `venueLimit`, the room's physical limit) or off.
    @Sendable func setOverbooking(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (event, chapter) = try await organizedEvent(context)
        let body = try await Self.decode(OverbookingBody.self, from: request, context: context)
        let enable = body.enabled ?? false
        let now = services.clock.now()
        let limits = OverbookingRule.venueLimits(capacity: event.capacity)
        if let limit = body.venueLimit, !limits.contains(limit) {
            throw AppError.validation(ValidationErrors([("venueLimit", .outOfRange(min: limits.lowerBound, max: limits.upperBound))]))
        }
        if enable, body.venueLimit == nil { throw AppError.validation(ValidationErrors([("venueLimit", .required)])) }
        let updated: Event
        switch try await services.persistence.events.setOverbooking(event, enabled: enable, venueLimit: body.venueLimit, now: now) {
        case .set(let event): updated = event
        case .noForecast: throw AppError.conflict(messageKey: "demand.overbookingNoForecast")
        case .belowConfirmed(let confirmed):
            throw AppError.validation(ValidationErrors([("venueLimit", .outOfRange(min: confirmed, max: limits.upperBound))]))
        }
        try await services.persistence.team.audit(chapter: chapter.id, by: try requireUser(context), action: "event.overbooking",
                                                  subject: "\(event.title): \(updated.capacity) + \(updated.overbookSeats)", now: now)
        services.eventChanged(event.id, chapterSlug: chapter.slug)
        guard let fresh = try await services.persistence.events.event(id: event.id) else { throw AppError.notFound }
        return JSONBody.response(status: .ok, try await demandJSON(fresh, chapter))
    }

    /// Queues the friendly note to confirmed people who missed two evenings before (once each).
    @Sendable func sendAttendanceChecks(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (event, chapter) = try await organizedEvent(context)
        let sent = try await services.persistence.door.sendAttendanceChecks(of: event.id, now: services.clock.now())
        try await services.persistence.team.audit(chapter: chapter.id, by: try requireUser(context), action: "event.attendanceCheck",
                                                  subject: "\(event.title): \(sent)", now: services.clock.now())
        return JSONBody.response(status: .accepted, AttendanceChecksJSON(queued: sent))
    }
}
