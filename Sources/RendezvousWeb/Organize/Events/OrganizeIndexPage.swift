import Foundation

/// The chapters a signed-in person is part of (organiser or door staff).
struct OrganizeIndexPage: Page {
    static let template = "organize/index"

    struct Item { var name: String; var city: String; var url: String; var role: String }
    var chrome: Chrome
    var chapters: [Item]
}
