import Foundation
import RendezvousDomain
@testable import RendezvousWeb

extension Chrome {
    /// A page of the workspace, as a network admin sees it.
    static func admin(_ title: String, path: String) -> Chrome {
        var chrome = Chrome(title: title, language: .en, path: path)
        chrome.session = SessionNav(Mock.session(Mock.admin))
        return chrome
    }
}

extension AdminOverviewPage {
    static let mock = AdminOverviewPage(
        chrome: .admin("Network", path: AdminRoute.overview.path),
        mailAlert: MailAlertView(MailAlert(kind: "credentials", detail: "535 5.7.8 Authentication failed", since: Date(timeIntervalSince1970: 1_800_000_000)),
                                 language: .en, formatter: DisplayFormatter(language: .en, timeZone: .gmt), zoneSuffix: " UTC"),
        links: [PageLink(url: AdminRoute.applications.path, label: "Applications (1)"), PageLink(url: AdminRoute.directory.path, label: "Directory")],
        summary: "2 chapters, 1 dormant",
        rows: [
            .init(name: "#LinkedInLocal Toulouse", url: WorkspaceLinks.chapter("toulouse"), country: "France", organizers: "Ana Organiser",
                  last: "10/12/2026", next: "14/02/2027", status: "Active", statusClass: "confirmed", handoverURL: AdminRoute.handover(slug: "toulouse").path),
            .init(name: "#LinkedInLocal Lyon", url: WorkspaceLinks.chapter("lyon"), country: "France", organizers: "",
                  last: "—", next: "—", status: "Dormant", statusClass: "draft", handoverURL: AdminRoute.handover(slug: "lyon").path),
        ])
}

extension ApplicationsPage {
    static let mock = ApplicationsPage(
        chrome: .admin("Applications", path: AdminRoute.applications.path), csrf: Mock.csrf,
        notice: "Toulouse is approved.", newLink: "https://rendezvous.test" + AccountRoute.invitation(token: Mock.token).path,
        items: [.init(city: "Nantes", country: "FR", name: "Léa Martin", email: "lea@example.org", when: "15/01/2027",
                      motivation: "A meetup for Nantes & around.", approveURL: AdminRoute.approveApplication(Mock.application).path,
                      declineURL: AdminRoute.declineApplication(Mock.application).path)])
}

extension DirectoryPage {
    static let mock = DirectoryPage(
        chrome: .admin("Directory", path: AdminRoute.directory.path), language: .en, csrf: Mock.csrf, notice: nil, error: "Please correct the fields marked below.",
        venueSummary: "2 venues, shared or of a chapter.",
        venues: [.init(name: "Halles de la Cartoucherie", chapter: "#LinkedInLocal Toulouse", address: "31300 Toulouse", capacity: "120 seats", accessibility: "Step-free",
                       hasContact: true, contact: "halles@example.org", uses: "1 to come · 4 past",
                       editURL: AdminRoute.venue(Mock.application).path, removeURL: AdminRoute.removeVenue(Mock.application).path),
                 .init(name: "La Cantine", chapter: "Shared directory", address: "Nantes", capacity: "—", accessibility: "", hasContact: false, contact: "",
                       uses: "No meetup", editURL: AdminRoute.venue(Mock.application).path, removeURL: AdminRoute.removeVenue(Mock.application).path)],
        pager: nil,
        speakers: [.init(name: "Jean-Christophe Boussion", role: "Fondateur", bio: nil), .init(name: "Léa Martin", role: "CTO · Acme", bio: "Talks about teams.")],
        venueForm: VenueForm(values: ["name": "Le Lieu"], errors: ["address": "Required."]))
}

extension VenuePage {
    static let mock = VenuePage(
        chrome: .admin("Venue: Halles de la Cartoucherie", path: AdminRoute.venue(Mock.application).path), csrf: Mock.csrf,
        heading: "Venue: Halles de la Cartoucherie", chapter: "#LinkedInLocal Toulouse", uses: "1 to come · 4 past", error: nil,
        action: AdminRoute.venue(Mock.application).path, removeURL: AdminRoute.removeVenue(Mock.application).path,
        fields: VenueForm(values: ["name": "Halles de la Cartoucherie", "address": "31300 Toulouse", "capacity": "120"]).fields(.en))
}

extension SimpleFormPage {
    static let mockHandover = SimpleFormPage.handover(
        chapter: Mock.chapter, chrome: .admin("Hand over", path: AdminRoute.handover(slug: Mock.chapter.slug).path), language: .en, csrf: Mock.csrf,
        email: "next@example.org", notice: "Invitation sent to next@example.org.")
}
