import Foundation

/// The attendee's private page (its address is the manage token): status, the actions it allows,
/// ticket and badge, and the profile form.
struct ManagePage: Page {
    static let template = "public/manage"

    struct Action {
        var url: String
        var label: String
        var style: String
        var hint: String?
    }

    var chrome: Chrome
    var eventTitle: String
    var eventURL: String
    var date: String
    var venue: String?
    var welcomeTitle: String?
    var welcomeText: String?
    var manageURL: String?
    var notice: String?
    var statusText: String
    var statusClass: String
    var actions: [Action]
    var ticketURL: String?
    var badgeURL: String?
    var renewURL: String?
    var form: ProfileForm?
}
