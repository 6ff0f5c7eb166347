import Foundation
import RendezvousDomain
import RendezvousLocalization

/// Turns domain values into the strings pages show, in one language and the chapter's time zone.
struct Presenter {
    let language: Language
    let chapter: Chapter

    var formatter: DisplayFormatter { DisplayFormatter(language: language, timeZone: chapter.zone, region: chapter.countryCode) }

    func t(_ key: String, _ arguments: [String: String] = [:]) -> String { Strings.text(key, language, arguments) }

    /// The form of `key` for `count`, the number written the language's way.
    func plural(_ key: String, _ count: Int) -> String { Strings.plural(key, count: count, language, ["count": formatter.number(count)]) }

    /// "3 seats left", "Full · 4 on the waitlist"; for the organisers, seats held by offers not
    /// answered yet are not "full": "2 seats offered, awaiting an answer".
    func availability(_ occupancy: Occupancy, organiser: Bool = false) -> String {
        if occupancy.seatsLeft > 0 { return plural("event.seatsLeft", occupancy.seatsLeft) }
        if organiser, occupancy.offered > 0 {
            let offered = plural("event.seatsOffered", occupancy.offered)
            return occupancy.waitlisted > 0 ? offered + " · " + t("event.waitlistCount", ["count": formatter.number(occupancy.waitlisted)]) : offered
        }
        if occupancy.waitlisted > 0 {
            return t("event.full") + " · " + t("event.waitlistCount", ["count": formatter.number(occupancy.waitlisted)])
        }
        return t("event.full")
    }

    func card(_ summary: EventSummary, past: Bool = false) -> EventCard {
        let f = formatter
        return EventCard(
            title: summary.event.title, url: PublicRoute.event(summary.event.id).path,
            date: f.longDate(summary.event.startsAt), time: f.time(summary.event.startsAt),
            venue: summary.venue?.name, availability: availability(summary.occupancy),
            isFull: summary.occupancy.isFull,
            attendance: past ? plural("chapter.attended", summary.occupancy.confirmed) : nil)
    }

    func role(jobTitle: String, company: String) -> String {
        [jobTitle, company].filter { !$0.isEmpty }.joined(separator: " · ")
    }

    func countryName(_ code: String) -> String {
        Locale(identifier: language.rawValue).localizedString(forRegionCode: code) ?? code
    }
}
