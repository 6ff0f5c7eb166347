import Foundation
import RendezvousDomain
@testable import RendezvousWeb

extension MePage {
    static let mock = MePage(
        chrome: Chrome(title: "My Rendezvous", language: .en, path: MeRoute.home.path),
        signedInAs: "ana@example.org", csrf: Mock.csrf, notice: "You are connected.",
        upcoming: [.init(eventTitle: "Rencontre trimestrielle", chapterName: "#LinkedInLocal Toulouse", date: "Friday 15 January 2027 · 18:30",
                         venue: "Halles de la Cartoucherie", hasVenue: true, statusText: "Confirmed: your seat is reserved.", statusClass: "ok",
                         manageURL: PublicRoute.manage(token: Mock.token).path, ticketURL: PublicRoute.ticketCode(token: Mock.token).path, hasTicket: true,
                         seat: "Table 4", hasSeat: true, peopleURL: MeRoute.event(Mock.event).path, hasPeople: true)],
        past: [.init(eventTitle: "Rencontre de rentrée", chapterName: "#LinkedInLocal Lyon", date: "Thursday 10 September 2026 · 19:00",
                     venue: "", hasVenue: false, statusText: "Registered", statusClass: "ok", manageURL: PublicRoute.manage(token: Mock.token).path,
                     ticketURL: "", hasTicket: false, seat: "", hasSeat: false, peopleURL: MeRoute.event(Mock.event).path, hasPeople: true)],
        hasUpcoming: true, hasPast: true,
        incoming: [person(name: "Karim Benali", state: "Karim Benali says you met", incoming: true)],
        hasIncoming: true,
        people: [person(name: "Léa Martin", state: "Connected", incoming: false, email: "lea@example.org", note: "aeronautics hiring"),
                 person(name: "Zoé Petit", state: "Waiting for their answer", incoming: false)],
        hasPeople: true)

    static func person(name: String, state: String, incoming: Bool, email: String = "", note: String = "") -> Person {
        let id = "5b8e2c1a-0f3d-4e6b-9a7c-2d1e0f9a8b7c"
        return Person(personID: name == "Léa Martin" ? id : "6b8e2c1a-0f3d-4e6b-9a7c-2d1e0f9a8b7c", personName: name, personRole: "CTO · Acme", hasRole: true, evening: "Rencontre trimestrielle · #LinkedInLocal Toulouse",
                      stateText: state, stateClass: state == "Connected" ? "ok" : "wait",
                      personLinkedin: email.isEmpty ? "" : "https://www.linkedin.com/in/lea-martin", hasLinkedin: !email.isEmpty,
                      personEmail: email, hasEmail: !email.isEmpty, personAsk: "robots", hasAsk: true, myNote: note,
                      noteURL: MeRoute.contactAction(id: id, action: .note).path, acceptURL: MeRoute.contactAction(id: id, action: .accept).path,
                      declineURL: MeRoute.contactAction(id: id, action: .decline).path, removeURL: MeRoute.contactAction(id: id, action: .remove).path,
                      incoming: incoming)
    }
}

extension MeProfilePage {
    static let mock = MeProfilePage(
        chrome: Chrome(title: "My profile", language: .en, path: MeRoute.profile.path), csrf: Mock.csrf, notice: nil,
        error: "Please correct the fields marked below.",
        fields: [FormField(name: "firstName", label: "First name", value: "Ana", required: true, error: nil, maxLength: 80, autocomplete: "given-name"),
                 FormField(name: "linkedinUrl", label: "LinkedIn", value: "javascript:x", type: "url", required: false,
                           error: "Enter a linkedin.com address.", maxLength: 200, autocomplete: "url")],
        askField: FormField(name: "askMeAbout", label: "Ask me about…", value: "", required: false, error: nil, maxLength: 140, autocomplete: "off"),
        shareEmail: false, shareLinkedin: true, signedInAs: "ana@example.org")
}

extension MeEventPage {
    static let mock = MeEventPage(
        chrome: Chrome(title: "Rencontre trimestrielle", language: .en, path: MeRoute.event(Mock.event).path), csrf: Mock.csrf,
        eventTitle: "Rencontre trimestrielle", date: "Friday 15 January 2027 · #LinkedInLocal Toulouse", action: MeRoute.eventMet(Mock.event).path,
        notice: nil,
        attendees: [.init(registration: "5b8e2c1a-0f3d-4e6b-9a7c-2d1e0f9a8b7c", attendeeName: "Léa Martin", attendeeRole: "CTO · Acme", hasRole: true,
                          stateText: "", hasState: false, canSay: true),
                    .init(registration: "6b8e2c1a-0f3d-4e6b-9a7c-2d1e0f9a8b7c", attendeeName: "Karim Benali", attendeeRole: "", hasRole: false,
                          stateText: "Connected", hasState: true, canSay: false)],
        hasAttendees: true)
}

extension ContactPage {
    static var mockWeMet: ContactPage {
        var page = ContactPage.mock
        page.weMet = WeMetBlock(action: MeRoute.cardMet(token: Mock.token).path, csrfField: "_csrf", csrfValue: Mock.csrf,
                                heading: "Did you meet Ana Lopez?", stateText: "", hasState: false, canSay: true)
        return page
    }
}
