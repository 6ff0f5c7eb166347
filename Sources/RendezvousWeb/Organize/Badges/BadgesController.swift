import Foundation
import Hummingbird
import NIOCore
import RendezvousBadges
import RendezvousDomain
import RendezvousLocalization
import RendezvousPersistence

/// Badges for an event: the choice of layout and people, and the PDF.
struct BadgesController: OrganizeController {
    let services: AppServices

    var routes: [OrganizeEndpoint] {
        [
            .get(.badges(.any), badgesForm),
            .get(.badgesPDF(.any), badgesPDF),
        ]
    }

    @Sendable func badgesForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let detail = try await event(context)
        let people = try await persistence.registrations.attendees(of: detail.event.id).filter { $0.registration.status.isActive }
            .sorted { ($0.registration.profile.lastName.lowercased(), $0.registration.profile.firstName.lowercased()) < ($1.registration.profile.lastName.lowercased(), $1.registration.profile.firstName.lowercased()) }
        // The form comes back here from "show the preview" with its choices, which the page keeps.
        let query = request.uri.queryParameters
        let layout = query.get("layout").flatMap { BadgeLayout(rawValue: String($0)) } ?? .a4Eight
        let include = query.get("include").flatMap { BadgeSelection(rawValue: String($0)) } ?? .confirmed
        let ticked = Set(query.getAll("ids").map { String($0) })
        let chosen = query.get("preview").flatMap { Registration.ID(string: String($0)) }
        let shown = people.first { $0.registration.id == chosen } ?? people.first
        func name(_ profile: AttendeeProfile) -> String { "\(profile.firstName) \(profile.lastName)" }
        var preview: BadgesPage.Preview?
        if let shown {
            let builder = BadgeBuilder(persistence: persistence, baseURL: services.configuration.baseURL)
            if let content = try await builder.badges(for: detail.event.id, selection: .selection, ids: [shown.registration.id]).first {
                let drawn = try await CPUWork.run { try BadgeRenderer.preview(content, layout: layout) }
                preview = .init(src: "data:image/png;base64," + drawn.png.base64EncodedString(), alt: drawn.lines.joined(separator: " · "),
                                caption: t("badges.previewCaption", context, ["name": name(shown.registration.profile), "layout": layout.title]))
            }
        }
        let page = BadgesPage(
            chrome: try chrome(t("badges.title", context), context, path: OrganizeRoute.badges(detail.event.id).path),
            title: detail.event.title, eventURL: OrganizeRoute.event(detail.event.id).path, pdfURL: OrganizeRoute.badgesPDF(detail.event.id).path,
            layouts: BadgeLayout.allCases.map { .init(value: $0.rawValue, label: $0.title, selected: $0 == layout) },
            includes: [BadgeSelection.confirmed, .holdingSeats, .selection].map { selection in
                let key = switch selection { case .confirmed: "badges.confirmed"; case .holdingSeats: "badges.holdingSeats"; case .selection: "badges.selectionOnly" }
                return .init(value: selection.rawValue, label: t(key, context), selected: selection == include)
            },
            people: people.map { .init(id: $0.registration.id.description, name: name($0.registration.profile),
                                       status: statusLabel($0.registration.status, context), checked: ticked.contains($0.registration.id.description)) },
            pageURL: OrganizeRoute.badges(detail.event.id).path,
            previewPeople: people.map { .init(value: $0.registration.id.description, label: name($0.registration.profile), selected: $0.registration.id == shown?.registration.id) },
            preview: preview)
        return html(page, context)
    }

    /// One PDF of the chosen people in the chosen layout, drawn off the event loop into a
    /// temporary file page by page.
    @Sendable func badgesPDF(_ request: Request, context: AppRequestContext) async throws -> Response {
        let detail = try await event(context)
        let query = request.uri.queryParameters
        let printed = try await Self.print(detail, services: services, layout: query.get("layout").map { String($0) }, include: query.get("include").map { String($0) },
                                           ids: query.getAll("ids").map { String($0) })
        try await log(context, chapter: detail.chapter.id, "badges.printed", "\(detail.event.title): \(printed.count) (\(printed.layout.rawValue))")
        return DoorDesk.pdfResponse(printed.pdf, filename: "badges-\(printed.layout.rawValue).pdf")
    }

    /// A print run, for this page and the API alike: the layout (A4, eight a page, by default), who
    /// (the confirmed, by default) and, for a selection, the ids; 400 for a layout or choice it does
    /// not know.
    static func print(_ detail: EventDetail, services: AppServices, layout: String?, include: String?, ids: [String]) async throws
        -> (pdf: Data, count: Int, layout: BadgeLayout) {
        guard let layout = BadgeLayout(rawValue: layout ?? BadgeLayout.a4Eight.rawValue),
              let selection = BadgeSelection(rawValue: include ?? BadgeSelection.confirmed.rawValue) else {
            throw AppError.badRequest(detail: nil)
        }
        let builder = BadgeBuilder(persistence: services.persistence, baseURL: services.configuration.baseURL)
        let badges = try await builder.badges(for: detail.event.id, selection: selection, ids: Set(ids.compactMap { Registration.ID(string: $0) }))
        let pdf = try await BadgeBuilder.pdf(badges, layout: layout, title: "\(detail.chapter.name) · \(detail.event.title)")
        return (pdf, badges.count, layout)
    }
}
