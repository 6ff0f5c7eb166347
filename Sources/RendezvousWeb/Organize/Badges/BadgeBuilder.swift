import Foundation
import RendezvousBadges
import RendezvousDomain
import RendezvousLocalization
import RendezvousPersistence

/// Who gets a badge in a print run.
public enum BadgeSelection: String, CaseIterable, Sendable {
    /// Confirmed attendees.
    case confirmed
    /// Confirmed, plus those holding a waitlist offer.
    case holdingSeats = "seats"
    /// Only the registrations listed by id.
    case selection
}

/// Turns registrations into badge contents: the chapter's name and colour, the date in the
/// chapter's language and zone, and the contact-card address for the QR code.
public struct BadgeBuilder: Sendable {
    public let persistence: Persistence
    public let baseURL: String

    public init(persistence: Persistence, baseURL: String) {
        self.persistence = persistence
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
    }

    public func contactURL(_ token: String) -> String { baseURL + PublicRoute.contactCard(token: token).path }

    /// The chapter's colour (and the text colour that reads on it) and logo, for its badges.
    public struct Look: Sendable {
        var color: BrandColor?
        var logoPNG: [UInt8]?
        var logoName: String?
    }

    public func look(of chapter: Chapter.ID) async throws -> Look {
        let brand = try await persistence.images.brand(of: chapter)
        var logo: [UInt8]?
        // Logos are stored as PNG (`ImageKind.logo`).
        if let name = brand.logo, let image = try await persistence.images.image(name: name), image.contentType == "image/png" { logo = [UInt8](image.bytes) }
        return Look(color: brand.color, logoPNG: logo, logoName: brand.logo)
    }

    public func content(_ profile: AttendeeProfile, detail: EventDetail, contactToken: String?, tables: [String] = [], look: Look? = nil) -> BadgeContent {
        let language = detail.chapter.locale
        let formatter = DisplayFormatter(language: language, timeZone: detail.chapter.zone, region: detail.chapter.countryCode)
        var content = BadgeContent(
            firstName: profile.firstName, lastName: profile.lastName, jobTitle: profile.jobTitle, company: profile.company,
            askMeAbout: profile.askMeAbout, chapterName: detail.chapter.name, eventDate: formatter.shortDate(detail.event.startsAt),
            askMeAboutLabel: Strings.text("form.askMeAbout", language), accent: BadgeContent.accent(for: detail.chapter.slug),
            contactURL: contactToken.map(contactURL))
        content.tables = tables
        if let look {
            if let color = look.color {
                content.accent = color.rgb
                content.bandText = color.text
            }
            content.logoPNG = look.logoPNG
            content.logoID = look.logoName
        }
        content.tableWords = (Strings.text("room.tableWord", language), Strings.text("room.tablesWord", language))
        return content
    }

    /// Each person's table name in every round of the event's plan (empty without a plan, or for
    /// someone the plan does not seat).
    public func tables(for event: Event.ID) async throws -> [String: [String]] {
        guard let state = try await persistence.room.state(event: event), let plan = state.plan else { return [:] }
        var tables: [String: [String]] = [:]
        for round in plan.rounds.indices {
            for (index, table) in plan.rounds[round].enumerated() {
                let name = state.setup.tableName(index)
                for key in table { tables[key, default: Array(repeating: "–", count: plan.rounds.count)][round] = name }
            }
        }
        return tables
    }

    /// One PDF of these badges, drawn off the event loop into a temporary file page by page.
    public static func pdf(_ badges: [BadgeContent], layout: BadgeLayout, title: String = "Badges") async throws -> Data {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("badges-\(UUID().uuidString).pdf").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await CPUWork.run { try BadgeRenderer.writePDF(badges, layout: layout, to: path, title: title) }
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }

    /// The badges of an event, sorted by last name then first name (the order people queue in at the door).
    public func badges(for event: Event.ID, selection: BadgeSelection, ids: Set<Registration.ID> = []) async throws -> [BadgeContent] {
        guard let detail = try await persistence.events.eventDetail(id: event) else { return [] }
        let tokens = try await persistence.registrations.contactTokens(of: event)
        let tables = try await tables(for: event)
        let look = try await look(of: detail.chapter.id)
        let registrations = try await persistence.registrations.registrations(of: event).filter { registration in
            switch selection {
            case .confirmed: registration.status == .confirmed
            case .holdingSeats: registration.status.holdsSeat
            case .selection: ids.contains(registration.id) && registration.status.isActive
            }
        }.sorted {
            ($0.profile.lastName.lowercased(), $0.profile.firstName.lowercased()) < ($1.profile.lastName.lowercased(), $1.profile.firstName.lowercased())
        }
        return registrations.map { content($0.profile, detail: detail, contactToken: tokens[$0.id], tables: tables[$0.id.description] ?? [], look: look) }
    }
}
