import Foundation
import RendezvousDomain
import RendezvousLocalization

/// "How was the evening?": the 0–10 scale (the score clicked in the mail already chosen) and one
/// comment. Sending again replaces the answer; after sending, the page says thank you and shows it.
struct FeedbackPage: Page {
    static let template = "public/feedback"

    struct Choice { var value: Int; var id: String; var checked: Bool }

    var chrome: Chrome
    var heading: String
    var intro: String
    var eventTitle: String
    var eventDate: String
    var action: String
    var choices: [Choice]
    var legendLow: String
    var legendHigh: String
    var scoreError: String?
    var comment: TextAreaField
    var submit: String
    var saved: Bool
    var notice: String?
    var notAttended: Bool

    init(detail: EventDetail, token: String, language: Language, score: Int?, comment commentText: String, saved: Bool,
         notAttended: Bool = false, errors: ValidationErrors = ValidationErrors()) {
        func t(_ key: String, _ arguments: [String: String] = [:]) -> String { Strings.text(key, language, arguments) }
        let f = DisplayFormatter(language: language, timeZone: detail.chapter.zone, region: detail.chapter.countryCode)
        let path = PublicRoute.feedback(token: token).path
        chrome = Chrome(title: t("feedback.title", ["event": detail.event.title]), language: language, path: path)
        heading = t("feedback.heading")
        intro = t("feedback.intro")
        eventTitle = detail.event.title
        eventDate = f.longDate(detail.event.startsAt)
        action = path
        choices = (0...10).map { Choice(value: $0, id: "score-\($0)", checked: $0 == score) }
        legendLow = t("feedback.low")
        legendHigh = t("feedback.high")
        scoreError = errors["score"].map { Strings.message(for: $0, language) }
        self.comment = TextAreaField(id: "f-comment", name: "comment", label: t("feedback.comment"), value: commentText, hint: t("feedback.commentHint"),
                                error: errors["comment"].map { Strings.message(for: $0, language) }, maxLength: FeedbackInput.commentLimit)
        submit = t("feedback.submit")
        self.saved = saved
        notice = saved ? t("feedback.thanks") : nil
        self.notAttended = notAttended
    }
}
