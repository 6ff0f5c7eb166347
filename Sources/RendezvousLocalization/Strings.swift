import Foundation
import RendezvousDomain

/// The interface's words, per language, from the JSON catalogs in `Resources` (loaded once, explicitly:
/// `.stringsdict` crashes and `.xcstrings` is not compiled on Linux). Tests check both catalogs have
/// the same keys, plural forms and placeholders, and that every key the sources name exists.
public enum Strings {
    static let catalogs: [Language: Catalog] = Dictionary(uniqueKeysWithValues: Language.allCases.map { language in
        do {
            return (language, try Catalog.bundled(language))
        } catch {
            preconditionFailure("The string catalog \(language.rawValue).json cannot be read: \(error)")
        }
    })

    public static func catalog(_ language: Language) -> Catalog { catalogs[language]! }

    /// The texts without plural forms, for templates (`chrome.t.…`).
    public static func table(_ language: Language) -> [String: String] {
        catalog(language).entries.compactMapValues { entry in
            if case .text(let text) = entry { text } else { nil }
        }
    }

    /// The text for `key`, with `{name}` placeholders replaced; English, then the key, if it is missing.
    public static func text(_ key: String, _ language: Language, _ arguments: [String: String] = [:]) -> String {
        switch entry(key, language) {
        case .text(let text): fill(text, arguments)
        case .plural(let forms): fill(forms[.other] ?? key, arguments)
        case nil: key
        }
    }

    /// The form of `key` for `count` by the language's plural rule. `{count}` is the number as written
    /// by `String(count)` unless `arguments` gives it (e.g. formatted with digit grouping).
    public static func plural(_ key: String, count: Int, _ language: Language, _ arguments: [String: String] = [:]) -> String {
        var arguments = arguments
        if arguments["count"] == nil { arguments["count"] = String(count) }
        switch entry(key, language) {
        case .plural(let forms): return fill(forms[PluralCategory(count: count, language: language)] ?? forms[.other] ?? key, arguments)
        case .text(let text): return fill(text, arguments)
        case nil: return key
        }
    }

    static func entry(_ key: String, _ language: Language) -> Catalog.Entry? {
        catalog(language).entries[key] ?? catalog(.en).entries[key]
    }

    static func fill(_ text: String, _ arguments: [String: String]) -> String {
        var text = text
        for (name, value) in arguments {
            text = text.replacingOccurrences(of: "{\(name)}", with: value)
        }
        return text
    }
}
