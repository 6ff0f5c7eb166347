import Foundation
import RendezvousDomain
@testable import RendezvousWeb
import Testing

/// Every page of the organiser workspace, rendered from its `.mock` view model and compared with
/// `Snapshots/organize/<page>.html` (see `Support/Snapshot.swift`).
@Suite("Organiser page snapshots")
struct OrganizePageSnapshotTests {
    /// Snapshot name → page: each page type, and the states of a page worth seeing apart.
    static var pages: [(name: String, page: any Page)] {
        [
            ("organize/index", OrganizeIndexPage.mock),
            ("organize/dashboard", DashboardPage.mock),
            ("organize/dashboard-empty", DashboardPage.mockEmpty),
            ("organize/event", OrganizerEventPage.mock(notice: "Saved.")),
            ("organize/event-error", OrganizerEventPage.mock(error: "Please correct the fields below.")),
            ("organize/event-form", EventFormPage.mock()),
            ("organize/event-form-errors", EventFormPage.mock(error: "Please correct the fields below.", fieldError: "Between 38 and 100000.")),
            ("organize/overflow-form", EventFormPage.mockOverflow),
            ("organize/import", ImportPage.mock),
            ("organize/import-result", ImportPage.mockResult),
            ("organize/series", SeriesPage.mock),
            ("organize/team", TeamPage.mock),
            ("organize/audit", AuditPage.mock),
            ("organize/outbox", OutboxPage.mock),
            ("organize/badges", BadgesPage.mock),
            ("organize/bingo", BingoOrganizePage.mock),
            ("organize/questions", QuestionsPage.mock()),
            ("organize/questions-errors", QuestionsPage.mock(error: true)),
            ("organize/room", RoomPage.mock),
            ("organize/room-setup-errors", RoomPage.mockSetupErrors),
            ("organize/quiz-library", QuizLibraryPage.mock),
            ("organize/quiz-edit", QuizEditPage.mock),
            ("organize/quiz-question", QuizQuestionPage.mock),
            ("organize/quiz-delete", QuizDeletePage.mock),
            ("organize/game", GamePage.mock),
            ("organize/settings", SimpleFormPage.mockChapterSettings),
            ("organize/message", MessageComposePage.mockEventMessage),
            ("organize/message-preview", MessageComposePage.mockEventPreview),
            ("organize/audience", MessageComposePage.mockAudience),
            ("organize/audience-errors", MessageComposePage.mockAudienceErrors),
            ("organize/branding", BrandingPage.mock),
            ("organize/branding-errors", BrandingPage.mockErrors),
            ("organize/event-images", EventImagesPage.mock),
            ("organize/insights", InsightsPage.mock),
            ("organize/webhooks", WebhooksPage.mock()),
            ("organize/webhooks-errors", WebhooksPage.mock(error: true)),
            ("organize/webhook", WebhookPage.mock()),
            ("organize/webhook-delete", WebhookPage.mock(confirmDelete: true)),
        ]
    }

    /// The organiser's page types (the message and settings forms are `SimpleFormPage`s).
    static var pageTypes: [any Page.Type] {
        [OrganizeIndexPage.self, DashboardPage.self, OrganizerEventPage.self, EventFormPage.self, ImportPage.self, SeriesPage.self,
         TeamPage.self, AuditPage.self, OutboxPage.self, BadgesPage.self, BingoOrganizePage.self, RoomPage.self, SimpleFormPage.self,
         QuizLibraryPage.self, QuizEditPage.self, QuizQuestionPage.self, QuizDeletePage.self, GamePage.self, BrandingPage.self, EventImagesPage.self,
         MessageComposePage.self, QuestionsPage.self, InsightsPage.self, WebhooksPage.self, WebhookPage.self]
    }

    static let organize = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/RendezvousWeb/Organize")

    @Test(arguments: pages.map(\.name))
    func organizerPageMatchesItsSnapshot(_ name: String) async throws {
        let page = try #require(Self.pages.first { $0.name == name }?.page)
        try await Snapshot.check(page, named: name)
    }

    @Test func everyOrganizerPageTypeHasItsTemplate() async throws {
        let renderer = try await Snapshot.renderer.value
        for type in Self.pageTypes {
            #expect(renderer.hasTemplate(type.template), "\(type) names \(type.template), which does not exist")
        }
    }

    /// A new page in the organiser area needs a mock and a snapshot here: the page types declared
    /// under `Organize/` are the ones listed, and each has a snapshot.
    @Test func everyOrganizerPageHasASnapshot() throws {
        let declared = try PageSnapshotTests.declaredPages(under: Self.organize)
        let declaredTypes = Set(declared.map(\.type))
        let listed = Set(Self.pageTypes.map { String(describing: $0) }).subtracting(["SimpleFormPage"])
        let snapshotted = Set(Self.pages.map { String(describing: type(of: $0.page)) })
        #expect(!declaredTypes.isEmpty)
        #expect(declaredTypes == listed, "page types declared in Organize/ and listed here differ")
        #expect(declaredTypes.isSubset(of: snapshotted), "no snapshot for \(declaredTypes.subtracting(snapshotted).sorted())")
        for (type, template) in declared {
            #expect(template.hasPrefix("organize/"), "\(type): the organiser's templates live in Templates/organize/")
        }
    }
}
