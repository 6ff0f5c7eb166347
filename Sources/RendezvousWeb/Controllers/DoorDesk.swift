import Foundation
import Hummingbird
import NIOCore
import RendezvousBadges
import RendezvousDomain
import RendezvousLocalization
import RendezvousPersistence

/// What the door does, once, for the door page (`DoorController`) and the JSON API
/// (`APIController+Door`): the hours around the evening during which it admits, a check-in
/// (refused outside them, exactly once per ticket, the same answer for a retried nonce), an undo,
/// a walk-in, the door's search, and one person's badge.
struct DoorDesk {
    let services: AppServices
    var persistence: Persistence { services.persistence }

    /// The hours the organisers may widen the door's window to.
    static let windowChoices = [3, 6, 12, 24, 48, 72]

    /// The hours before the start and after the end during which this evening's door admits: the
    /// event's own, if its organisers widened it, else the deployment's (`DOOR_WINDOW_HOURS`).
    func windowHours(_ event: Event) async throws -> Double {
        try await persistence.door.doorWindowHours(of: event.id).map(Double.init) ?? services.configuration.doorWindowHours
    }

    /// When the door opens (`hours` before the evening's start) and closes (as many after its end).
    /// Within the dates any date-time here may carry (ISO8601.plausible, years 2000 to 9999): a wide
    /// window (`DOOR_WINDOW_HOURS` in years, as the tests set it) around an evening in 9753 would
    /// otherwise close in the year 10894, which no RFC 3339 date-time can write.
    static func window(_ event: Event, hours: Double) -> (opens: Date, closes: Date) {
        let range = ISO8601.plausible
        return (max(event.startsAt.addingTimeInterval(-hours * 3600), range.lowerBound),
                min(event.endsAt.addingTimeInterval(hours * 3600), range.upperBound))
    }

    /// True while the door admits, both ends included.
    static func withinWindow(_ event: Event, hours: Double, at moment: Date) -> Bool {
        let window = window(event, hours: hours)
        return moment >= window.opens && moment <= window.closes
    }

    func withinWindow(_ event: Event, at moment: Date) async throws -> Bool {
        Self.withinWindow(event, hours: try await windowHours(event), at: moment)
    }

    /// Organisers widen (or narrow back) the hours for one evening; nil goes back to the
    /// deployment's. Recorded in the chapter's audit log.
    func setWindow(_ detail: EventDetail, hours: Int?, by user: User) async throws {
        try await persistence.door.setDoorWindowHours(of: detail.event.id, hours: hours)
        try await persistence.team.audit(chapter: detail.chapter.id, by: user, action: "door.window",
                                         subject: "\(detail.event.title): \(hours.map { "\($0) h" } ?? "–")", now: services.clock.now())
    }

    /// A device's retry key: one it sent (at most 100 characters), or a fresh one.
    static func nonce(_ sent: String?) throws -> String {
        guard let nonce = sent, !nonce.isEmpty else { return Secret.random() }
        guard nonce.count <= 100 else { throw AppError.validation(ValidationErrors([("nonce", .tooLong(max: 100))])) }
        return nonce
    }

    /// A scanned code may be the whole ticket address; the token is its last path component.
    static func ticketToken(_ scanned: String) -> String {
        let trimmed = scanned.trimmingCharacters(in: .whitespacesAndNewlines)
        if let url = URL(string: trimmed), url.pathComponents.count >= 3, url.pathComponents[url.pathComponents.count - 2] == "t" {
            return url.lastPathComponent
        }
        return trimmed
    }

    /// Who a check-in names: a registration id, else a ticket (its token or its whole address);
    /// neither is a 422 on `ticket`.
    static func target(registrationId: String?, ticket: String?) throws -> DoorStore.CheckInTarget {
        if let id = registrationId.flatMap(Registration.ID.init(string:)) { return .registration(id) }
        if let ticket, !ticket.isEmpty { return .ticket(ticketToken(ticket)) }
        throw AppError.validation(ValidationErrors([("ticket", .required)]))
    }

    static func device(_ sent: String?, default fallback: String) -> String { String((sent ?? fallback).prefix(64)) }

    /// Admits one person. Outside the hours around the evening nobody is admitted; a check-in made
    /// offline counts at the moment it was made (never later than now), so the evening's queue
    /// still syncs. Retrying with the same nonce gives the first answer back and changes nothing.
    func checkIn(_ event: Event, target: DoorStore.CheckInTarget, nonce: String?, device: String, by: String, at: Date?, offline: Bool?) async throws -> CheckInOutcome {
        let now = services.clock.now()
        let nonce = try Self.nonce(nonce)
        let moment = offline == true ? min(at ?? now, now) : now
        guard try await withinWindow(event, at: moment) else {
            var registrationID: String?
            if case .registration(let id) = target { registrationID = id.description.lowercased() }
            return CheckInOutcome(result: .notToday, registrationID: registrationID, firstName: nil, lastName: nil, status: nil,
                                  checkedInAt: nil, checkedInBy: nil, conflict: false)
        }
        return try await persistence.door.checkIn(event: event.id, target: target, nonce: nonce, device: device, by: by,
                                                  happenedAt: at ?? now, offline: offline ?? false, now: now)
    }

    /// Takes an admission back (a tap on the wrong name).
    func undo(_ event: Event, registrationId: String?, nonce: String?, device: String, by: String) async throws -> CheckInOutcome {
        guard let id = registrationId.flatMap(Registration.ID.init(string:)) else { throw AppError.validation(ValidationErrors([("registrationId", .required)])) }
        return try await persistence.door.undoCheckIn(event: event.id, registration: id, nonce: try Self.nonce(nonce), device: device, by: by,
                                                      now: services.clock.now())
    }

    /// Someone who turns up unregistered: the name is required, the rest optional (an address, if
    /// given, must be one; a known address finds the existing registration).
    func walkIn(_ detail: EventDetail, firstName: String?, lastName: String?, jobTitle: String?, company: String?, email: String?, by: String) async throws -> CheckInOutcome {
        let given = (email ?? "").trimmingCharacters(in: .whitespaces)
        var profile: AttendeeProfile
        switch RegistrationInput(firstName: firstName, lastName: lastName ?? "", email: given.isEmpty ? "walk-in@example.org" : email,
                                 jobTitle: jobTitle, company: company).validated(strict: false) {
        case .failure(let errors): throw AppError.validation(errors)
        case .success(let valid): profile = valid
        }
        if given.isEmpty { profile.email = "" }
        let outcome = try await persistence.door.addWalkIn(event: detail.event.id, profile: profile, by: by, now: services.clock.now())
        services.eventChanged(detail.event.id, chapterSlug: detail.chapter.slug)
        return outcome
    }

    /// The door's search: every word of the query in the name or company, accents and case aside.
    static func search(_ people: [DoorAttendee], query: String) -> [DoorAttendee] {
        let terms = SearchText.folded(query).split(separator: " ").map(String.init)
        guard !terms.isEmpty else { return people }
        return people.filter { person in
            let haystack = SearchText.folded("\(person.firstName) \(person.lastName) \(person.company)")
            return terms.allSatisfy { haystack.contains($0) }
        }
    }

    /// A single label for someone at the door (a walk-in, a lost badge): nil if the registration
    /// is not this evening's.
    func badgePDF(_ detail: EventDetail, registration id: Registration.ID, layout: BadgeLayout) async throws -> Data? {
        guard let registration = try await persistence.registrations.registration(id: id), registration.eventID == detail.event.id else { return nil }
        let builder = BadgeBuilder(persistence: persistence, baseURL: services.configuration.baseURL)
        let content = builder.content(registration.profile, detail: detail, contactToken: try await persistence.registrations.contactToken(of: id),
                                      look: try await builder.look(of: detail.chapter.id))
        return try await BadgeBuilder.pdf([content], layout: layout)
    }

    static func pdfResponse(_ data: Data, filename: String? = nil) -> Response {
        var headers: HTTPFields = [.contentType: "application/pdf", .cacheControl: "no-store"]
        if let filename { headers[.contentDisposition] = "inline; filename=\"\(filename)\"" }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
