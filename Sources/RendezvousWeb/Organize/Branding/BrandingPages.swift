import Foundation

/// A picture field of the organiser's forms: the current picture, the file input, its error.
struct ImageFieldView {
    var id: String
    var name: String
    var label: String
    var hint: String
    /// The current picture's address and its alternative text ("" when there is none).
    let hasImage: Bool
    let imageURL: String
    let imageAlt: String
    let hasError: Bool
    let errorText: String
    /// The checkbox that removes the current picture.
    var removeName: String
    var removeLabel: String

    init(id: String, name: String, label: String, hint: String, imageURL: String?, imageAlt: String, error: String?,
         removeName: String, removeLabel: String) {
        self.id = id
        self.name = name
        self.label = label
        self.hint = hint
        self.hasImage = imageURL != nil
        self.imageURL = imageURL ?? ""
        self.imageAlt = imageAlt
        self.hasError = error != nil
        self.errorText = error ?? ""
        self.removeName = removeName
        self.removeLabel = removeLabel
    }
}

/// The chapter's look: its logo and colour (`organize/branding.mustache`).
struct BrandingPage: Page {
    static let template = "organize/branding"

    var chrome: Chrome
    var heading: String
    var action: String
    var csrf: String
    var notice: String?
    var error: String?
    var logo: ImageFieldView
    var color: FormField
    /// The chapter colour's stylesheet and what its sample says (its text colour and contrast).
    var brandStylesheet: String?
    var colorSample: String?
    var backURL: String
}

/// An event's cover and its speakers' photos (`organize/event-images.mustache`).
struct EventImagesPage: Page {
    static let template = "organize/event-images"

    struct SpeakerPhoto {
        var name: String
        var action: String
        var field: ImageFieldView
    }

    var chrome: Chrome
    var heading: String
    var action: String
    var csrf: String
    var notice: String?
    var error: String?
    var cover: ImageFieldView
    var alt: FormField
    var speakers: [SpeakerPhoto]
    var speakersNote: String?
    var publicURL: String
    var backURL: String
}
