/// The big screen for a projector: its own frame (no site header), large type, the round, a
/// countdown and every table; `room.js` keeps it current from `stateURL`.
struct ScreenPage: Page {
    static let template = "room/screen"

    var lang: String
    var t: [String: String]
    var title: String
    var stateURL: String
    var scriptURL: String
    var stylesheet: String
}
