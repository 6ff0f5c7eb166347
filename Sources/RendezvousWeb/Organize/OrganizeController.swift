import Foundation
import Hummingbird
import RendezvousDomain
import RendezvousLocalization
import RendezvousPersistence

/// A controller of the organiser workspace under /organize. Every handler resolves its chapter
/// (or event) first through `chapter(_:)` or `event(_:)`, which apply `User.mayOrganize`: a
/// chapter the user does not organise, or any of its events and attendees, answers 404 exactly
/// like something that does not exist.
protocol OrganizeController: WorkspaceController {
    /// This feature's routes; `OrganizeRoutes.all` gathers every feature's.
    var routes: [OrganizeEndpoint] { get }
}

/// One organiser route: a method, the address (its case: the values are `.any`), the handler.
struct OrganizeEndpoint: Sendable {
    typealias Handler = @Sendable (Request, AppRequestContext) async throws -> Response
    let method: HTTPRequest.Method
    let route: OrganizeRoute
    let handler: Handler

    var pattern: String { route.pattern }

    static func get(_ route: OrganizeRoute, _ handler: @escaping Handler) -> Self { .init(method: .get, route: route, handler: handler) }
    static func post(_ route: OrganizeRoute, _ handler: @escaping Handler) -> Self { .init(method: .post, route: route, handler: handler) }
}

extension OrganizeController {
    var persistence: Persistence { services.persistence }
    func now() -> Date { services.clock.now() }

    /// The chapter named by `:slug`, if the signed-in person organises it; 404 otherwise.
    func chapter(_ context: AppRequestContext) async throws -> Chapter {
        let user = try session(context).user
        guard let slug = context.parameters.get("slug"), ChapterInput.isValidSlug(slug),
              let chapter = try await persistence.chapters.chapter(slug: slug), user.mayOrganize(chapter.id) else { throw AppError.notFound }
        return chapter
    }

    /// The event named by `:id`, if the signed-in person organises its chapter; 404 otherwise.
    func event(_ context: AppRequestContext) async throws -> EventDetail {
        let user = try session(context).user
        guard let id = context.parameters.get("id").flatMap(Event.ID.init(string:)),
              let detail = try await persistence.events.eventDetail(id: id), user.mayOrganize(detail.chapter.id) else { throw AppError.notFound }
        return detail
    }

    func registrationID(_ context: AppRequestContext) throws -> Registration.ID {
        guard let id = context.parameters.get("registration").flatMap(Registration.ID.init(string:)) else { throw AppError.notFound }
        return id
    }

    /// Writes an organiser action to the chapter's audit log.
    func log(_ context: AppRequestContext, chapter: Chapter.ID, _ action: String, _ subject: String) async throws {
        try await persistence.team.audit(chapter: chapter, by: try session(context).user, action: action, subject: subject, now: now())
    }

    func statusLabel(_ status: RegistrationStatus, _ context: AppRequestContext) -> String { Strings.status(status, context.language) }
    func eventStatusLabel(_ status: EventStatus, _ context: AppRequestContext) -> String { Strings.eventStatus(status, context.language) }

    /// The chapter's venues from the directory, for a select; "no venue" first.
    func venueOptions(_ chapter: Chapter, selected: String, context: AppRequestContext) async throws -> [SelectField.Option] {
        let venues = try await persistence.events.directoryVenues(for: chapter.id)
        return [SelectField.Option(value: "", label: t("org.noVenue", context), selected: selected.isEmpty)]
            + venues.map { .init(value: $0.id.description, label: [$0.name, $0.address].filter { !$0.isEmpty }.joined(separator: ", "), selected: $0.id.description == selected) }
    }
}
