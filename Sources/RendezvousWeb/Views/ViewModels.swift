import Foundation
import RendezvousDomain
import RendezvousLocalization

struct HomePage {
    struct Country {
        var name: String
        var chapters: [ChapterCard]
    }

    struct ChapterCard {
        var name: String
        var city: String
        var url: String
        var next: EventCard?
    }

    var chrome: Chrome
    var chapterCount: String
    var countries: [Country]
}

struct EventCard {
    var title: String
    var url: String
    var date: String
    var time: String
    var venue: String?
    var availability: String
    var isFull: Bool
    var attendance: String?
}

struct ChapterPage {
    var chrome: Chrome
    var feedURL: String
    var feedDownloadURL: String
    var name: String
    var place: String
    var description: [String]
    var upcoming: [EventCard]
    var past: [EventCard]
    var organizers: [String]
    var venues: [VenueView]
}

struct VenueView {
    var name: String
    var address: String
    var mapURL: String
}

struct FormField {
    var id: String
    var name: String
    var label: String
    var value: String
    var type: String
    var required: Bool
    var hint: String?
    var error: String?
    var maxLength: Int
    var autocomplete: String
    var describedBy: String?

    init(name: String, label: String, value: String, type: String = "text", required: Bool, hint: String? = nil,
         error: String?, maxLength: Int, autocomplete: String) {
        self.id = "f-\(name)"
        self.name = name
        self.label = label
        self.value = value
        self.type = type
        self.required = required
        self.hint = hint
        self.error = error
        self.maxLength = maxLength
        self.autocomplete = autocomplete
        let ids = [hint == nil ? nil : "f-\(name)-hint", error == nil ? nil : "f-\(name)-error"].compactMap { $0 }
        self.describedBy = ids.isEmpty ? nil : ids.joined(separator: " ")
    }
}

struct CheckboxField {
    var id: String
    var name: String
    var label: String
    var checked: Bool
}

/// The registration form, shared by the event page and the manage page.
struct ProfileForm {
    var action: String
    var fields: [FormField]
    var consents: [CheckboxField]
    var submit: String
    var hasErrors: Bool

    init(action: String, input: RegistrationInput, errors: ValidationErrors, submit: String, language: Language) {
        func t(_ key: String) -> String { Strings.text(key, language) }
        func error(_ field: String) -> String? { errors[field].map { Strings.message(for: $0, language) } }
        typealias L = RegistrationInput.Limits
        self.action = action
        self.submit = submit
        self.hasErrors = !errors.isEmpty
        self.fields = [
            FormField(name: "firstName", label: t("form.firstName"), value: input.firstName ?? "", required: true, error: error("firstName"), maxLength: L.name, autocomplete: "given-name"),
            FormField(name: "lastName", label: t("form.lastName"), value: input.lastName ?? "", required: true, error: error("lastName"), maxLength: L.name, autocomplete: "family-name"),
            FormField(name: "email", label: t("form.email"), value: input.email ?? "", type: "email", required: true, hint: t("form.emailHint"), error: error("email"), maxLength: EmailAddress.maxLength, autocomplete: "email"),
            FormField(name: "jobTitle", label: t("form.jobTitle"), value: input.jobTitle ?? "", required: true, hint: t("form.jobTitleHint"), error: error("jobTitle"), maxLength: L.jobTitle, autocomplete: "organization-title"),
            FormField(name: "company", label: t("form.company"), value: input.company ?? "", required: false, error: error("company"), maxLength: L.company, autocomplete: "organization"),
            FormField(name: "linkedinUrl", label: t("form.linkedin"), value: input.linkedinUrl ?? "", type: "url", required: false, hint: t("form.linkedinHint"), error: error("linkedinUrl"), maxLength: L.linkedin, autocomplete: "url"),
            FormField(name: "askMeAbout", label: t("form.askMeAbout"), value: input.askMeAbout ?? "", required: false, hint: t("form.askMeAboutHint"), error: error("askMeAbout"), maxLength: L.askMeAbout, autocomplete: "off"),
        ]
        self.consents = [
            CheckboxField(id: "f-consentList", name: "consentList", label: t("form.consentList"), checked: input.consents?.attendeeList ?? false),
            CheckboxField(id: "f-consentProfile", name: "consentProfile", label: t("form.consentProfile"), checked: input.consents?.profileSharing ?? false),
        ]
    }
}

struct EventPage {
    struct SpeakerView {
        var name: String
        var role: String
        var bio: String?
    }

    struct AgendaView {
        var time: String
        var title: String
    }

    struct AttendeeView {
        var name: String
        var role: String
    }

    var chrome: Chrome
    var title: String
    var chapterName: String
    var chapterURL: String
    var date: String
    var timeRange: String
    var timeZoneNote: String
    var venue: VenueView?
    var availability: String
    var isFull: Bool
    var waitlistNote: String?
    var notice: String?
    var description: [String]
    var speakers: [SpeakerView]
    var agenda: [AgendaView]
    var attendees: [AttendeeView]
    var hiddenAttendees: String?
    var form: ProfileForm?
    var calendarURL: String
    var share: SharePreview
}

/// What a social network or search engine reads from an event page.
struct SharePreview {
    var url: String
    var image: String
    var description: String
    /// schema.org Event as JSON, made safe to sit inside a script element.
    var jsonLD: String
}

struct ManagePage {
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

struct ContactPage {
    var chrome: Chrome
    var eventTitle: String
    var chapterName: String
    var name: String
    var role: String?
    var askMeAbout: String?
    var linkedin: String?
    var vcardURL: String
}

struct BadgesPage {
    struct Person { var id: String; var name: String; var status: String }
    var chrome: Chrome
    var title: String
    var eventURL: String
    var pdfURL: String
    var layouts: [SelectField.Option]
    var includes: [SelectField.Option]
    var people: [Person]
}
