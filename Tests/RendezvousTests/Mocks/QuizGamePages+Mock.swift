import Foundation
import RendezvousDomain
@testable import RendezvousWeb

extension QuizEnterPage {
    static let mock = QuizEnterPage(chrome: Chrome(title: "Join the quiz", language: .en, path: PublicRoute.quizEnter.path),
                                    action: PublicRoute.quizEnter.path, code: "", hasError: false, error: "")
    static let mockUnknown = QuizEnterPage(chrome: Chrome(title: "Join the quiz", language: .en, path: PublicRoute.quizEnter.path),
                                           action: PublicRoute.quizEnter.path, code: "123 456", hasError: true,
                                           error: "No quiz is running with this code. Check the code on the big screen.")
}

extension QuizJoinPage {
    static func mock(attendee: Bool, error: String? = nil) -> QuizJoinPage {
        QuizJoinPage(chrome: Chrome(title: "LinkedIn trivia", language: .fr, path: PublicRoute.quizJoin(code: "482913").path),
                     title: "LinkedIn trivia", action: PublicRoute.quizJoin(code: "482913").path,
                     attendeeName: attendee ? "Karim B." : "", hasAttendee: attendee,
                     nickname: FormField(name: "nickname", label: "Pseudo", value: error == nil ? "" : "\u{202E}", required: true,
                                         hint: "Affiché sur le grand écran. 24 caractères au plus.", error: error, maxLength: 24, autocomplete: "nickname"))
    }
}

extension QuizPlayPage {
    static let mock = QuizPlayPage(chrome: Chrome(title: "LinkedIn trivia", language: .en, path: PublicRoute.quizPlay(code: "482913").path),
                                   title: "LinkedIn trivia", live: QuizLiveAttributes.make(role: "player", event: Mock.event, query: "as=player", language: .en))
}

extension GamePage {
    static let mock: GamePage = {
        let event = Mock.event
        var page = GamePage(
            chrome: Chrome(title: "Quiz", language: .en, path: OrganizeRoute.game(event).path), csrf: "csrf-token", title: "Rencontre trimestrielle",
            eventURL: OrganizeRoute.event(event).path, libraryURL: OrganizeRoute.quizzes(slug: "toulouse").path,
            startURL: OrganizeRoute.startGame(event).path, commandURL: OrganizeRoute.gameCommand(event).path,
            own: [.init(value: "q1", label: "Brise-glace de la rentrée (5 questions, Français)", selected: false)],
            templates: [.init(value: "t1", label: "LinkedIn trivia (8 questions, English)", selected: false),
                        .init(value: "t2", label: "Your sector? (poll, English)", selected: false)],
            hasPlan: true, screenURL: "/screen/\(event)?key=k3y", joinURL: "https://rendezvous.test/q",
            live: QuizLiveAttributes.make(role: "presenter", event: event, query: "as=presenter", language: .en),
            scripts: ["/static/live.js?v=5", "/static/quiz.js?v=5"], qr: "/q/{code}/qr.png")
        page.hasOwn = true
        page.hasTemplates = true
        page.hasOptions = true
        page.current = .init(title: "LinkedIn trivia", code: "482913", version: 4, phase: "question open", running: true,
                             resultsURL: OrganizeRoute.quizResults(event, game: QuizSession.ID(UUID(uuidString: "7E6D5C4B-3A29-4180-9F8E-7D6C5B4A3928")!)).path)
        return page
    }()
}
