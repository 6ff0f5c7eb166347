import Foundation
import RendezvousDomain
@testable import RendezvousWeb

// Pictures and colours: the names of stored pictures, the chapter's look and an event's pictures.

extension Mock {
    static let coverImage = "5b8e2c1a-0f3d-4e6b-9a7c-2d1e0f9a8b7c-0123456789abcdef.jpg"
    static let logoImage = "6c9f3d2b-1a4e-4f7c-8b8d-3e2f1a0b9c8d-fedcba9876543210.png"
    static let photoImage = "7dafe43c-2b5f-4a8d-9c9e-4f3a2b1c0d9e-00112233445566ff.jpg"
    static let speaker = Speaker.ID(UUID(uuidString: "2A3B4C5D-6E7F-4081-9A2B-3C4D5E6F7A8B")!)
}

extension BrandingPage {
    /// A logo and a light colour (dark text on it), just saved.
    static let mock = BrandingPage(
        chrome: .organizer("Logo and colour", path: OrganizeRoute.branding(slug: Mock.slug).path),
        heading: "Logo and colour · #LinkedInLocal Toulouse", action: OrganizeRoute.branding(slug: Mock.slug).path, csrf: Mock.csrf,
        notice: "Your changes are saved.", error: nil,
        logo: ImageFieldView(id: "f-logo", name: "logo", label: "Logo", hint: "PNG, JPEG or WebP.", imageURL: PublicRoute.image(name: Mock.logoImage).path,
                             imageAlt: "#LinkedInLocal Toulouse", error: nil, removeName: "removeLogo", removeLabel: "Remove the logo"),
        color: FormField(name: "color", label: "Colour", value: "#f2c94c", required: false, hint: "#rrggbb", error: nil, maxLength: 7, autocomplete: "off"),
        brandStylesheet: PublicRoute.brandStyle(file: "f2c94c.css").path, colorSample: "Text on this colour is dark (contrast 11.6:1).",
        backURL: OrganizeRoute.dashboard(slug: Mock.slug).path)

    /// A file that is no picture and a colour that is no colour: each error on its field.
    static var mockErrors: BrandingPage {
        var page = mock
        page.notice = nil
        page.error = "Please correct the fields marked below."
        page.logo = ImageFieldView(id: "f-logo", name: "logo", label: "Logo", hint: "PNG, JPEG or WebP.", imageURL: nil, imageAlt: "#LinkedInLocal Toulouse",
                                   error: "This file is not a PNG, JPEG or WebP picture.", removeName: "removeLogo", removeLabel: "Remove the logo")
        page.color = FormField(name: "color", label: "Colour", value: "blue", required: false, hint: "#rrggbb", error: "Write the colour as #rrggbb.",
                               maxLength: 7, autocomplete: "off")
        page.brandStylesheet = nil
        page.colorSample = nil
        return page
    }
}

extension EventImagesPage {
    static let mock = EventImagesPage(
        chrome: .organizer("Pictures", path: OrganizeRoute.eventImages(Mock.event).path),
        heading: "Pictures · Rencontre trimestrielle", action: OrganizeRoute.eventImages(Mock.event).path, csrf: Mock.csrf, notice: nil,
        error: "Please correct the fields marked below.",
        cover: ImageFieldView(id: "f-cover", name: "cover", label: "Cover picture", hint: "Wide, at least 1200 pixels.",
                              imageURL: PublicRoute.image(name: Mock.coverImage).path, imageAlt: "The hall at night", error: nil,
                              removeName: "removeCover", removeLabel: "Remove the cover"),
        alt: FormField(name: "coverAlt", label: "Describe the picture", value: "", required: false, hint: "For people who cannot see it.",
                       error: "Describe the picture.", maxLength: 250, autocomplete: "off"),
        speakers: [.init(name: "Jean-Christophe Boussion", action: OrganizeRoute.speakerPhoto(Mock.event, speaker: Mock.speaker).path,
                         field: ImageFieldView(id: "f-photo-\(Mock.speaker)", name: "photo", label: "Photo of Jean-Christophe Boussion", hint: "Square.",
                                               imageURL: PublicRoute.image(name: Mock.photoImage).path, imageAlt: "Jean-Christophe Boussion",
                                               error: "This picture is larger than 8 MB.", removeName: "removePhoto", removeLabel: "Remove the photo"))],
        speakersNote: nil, publicURL: PublicRoute.event(Mock.event).path, backURL: OrganizeRoute.editEvent(Mock.event).path)
}
