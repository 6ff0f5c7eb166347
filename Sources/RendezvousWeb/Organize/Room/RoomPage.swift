import Foundation
import RendezvousDomain
import RendezvousLocalization

/// The room of an event: the setup form, the plan with its quality in words, every round's
/// tables with a small form per person (move, pin, left), and the presenter's controls.
struct RoomPage: Page {
    static let template = "organize/room"

    struct Option { var value: String; var label: String; var selected: Bool }
    struct Person {
        var id: String
        var name: String
        var jobTitle: String
        var hasJobTitle: Bool
        var pinned: Bool
        var newcomer: Bool
        var tableOptions: [Option]
    }
    struct Table { var label: String; var count: String; var people: [Person] }
    struct Round {
        var index: Int
        var title: String
        var status: String
        var editable: Bool
        var current: Bool
        var tables: [Table]
        /// Shown unfolded: the round on now, else the next to start (a phone page stays short).
        var open = false
    }
    struct Presenter {
        var round: String
        var paused: Bool
        var timeLeft: String
        var hasTimeLeft: Bool
        /// Seconds left, for the page's script to count down; 0 when paused (it does not run).
        var secondsLeft = 0
        var running = false
        var version: Int
        var canNext: Bool
        var nextLabel: String
        var canPause: Bool
        var canResume: Bool
        var canFinish: Bool
    }
    struct Named { var id: String; var name: String }

    var chrome: Chrome
    var csrf: String
    var title: String
    var eventURL: String
    var notice: String
    var hasNotice: Bool
    var error: String
    var hasError: Bool
    var setupURL: String
    var planURL: String
    var moveURL: String
    var pinURL: String
    var apartURL: String
    var leftURL: String
    var nextURL: String
    var pauseURL: String
    var resumeURL: String
    var finishURL: String
    var pdfURL: String
    /// The big screen's signed link, for a projector's computer; set by the controller.
    var screenURL = ""
    var fields: [FormField]
    var names: TextAreaField
    /// "What matters": one checkbox per priority.
    var priorities: [Priority]

    struct Priority {
        var name: String
        var label: String
        var checked: Bool
    }
    var configured: Bool
    /// The setup form is open before the first setup and when it comes back with problems.
    var openSetup: Bool
    var hasPlan: Bool
    var canPlan: Bool
    var planLabel: String
    var headcount: String
    var quality: String
    var hasPresenter: Bool
    var presenter: [Presenter]
    var rounds: [Round]
    var unseated: [Named]
    var hasUnseated: Bool
    var left: [Named]
    var hasLeft: Bool
    var apart: [String]
    var hasApart: Bool
    var everyone: [Option]
}

extension RoomPage {
    /// "Table 5" for a numbered table, its name otherwise.
    static func tableLabel(_ name: String, _ language: Language) -> String {
        name.allSatisfy(\.isNumber) ? Strings.text("room.tableNumber", language, ["name": name]) : name
    }

    /// The quality report in words: "Nobody shares a table twice · 0 colleague pairs · mix 87/100 (best possible 100) · 3 people moved".
    static func qualitySentence(_ quality: RotationQuality, _ language: Language) -> String {
        func t(_ key: String, _ arguments: [String: String] = [:]) -> String { Strings.text(key, language, arguments) }
        func plural(_ key: String, _ count: Int, _ arguments: [String: String] = [:]) -> String { Strings.plural(key, count: count, language, arguments) }
        var parts: [String] = []
        parts.append(quality.repeatedPairs == 0 ? t("room.noRepeats")
                     : plural("room.repeats", quality.repeatedPairs, ["best": String(quality.lowerBound.repeatedPairs)]))
        parts.append(plural("room.colleagues", quality.colleaguePairs))
        if quality.keptApartTogether > 0 { parts.append(plural("room.apartTogether", quality.keptApartTogether)) }
        if quality.metBeforeTogether > 0 { parts.append(plural("room.metBefore", quality.metBeforeTogether)) }
        parts.append(t("room.mix", ["score": String(quality.mixScore)]))
        if quality.moved > 0 { parts.append(plural("room.moved", quality.moved)) }
        if quality.unmetPins > 0 { parts.append(plural("room.unmetPins", quality.unmetPins)) }
        return parts.joined(separator: " · ")
    }

    /// "12:05" left in the round.
    static func clock(_ seconds: Int) -> String {
        String(format: "%d:%02d", seconds / 60, seconds % 60)
    }

    /// The page from the room's state and the people of the event; `input` and `errors` are the
    /// setup form as typed when it comes back with problems.
    init(chrome: Chrome, csrf: String, event: Event, state: RoomState?, people: [RoomPerson], now: Date, language: Language,
         input: RoomSetupInput? = nil, errors: ValidationErrors = ValidationErrors(), notice: String? = nil, error: String? = nil) {
        func t(_ key: String, _ arguments: [String: String] = [:]) -> String { Strings.text(key, language, arguments) }
        func plural(_ key: String, _ count: Int, _ arguments: [String: String] = [:]) -> String { Strings.plural(key, count: count, language, arguments) }
        let id = event.id
        let setup = state?.setup ?? .suggested
        let form = input ?? RoomSetupInput(setup)
        func problem(_ field: String) -> String? { errors[field].map { Strings.message(for: $0, language) } }

        self.chrome = chrome
        self.csrf = csrf
        self.title = event.title
        self.eventURL = OrganizeRoute.event(id).path
        self.notice = notice ?? ""
        self.hasNotice = notice != nil
        self.error = error ?? (errors.isEmpty ? "" : t("form.errors"))
        self.hasError = error != nil || !errors.isEmpty
        self.setupURL = OrganizeRoute.roomSetup(id).path
        self.planURL = OrganizeRoute.roomPlan(id).path
        self.moveURL = OrganizeRoute.roomMove(id).path
        self.pinURL = OrganizeRoute.roomPin(id).path
        self.apartURL = OrganizeRoute.roomApart(id).path
        self.leftURL = OrganizeRoute.roomLeft(id).path
        self.nextURL = OrganizeRoute.roomNext(id).path
        self.pauseURL = OrganizeRoute.roomPause(id).path
        self.resumeURL = OrganizeRoute.roomResume(id).path
        self.finishURL = OrganizeRoute.roomFinish(id).path
        self.pdfURL = OrganizeRoute.roomPlanPDF(id).path
        self.fields = [
            FormField(name: "tables", label: t("room.tableCount"), value: form.tables, type: "number", required: true,
                      hint: t("room.tableCountHint", ["max": String(RoomSetup.tableRange.upperBound)]), error: problem("tables"), maxLength: 3, autocomplete: ""),
            FormField(name: "seats", label: t("room.seats"), value: form.seats, type: "number", required: true,
                      error: problem("seats"), maxLength: 2, autocomplete: ""),
            FormField(name: "smaller", label: t("room.smaller"), value: form.smaller, required: false,
                      hint: t("room.smallerHint"), error: problem("smaller"), maxLength: 2000, autocomplete: "off"),
            FormField(name: "rounds", label: t("room.rounds"), value: form.rounds, type: "number", required: true,
                      error: problem("rounds"), maxLength: 2, autocomplete: ""),
            FormField(name: "minutes", label: t("room.minutes"), value: form.minutes, type: "number", required: true,
                      error: problem("minutes"), maxLength: 3, autocomplete: ""),
        ]
        self.names = TextAreaField(id: "f-names", name: "names", label: t("room.names"), value: form.names, hint: t("room.namesHint"),
                                   error: problem("names"), maxLength: 200 * (RoomSetup.maxTableName + 1))
        self.priorities = [
            Priority(name: "mixNewcomers", label: t("room.priorityNewcomers"), checked: form.priorities.mixNewcomers),
            Priority(name: "mixJobs", label: t("room.priorityJobs"), checked: form.priorities.mixJobs),
            Priority(name: "spreadTopics", label: t("room.priorityTopics"), checked: form.priorities.spreadTopics),
            Priority(name: "avoidMetBefore", label: t("room.priorityMetBefore"), checked: form.priorities.avoidMetBefore),
        ]
        self.configured = state != nil
        self.openSetup = state == nil || !errors.isEmpty

        let byID = RoomPerson.byID(people)
        let present = RoomPerson.present(people, left: state?.left ?? [])
        let seats = setup.seats
        self.headcount = plural("room.headcount", present.count, ["seats": String(seats)])
        let plan = state?.plan
        self.hasPlan = plan != nil
        self.quality = plan.map { Self.qualitySentence($0.quality, language) } ?? ""
        let started = state?.startedRounds ?? 0
        self.canPlan = state != nil && started < setup.rounds && state?.phase != .finished
        self.planLabel = plan == nil ? t("room.plan") : t("room.replan")

        // The presenter.
        if let state, plan != nil {
            let roundText: String
            switch state.phase {
            case .notStarted: roundText = t("room.notStarted")
            case .finished: roundText = t("room.finished")
            case .running, .paused: roundText = t("room.roundOf", ["round": String((state.currentRound ?? 0) + 1), "rounds": String(setup.rounds)])
            }
            let isLast = (state.currentRound ?? -1) + 1 >= setup.rounds
            self.presenter = [Presenter(
                round: roundText, paused: state.phase == .paused,
                timeLeft: state.secondsLeft(now: now).map(Self.clock) ?? "", hasTimeLeft: state.secondsLeft(now: now) != nil, version: state.version,
                canNext: state.phase != .finished,
                nextLabel: state.phase == .notStarted ? t("room.start") : (isLast ? t("room.end") : t("room.next")),
                canPause: state.phase == .running, canResume: state.phase == .paused,
                canFinish: state.phase == .running || state.phase == .paused)]
            self.presenter[0].secondsLeft = state.secondsLeft(now: now) ?? 0
            self.presenter[0].running = state.phase == .running
        } else {
            self.presenter = []
        }
        self.hasPresenter = !presenter.isEmpty

        // The rounds.
        let pinned = Set(setup.pins.map { "\($0.round)/\($0.person)" })
        var seated = Set<String>()
        var rounds: [Round] = []
        for (r, seating) in (plan?.rounds ?? []).enumerated() {
            let editable = r >= started
            let status: String
            if r < started {
                status = (state?.phase == .finished || r < started - 1) ? t("room.done") : t("room.now")
            } else {
                status = t("room.toCome")
            }
            var tables: [Table] = []
            for (index, keys) in seating.enumerated() {
                let table = index < setup.tables.count ? setup.tables[index] : RoomTable(name: "\(index + 1)", seats: keys.count)
                let members = keys.map { key -> Person in
                    seated.insert(key)
                    let person = byID[key]
                    return Person(id: key, name: person?.name ?? "?", jobTitle: person?.jobTitle ?? "", hasJobTitle: !(person?.jobTitle ?? "").isEmpty, pinned: pinned.contains("\(r)/\(key)"),
                                  newcomer: person?.newcomer ?? false,
                                  tableOptions: editable ? setup.tables.enumerated().map {
                                      Option(value: String($0.offset), label: Self.tableLabel($0.element.name, language), selected: $0.offset == index)
                                  } : [])
                }
                tables.append(Table(label: Self.tableLabel(table.name, language), count: "\(keys.count)/\(table.seats)", people: members))
            }
            rounds.append(Round(index: r, title: t("room.roundOf", ["round": String(r + 1), "rounds": String(setup.rounds)]),
                                status: status, editable: editable, current: state?.currentRound == r && state?.phase != .finished, tables: tables))
        }
        if let on = rounds.firstIndex(where: \.current) {
            rounds[on].open = true
        } else if let next = rounds.firstIndex(where: \.editable) {
            rounds[next].open = true
        } else if !rounds.isEmpty {
            rounds[rounds.count - 1].open = true
        }
        self.rounds = rounds
        self.unseated = plan == nil ? [] : present.filter { !seated.contains($0.registrationID) }.map { Named(id: $0.registrationID, name: $0.name) }
        self.hasUnseated = !unseated.isEmpty
        self.left = (state?.left ?? []).compactMap { byID[$0] }.map { Named(id: $0.registrationID, name: $0.name) }
        self.hasLeft = !left.isEmpty
        self.apart = setup.keepApart.map { "\(byID[$0.first]?.name ?? "?") ↔ \(byID[$0.second]?.name ?? "?")" }
        self.hasApart = !apart.isEmpty
        self.everyone = people.map { Option(value: $0.registrationID, label: $0.name, selected: false) }
    }
}
