import Foundation

/// The new-event and edit-event form (`EventForm` holds what was typed).
struct EventFormPage: Page {
    static let template = "organize/event-form"

    struct Speaker { var index: Int; var name: String; var jobTitle: String }
    var chrome: Chrome
    var heading: String
    var action: String
    var csrf: String
    var error: String?
    var fields: [FormField]
    var description: String
    var descriptionError: String?
    var venues: [SelectField.Option]
    var venueName: String
    var venueAddress: String
    var speakers: [Speaker]
    var directorySpeakers: [String]
    var agenda: String
    var agendaError: String?
    var statusOptions: [SelectField.Option]
    var backURL: String
    /// The event's pictures (cover, speakers' photos), once the event exists.
    var imagesURL: String? = nil
    /// Lines above the form (a second evening says what will happen to the waitlist).
    var intro: [String] = []
    /// The button's words, when not "Save".
    var submitLabel: String? = nil
}
