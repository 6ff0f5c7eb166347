import Foundation
import RendezvousDomain

extension Strings {
    /// A validation problem as a sentence.
    public static func message(for problem: ValidationProblem, _ language: Language) -> String {
        switch problem {
        case .required: text("v.required", language)
        case .tooLong(let max): text("v.tooLong", language, ["max": String(max)])
        case .tooShort(let min): text("v.tooShort", language, ["min": String(min)])
        case .controlCharacters: text("v.control", language)
        case .invalidEmail: text("v.email", language)
        case .invalidLinkedInURL: text("v.linkedin", language)
        case .invalidTimeZone: text("v.timeZone", language)
        case .invalidCountryCode: text("v.country", language)
        case .invalidSlug: text("v.slug", language)
        case .invalidLocale: text("v.locale", language)
        case .invalidDate: text("v.date", language)
        case .endsBeforeStart: text("v.endsBeforeStart", language)
        case .inThePast: text("v.inThePast", language)
        case .notAChoice: text("v.notAChoice", language)
        case .notAccepted: text("v.notAccepted", language)
        // "entre 1 et 100 000" (a narrow no-break space in French), "between 1 and 100,000".
        case .outOfRange(let min, let max): text("v.range", language, ["min": grouped(min, language), "max": grouped(max, language)])
        case .alreadyTaken: text("v.taken", language)
        case .format(let example): text("v.format", language, ["example": example])
        case .notALink(let line): text("v.notALink", language, ["line": String(line)])
        }
    }

    static func grouped(_ value: Int, _ language: Language) -> String {
        DisplayFormatter(language: language, timeZone: TimeZone(identifier: "UTC") ?? .current).number(value)
    }
}
