import Foundation

/// "Are you sure?": the step before something that cannot be taken back in one tap (cancelling a
/// registration, a whole meetup, an attendee). A plain form, so it works without JavaScript: the
/// button posts the same action again with `confirm=yes`; the other way goes back unchanged.
struct ConfirmStepPage: Page {
    static let template = "confirm"

    struct Hidden { var name: String; var value: String }

    var chrome: Chrome
    var heading: String
    /// What happens, in a sentence or two, and the facts that make it concrete (the event, its date).
    var lines: [String]
    let facts: [String]
    let hasFacts: Bool
    var action: String
    /// The session's CSRF token for organiser forms; none for capability links (the manage page).
    let csrf: String
    let hasCSRF: Bool
    var hidden: [Hidden]
    var confirmLabel: String
    /// "danger" for what cannot be undone, "primary" otherwise.
    var confirmStyle: String
    var backURL: String
    var backLabel: String
    /// An optional message field sent with the confirmation (an organiser's word to attendees).
    let messageField: TextAreaField?
    let hasMessageField: Bool

    init(chrome: Chrome, heading: String, lines: [String], facts: [String] = [], action: String, csrf: String = "", hidden: [Hidden] = [],
         confirmLabel: String, confirmStyle: String = "danger", backURL: String, backLabel: String, messageField: TextAreaField? = nil) {
        self.chrome = chrome
        self.heading = heading
        self.lines = lines
        self.facts = facts
        self.hasFacts = !facts.isEmpty
        self.action = action
        self.csrf = csrf
        self.hasCSRF = !csrf.isEmpty
        self.hidden = hidden
        self.confirmLabel = confirmLabel
        self.confirmStyle = confirmStyle
        self.backURL = backURL
        self.backLabel = backLabel
        self.messageField = messageField
        self.hasMessageField = messageField != nil
    }
}
