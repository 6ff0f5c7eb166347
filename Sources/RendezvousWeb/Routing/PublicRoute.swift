import Foundation
import RendezvousDomain

/// What anyone can open: the network, chapters, events, registering and the private manage page,
/// the contact card behind a badge, calendars, the share picture, unsubscribing, applying to start
/// a chapter, static files and the health check.
enum PublicRoute: Route {
    case home
    /// The network in numbers: chapters, countries, evenings held, people met (cached like the home page).
    case network
    case chapter(slug: String)
    /// The chapter's upcoming meetups as a calendar feed.
    case chapterCalendar(slug: String)
    case event(Event.ID)
    case eventCalendar(Event.ID)
    /// The picture a social network shows for a shared event link.
    case shareImage(Event.ID)
    case register(Event.ID)
    /// "Send me my link again": the manage link, mailed to the address on file.
    case resendLink(Event.ID)
    case manage(token: String)
    case manageAction(token: String, action: ManageAction)
    case badgePreview(token: String)
    /// My data for one registration (its manage link): the page, its JSON download, the people
    /// met as vCard, the consents (POST) and erasing the registration (POST; asks first).
    case manageData(token: String)
    case manageDataJSON(token: String)
    case manageDataVCard(token: String)
    case manageDataConsents(token: String)
    case manageDataErase(token: String)
    /// The ticket's QR code.
    case ticketCode(token: String)
    /// What a badge's QR code opens.
    case contactCard(token: String)
    case contactVCard(token: String)
    /// The attendee's bingo card on their phone (manage token), and its tick form's target.
    case bingo(token: String)
    case bingoTick(token: String)
    /// Ticks a square of the scanning phone's card (its bingo cookie) with the badge's owner.
    case contactBingo(token: String)
    case unsubscribe(token: String)
    /// The morning-after mail's two questions (0–10 and a comment), for one registration.
    case feedback(token: String)
    /// Following a chapter with an address (double opt-in), the confirmation link's page, and the
    /// unsubscribe link of the chapter's news.
    case follow(slug: String)
    case confirmFollow(token: String)
    case audienceUnsubscribe(token: String)
    /// The attendee's table this round, as JSON for their phone.
    case seat(token: String)
    /// The evening's big screen (a projector): the round, its countdown, every table.
    case screen(Event.ID)
    /// What the big screen shows, as JSON it polls.
    case screenState(Event.ID)
    /// The live channel of an evening (WebSocket), its Server-Sent Events fallback, and the
    /// fallback's POSTs for answers and the presenter's commands (`docs/live.md`).
    case live(Event.ID)
    case liveEvents(Event.ID)
    case liveAnswer(Event.ID)
    case liveCommand(Event.ID)
    /// Joining a quiz: the code form, one game's join page (nickname, or "join as" for an
    /// attendee), the phone's game page, and joining from the manage page.
    case quizEnter
    case quizJoin(code: String)
    case quizPlay(code: String)
    /// The join page's address as a QR code, for the big screen.
    case quizQR(code: String)
    case quizFromManage(token: String)
    /// The form to start a chapter.
    case apply
    /// A confidential incident report about one meetup (GET the form, POST it; no JavaScript needed).
    case report(Event.ID)
    /// The network's code of conduct.
    case codeOfConduct
    /// A quiz question's picture (an unguessable id; never changes, so cached for a year).
    case quizImage(id: String)
    /// An uploaded picture as the server re-encoded it (`<id>-<digest>.<ext>`: never changes).
    case image(name: String)
    /// A chapter colour as a stylesheet (`<rrggbb>.css`: the colour and its readable text colour).
    case brandStyle(file: String)
    case staticFile(String)
    /// Browsers' default icon address, redirected to the site's icon.
    case favicon
    case healthz
    /// Whether this instance can take traffic: database, migrations, outbox (for load balancers).
    case readyz
    /// Prometheus' text format (a token, or this machine only).
    case metrics

    /// What an attendee can do from the manage page (posted to `/manage/{token}/{action}`).
    enum ManageAction: String, CaseIterable, Sendable {
        case cancel, accept, decline, profile
        /// Renews the contact token behind the badge's QR code.
        case contact
        /// Undoes the holder's own cancellation while the seat has not been given away.
        case restore
    }

    var pattern: String {
        switch self {
        case .home: "/"
        case .network: "/network"
        case .chapter: "/chapters/:slug"
        case .chapterCalendar: "/chapters/:slug/calendar.ics"
        case .event: "/events/:id"
        case .eventCalendar: "/events/:id/calendar.ics"
        case .shareImage: "/events/:id/share.png"
        case .register: "/events/:id/register"
        case .resendLink: "/events/:id/link"
        case .manage: "/manage/:token"
        case .manageAction: "/manage/:token/:action"
        case .badgePreview: "/manage/:token/badge.png"
        case .manageData: "/manage/:token/data"
        case .manageDataJSON: "/manage/:token/data.json"
        case .manageDataVCard: "/manage/:token/people.vcf"
        case .manageDataConsents: "/manage/:token/data/consents"
        case .manageDataErase: "/manage/:token/data/erase"
        case .ticketCode: "/manage/:token/ticket.png"
        case .contactCard: "/c/:token"
        case .contactVCard: "/c/:token/vcard"
        case .bingo: "/manage/:token/bingo"
        case .bingoTick: "/manage/:token/bingo/tick"
        case .contactBingo: "/c/:token/bingo"
        case .unsubscribe: "/unsubscribe/:token"
        case .feedback: "/feedback/:token"
        case .follow: "/chapters/:slug/follow"
        case .confirmFollow: "/follow/:token"
        case .audienceUnsubscribe: "/audience/unsubscribe/:token"
        case .seat: "/manage/:token/room.json"
        case .screen: "/screen/:id"
        case .report: "/report/:id"
        case .codeOfConduct: "/code-of-conduct"
        case .screenState: "/screen/:id/state.json"
        case .live: "/live/:id"
        case .liveEvents: "/live/:id/events"
        case .liveAnswer: "/live/:id/answer"
        case .liveCommand: "/live/:id/command"
        case .quizEnter: "/q"
        case .quizJoin: "/q/:code"
        case .quizPlay: "/q/:code/play"
        case .quizQR: "/q/:code/qr.png"
        case .quizFromManage: "/manage/:token/quiz"
        case .apply: "/apply"
        case .quizImage: "/quiz-images/:id"
        case .image: "/images/:name"
        case .brandStyle: "/brand/:file"
        case .staticFile: "/static/:file"
        case .favicon: "/favicon.ico"
        case .healthz: "/healthz"
        case .readyz: "/readyz"
        case .metrics: "/metrics"
        }
    }

    var parameters: [String] {
        switch self {
        case .home, .network, .apply, .codeOfConduct, .healthz, .readyz, .metrics, .quizEnter, .favicon: []
        case .live(let id), .liveEvents(let id), .liveAnswer(let id), .liveCommand(let id): [id.description]
        case .quizJoin(let code), .quizPlay(let code), .quizQR(let code): [code]
        case .quizFromManage(let token): [token]
        case .chapter(let slug), .chapterCalendar(let slug), .follow(let slug): [slug]
        case .confirmFollow(let token), .audienceUnsubscribe(let token): [token]
        case .event(let id), .eventCalendar(let id), .shareImage(let id), .register(let id), .resendLink(let id): [id.description]
        case .manage(let token), .badgePreview(let token), .ticketCode(let token), .contactCard(let token),
             .contactVCard(let token), .unsubscribe(let token), .feedback(let token), .bingo(let token), .bingoTick(let token), .contactBingo(let token), .seat(let token),
             .manageData(let token), .manageDataJSON(let token), .manageDataVCard(let token), .manageDataConsents(let token),
             .manageDataErase(let token): [token]
        case .screen(let id), .screenState(let id), .report(let id): [id.description]
        case .manageAction(let token, let action): [token, action.rawValue]
        case .staticFile(let name): [name]
        case .quizImage(let id): [id]
        case .image(let name): [name]
        case .brandStyle(let file): [file]
        }
    }

    static var examples: [PublicRoute] {
        let event = Event.ID(UUID(uuidString: "6F1C2A7E-3B7D-4C1A-9E55-0A1B2C3D4E5F")!)
        let token = "Zm9vYmFy-_token"
        return [
            .home, .network, .chapter(slug: "toulouse"), .chapterCalendar(slug: "toulouse"),
            .event(event), .eventCalendar(event), .shareImage(event), .register(event), .resendLink(event),
            .manage(token: token), .badgePreview(token: token), .ticketCode(token: token),
            .contactCard(token: token), .contactVCard(token: token), .unsubscribe(token: token), .feedback(token: token),
            .bingo(token: token), .bingoTick(token: token), .contactBingo(token: token),
            .manageData(token: token), .manageDataJSON(token: token), .manageDataVCard(token: token),
            .manageDataConsents(token: token), .manageDataErase(token: token),
            .seat(token: token), .screen(event), .screenState(event), .report(event), .codeOfConduct,
            .live(event), .liveEvents(event), .liveAnswer(event), .liveCommand(event),
            .quizEnter, .quizJoin(code: "123456"), .quizPlay(code: "123456"), .quizQR(code: "123456"), .quizFromManage(token: token),
            .follow(slug: "toulouse"), .confirmFollow(token: token), .audienceUnsubscribe(token: token),
            .apply, .staticFile("app.css"), .favicon, .healthz, .readyz, .metrics, .quizImage(id: "5b8e2c1a-0f3d-4e6b-9a7c-2d1e0f9a8b7c"),
            .image(name: "5b8e2c1a-0f3d-4e6b-9a7c-2d1e0f9a8b7c-0123456789abcdef.jpg"), .brandStyle(file: "0a5ea8.css"),
        ] + ManageAction.allCases.map { .manageAction(token: token, action: $0) }
    }

    /// Bumped when app.css or app.js change, so browsers fetch them again despite a year of caching.
    static let assetVersion = "14"
    static var stylesheet: String { staticFile("app.css").path("v", assetVersion) }
    static var script: String { staticFile("app.js").path("v", assetVersion) }
}
