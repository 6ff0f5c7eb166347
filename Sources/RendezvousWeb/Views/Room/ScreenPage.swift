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
    /// The quiz over the room: `quiz.js` shows it while a game is on (live channel, role screen).
    var live: QuizLiveAttributes
    var liveScript: String
    var quizScript: String
    var joinURL: String
    var qr: String
    /// A small line: the code of conduct, and a QR code to the confidential incident report form.
    var reportURL: String? = nil
    var reportQR: String = ""
    var conductURL: String = ""
}
