import Foundation

/// The form that creates a series of events at once.
struct SeriesPage: Page {
    static let template = "organize/series"

    var chrome: Chrome
    var csrf: String
    var name: String
    var action: String
    var dashboardURL: String
    var error: String?
    var fields: [FormField]
    var patterns: [SelectField.Option]
    var ordinals: [SelectField.Option]
    var weekdays: [SelectField.Option]
    var customDates: String
    /// The form's idempotency key (EventStore.createSeries).
    var seriesKey: String
    var venues: [SelectField.Option]
}
