import Foundation
import RendezvousDomain
@testable import RendezvousWeb
import Testing

/// Every page of the public, account, admin and door areas, rendered from its `.mock` view model
/// and compared with `Snapshots/<area>/<page>.html` (see `Support/Snapshot.swift`).
@Suite("Page snapshots")
struct PageSnapshotTests {
    /// Snapshot name → page: each page type, and the states of a page worth seeing apart.
    static var pages: [(name: String, page: any Page)] {
        [
            ("public/home", HomePage.mock),
            ("public/chapter", ChapterPage.mock),
            ("public/event", EventPage.mock),
            ("public/event-errors", EventPage.mockWithErrors),
            ("public/manage", ManagePage.mock),
            ("public/manage-offered", ManagePage.mockOffered),
            ("public/manage-seated", ManagePage.mockSeated),
            ("public/manage-cancelled", ManagePage.mockCancelled),
            ("public/confirm-cancel", ConfirmStepPage.mockCancelRegistration),
            ("public/confirm-cancel-event", ConfirmStepPage.mockCancelEvent),
            ("public/screen", ScreenPage.mock),
            ("public/contact", ContactPage.mock),
            ("public/contact-bingo", ContactPage.mockBingo),
            ("public/contact-we-met", ContactPage.mockWeMet),
            ("me/home", MePage.mock),
            ("me/profile-errors", MeProfilePage.mock),
            ("me/event", MeEventPage.mock),
            ("me/data", MyDataPage.mock),
            ("public/bingo", BingoPage.mock),
            ("public/apply", SimpleFormPage.mockApply),
            ("public/apply-errors", SimpleFormPage.mockApplyErrors),
            ("public/apply-thanks", SimpleFormPage.mockApplyThanks),
            ("public/unsubscribe", SimpleFormPage.mockUnsubscribe),
            ("public/unsubscribe-done", SimpleFormPage.mockUnsubscribed),
            ("public/follow", SimpleFormPage.mockFollow),
            ("public/follow-errors", SimpleFormPage.mockFollowErrors),
            ("public/follow-sent", SimpleFormPage.mockFollowSent),
            ("public/follow-confirm", SimpleFormPage.mockFollowConfirm),
            ("public/audience-unsubscribe", SimpleFormPage.mockAudienceUnsubscribe),
            ("public/error", ErrorPage.mock),
            ("account/signin", SignInPage.mock),
            ("account/signin-error", SignInPage.mockError),
            ("account/password", SimpleFormPage.mockChangePassword),
            ("account/forgot-password", SimpleFormPage.mockForgotPassword),
            ("account/forgot-password-sent", SimpleFormPage.mockForgotPasswordSent),
            ("account/reset-password", SimpleFormPage.mockResetPassword),
            ("account/invitation-new-account", SimpleFormPage.mockInvitation(.newAccount, errors: ["password": "At least 10 characters."])),
            ("account/invitation-sign-in-first", SimpleFormPage.mockInvitation(.signInFirst)),
            ("account/invitation-other-account", SimpleFormPage.mockInvitation(.otherAccount(Mock.session(Mock.admin)))),
            ("account/invitation-invited-account", SimpleFormPage.mockInvitation(.invitedAccount(Mock.session(Mock.organizer)))),
            ("account/invitation-withdrawn", SimpleFormPage.mockInvitationWithdrawn),
            ("admin/overview", AdminOverviewPage.mock),
            ("admin/insights", NetworkInsightsPage.mock),
            ("public/network", NetworkPage.mock),
            ("admin/applications", ApplicationsPage.mock),
            ("admin/directory", DirectoryPage.mock),
            ("admin/venue", VenuePage.mock),
            ("admin/handover", SimpleFormPage.mockHandover),
            ("admin/person-errors", PersonDataPage.mock),
            ("door/door", DoorPage.mock),
            ("door/ticket", TicketPage.mock),
            ("door/ticket-admit", TicketPage.mockAdmit),
            ("door/ticket-other-evening", TicketPage.mockOtherEvening),
            ("quiz/enter", QuizEnterPage.mock),
            ("quiz/enter-unknown", QuizEnterPage.mockUnknown),
            ("quiz/join", QuizJoinPage.mock(attendee: false)),
            ("quiz/join-attendee", QuizJoinPage.mock(attendee: true)),
            ("quiz/join-error", QuizJoinPage.mock(attendee: false, error: "Des caractères de contrôle ne sont pas acceptés.")),
            ("quiz/play", QuizPlayPage.mock),
        ]
    }

    /// The page types of these areas, with their templates.
    static var pageTypes: [any Page.Type] {
        [HomePage.self, ChapterPage.self, EventPage.self, ManagePage.self, ContactPage.self, BingoPage.self, ErrorPage.self, SimpleFormPage.self,
         SignInPage.self, AdminOverviewPage.self, ApplicationsPage.self, DirectoryPage.self, VenuePage.self, DoorPage.self, TicketPage.self,
         QuizEnterPage.self, QuizJoinPage.self, QuizPlayPage.self, ConfirmStepPage.self, MePage.self, MeProfilePage.self, MeEventPage.self]
    }

    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/RendezvousWeb")

    @Test(arguments: pages.map(\.name))
    func pageMatchesItsSnapshot(_ name: String) async throws {
        let page = try #require(Self.pages.first { $0.name == name }?.page)
        try await Snapshot.check(page, named: name)
    }

    @Test func everyPageTypeHasItsTemplate() async throws {
        let renderer = try await Snapshot.renderer.value
        for type in Self.pageTypes {
            #expect(renderer.hasTemplate(type.template), "\(type) names \(type.template), which does not exist")
        }
    }

    /// Every `Page` the module declares, whatever its area, names a template that exists.
    @Test func everyDeclaredPageNamesAnExistingTemplate() async throws {
        let renderer = try await Snapshot.renderer.value
        let declared = try Self.declaredPages(under: Self.sources)
        #expect(declared.count >= Self.pageTypes.count)
        for (type, template) in declared {
            #expect(renderer.hasTemplate(template), "\(type) names \(template), which does not exist")
        }
    }

    /// A new page type in these areas needs a mock and a snapshot here.
    @Test func everyPageOfTheseAreasHasASnapshot() throws {
        var declared = Set<String>()
        for area in ["Public", "Account", "Admin", "Door", "Shared", "Quiz", "Me"] {
            declared.formUnion(try Self.declaredPages(under: Self.sources.appendingPathComponent("Views/\(area)")).map(\.type))
        }
        let listed = Set(Self.pageTypes.map { String(describing: $0) })
        let snapshotted = Set(Self.pages.map { String(describing: type(of: $0.page)) })
        #expect(declared == listed, "page types declared in Views/ and listed here differ")
        #expect(declared.isSubset(of: snapshotted), "no snapshot for \(declared.subtracting(snapshotted).sorted())")
    }

    /// `struct X: Page` and its `static let template = "…"`, read from the sources.
    static func declaredPages(under directory: URL) throws -> [(type: String, template: String)] {
        let declaration = try Regex(#"struct (\w+): Page \{[\s\S]*?static (?:let|var) template(?:: String)? = "([^"]+)""#)
        var found: [(type: String, template: String)] = []
        let files = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
        for file in files where file.pathExtension == "swift" {
            let text = try String(contentsOf: file, encoding: .utf8)
            for match in text.matches(of: declaration) {
                found.append((String(match.output[1].substring ?? ""), String(match.output[2].substring ?? "")))
            }
        }
        return found
    }
}
