import Foundation
import RendezvousDomain
import RendezvousLocalization

/// The evening's result and its follow-up, for organisers. The rating's distribution is a
/// `Chart` (SVG drawn on the server, with its table), inside the result's card.
struct FollowUpPage: Page {
    static let template = "organize/follow-up"

    struct Run { var label: String; var state: String }

    var chrome: Chrome
    var csrf: String
    var title: String
    var eventURL: String
    var action: String
    var notice: String?
    var error: String?
    var happened: Bool
    var summary: [String]
    var hasAnswers: Bool
    var chart: Chart
    var comments: [String]
    var hasComments: Bool
    var runs: [Run]
    var resources: TextAreaField
    /// The evening has started and its morning-after mail has not gone: it can go now.
    var canSendNow: Bool
    var sendNowURL: String

    init(chrome: Chrome, csrf: String, detail: EventDetail, result: EveningResult, runs: (morningAfter: Date?, nudge: Date?), now: Date,
         resources: String, errors: ValidationErrors, notice: String?, language: Language) {
        func t(_ key: String, _ arguments: [String: String] = [:]) -> String { Strings.text(key, language, arguments) }
        let f = DisplayFormatter(language: language, timeZone: detail.chapter.zone, region: detail.chapter.countryCode)
        let id = detail.event.id
        self.chrome = chrome
        self.csrf = csrf
        title = detail.event.title
        eventURL = OrganizeRoute.event(id).path
        action = OrganizeRoute.followUp(id).path
        self.notice = notice
        error = errors.isEmpty ? nil : t("form.errors")
        happened = detail.event.startsAt <= now
        summary = Self.summary(result, language: language, formatter: f)
        hasAnswers = result.answers > 0
        chart = Chart.grouped(id: "scores", title: t("followUp.org.chartTitle"),
                              description: t("followUp.org.chartDescription", ["answers": f.number(result.answers)]),
                              categories: (0...10).map(String.init), series: [(t("followUp.org.answers"), result.scoreCounts)],
                              csvURL: "", csvLabel: "", empty: t("followUp.org.noAnswers"))
        chart.columns[0] = t("followUp.org.score")
        chart.hasCSV = false
        comments = result.comments
        hasComments = !result.comments.isEmpty
        func run(_ kind: FollowUpKind, _ done: Date?) -> Run {
            let due = FollowUpSchedule.due(kind, startsAt: detail.event.startsAt, timeZone: detail.chapter.zone)
            let label = t(kind == .morningAfter ? "followUp.org.morningAfter" : "followUp.org.nudge")
            let state: String
            if let done { state = t("followUp.org.queued", ["date": f.dateTime(done)]) }
            else if now.timeIntervalSince(due) >= FollowUpSchedule.lateness || detail.event.status != .published { state = t("followUp.org.notSent") }
            else { state = t("followUp.org.scheduled", ["date": f.dateTime(due)]) }
            return Run(label: label, state: state)
        }
        self.runs = [run(.morningAfter, runs.morningAfter), run(.nudge, runs.nudge)]
        canSendNow = happened && runs.morningAfter == nil && detail.event.status == .published
        sendNowURL = OrganizeRoute.followUpSend(id).path
        self.resources = TextAreaField(id: "f-resources", name: "resources", label: t("followUp.org.resources"), value: resources,
                                       hint: t("followUp.org.resourcesHint"), error: errors["resources"].map { Strings.message(for: $0, language) },
                                       maxLength: EventResource.maxLength)
    }

    /// The evening's result in a few lines (this page, the event's page, the chapter's history).
    static func summary(_ result: EveningResult, language: Language, formatter f: DisplayFormatter) -> [String] {
        func t(_ key: String, _ arguments: [String: String] = [:]) -> String { Strings.text(key, language, arguments) }
        var lines = [Strings.plural("followUp.org.came", count: result.checkedIn, language)]
        if let average = result.averageScore {
            let mean = String(format: "%.1f", average).replacingOccurrences(of: ".", with: language == .fr ? "," : ".")
            lines.append(Strings.plural("followUp.org.rating", count: result.answers, language, ["average": mean]))
            if let nps = result.netPromoterScore { lines.append(t("followUp.org.nps", ["score": (nps > 0 ? "+" : "") + String(nps)])) }
        } else {
            lines.append(t("followUp.org.noAnswers"))
        }
        lines.append(Strings.plural("followUp.org.contacts", count: result.contacts, language) + " "
                     + Strings.plural("followUp.org.accepted", count: result.acceptedContacts, language))
        if let share = result.shareMetThree {
            lines.append(t("followUp.org.metThree", ["percent": String(Int((share * 100).rounded())), "count": f.number(result.metAtLeastThree),
                                                     "total": f.number(result.checkedIn)]))
        }
        return lines
    }
}
