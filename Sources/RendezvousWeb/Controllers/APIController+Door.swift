import Foundation
import HTTPTypes
import Hummingbird
import RendezvousBadges
import RendezvousDomain
import RendezvousLocalization
import RendezvousPersistence

/// The door, attendance and badges over JSON, with the same rules as the door page: one
/// implementation (`DoorDesk`, `BadgesController.print`), so a check-in through the API is refused
/// outside the door's hours, a ticket of another evening is refused, a retried nonce gets the first
/// answer back, and five phones scanning one ticket admit it once. Door staff of the chapter may use
/// the door and print one person's label; the rest is for its organisers. Another chapter's
/// evening is a 404, as everywhere in the API.
///
/// Like the door page these calls are not rate-limited: a door on one Wi-Fi admits a hundred people
/// in minutes, every call carries a staff member's token, and tickets (128-bit HMACs) cannot be guessed.
extension APIController {
    struct DoorWindowJSON: Encodable { var hours: Double; var opensAt: Date; var closesAt: Date; var open: Bool }
    struct DoorConflictJSON: Encodable { var name: String; var device: String; var by: String; var at: Date }
    struct DoorJSON: Encodable {
        var eventId: String
        var title: String
        var startsAt: Date
        var endsAt: Date
        var checkedIn: Int
        var expected: Int
        var walkIns: Int
        var capacity: Int
        /// The seats that can be confirmed: the capacity plus overbooked extra seats.
        var seatLimit: Int
        var overCapacity: Bool
        var window: DoorWindowJSON
        var conflicts: [DoorConflictJSON]
    }
    /// The optional keys are written `null` when absent, as the document says.
    struct DoorPersonJSON: Encodable {
        var id: String
        var firstName: String
        var lastName: String
        var jobTitle: String
        var company: String
        var status: String
        var walkIn: Bool
        @NullWhenAbsent var checkedInAt: Date?
        @NullWhenAbsent var checkedInBy: String?
        var ticketHash: String

        init(_ person: DoorAttendee) {
            id = person.id; firstName = person.firstName; lastName = person.lastName; jobTitle = person.jobTitle; company = person.company
            status = person.status.rawValue; walkIn = person.walkIn; checkedInAt = person.checkedInAt; checkedInBy = person.checkedInBy; ticketHash = person.ticketHash
        }
    }
    struct CheckInJSON: Encodable {
        var result: String
        /// What the door page shows, in the caller's language.
        var message: String
        var detail: String
        var registrationId: String?
        var firstName: String?
        var lastName: String?
        var status: String?
        var checkedInAt: Date?
        var checkedInBy: String?
        var conflict: Bool
    }
    struct CheckInBody: Decodable { var ticket: String?; var registrationId: String?; var nonce: String?; var device: String?; var at: Date?; var offline: Bool? }
    struct UndoBody: Decodable { var registrationId: String?; var nonce: String?; var device: String? }
    struct WalkInBody: Decodable { var firstName: String?; var lastName: String?; var jobTitle: String?; var company: String?; var email: String? }
    struct WindowBody: Decodable {
        var hours: Int?
        enum CodingKeys: String, CodingKey { case hours }
        /// `hours` must be there (null for no window): an empty object is refused, not read as "no window".
        init(from decoder: any Decoder) throws {
            hours = try decoder.container(keyedBy: CodingKeys.self).decode(Int?.self, forKey: .hours)
        }
    }
    struct AttendanceEntryJSON: Encodable {
        var registrationId: String
        var firstName: String
        var lastName: String
        var jobTitle: String
        var company: String
        var walkIn: Bool
        var came: Bool
        @NullWhenAbsent var checkedInAt: Date?
        @NullWhenAbsent var checkedInBy: String?

        init(_ person: DoorAttendee) {
            registrationId = person.id; firstName = person.firstName; lastName = person.lastName; jobTitle = person.jobTitle; company = person.company
            walkIn = person.walkIn; came = person.checkedInAt != nil; checkedInAt = person.checkedInAt; checkedInBy = person.checkedInBy
        }
    }
    struct AttendanceJSON: Encodable {
        var expected: Int
        var came: Int
        var showed: Int
        var walkIns: Int
        var noShows: Int
        @NullWhenAbsent var noShowRate: Double?
        var items: [AttendanceEntryJSON]
    }
    struct AttendanceBody: Decodable { var came: Bool? }

    var desk: DoorDesk { DoorDesk(services: services) }

    /// The evening, if the caller may work its door (door staff or organiser of its chapter); 404 otherwise.
    func doorEvent(_ context: AppRequestContext) async throws -> (EventDetail, User) {
        let user = try requireUser(context)
        guard let id = context.parameters.get("id").flatMap(Event.ID.init(string:)),
              let detail = try await services.persistence.events.eventDetail(id: id), user.mayCheckIn(detail.chapter.id) else { throw AppError.notFound }
        return (detail, user)
    }

    /// The evening, if the caller organises its chapter; 404 otherwise.
    func organizedDetail(_ context: AppRequestContext) async throws -> (EventDetail, User) {
        let (detail, user) = try await doorEvent(context)
        guard user.mayOrganize(detail.chapter.id) else { throw AppError.notFound }
        return (detail, user)
    }

    func checkInJSON(_ outcome: CheckInOutcome, detail: EventDetail, context: AppRequestContext) -> CheckInJSON {
        let described = DoorController(services: services).describe(outcome, detail: detail, context: context)
        return CheckInJSON(result: outcome.result.rawValue, message: described.title, detail: described.detail, registrationId: outcome.registrationID,
                           firstName: outcome.firstName, lastName: outcome.lastName, status: outcome.status?.rawValue,
                           checkedInAt: outcome.checkedInAt, checkedInBy: outcome.checkedInBy, conflict: outcome.conflict)
    }

    func doorJSON(_ detail: EventDetail) async throws -> DoorJSON {
        let state = try await services.persistence.door.doorState(of: detail.event.id)
        let hours = try await desk.windowHours(detail.event)
        let window = DoorDesk.window(detail.event, hours: hours)
        return DoorJSON(eventId: detail.event.id.description, title: detail.event.title, startsAt: detail.event.startsAt, endsAt: detail.event.endsAt,
                        checkedIn: state.checkedIn, expected: state.expected, walkIns: state.walkIns, capacity: state.capacity,
                        seatLimit: state.seatLimit, overCapacity: state.isOverCapacity,
                        window: DoorWindowJSON(hours: hours, opensAt: window.opens, closesAt: window.closes,
                                                       open: DoorDesk.withinWindow(detail.event, hours: hours, at: services.clock.now())),
                        conflicts: state.conflicts.map { DoorConflictJSON(name: $0.name, device: $0.device, by: $0.by, at: $0.at) })
    }

    // MARK: The door

    @Sendable func showDoor(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (detail, _) = try await doorEvent(context)
        return JSONBody.response(status: .ok, try await doorJSON(detail))
    }

    /// Everyone the door may meet (with each ticket's hash, to recognise a scan offline), or those
    /// matching `q` (every word, in the name or company, accents and case aside).
    @Sendable func listDoorPeople(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (detail, _) = try await doorEvent(context)
        let query = request.uri.queryParameters.get("q").map { String($0) } ?? ""
        guard query.unicodeScalars.count <= 200 else { throw AppError.validation(ValidationErrors([("q", .tooLong(max: 200))])) }
        let people = DoorDesk.search(try await services.persistence.door.doorList(of: detail.event.id), query: query)
        return JSONBody.response(status: .ok, API.ListResponse(items: people.map(DoorPersonJSON.init)))
    }

    @Sendable func doorCheckIn(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (detail, user) = try await doorEvent(context)
        let body = try await Self.decode(CheckInBody.self, from: request, context: context)
        // An id that is not one, or a ticket empty or over 500 characters, is refused, not passed over for the other.
        if let id = body.registrationId, Registration.ID(string: id) == nil {
            throw AppError.validation(ValidationErrors([("registrationId", .format(example: "0f8fad5b-d9cb-469f-a165-70867728950e"))]))
        }
        if let ticket = body.ticket, ticket.isEmpty || ticket.unicodeScalars.count > 500 {
            throw AppError.validation(ValidationErrors([("ticket", ticket.isEmpty ? .required : .tooLong(max: 500))]))
        }
        let outcome = try await desk.checkIn(detail.event, target: try DoorDesk.target(registrationId: body.registrationId, ticket: body.ticket), nonce: body.nonce,
                                             device: try Self.apiDevice(body.device), by: user.name, at: body.at, offline: body.offline)
        return JSONBody.response(status: .ok, checkInJSON(outcome, detail: detail, context: context))
    }

    /// The phone's name as sent: longer than the document's 64 characters is refused, not cut.
    static func apiDevice(_ sent: String?) throws -> String {
        if let sent, sent.unicodeScalars.count > 64 { throw AppError.validation(ValidationErrors([("device", .tooLong(max: 64))])) }
        return DoorDesk.device(sent, default: "api")
    }

    @Sendable func doorUndo(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (detail, user) = try await doorEvent(context)
        let body = try await Self.decode(UndoBody.self, from: request, context: context)
        let outcome = try await desk.undo(detail.event, registrationId: body.registrationId, nonce: body.nonce, device: try Self.apiDevice(body.device), by: user.name)
        return JSONBody.response(status: .ok, checkInJSON(outcome, detail: detail, context: context))
    }

    @Sendable func doorWalkIn(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (detail, user) = try await doorEvent(context)
        let body = try await Self.decode(WalkInBody.self, from: request, context: context)
        let outcome = try await desk.walkIn(detail, firstName: body.firstName, lastName: body.lastName, jobTitle: body.jobTitle, company: body.company,
                                            email: body.email, by: user.name)
        return JSONBody.response(status: outcome.result == .admitted ? .created : .ok, checkInJSON(outcome, detail: detail, context: context))
    }

    /// Organisers widen (or narrow back) the hours around the evening during which the door admits;
    /// `null` goes back to the deployment's.
    @Sendable func setDoorWindow(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (detail, user) = try await organizedDetail(context)
        let body = try await Self.decode(WindowBody.self, from: request, context: context)
        if let hours = body.hours, !DoorDesk.windowChoices.contains(hours) {
            throw AppError.validation(ValidationErrors([("hours", .notAChoice)]))
        }
        try await desk.setWindow(detail, hours: body.hours, by: user)
        return JSONBody.response(status: .ok, try await doorJSON(detail))
    }

    // MARK: Attendance

    func attendanceJSON(_ detail: EventDetail) async throws -> AttendanceJSON {
        let people = try await services.persistence.door.doorList(of: detail.event.id).filter { $0.status == .confirmed }
        let expected = people.filter { !$0.walkIn }.count
        let showed = people.filter { !$0.walkIn && $0.checkedInAt != nil }.count
        let came = people.filter { $0.checkedInAt != nil }.count
        return AttendanceJSON(expected: expected, came: came, showed: showed, walkIns: people.filter(\.walkIn).count, noShows: expected - showed,
                              noShowRate: Attendance.noShowRate(expected: expected, showed: showed, came: came),
                              items: people.map(AttendanceEntryJSON.init))
    }

    /// Who came: everyone confirmed (walk-ins included), whether and when they were checked in.
    @Sendable func showAttendance(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (detail, _) = try await organizedDetail(context)
        return JSONBody.response(status: .ok, try await attendanceJSON(detail))
    }

    /// An organiser's correction once the evening has begun (someone came but was never scanned, or
    /// was admitted by mistake), whatever the door's hours: the same exactly-once admission and the
    /// same undo as the door, recorded in the chapter's audit log. Before the start: 409, the door does it.
    @Sendable func correctAttendance(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (detail, user) = try await organizedDetail(context)
        guard let id = context.parameters.get("registration").flatMap(Registration.ID.init(string:)) else { throw AppError.notFound }
        let body = try await Self.decode(AttendanceBody.self, from: request, context: context)
        guard let came = body.came else { throw AppError.validation(ValidationErrors([("came", .required)])) }
        let now = services.clock.now()
        guard now >= detail.event.startsAt else { throw AppError.conflict(messageKey: "api.attendance.notStarted") }
        let outcome: CheckInOutcome
        if came {
            outcome = try await services.persistence.door.checkIn(event: detail.event.id, target: .registration(id), nonce: Secret.random(), device: "correction",
                                                                  by: user.name, happenedAt: detail.event.startsAt, offline: false, now: now)
            switch outcome.result {
            case .admitted, .already: break
            case .notConfirmed: throw AppError.conflict(messageKey: "door.invalid")
            default: throw AppError.notFound
            }
        } else {
            outcome = try await desk.undo(detail.event, registrationId: id.description, nonce: nil, device: "correction", by: user.name)
        }
        if outcome.result != .already {
            let name = [outcome.firstName, outcome.lastName].compactMap { $0 }.joined(separator: " ")
            try await services.persistence.team.audit(chapter: detail.chapter.id, by: user, action: "attendance.corrected",
                                                      subject: "\(detail.event.title): \(name) \(came ? "✓" : "✗")", now: now)
        }
        guard let person = try await services.persistence.door.doorList(of: detail.event.id).first(where: { $0.id == id.description.lowercased() }) else {
            throw AppError.notFound
        }
        return JSONBody.response(status: .ok, AttendanceEntryJSON(person))
    }

    // MARK: Badges

    /// The evening's badges as one PDF: the same print run as the badges page (layout, who, ids).
    @Sendable func printBadges(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (detail, user) = try await organizedDetail(context)
        let query = request.uri.queryParameters
        let ids = query.getAll("ids").map { String($0) }
        if ids.contains(where: { Registration.ID(string: $0) == nil }) {
            throw AppError.validation(ValidationErrors([("ids", .format(example: "0f8fad5b-d9cb-469f-a165-70867728950e"))]))
        }
        let printed = try await BadgesController.print(detail, services: services, layout: query.get("layout").map { String($0) },
                                                       include: query.get("include").map { String($0) }, ids: ids)
        try await services.persistence.team.audit(chapter: detail.chapter.id, by: user, action: "badges.printed",
                                                  subject: "\(detail.event.title): \(printed.count) (\(printed.layout.rawValue))", now: services.clock.now())
        return DoorDesk.pdfResponse(printed.pdf, filename: "badges-\(printed.layout.rawValue).pdf")
    }

    /// One person's label (a walk-in, a lost badge), as the door page prints it.
    @Sendable func printBadge(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (detail, _) = try await doorEvent(context)
        let layoutName = request.uri.queryParameters.get("layout").map { String($0) }
        guard let layout = layoutName.map({ BadgeLayout(rawValue: $0) }) ?? .roll62 else { throw AppError.badRequest(detail: nil) }
        guard let id = context.parameters.get("registration").flatMap(Registration.ID.init(string:)),
              let pdf = try await desk.badgePDF(detail, registration: id, layout: layout) else { throw AppError.notFound }
        return DoorDesk.pdfResponse(pdf)
    }
}
