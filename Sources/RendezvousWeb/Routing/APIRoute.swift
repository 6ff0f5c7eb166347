import Foundation
import RendezvousDomain

/// The JSON API: every /api/v1 endpoint, and the OpenAPI document that describes them.
enum APIRoute: Route {
    case tokens
    case chapters
    case chapterEvents(slug: String)
    case event(Event.ID)
    case eventRegistrations(Event.ID)
    /// The organisers' registration questions of an event (what its form asks).
    case eventQuestions(Event.ID)
    /// A confidential incident report about an event (public, rate-limited; the reporter may stay anonymous).
    case eventIncidents(Event.ID)
    case registration(Registration.ID)
    case cancelRegistration(Registration.ID)
    case acceptRegistration(Registration.ID)
    case declineRegistration(Registration.ID)
    /// The event's tables and rounds: setup, plan, people, where the evening is.
    case eventRoom(Event.ID)
    case eventRoomPlan(Event.ID)
    case eventRoomMoves(Event.ID)
    case eventRoomRounds(Event.ID)
    /// Human bingo: every card of the event (organisers), an attendee's own card and its ticks.
    case eventBingo(Event.ID)
    case registrationBingo(Registration.ID)
    case registrationBingoTicks(Registration.ID)
    /// The quiz library: a chapter's quizzes and polls, one quiz; an event's games and one game's results.
    case chapterQuizzes(slug: String)
    case quiz(Quiz.ID)
    case eventQuizGames(Event.ID)
    case eventQuizGame(Event.ID, game: QuizSession.ID)
    /// A chapter's audience: following it (anyone), unsubscribing with a mail's token, and the
    /// organisers' view and messages (now or scheduled; a scheduled one changed or cancelled).
    case chapterFollowers(slug: String)
    case audienceUnsubscribe
    case chapterAudience(slug: String)
    case chapterAudienceMessages(slug: String)
    case chapterAudienceMessage(slug: String, message: UUID)
    case openAPI
    /// After the evening: its result (organisers), the speaker's links, sending the morning-after
    /// mail now; and the attendee's feedback (with the feedback token of the mail's link).
    case eventResult(Event.ID)
    case eventFollowUp(Event.ID)
    case eventFollowUpSend(Event.ID)
    case feedback
    /// An attendee's own data (their session cookie, or one registration's `X-Manage-Token`):
    /// GET exports it, DELETE erases it; PUT `consents` changes consents at once.
    case myData
    case myConsents
    /// Demand and attendance (organisers): GET the waitlist, second evenings, no-show forecast and
    /// overbooking; POST `overflow` opens a second evening; PUT `overbooking`; POST `attendance-checks`.
    case eventDemand(Event.ID)
    case eventOverflow(Event.ID)
    case eventOverbooking(Event.ID)
    case eventAttendanceChecks(Event.ID)
    /// Insights (issue 15): a chapter's last evenings (its organisers), the network rolled up (admins).
    case chapterInsights(slug: String)
    case networkInsights
    /// The door (door staff and organisers): its counts and hours, its list and search, check-ins
    /// by ticket or id, undo, walk-ins; organisers widen its hours.
    case eventDoor(Event.ID)
    case eventDoorPeople(Event.ID)
    case eventDoorCheckIns(Event.ID)
    case eventDoorUndo(Event.ID)
    case eventDoorWalkIns(Event.ID)
    case eventDoorWindow(Event.ID)
    /// Attendance (organisers): who came, and corrections once the evening has begun.
    case eventAttendance(Event.ID)
    case eventAttendanceEntry(Event.ID, registration: Registration.ID)
    /// Badges as PDF: the evening's print run (organisers), one person's label (door staff too).
    case eventBadges(Event.ID)
    case eventBadge(Event.ID, registration: Registration.ID)
    /// Webhooks for integrators (organisers): a chapter's endpoints (GET lists, POST adds one and
    /// answers its secret once), one endpoint (DELETE), a test ping, its latest deliveries.
    case chapterWebhooks(slug: String)
    case chapterWebhook(slug: String, WebhookEndpoint.ID)
    case chapterWebhookTest(slug: String, WebhookEndpoint.ID)
    case chapterWebhookDeliveries(slug: String, WebhookEndpoint.ID)

    /// Every address of the API area starts with this (JSON errors, no session cookie, no CSRF check).
    static let areaPrefix = "/api/"

    var pattern: String {
        switch self {
        case .tokens: "/api/v1/tokens"
        case .chapters: "/api/v1/chapters"
        case .chapterEvents: "/api/v1/chapters/:slug/events"
        case .event: "/api/v1/events/:id"
        case .eventRegistrations: "/api/v1/events/:id/registrations"
        case .eventQuestions: "/api/v1/events/:id/questions"
        case .eventIncidents: "/api/v1/events/:id/incidents"
        case .registration: "/api/v1/registrations/:id"
        case .cancelRegistration: "/api/v1/registrations/:id/cancel"
        case .acceptRegistration: "/api/v1/registrations/:id/accept"
        case .declineRegistration: "/api/v1/registrations/:id/decline"
        case .eventRoom: "/api/v1/events/:id/room"
        case .eventRoomPlan: "/api/v1/events/:id/room/plan"
        case .eventRoomMoves: "/api/v1/events/:id/room/moves"
        case .eventRoomRounds: "/api/v1/events/:id/room/rounds"
        case .eventBingo: "/api/v1/events/:id/bingo"
        case .registrationBingo: "/api/v1/registrations/:id/bingo"
        case .registrationBingoTicks: "/api/v1/registrations/:id/bingo/ticks"
        case .chapterQuizzes: "/api/v1/chapters/:slug/quizzes"
        case .quiz: "/api/v1/quizzes/:id"
        case .eventQuizGames: "/api/v1/events/:id/quiz-games"
        case .eventQuizGame: "/api/v1/events/:id/quiz-games/:game"
        case .chapterFollowers: "/api/v1/chapters/:slug/followers"
        case .audienceUnsubscribe: "/api/v1/audience/unsubscribe"
        case .chapterAudience: "/api/v1/chapters/:slug/audience"
        case .chapterAudienceMessages: "/api/v1/chapters/:slug/audience/messages"
        case .chapterAudienceMessage: "/api/v1/chapters/:slug/audience/messages/:message"
        case .openAPI: "/api/openapi.json"
        case .eventResult: "/api/v1/events/:id/result"
        case .eventFollowUp: "/api/v1/events/:id/follow-up"
        case .eventFollowUpSend: "/api/v1/events/:id/follow-up/send"
        case .feedback: "/api/v1/feedback"
        case .myData: "/api/v1/me/data"
        case .myConsents: "/api/v1/me/consents"
        case .eventDemand: "/api/v1/events/:id/demand"
        case .eventOverflow: "/api/v1/events/:id/overflow"
        case .eventOverbooking: "/api/v1/events/:id/overbooking"
        case .eventAttendanceChecks: "/api/v1/events/:id/attendance-checks"
        case .chapterInsights: "/api/v1/chapters/:slug/insights"
        case .networkInsights: "/api/v1/network/insights"
        case .eventDoor: "/api/v1/events/:id/door"
        case .eventDoorPeople: "/api/v1/events/:id/door/people"
        case .eventDoorCheckIns: "/api/v1/events/:id/door/check-ins"
        case .eventDoorUndo: "/api/v1/events/:id/door/undo"
        case .eventDoorWalkIns: "/api/v1/events/:id/door/walk-ins"
        case .eventDoorWindow: "/api/v1/events/:id/door/window"
        case .eventAttendance: "/api/v1/events/:id/attendance"
        case .eventAttendanceEntry: "/api/v1/events/:id/attendance/:registration"
        case .eventBadges: "/api/v1/events/:id/badges"
        case .eventBadge: "/api/v1/events/:id/badges/:registration"
        case .chapterWebhooks: "/api/v1/chapters/:slug/webhooks"
        case .chapterWebhook: "/api/v1/chapters/:slug/webhooks/:webhook"
        case .chapterWebhookTest: "/api/v1/chapters/:slug/webhooks/:webhook/test"
        case .chapterWebhookDeliveries: "/api/v1/chapters/:slug/webhooks/:webhook/deliveries"
        }
    }

    var parameters: [String] {
        switch self {
        case .tokens, .chapters, .openAPI, .audienceUnsubscribe, .myData, .myConsents, .feedback, .networkInsights: []
        case .chapterInsights(let slug): [slug]
        case .chapterWebhooks(let slug): [slug]
        case .chapterWebhook(let slug, let id), .chapterWebhookTest(let slug, let id), .chapterWebhookDeliveries(let slug, let id): [slug, id.description]
        case .eventDoor(let id), .eventDoorPeople(let id), .eventDoorCheckIns(let id), .eventDoorUndo(let id), .eventDoorWalkIns(let id),
             .eventDoorWindow(let id), .eventAttendance(let id), .eventBadges(let id): [id.description]
        case .eventAttendanceEntry(let id, let registration), .eventBadge(let id, let registration): [id.description, registration.description]
        case .eventResult(let id), .eventFollowUp(let id), .eventFollowUpSend(let id): [id.description]
        case .eventDemand(let id), .eventOverflow(let id), .eventOverbooking(let id), .eventAttendanceChecks(let id): [id.description]
        case .chapterFollowers(let slug), .chapterAudience(let slug), .chapterAudienceMessages(let slug): [slug]
        case .chapterAudienceMessage(let slug, let message): [slug, message.uuidString.lowercased()]
        case .chapterEvents(let slug): [slug]
        case .event(let id), .eventRegistrations(let id), .eventQuestions(let id), .eventIncidents(let id), .eventRoom(let id), .eventRoomPlan(let id), .eventRoomMoves(let id),
             .eventRoomRounds(let id), .eventBingo(let id): [id.description]
        case .registration(let id), .cancelRegistration(let id), .acceptRegistration(let id), .declineRegistration(let id),
             .registrationBingo(let id), .registrationBingoTicks(let id): [id.description]
        case .chapterQuizzes(let slug): [slug]
        case .quiz(let id): [id.description]
        case .eventQuizGames(let id): [id.description]
        case .eventQuizGame(let id, let game): [id.description, game.description]
        }
    }

    static var examples: [APIRoute] {
        let event = Event.ID(UUID(uuidString: "6F1C2A7E-3B7D-4C1A-9E55-0A1B2C3D4E5F")!)
        let registration = Registration.ID(UUID(uuidString: "9A8B7C6D-5E4F-4A3B-8C2D-1E0F9A8B7C6D")!)
        return [.tokens, .chapters, .chapterEvents(slug: "toulouse"), .event(event), .eventRegistrations(event), .eventQuestions(event), .eventIncidents(event),
                .registration(registration), .cancelRegistration(registration), .acceptRegistration(registration),
                .declineRegistration(registration), .eventRoom(event), .eventRoomPlan(event), .eventRoomMoves(event),
                .eventRoomRounds(event), .eventBingo(event), .registrationBingo(registration), .registrationBingoTicks(registration), .openAPI]
            + quizExamples(event: event)
            + [.chapterFollowers(slug: "toulouse"), .audienceUnsubscribe, .chapterAudience(slug: "toulouse"), .chapterAudienceMessages(slug: "toulouse"),
               .chapterAudienceMessage(slug: "toulouse", message: UUID(uuidString: "0F1E2D3C-4B5A-4968-8776-655443322110")!),
               .myData, .myConsents]
            + [.eventResult(event), .eventFollowUp(event), .eventFollowUpSend(event), .feedback]
            + [.eventDemand(event), .eventOverflow(event), .eventOverbooking(event), .eventAttendanceChecks(event)]
            + [.chapterInsights(slug: "toulouse"), .networkInsights]
            + [.eventDoor(event), .eventDoorPeople(event), .eventDoorCheckIns(event), .eventDoorUndo(event), .eventDoorWalkIns(event), .eventDoorWindow(event),
               .eventAttendance(event), .eventAttendanceEntry(event, registration: registration), .eventBadges(event), .eventBadge(event, registration: registration)]
            + webhookExamples
    }

    static var webhookExamples: [APIRoute] {
        let endpoint = WebhookEndpoint.ID(UUID(uuidString: "5E6F7A8B-9C0D-4E1F-8A2B-3C4D5E6F7A8B")!)
        return [.chapterWebhooks(slug: "toulouse"), .chapterWebhook(slug: "toulouse", endpoint), .chapterWebhookTest(slug: "toulouse", endpoint),
                .chapterWebhookDeliveries(slug: "toulouse", endpoint)]
    }

    static func quizExamples(event: Event.ID) -> [APIRoute] {
        let quiz = Quiz.ID(UUID(uuidString: "3C4D5E6F-7A8B-4C9D-8E0F-1A2B3C4D5E6F")!)
        let game = QuizSession.ID(UUID(uuidString: "7E6D5C4B-3A29-4180-9F8E-7D6C5B4A3928")!)
        return [.chapterQuizzes(slug: "toulouse"), .quiz(quiz), .eventQuizGames(event), .eventQuizGame(event, game: game)]
    }
}
