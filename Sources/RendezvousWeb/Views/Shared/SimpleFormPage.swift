import Foundation

/// The page of a form with a few fields: password change and reset, invitations, applying for a
/// chapter, handing one over, unsubscribing, and the organisers' message and settings forms.
/// Each use builds it in its area's view file (`SimpleFormPage.changePassword(…)`, …).
struct SimpleFormPage: Page {
    static let template = "simple-form"

    var chrome: Chrome
    var heading: String
    var intro: String? = nil
    var notice: String? = nil
    var error: String? = nil
    var action: String
    var csrf: String
    var fields: [FormField]
    var textareas: [TextAreaField] = []
    var selects: [SelectField] = []
    var submit: String
    /// A page that only explains and links somewhere (no form).
    var link: PageLink? = nil
    var noForm = false
}
