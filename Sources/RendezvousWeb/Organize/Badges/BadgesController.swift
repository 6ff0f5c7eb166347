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
        let page = BadgesPage(
            chrome: try chrome(t("badges.title", context), context, path: OrganizeRoute.badges(detail.event.id).path),
            title: detail.event.title, eventURL: OrganizeRoute.event(detail.event.id).path, pdfURL: OrganizeRoute.badgesPDF(detail.event.id).path,
            layouts: BadgeLayout.allCases.map { .init(value: $0.rawValue, label: $0.title, selected: $0 == .a4Eight) },
            includes: [.init(value: BadgeSelection.confirmed.rawValue, label: t("badges.confirmed", context), selected: true),
                       .init(value: BadgeSelection.holdingSeats.rawValue, label: t("badges.holdingSeats", context), selected: false),
                       .init(value: BadgeSelection.selection.rawValue, label: t("badges.selectionOnly", context), selected: false)],
            people: people.map { .init(id: $0.registration.id.description, name: "\($0.registration.profile.firstName) \($0.registration.profile.lastName)",
                                       status: statusLabel($0.registration.status, context)) })
        return html(page, context)
    }

    /// One PDF of the chosen people in the chosen layout, drawn off the event loop into a
    /// temporary file page by page.
    @Sendable func badgesPDF(_ request: Request, context: AppRequestContext) async throws -> Response {
        let detail = try await event(context)
        let query = request.uri.queryParameters
        guard let layout = BadgeLayout(rawValue: query.get("layout").map { String($0) } ?? BadgeLayout.a4Eight.rawValue),
              let selection = BadgeSelection(rawValue: query.get("include").map { String($0) } ?? BadgeSelection.confirmed.rawValue) else {
            throw AppError.badRequest(detail: nil)
        }
        let ids = Set(query.getAll("ids").compactMap { Registration.ID(string: String($0)) })
        let builder = BadgeBuilder(persistence: persistence, baseURL: services.configuration.baseURL)
        let badges = try await builder.badges(for: detail.event.id, selection: selection, ids: ids)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("badges-\(UUID().uuidString).pdf").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let title = "\(detail.chapter.name) · \(detail.event.title)"
        try await CPUWork.run { try BadgeRenderer.writePDF(badges, layout: layout, to: path, title: title) }
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        try await log(context, chapter: detail.chapter.id, "badges.printed", "\(detail.event.title): \(badges.count) (\(layout.rawValue))")
        return Response(status: .ok, headers: [.contentType: "application/pdf", .contentDisposition: "inline; filename=\"badges-\(layout.rawValue).pdf\"",
                                               .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
