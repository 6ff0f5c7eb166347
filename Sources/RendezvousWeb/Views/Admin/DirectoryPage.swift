import Foundation
import RendezvousDomain
import RendezvousLocalization

/// The network's shared venues and speakers, and the forms that add to them.
struct DirectoryPage: Page {
    static let template = "admin/directory"

    struct VenueItem { var name: String; var address: String; var capacity: String; var accessibility: String; var contact: String }
    struct SpeakerItem { var name: String; var role: String; var bio: String? }
    var chrome: Chrome
    var adminURL = AdminRoute.overview.path
    var venuesURL = AdminRoute.directoryVenues.path
    var speakersURL = AdminRoute.directorySpeakers.path
    var csrf: String
    var notice: String?
    var error: String?
    var venues: [VenueItem]
    var speakers: [SpeakerItem]
    var venueFields: [FormField]
    var speakerFields: [FormField]

    init(chrome: Chrome, language: Language, csrf: String, notice: String?, error: String?, venues: [VenueItem], speakers: [SpeakerItem]) {
        func t(_ key: String) -> String { Strings.text(key, language) }
        self.chrome = chrome
        self.csrf = csrf
        self.notice = notice
        self.error = error
        self.venues = venues
        self.speakers = speakers
        venueFields = [
            FormField(name: "name", label: t("admin.venueName"), value: "", required: true, error: nil, maxLength: 140, autocomplete: "off"),
            FormField(name: "address", label: t("org.address"), value: "", required: true, error: nil, maxLength: 300, autocomplete: "off"),
            FormField(name: "city", label: t("admin.city"), value: "", required: false, error: nil, maxLength: 120, autocomplete: "off"),
            FormField(name: "capacity", label: t("org.capacity"), value: "", type: "number", required: false, error: nil, maxLength: 6, autocomplete: "off"),
            FormField(name: "accessibility", label: t("admin.accessibility"), value: "", required: false, error: nil, maxLength: 300, autocomplete: "off"),
            FormField(name: "contact", label: t("admin.contact"), value: "", required: false, error: nil, maxLength: 300, autocomplete: "off"),
        ]
        speakerFields = [
            FormField(name: "name", label: t("org.speakerName"), value: "", required: true, error: nil, maxLength: 120, autocomplete: "off"),
            FormField(name: "jobTitle", label: t("form.jobTitle"), value: "", required: false, error: nil, maxLength: 140, autocomplete: "off"),
            FormField(name: "company", label: t("form.company"), value: "", required: false, error: nil, maxLength: 140, autocomplete: "off"),
            FormField(name: "bio", label: t("admin.bio"), value: "", required: false, error: nil, maxLength: 2000, autocomplete: "off"),
        ]
    }
}
