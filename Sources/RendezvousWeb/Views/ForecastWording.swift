import RendezvousDomain
import RendezvousLocalization

/// How sure the no-show forecast is, said one way wherever the forecast is told (the chapter's
/// dashboard, an evening's demand panel): one sentence, the level and why it is that level, from
/// the rule's own thresholds (`NoShowForecast`). Nothing else on those pages says how sure it is.
enum ForecastWording {
    static func howSure(_ forecast: NoShowForecast, _ language: Language) -> String {
        func t(_ key: String, _ arguments: [String: String] = [:]) -> String { Strings.text(key, language, arguments) }
        var (level, why): (String, String)
        switch forecast.confidence {
        case .none:
            (level, why) = ("demand.confidence.none", t("demand.confidence.whyNone", [
                "events": String(NoShowForecast.minEvents), "people": String(NoShowForecast.minPeople)]))
        case .low:
            (level, why) = ("demand.confidence.low", t("demand.confidence.whyLow", ["events": String(NoShowForecast.mediumEvents)]))
        case .medium:
            (level, why) = ("demand.confidence.medium", t("demand.confidence.whyMedium", [
                "events": String(NoShowForecast.highEvents), "people": String(NoShowForecast.highPeople)]))
        case .high:
            (level, why) = ("demand.confidence.high", t("demand.confidence.whyHigh", [
                "events": String(NoShowForecast.highEvents), "people": String(NoShowForecast.highPeople)]))
        }
        // A venue new to the history lowers a forecast a step: that is then the reason.
        if forecast.venueChanged, forecast.confidence != .none { why = t("demand.confidence.whyNewVenue") }
        return t("demand.howSure", ["level": t(level), "why": why])
    }
}
