import Foundation

/// The door's check-in page: counters, the last result, the search (without JavaScript) and the
/// walk-in form; with JavaScript, `door.js` runs it from the list it keeps on the device.
struct DoorPage: Page {
    static let template = "door/door"

    struct Person {
        var id: String
        var name: String
        var role: String
        var status: String
        var statusLabel: String
        /// When and by whom they were admitted. Not named `checkedIn`: a missing value would make
        /// Mustache read the page's counter of that name instead.
        var arrival: String?
        var canCheckIn: Bool
        var checkInURL: String
        var undoURL: String
    }
    var chrome: Chrome
    var eventId: String
    var csrf: String
    var by: String
    var title: String
    var date: String
    /// What door.js shows when the server refuses a check-in outside the evening's hours.
    var notToday: String
    /// The chapter's time zone (`Europe/Paris`): door.js shows arrival times in it.
    var zone: String = ""
    /// When the door admits ("from 15:30 to 23:00"), and for organisers the form that widens it.
    var window: String
    var windowForm: WindowForm? = nil
    struct WindowForm {
        var url: String
        var options: [SelectField.Option]
    }
    var dashboardURL: String
    var checkedIn: Int
    var expected: Int
    var walkIns: Int
    var overCapacity: Bool
    var result: Bool
    var resultClass: String
    var resultTitle: String
    var resultDetail: String
    var query: String
    var people: [Person]
    var walkInURL: String
    var walkInFields: [FormField]
    var conflicts: [String]
    var scriptURL = DoorRoute.script
    /// The live channel: another door phone's check-ins show at once.
    var liveScriptURL = PublicRoute.staticFile("live.js").path("v", PublicRoute.assetVersion)
}
