import Foundation

/// The network admins' pages under /admin.
enum AdminRoute: Route {
    case overview
    case applications
    case approveApplication(UUID)
    case declineApplication(UUID)
    case handover(slug: String)
    case directory
    case directoryVenues
    case directorySpeakers
    /// One venue of the directory: GET its form, POST saves it.
    case venue(UUID)
    /// Removes a venue (a first post without `confirm=yes` asks).
    case removeVenue(UUID)
    /// The generated processing register, and the retention setting (POST).
    case privacy
    case retention
    /// A person's data on request by mail: GET the form; POST exports (JSON) or erases (asks first).
    case person
    /// Saves the network's code of conduct (both languages).
    case conduct
    /// People blocked from every chapter: GET the list, POST blocks one; POST `unblock` lifts one.
    case blocks
    case unblock(UUID)
    /// Every chapter's incident reports, and one report's case record (POST).
    case incidents
    case incident(UUID)
    /// The network's insights (rolled up by country and chapter, growth, chapters needing
    /// attention, what the best chapters do), and one table's data as CSV.
    case insights
    case insightsCSV(chart: String)

    var pattern: String {
        switch self {
        case .overview: "/admin"
        case .applications: "/admin/applications"
        case .approveApplication: "/admin/applications/:id/approve"
        case .declineApplication: "/admin/applications/:id/decline"
        case .handover: "/admin/chapters/:slug/handover"
        case .directory: "/admin/directory"
        case .directoryVenues: "/admin/directory/venues"
        case .directorySpeakers: "/admin/directory/speakers"
        case .venue: "/admin/directory/venues/:id"
        case .removeVenue: "/admin/directory/venues/:id/remove"
        case .privacy: "/admin/privacy"
        case .retention: "/admin/privacy/retention"
        case .person: "/admin/privacy/person"
        case .conduct: "/admin/privacy/conduct"
        case .blocks: "/admin/blocks"
        case .unblock: "/admin/blocks/:id/remove"
        case .incidents: "/admin/incidents"
        case .incident: "/admin/incidents/:id"
        case .insights: "/admin/insights"
        case .insightsCSV: "/admin/insights/csv/:chart"
        }
    }

    var parameters: [String] {
        switch self {
        case .overview, .applications, .directory, .directoryVenues, .directorySpeakers, .privacy, .retention, .person, .conduct, .blocks, .incidents, .insights: []
        case .insightsCSV(let chart): [chart]
        case .approveApplication(let id), .declineApplication(let id), .venue(let id), .removeVenue(let id), .unblock(let id), .incident(let id): [id.uuidString.lowercased()]
        case .handover(let slug): [slug]
        }
    }

    static var examples: [AdminRoute] {
        let application = UUID(uuidString: "0B4F6C3A-8E2D-4F7B-A1C9-5D6E7F809A1B")!
        return [.overview, .applications, .approveApplication(application), .declineApplication(application),
                .handover(slug: "toulouse"), .directory, .directoryVenues, .directorySpeakers, .venue(application), .removeVenue(application),
                .privacy, .retention, .person, .conduct, .blocks, .unblock(application), .incidents, .incident(application),
                .insights, .insightsCSV(chart: "countries")]
    }
}
