import Foundation
import RendezvousDomain

/// Every address of the organiser workspace. A GET and a POST at the same address share a case
/// (the form and what it posts). The route tables register `route.routerPath`, the pages link
/// with `route.path`.
enum OrganizeRoute: Route {
    /// The chapters the signed-in person is part of.
    case index
    case dashboard(slug: String)
    case newEvent(slug: String)
    /// Posted by the new-event form.
    case createEvent(slug: String)
    case newSeries(slug: String)
    /// Posted by the series form.
    case createSeries(slug: String)
    case team(slug: String)
    case invite(slug: String)
    case removeMember(slug: String, user: User.ID)
    /// Withdraws a pending invitation (a first post without `confirm=yes` asks).
    case revokeInvitation(slug: String, invitation: UUID)
    /// Sends a pending invitation again (the same link, 14 more days).
    case resendInvitation(slug: String, invitation: UUID)
    case audit(slug: String)
    case outbox(slug: String)
    /// Every failed message of the chapter back in the queue.
    case retryAll(slug: String)
    case retryMessage(slug: String, message: UUID)
    /// Confidential incident reports about the chapter's meetups (organisers only), and one report's case record (POST).
    case incidents(slug: String)
    case incident(slug: String, report: UUID)
    case settings(slug: String)
    /// The chapter's audience: followers, messages to them and past attendees, scheduled ones.
    case audience(slug: String)
    /// A scheduled audience message: GET its form, POST saves it.
    case audienceMessage(slug: String, message: UUID)
    /// Cancels a scheduled audience message before it goes.
    case cancelAudienceMessage(slug: String, message: UUID)
    /// The event's page, with its attendees.
    case event(Event.ID)
    case editEvent(Event.ID)
    case publish(Event.ID)
    case unpublish(Event.ID)
    case cancelEvent(Event.ID)
    case capacity(Event.ID)
    case duplicate(Event.ID)
    /// Posted by the add-an-attendee form.
    case addAttendee(Event.ID)
    case cancelAttendee(Event.ID, registration: Registration.ID)
    case promoteAttendee(Event.ID, registration: Registration.ID)
    case noteAttendee(Event.ID, registration: Registration.ID)
    case exportCSV(Event.ID)
    case importCSV(Event.ID)
    case message(Event.ID)
    case badges(Event.ID)
    case badgesPDF(Event.ID)
    /// Human bingo: the overview, (re)generating the cards, the printed cards.
    case bingo(Event.ID)
    case bingoGenerate(Event.ID)
    case bingoPDF(Event.ID)
    /// Table rotations: the setup, the plan, the rounds (presenter controls).
    case room(Event.ID)
    case roomSetup(Event.ID)
    case roomPlan(Event.ID)
    case roomMove(Event.ID)
    case roomPin(Event.ID)
    case roomApart(Event.ID)
    case roomLeft(Event.ID)
    case roomNext(Event.ID)
    case roomPause(Event.ID)
    case roomResume(Event.ID)
    case roomFinish(Event.ID)
    case roomPlanPDF(Event.ID)
    /// The evening's quiz: choosing and starting a game, the presenter's console and its commands
    /// (forms without JavaScript; the live channel with it).
    case game(Event.ID)
    case startGame(Event.ID)
    case gameCommand(Event.ID)
    /// The quiz library: the chapter's quizzes and polls, the network's templates; GET lists, POST creates.
    case quizzes(slug: String)
    /// A copy of a template (or of one of the chapter's quizzes) into the chapter's library.
    case copyQuiz(slug: String, Quiz.ID)
    /// One quiz: its settings and questions; POST saves the title, language and sharing.
    case quiz(slug: String, Quiz.ID)
    /// GET asks for confirmation, POST deletes.
    case deleteQuiz(slug: String, Quiz.ID)
    /// Posted by the add-a-question form (multipart: it may carry a picture).
    case addQuizQuestion(slug: String, Quiz.ID)
    /// One question's form; POST saves it.
    case quizQuestion(slug: String, Quiz.ID, index: Int)
    case deleteQuizQuestion(slug: String, Quiz.ID, index: Int)
    /// Posted with `direction` up or down.
    case moveQuizQuestion(slug: String, Quiz.ID, index: Int)
    /// A game's results as CSV, one row per player.
    case quizResults(Event.ID, game: QuizSession.ID)
    /// The chapter's logo and colour (GET shows, POST saves; multipart for the logo).
    case branding(slug: String)
    /// The event's cover picture and its alternative text, and its speakers' photos.
    case eventImages(Event.ID)
    /// One speaker's photo (POST: upload or remove).
    case speakerPhoto(Event.ID, speaker: Speaker.ID)
    /// The registration questions a meetup asks (its own, and the chapter's): GET lists, POST adds.
    case questions(Event.ID)
    /// A first post without `confirm=yes` asks.
    case removeQuestion(Event.ID, question: RegistrationQuestion.ID)
    /// Posted with `direction` up or down.
    case moveQuestion(Event.ID, question: RegistrationQuestion.ID)
    /// Opening a second evening from the waitlist: GET the pre-filled form, POST creates it and
    /// offers its seats to the queue.
    case overflow(Event.ID)
    /// POST: turn overbooking on (with the room's physical limit) or off.
    case overbooking(Event.ID)
    /// POST: the friendly "tell us if you can't come" note to those who missed two evenings before.
    case attendanceCheck(Event.ID)
    /// After the evening: its result (feedback, contacts, who met three people), the follow-up
    /// mails' schedule, and the speaker's links for the morning-after mail (POST saves them).
    case followUp(Event.ID)
    /// POST: send the morning-after mail now instead of at 9:00 (a first post without `confirm=yes` asks).
    case followUpSend(Event.ID)
    /// The chapter's insights (its last evenings in charts), and one chart's data as CSV.
    case insights(slug: String)
    case insightsCSV(slug: String, chart: String)
    /// Webhooks for integrators: the chapter's endpoints (GET lists, POST adds one and shows its
    /// secret once), one endpoint with its deliveries, and what can be done to it (POST each).
    case webhooks(slug: String)
    case webhook(slug: String, WebhookEndpoint.ID)
    case webhookRotate(slug: String, WebhookEndpoint.ID)
    /// Posted with `enabled` on or off.
    case webhookEnabled(slug: String, WebhookEndpoint.ID)
    /// A first post without `confirm=yes` asks.
    case webhookDelete(slug: String, WebhookEndpoint.ID)
    case webhookPing(slug: String, WebhookEndpoint.ID)
    case webhookRedeliver(slug: String, WebhookEndpoint.ID, delivery: WebhookDelivery.ID)

    var pattern: String {
        switch self {
        case .index: "/organize"
        case .dashboard: "/organize/:slug"
        case .newEvent: "/organize/:slug/events/new"
        case .createEvent: "/organize/:slug/events"
        case .newSeries: "/organize/:slug/series/new"
        case .createSeries: "/organize/:slug/series"
        case .team: "/organize/:slug/team"
        case .invite: "/organize/:slug/team/invite"
        case .removeMember: "/organize/:slug/team/:user/remove"
        case .revokeInvitation: "/organize/:slug/team/invitations/:invitation/revoke"
        case .resendInvitation: "/organize/:slug/team/invitations/:invitation/resend"
        case .audit: "/organize/:slug/audit"
        case .outbox: "/organize/:slug/outbox"
        case .retryAll: "/organize/:slug/outbox/retry"
        case .retryMessage: "/organize/:slug/outbox/:message/retry"
        case .incidents: "/organize/:slug/incidents"
        case .incident: "/organize/:slug/incidents/:report"
        case .settings: "/organize/:slug/settings"
        case .audience: "/organize/:slug/audience"
        case .audienceMessage: "/organize/:slug/audience/:message"
        case .cancelAudienceMessage: "/organize/:slug/audience/:message/cancel"
        case .event: "/organize/events/:id"
        case .editEvent: "/organize/events/:id/edit"
        case .publish: "/organize/events/:id/publish"
        case .unpublish: "/organize/events/:id/unpublish"
        case .cancelEvent: "/organize/events/:id/cancel"
        case .capacity: "/organize/events/:id/capacity"
        case .duplicate: "/organize/events/:id/duplicate"
        case .addAttendee: "/organize/events/:id/attendees"
        case .cancelAttendee: "/organize/events/:id/attendees/:registration/cancel"
        case .promoteAttendee: "/organize/events/:id/attendees/:registration/promote"
        case .noteAttendee: "/organize/events/:id/attendees/:registration/note"
        case .exportCSV: "/organize/events/:id/attendees.csv"
        case .importCSV: "/organize/events/:id/import"
        case .message: "/organize/events/:id/message"
        case .badges: "/organize/events/:id/badges"
        case .badgesPDF: "/organize/events/:id/badges.pdf"
        case .bingo: "/organize/events/:id/bingo"
        case .bingoGenerate: "/organize/events/:id/bingo/generate"
        case .bingoPDF: "/organize/events/:id/bingo.pdf"
        case .room: "/organize/events/:id/room"
        case .roomSetup: "/organize/events/:id/room/setup"
        case .roomPlan: "/organize/events/:id/room/plan"
        case .roomMove: "/organize/events/:id/room/move"
        case .roomPin: "/organize/events/:id/room/pin"
        case .roomApart: "/organize/events/:id/room/apart"
        case .roomLeft: "/organize/events/:id/room/left"
        case .roomNext: "/organize/events/:id/room/next"
        case .roomPause: "/organize/events/:id/room/pause"
        case .roomResume: "/organize/events/:id/room/resume"
        case .roomFinish: "/organize/events/:id/room/finish"
        case .roomPlanPDF: "/organize/events/:id/room/plan.pdf"
        case .game: "/organize/events/:id/quiz"
        case .startGame: "/organize/events/:id/quiz/start"
        case .gameCommand: "/organize/events/:id/quiz/command"
        case .quizzes: "/organize/:slug/quizzes"
        case .copyQuiz: "/organize/:slug/quizzes/:quiz/copy"
        case .quiz: "/organize/:slug/quizzes/:quiz"
        case .deleteQuiz: "/organize/:slug/quizzes/:quiz/delete"
        case .addQuizQuestion: "/organize/:slug/quizzes/:quiz/questions"
        case .quizQuestion: "/organize/:slug/quizzes/:quiz/questions/:index"
        case .deleteQuizQuestion: "/organize/:slug/quizzes/:quiz/questions/:index/delete"
        case .moveQuizQuestion: "/organize/:slug/quizzes/:quiz/questions/:index/move"
        case .quizResults: "/organize/events/:id/quiz-results/:game"
        case .branding: "/organize/:slug/branding"
        case .eventImages: "/organize/events/:id/images"
        case .speakerPhoto: "/organize/events/:id/speakers/:speaker/photo"
        case .questions: "/organize/events/:id/questions"
        case .removeQuestion: "/organize/events/:id/questions/:question/remove"
        case .moveQuestion: "/organize/events/:id/questions/:question/move"
        case .overflow: "/organize/events/:id/overflow"
        case .overbooking: "/organize/events/:id/overbooking"
        case .attendanceCheck: "/organize/events/:id/attendance-check"
        case .followUp: "/organize/events/:id/follow-up"
        case .followUpSend: "/organize/events/:id/follow-up/send"
        case .insights: "/organize/:slug/insights"
        case .insightsCSV: "/organize/:slug/insights/csv/:chart"
        case .webhooks: "/organize/:slug/webhooks"
        case .webhook: "/organize/:slug/webhooks/:webhook"
        case .webhookRotate: "/organize/:slug/webhooks/:webhook/rotate"
        case .webhookEnabled: "/organize/:slug/webhooks/:webhook/enabled"
        case .webhookDelete: "/organize/:slug/webhooks/:webhook/delete"
        case .webhookPing: "/organize/:slug/webhooks/:webhook/ping"
        case .webhookRedeliver: "/organize/:slug/webhooks/:webhook/deliveries/:delivery/redeliver"
        }
    }

    var parameters: [String] {
        switch self {
        case .index: []
        case .dashboard(let slug), .newEvent(let slug), .createEvent(let slug), .newSeries(let slug), .createSeries(let slug),
             .team(let slug), .invite(let slug), .audit(let slug), .outbox(let slug), .retryAll(let slug), .settings(let slug), .incidents(let slug): [slug]
        case .incident(let slug, let report): [slug, report.uuidString.lowercased()]
        case .removeMember(let slug, let user): [slug, user.description]
        case .revokeInvitation(let slug, let invitation), .resendInvitation(let slug, let invitation): [slug, invitation.uuidString.lowercased()]
        case .retryMessage(let slug, let message), .audienceMessage(let slug, let message), .cancelAudienceMessage(let slug, let message):
            [slug, message.uuidString.lowercased()]
        case .audience(let slug), .insights(let slug): [slug]
        case .insightsCSV(let slug, let chart): [slug, chart]
        case .event(let id), .editEvent(let id), .publish(let id), .unpublish(let id), .cancelEvent(let id), .capacity(let id),
             .duplicate(let id), .addAttendee(let id), .exportCSV(let id), .importCSV(let id), .message(let id), .badges(let id),
             .badgesPDF(let id), .bingo(let id), .bingoGenerate(let id), .bingoPDF(let id), .room(let id), .roomSetup(let id), .roomPlan(let id), .roomMove(let id), .roomPin(let id),
             .roomApart(let id), .roomLeft(let id), .roomNext(let id), .roomPause(let id), .roomResume(let id), .roomFinish(let id),
             .roomPlanPDF(let id), .game(let id), .startGame(let id), .gameCommand(let id): [id.description]
        case .cancelAttendee(let id, let registration), .promoteAttendee(let id, let registration), .noteAttendee(let id, let registration):
            [id.description, registration.description]
        case .quizzes(let slug): [slug]
        case .copyQuiz(let slug, let quiz), .quiz(let slug, let quiz), .deleteQuiz(let slug, let quiz), .addQuizQuestion(let slug, let quiz):
            [slug, quiz.description]
        case .quizQuestion(let slug, let quiz, let index), .deleteQuizQuestion(let slug, let quiz, let index), .moveQuizQuestion(let slug, let quiz, let index):
            [slug, quiz.description, String(index)]
        case .quizResults(let id, let game): [id.description, game.description]
        case .branding(let slug): [slug]
        case .eventImages(let id): [id.description]
        case .speakerPhoto(let id, let speaker): [id.description, speaker.description]
        case .questions(let id), .overflow(let id), .overbooking(let id), .attendanceCheck(let id), .followUp(let id), .followUpSend(let id): [id.description]
        case .removeQuestion(let id, let question), .moveQuestion(let id, let question): [id.description, question.description]
        case .webhooks(let slug): [slug]
        case .webhook(let slug, let id), .webhookRotate(let slug, let id), .webhookEnabled(let slug, let id), .webhookDelete(let slug, let id),
             .webhookPing(let slug, let id): [slug, id.description]
        case .webhookRedeliver(let slug, let id, let delivery): [slug, id.description, delivery.description]
        }
    }

    static var examples: [OrganizeRoute] {
        let slug = "toulouse"
        let event = Event.ID(UUID(uuidString: "6F1C2A7E-3B7D-4C1A-9E55-0A1B2C3D4E5F")!)
        let registration = Registration.ID(UUID(uuidString: "9A8B7C6D-5E4F-4A3B-8C2D-1E0F9A8B7C6D")!)
        let user = User.ID(UUID(uuidString: "1B2C3D4E-5F60-4718-8293-A4B5C6D7E8F9")!)
        let message = UUID(uuidString: "0F1E2D3C-4B5A-4968-8776-655443322110")!
        return [
            .index, .dashboard(slug: slug), .newEvent(slug: slug), .createEvent(slug: slug), .newSeries(slug: slug),
            .createSeries(slug: slug), .team(slug: slug), .invite(slug: slug), .removeMember(slug: slug, user: user),
            .audit(slug: slug), .outbox(slug: slug), .retryAll(slug: slug), .retryMessage(slug: slug, message: message),
            .settings(slug: slug), .revokeInvitation(slug: slug, invitation: message), .resendInvitation(slug: slug, invitation: message),
            .event(event), .editEvent(event), .publish(event), .unpublish(event), .cancelEvent(event), .capacity(event),
            .duplicate(event), .addAttendee(event), .cancelAttendee(event, registration: registration),
            .promoteAttendee(event, registration: registration), .noteAttendee(event, registration: registration),
            .exportCSV(event), .importCSV(event), .message(event), .badges(event), .badgesPDF(event),
            .bingo(event), .bingoGenerate(event), .bingoPDF(event),
            .room(event), .roomSetup(event), .roomPlan(event), .roomMove(event), .roomPin(event), .roomApart(event), .roomLeft(event),
            .roomNext(event), .roomPause(event), .roomResume(event), .roomFinish(event), .roomPlanPDF(event),
            .game(event), .startGame(event), .gameCommand(event),
        ] + quizExamples(slug: slug, event: event) + imageExamples(slug: slug, event: event) + questionExamples(event: event)
            + [.audience(slug: slug), .audienceMessage(slug: slug, message: message), .cancelAudienceMessage(slug: slug, message: message)]
            + [.incidents(slug: slug), .incident(slug: slug, report: message)]
            + [.overflow(event), .overbooking(event), .attendanceCheck(event)]
            + [.followUp(event), .followUpSend(event)]
            + [.insights(slug: slug), .insightsCSV(slug: slug, chart: "attendance")]
            + webhookExamples(slug: slug)
    }

    static func webhookExamples(slug: String) -> [OrganizeRoute] {
        let endpoint = WebhookEndpoint.ID(UUID(uuidString: "5E6F7A8B-9C0D-4E1F-8A2B-3C4D5E6F7A8B")!)
        let delivery = WebhookDelivery.ID(UUID(uuidString: "6F7A8B9C-0D1E-4F2A-9B3C-4D5E6F7A8B9C")!)
        return [.webhooks(slug: slug), .webhook(slug: slug, endpoint), .webhookRotate(slug: slug, endpoint), .webhookEnabled(slug: slug, endpoint),
                .webhookDelete(slug: slug, endpoint), .webhookPing(slug: slug, endpoint), .webhookRedeliver(slug: slug, endpoint, delivery: delivery)]
    }

    static func imageExamples(slug: String, event: Event.ID) -> [OrganizeRoute] {
        let speaker = Speaker.ID(UUID(uuidString: "2A3B4C5D-6E7F-4081-9A2B-3C4D5E6F7A8B")!)
        return [.branding(slug: slug), .eventImages(event), .speakerPhoto(event, speaker: speaker)]
    }

    static func questionExamples(event: Event.ID) -> [OrganizeRoute] {
        let question = RegistrationQuestion.ID(UUID(uuidString: "4D5E6F7A-8B9C-4DAE-8F01-2B3C4D5E6F7A")!)
        return [.questions(event), .removeQuestion(event, question: question), .moveQuestion(event, question: question)]
    }

    static func quizExamples(slug: String, event: Event.ID) -> [OrganizeRoute] {
        let quiz = Quiz.ID(UUID(uuidString: "3C4D5E6F-7A8B-4C9D-8E0F-1A2B3C4D5E6F")!)
        let game = QuizSession.ID(UUID(uuidString: "7E6D5C4B-3A29-4180-9F8E-7D6C5B4A3928")!)
        return [.quizzes(slug: slug), .copyQuiz(slug: slug, quiz), .quiz(slug: slug, quiz), .deleteQuiz(slug: slug, quiz),
                .addQuizQuestion(slug: slug, quiz), .quizQuestion(slug: slug, quiz, index: 3), .deleteQuizQuestion(slug: slug, quiz, index: 3),
                .moveQuizQuestion(slug: slug, quiz, index: 3), .quizResults(event, game: game)]
    }
}
