import Foundation
import RendezvousDomain
@testable import RendezvousWeb

extension BingoPage {
    /// A 3 × 3 card with two squares ticked, one refused tick, and the form.
    static let mock: BingoPage = {
        let path = PublicRoute.bingo(token: Mock.token).path
        let texts = ["Find someone who works in engineering", "Find someone who works at Airbus <SAS>", "Find someone to ask about jazz",
                     "Find someone at their first meetup", "Find someone who has lived abroad", "Find someone who plays music",
                     "Find a student", "Find someone who has a pet", "Find someone who volunteers"]
        let ticked: [Int: String] = [0: "Ticked with Karim Benali", 4: "Ticked with 王芳 Li"]
        return BingoPage(
            chrome: Chrome(title: "Your bingo card", language: .en, path: path),
            eventTitle: "Rencontre trimestrielle", manageURL: PublicRoute.manage(token: Mock.token).path,
            notice: nil, error: "Ana Lopez does not match this square.", message: nil, size: 3,
            squares: texts.indices.map { index in
                .init(index: index, number: index + 1, text: texts[index], ticked: ticked[index] != nil, state: ticked[index] ?? "To find",
                      pickURL: ticked[index] == nil ? "\(path)?square=\(index)#tick" : nil)
            },
            lineText: nil, fullText: nil, tickURL: PublicRoute.bingoTick(token: Mock.token).path,
            openSquares: texts.indices.filter { ticked[$0] == nil }.map { .init(value: String($0), label: "\($0 + 1). \(texts[$0])", selected: $0 == 1) },
            people: [.init(value: Mock.registration.description, label: "Ana Lopez", selected: true),
                     .init(value: Mock.waitingRegistration.description, label: "Marc <Waiting>", selected: false)],
            hasForm: true)
    }()
}

extension ContactPage {
    /// Scanned by a phone holding a bingo card for the same evening.
    static let mockBingo: ContactPage = {
        var page = ContactPage.mock
        page.bingoError = "Ana Lopez already filled another square of your card: find someone else."
        page.bingo = ContactBingo(
            title: "Tick a bingo square with Ana Lopez", action: PublicRoute.contactBingo(token: Mock.token).path, cookie: "signed-cookie-token",
            squares: [.init(index: 2, text: "Find someone to ask about Swift on the server"), .init(index: 7, text: "Find someone who works at Acme <b>")],
            none: nil)
        return page
    }()
}

extension BingoOrganizePage {
    static let mock = BingoOrganizePage(
        chrome: .organizer("Human bingo", path: OrganizeRoute.bingo(Mock.event).path), csrf: Mock.csrf,
        title: "Rencontre trimestrielle", eventURL: OrganizeRoute.event(Mock.event).path, notice: "Cards generated.",
        players: "Confirmed: 42 (opted in to the games: 35).", cards: "Cards: 42 (with squares: 41).", progress: "Lines announced: 3 · full cards: 1.",
        none: nil, generateURL: OrganizeRoute.bingoGenerate(Mock.event).path, pdfURL: OrganizeRoute.bingoPDF(Mock.event).path,
        sizes: [.init(value: "4", label: "4 × 4", selected: false), .init(value: "5", label: "5 × 5", selected: true)])
}
