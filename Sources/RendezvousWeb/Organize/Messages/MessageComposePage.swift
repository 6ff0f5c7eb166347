import Foundation
import RendezvousDomain
import RendezvousLocalization
import RendezvousMail

/// Writing to people: to an event's registrants, or to the chapter's audience (followers, past
/// attendees). "Preview" shows the message as a recipient sees it (greeting, signature, footer),
/// "Send me a test" mails it to the signed-in organiser only; the audience form can also schedule
/// it for later, and lists the scheduled and sent messages. Every button is a plain form post.
struct MessageComposePage: Page {
    static let template = "organize/message"

    struct Button { var name: String; var value: String; var label: String; var primary: Bool }
    struct Row {
        var subject: String; var audience: String; var when: String; var status: String; var statusClass: String
        var editURL: String?; var cancelURL: String?
    }

    var chrome: Chrome
    var backURL: String
    var backLabel: String
    var heading: String
    var intro: String
    /// The chapter's follower count, and how many each audience reaches.
    var stats: [String]
    var notice: String?
    var error: String?
    var action: String
    var csrf: String
    var fields: [FormField]
    var textareas: [TextAreaField]
    var selects: [SelectField]
    /// The date and time for "send later", in the chapter's time zone.
    var scheduleFields: [FormField]
    var scheduleLegend: String?
    var buttons: [Button]
    var preview: MessagePreview?
    var rowsHeading: String?
    var rows: [Row]
    var hasRows: Bool
    var cancelLabel: String
}

/// The message as its recipient reads it, built from the very pieces the mail is made of.
struct MessagePreview {
    struct Line { var label: String; var value: String }
    var heading: String
    var note: String
    var headers: [Line]
    var greeting: String
    var paragraphs: [String]
    var facts: [Line]
    var map: Line?
    var links: [Line]
    var footer: String
    var unsubscribe: String?
    var textLabel: String
    var text: String

    init(_ letter: Letter, language: Language, note: String) {
        func t(_ key: String) -> String { Strings.text(key, language) }
        heading = t("message.preview")
        self.note = note
        headers = [Line(label: t("message.from"), value: letter.fromName),
                   Line(label: t("message.replyTo"), value: letter.replyTo.joined(separator: ", ")),
                   Line(label: t("org.messageTo"), value: letter.toName.isEmpty ? letter.toEmail : "\(letter.toName) <\(letter.toEmail)>"),
                   Line(label: t("org.messageSubject"), value: letter.subject)].filter { !$0.value.isEmpty }
        greeting = letter.greeting
        paragraphs = letter.paragraphs
        facts = letter.facts.map { Line(label: $0.label, value: $0.value) }
        map = letter.map.map { Line(label: $0.label, value: $0.value) }
        links = letter.links.map { Line(label: $0.label, value: $0.value) }
        footer = letter.footer
        unsubscribe = letter.unsubscribe?.label
        textLabel = t("message.textVersion")
        let colon = language == .fr ? "\u{202F}:" : ":"
        var lines = [letter.greeting, ""] + letter.paragraphs.flatMap { [$0, ""] }
        for fact in letter.facts { lines.append("\(fact.label)\(colon) \(fact.value)") }
        if let map = letter.map { lines.append("\(map.label)\(colon) \(map.value)") }
        if !letter.facts.isEmpty || letter.map != nil { lines.append("") }
        for link in letter.links { lines += ["\(link.label)\(colon)", link.value, ""] }
        lines += ["--", letter.footer]
        if let unsubscribe = letter.unsubscribe { lines.append("\(unsubscribe.label)\(colon) \(unsubscribe.value)") }
        text = lines.joined(separator: "\n")
    }
}
