import Foundation
import RendezvousDomain
import RendezvousLocalization
import RendezvousPersistence

/// The network's venues (the shared directory's and every chapter's, each editable and removable)
/// and speakers, and the forms that add to them.
struct DirectoryPage: Page {
    static let template = "admin/directory"

    struct VenueItem {
        var name: String
        var chapter: String
        var address: String
        var capacity: String
        var accessibility: String
        var hasContact: Bool
        var contact: String
        var uses: String
        var editURL: String
        var removeURL: String
    }
    struct SpeakerItem { var name: String; var role: String; var bio: String? }
    var chrome: Chrome
    var adminURL = AdminRoute.overview.path
    var venuesURL = AdminRoute.directoryVenues.path
    var speakersURL = AdminRoute.directorySpeakers.path
    var csrf: String
    var notice: String?
    var error: String?
    var venueSummary: String
    var venues: [VenueItem]
    var pager: Pager?
    var speakers: [SpeakerItem]
    var venueFields: [FormField]
    var speakerFields: [FormField]

    init(chrome: Chrome, language: Language, csrf: String, notice: String?, error: String?, venueSummary: String, venues: [VenueItem], pager: Pager?,
         speakers: [SpeakerItem], venueForm: VenueForm = VenueForm(), speakerValues: [String: String] = [:], speakerErrors: [String: String] = [:]) {
        func t(_ key: String) -> String { Strings.text(key, language) }
        self.chrome = chrome
        self.csrf = csrf
        self.notice = notice
        self.error = error
        self.venueSummary = venueSummary
        self.venues = venues
        self.pager = pager
        self.speakers = speakers
        venueFields = venueForm.fields(language)
        // "speakerName", not "name": the venue form above already has a field with the id f-name.
        speakerFields = [
            FormField(name: "speakerName", label: t("org.speakerName"), value: speakerValues["speakerName"] ?? "", required: true, error: speakerErrors["speakerName"], maxLength: 120, autocomplete: "off"),
            FormField(name: "jobTitle", label: t("form.jobTitle"), value: speakerValues["jobTitle"] ?? "", required: false, error: speakerErrors["jobTitle"], maxLength: 140, autocomplete: "off"),
            FormField(name: "company", label: t("form.company"), value: speakerValues["company"] ?? "", required: false, error: speakerErrors["company"], maxLength: 140, autocomplete: "off"),
            FormField(name: "bio", label: t("admin.bio"), value: speakerValues["bio"] ?? "", required: false, error: speakerErrors["bio"], maxLength: 2000, autocomplete: "off"),
        ]
    }
}

/// A venue's form, to add one or edit one: the values typed and each field's error, checked the
/// same way both times.
struct VenueForm {
    static let limits = ["name": 140, "address": 300, "city": 120, "accessibility": 300, "contact": 300]
    static let maxCapacity = 100_000
    var values: [String: String] = [:]
    var errors: [String: String] = [:]

    struct Valid { var name: String; var address: String; var city: String; var capacity: Int; var accessibility: String; var contact: String }

    init(values: [String: String] = [:], errors: [String: String] = [:]) {
        self.values = values
        self.errors = errors
    }

    init(venue: NetworkStore.VenueDetails) {
        values = ["name": venue.venue.name, "address": venue.venue.address, "city": venue.venue.city,
                  "capacity": venue.capacity > 0 ? String(venue.capacity) : "", "accessibility": venue.accessibility, "contact": venue.contact]
    }

    /// The form's values checked: each problem on its own field, in `language`.
    static func check(_ form: FormFields, language: Language) -> (VenueForm, Valid?) {
        var problems = ValidationErrors()
        let name = TextRules.clean(form["name"], field: "name", required: true, maxLength: limits["name"]!, into: &problems)
        let address = TextRules.clean(form["address"], field: "address", required: true, maxLength: limits["address"]!, into: &problems)
        let city = TextRules.clean(form["city"], field: "city", required: false, maxLength: limits["city"]!, into: &problems)
        let accessibility = TextRules.clean(form["accessibility"], field: "accessibility", required: false, maxLength: limits["accessibility"]!, into: &problems)
        let contact = TextRules.clean(form["contact"], field: "contact", required: false, maxLength: limits["contact"]!, into: &problems)
        let capacityText = form.text("capacity").trimmingCharacters(in: .whitespaces)
        var capacity = 0
        if !capacityText.isEmpty {
            if let value = Int(capacityText), (0...maxCapacity).contains(value) { capacity = value } else { problems.add("capacity", .outOfRange(min: 0, max: maxCapacity)) }
        }
        var errors: [String: String] = [:]
        for problem in problems.problems where errors[problem.field] == nil { errors[problem.field] = Strings.message(for: problem.problem, language) }
        let values = Dictionary(uniqueKeysWithValues: ["name", "address", "city", "capacity", "accessibility", "contact"].map { ($0, form.text($0)) })
        let valid = errors.isEmpty ? Valid(name: name, address: address, city: city, capacity: capacity, accessibility: accessibility, contact: contact) : nil
        return (VenueForm(values: values, errors: errors), valid)
    }

    func fields(_ language: Language) -> [FormField] {
        func t(_ key: String) -> String { Strings.text(key, language) }
        func field(_ name: String, _ label: String, required: Bool = false, type: String = "text", maxLength: Int) -> FormField {
            FormField(name: name, label: t(label), value: values[name] ?? "", type: type, required: required, error: errors[name], maxLength: maxLength, autocomplete: "off")
        }
        return [
            field("name", "admin.venueName", required: true, maxLength: Self.limits["name"]!),
            field("address", "org.address", required: true, maxLength: Self.limits["address"]!),
            field("city", "admin.city", maxLength: Self.limits["city"]!),
            field("capacity", "org.capacity", type: "number", maxLength: 6),
            field("accessibility", "admin.accessibility", maxLength: Self.limits["accessibility"]!),
            field("contact", "admin.contact", maxLength: Self.limits["contact"]!),
        ]
    }
}

/// One venue's form: its chapter, its meetups, save, and the way to remove it.
struct VenuePage: Page {
    static let template = "admin/venue"

    var chrome: Chrome
    var directoryURL = AdminRoute.directory.path
    var csrf: String
    var heading: String
    var chapter: String
    var uses: String
    var error: String?
    var action: String
    var removeURL: String
    var fields: [FormField]
}
