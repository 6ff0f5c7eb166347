import Foundation
import RendezvousDomain
@testable import RendezvousWeb

extension DoorPage {
    /// After a search and an admission, with a conflict from an offline phone.
    static let mock: DoorPage = {
        var chrome = Chrome(title: "Door · Rencontre trimestrielle", language: .en, path: DoorRoute.page(Mock.event).path)
        chrome.session = SessionNav(Mock.session(Mock.organizer))
        return DoorPage(
            chrome: chrome, eventId: Mock.event.description, csrf: Mock.csrf, by: "Ana Organiser", title: "Rencontre trimestrielle",
            date: "Sunday, 14 February 2027 · 18:30", notToday: "This meetup is on Sunday, 14 February 2027",
            window: "Check-in is open from 14 February 2027, 15:30 to 15 February 2027, 01:00.",
            windowForm: .init(url: DoorRoute.window(Mock.event).path, options: [.init(value: "3", label: "3 h", selected: true), .init(value: "24", label: "24 h", selected: false)]),
            dashboardURL: WorkspaceLinks.event(Mock.event),
            checkedIn: 12, expected: 40, walkIns: 2, overCapacity: false,
            result: true, resultClass: "ok", resultTitle: "Welcome, Marie!", resultDetail: "Marie Quinquies",
            query: "mar",
            people: [
                .init(id: Mock.registration.description, name: "Marie Quinquies", role: "Consultante · Indépendante", status: "confirmed", statusLabel: "Confirmed",
                      arrival: "Arrived 18:41 (Ana Organiser)", canCheckIn: true, checkInURL: DoorRoute.checkIns(Mock.event).path, undoURL: DoorRoute.undo(Mock.event).path),
                .init(id: "1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e", name: "Marion Later", role: "Designer", status: "confirmed", statusLabel: "Confirmed",
                      arrival: nil, canCheckIn: true, checkInURL: DoorRoute.checkIns(Mock.event).path, undoURL: DoorRoute.undo(Mock.event).path),
                .init(id: "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", name: "Marc Waiting", role: "", status: "waitlisted", statusLabel: "On the waiting list",
                      arrival: nil, canCheckIn: false, checkInURL: DoorRoute.checkIns(Mock.event).path, undoURL: DoorRoute.undo(Mock.event).path),
            ],
            walkInURL: DoorRoute.walkIns(Mock.event).path,
            walkInFields: [
                FormField(name: "firstName", label: "First name", value: "", required: true, error: nil, maxLength: 80, autocomplete: "off"),
                FormField(name: "email", label: "Email", value: "", type: "email", required: false, error: nil, maxLength: 254, autocomplete: "off"),
            ],
            conflicts: ["Marie Quinquies · Door phone 2 · 18:42"])
    }()
}

extension TicketPage {
    /// What anyone opening a ticket link sees.
    static let mock = TicketPage(
        chrome: Chrome(title: "Ticket", language: .en, path: DoorRoute.ticket(token: Mock.token).path),
        resultClass: "", resultTitle: "Ana’s ticket", resultDetail: "Show this at the door.", eventTitle: "Rencontre trimestrielle",
        eventURL: PublicRoute.event(Mock.event).path, date: "Sunday, 14 February 2027 · 18:30", doorURL: nil)

    /// Door staff, before admission: the one button.
    static var mockAdmit: TicketPage {
        var page = mock
        page.chrome.session = SessionNav(Mock.session(Mock.organizer))
        page.resultDetail = "Ana Lopez · Founder · Acme"
        page.doorURL = DoorRoute.page(Mock.event).path
        page.admitURL = DoorRoute.ticket(token: Mock.token).path
        page.csrf = Mock.csrf
        page.heading = true
        return page
    }

    /// Door staff serving another evening: refused in red, no button, the way back to their door.
    static var mockOtherEvening: TicketPage {
        var page = mock
        page.chrome.session = SessionNav(Mock.session(Mock.organizer))
        page.resultClass = "bad"
        page.resultTitle = "Ticket for another meetup: Rencontre d’avril, Wednesday, 14 April 2027 · 18:30"
        page.resultDetail = "Ana Lopez"
        page.eventURL = nil
        page.doorURL = DoorRoute.page(Mock.event).path
        return page
    }
}
