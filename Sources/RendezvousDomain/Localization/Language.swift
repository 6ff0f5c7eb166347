import Foundation

/// The languages the interface is translated into. On Linux `Locale.current` ignores LANG,
/// so the language is always chosen explicitly, per request.
public enum Language: String, Sendable, Codable, CaseIterable {
    case en, fr

    public init?(code: String) {
        let lower = code.lowercased().replacingOccurrences(of: "_", with: "-")
        let primary = lower.split(separator: "-").first.map(String.init) ?? lower
        guard let language = Language(rawValue: primary) else { return nil }
        self = language
    }

    public var nativeName: String {
        switch self {
        case .en: "English"
        case .fr: "Français"
        }
    }

    /// The language the visitor asked for, if any: an explicit choice, else the best supported
    /// Accept-Language entry. Nil means no preference: the page uses its own (chapter's) language.
    public static func preferred(explicit: String?, acceptLanguage: String?) -> Language? {
        if let explicit, let language = Language(code: explicit) { return language }
        return acceptLanguage.flatMap(bestMatch(acceptLanguage:))
    }

    /// Picks the language: an explicit choice first, then the browser's Accept-Language,
    /// then the chapter's language, then English.
    public static func negotiate(explicit: String?, acceptLanguage: String?, fallback: Language?) -> Language {
        preferred(explicit: explicit, acceptLanguage: acceptLanguage) ?? fallback ?? .en
    }

    /// The supported language with the highest quality in an Accept-Language header;
    /// among equal weights, the earlier entry wins.
    static func bestMatch(acceptLanguage: String) -> Language? {
        let ranked = acceptLanguage.split(separator: ",").compactMap { part -> (Language, Double)? in
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let first = pieces.first, let language = Language(code: first) else { return nil }
            var quality = 1.0
            for piece in pieces.dropFirst() where piece.hasPrefix("q=") {
                quality = Double(piece.dropFirst(2)) ?? 0
            }
            return quality > 0 ? (language, quality) : nil
        }
        return ranked.enumerated().max { a, b in
            a.element.1 < b.element.1 || (a.element.1 == b.element.1 && a.offset > b.offset)
        }?.element.0
    }

    /// A Foundation locale for formatting, with the chapter's country as region where it speaks the language.
    public func locale(region: String?) -> Locale {
        let regionsSpeaking: [Language: Set<String>] = [
            .en: ["GB", "US", "AU", "CA", "IE", "NZ", "IN", "ZA", "SG"],
            .fr: ["FR", "BE", "CH", "CA", "LU", "MA", "SN", "CI", "TN"],
        ]
        if let region, regionsSpeaking[self]?.contains(region.uppercased()) == true {
            return Locale(identifier: "\(rawValue)_\(region.uppercased())")
        }
        return Locale(identifier: self == .en ? "en_GB" : "fr_FR")
    }
}

/// Formats dates, times and numbers for a language and a time zone.
public struct DisplayFormatter: Sendable {
    public let language: Language
    public let timeZone: TimeZone
    public let region: String?

    public init(language: Language, timeZone: TimeZone, region: String? = nil) {
        self.language = language
        self.timeZone = timeZone
        self.region = region
    }

    /// Formatters are made once per thread and kept: making one (ICU opening its locale data) cost
    /// more than the rest of a chart's drawing (perf, the chapter insights page). A thread's own
    /// formatters are never shared with another thread, so their thread-safety does not matter.
    static func kept<F: Formatter>(_ key: String, make: () -> F) -> F {
        let cache = Thread.current.threadDictionary
        if let kept = cache[key] as? F { return kept }
        let formatter = make()
        if cache.count < 512 { cache[key] = formatter }
        return formatter
    }

    private func formatter(template: String) -> DateFormatter {
        Self.kept("rendezvous.date|\(language.rawValue)|\(region ?? "")|\(timeZone.identifier)|\(template)") {
            let formatter = DateFormatter()
            formatter.locale = language.locale(region: region)
            formatter.timeZone = timeZone
            formatter.setLocalizedDateFormatFromTemplate(template)
            return formatter
        }
    }

    /// "mercredi 16 janvier 2019" / "Wednesday 16 January 2019".
    public func longDate(_ date: Date) -> String { formatter(template: "EEEEdMMMMy").string(from: date) }
    /// "16 janv. 2019".
    public func shortDate(_ date: Date) -> String { formatter(template: "dMMMy").string(from: date) }
    /// "16 janv." / "16 Jan": a date under a chart's bars.
    public func dayMonth(_ date: Date) -> String { formatter(template: "dMMM").string(from: date) }
    /// "18:30" / "6:30 PM" depending on the region's convention.
    public func time(_ date: Date) -> String { formatter(template: "jmm").string(from: date) }
    /// "mercredi 16 janvier 2019, 18:30".
    public func dateTime(_ date: Date) -> String { formatter(template: "EEEEdMMMMyjmm").string(from: date) }
    /// The zone's short name at that date, e.g. "CET" or "UTC+1".
    public func zoneName(_ date: Date) -> String {
        timeZone.localizedName(for: timeZone.isDaylightSavingTime(for: date) ? .shortDaylightSaving : .shortStandard,
                               locale: language.locale(region: region)) ?? timeZone.identifier
    }

    /// A rate as a whole percentage: "7%" in English, "7 %" in French (a narrow no-break space,
    /// U+202F, as French typography puts before the sign).
    public func percent(_ rate: Double) -> String { Self.percent(rate, language) }

    public static func percent(_ rate: Double, _ language: Language) -> String {
        let whole = Int((rate * 100).rounded())
        return language == .fr ? "\(whole)\u{202F}%" : "\(whole)%"
    }

    public func number(_ value: Int) -> String {
        let formatter: NumberFormatter = Self.kept("rendezvous.number|\(language.rawValue)|\(region ?? "")") {
            let formatter = NumberFormatter()
            formatter.locale = language.locale(region: region)
            formatter.numberStyle = .decimal
            return formatter
        }
        return formatter.string(from: NSNumber(value: value)) ?? String(value)
    }
}
