import Foundation
import RendezvousDomain
@testable import RendezvousWeb

extension ConfirmStepPage {
    /// The attendee's "Cancel your registration?" step (no CSRF: the manage link is the capability).
    static var mockCancelRegistration: ConfirmStepPage {
        ConfirmStepPage(
            chrome: Chrome(title: "Cancel your registration?", language: .en, path: "/manage/bW9jay1tYW5hZ2UtdG9rZW4"),
            heading: "Cancel your registration?",
            lines: ["Your seat will be offered to the first person on the waitlist. You can undo this as long as nobody else has taken it."],
            facts: ["Rencontre trimestrielle", "Sunday, 14 February 2027 · 18:30"],
            action: "/manage/bW9jay1tYW5hZ2UtdG9rZW4/cancel",
            confirmLabel: "Yes, cancel my registration", backURL: "/manage/bW9jay1tYW5hZ2UtdG9rZW4", backLabel: "No, keep my seat")
    }

    /// An organiser's "Cancel this meetup?" step, with the CSRF token.
    static var mockCancelEvent: ConfirmStepPage {
        var chrome = Chrome(title: "Cancel this meetup?", language: .en, path: OrganizeRoute.event(Mock.event).path)
        chrome.session = SessionNav(Mock.session(Mock.organizer))
        return ConfirmStepPage(
            chrome: chrome, heading: "Cancel this meetup?",
            lines: ["Everyone registered or waiting is told by mail at once, with the calendar cancellation. The page says the meetup is cancelled. This cannot be undone."],
            facts: ["Rencontre trimestrielle", "Sunday, 14 February 2027 · 18:30", "57 people will be told"],
            action: OrganizeRoute.cancelEvent(Mock.event).path, csrf: Mock.csrf,
            confirmLabel: "Yes, cancel the meetup", backURL: OrganizeRoute.event(Mock.event).path, backLabel: "No, keep the meetup")
    }
}
