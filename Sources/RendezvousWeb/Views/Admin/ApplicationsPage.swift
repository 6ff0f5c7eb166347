import Foundation

/// Applications to start a chapter, waiting for an admin's answer.
struct ApplicationsPage: Page {
    static let template = "admin/applications"

    struct Item { var city: String; var country: String; var name: String; var email: String; var when: String; var motivation: String; var approveURL: String; var declineURL: String }
    var chrome: Chrome
    var adminURL = AdminRoute.overview.path
    var csrf: String
    var notice: String?
    /// The invitation link of a chapter just approved, for the admin to pass on.
    var newLink: String?
    var items: [Item]
}
