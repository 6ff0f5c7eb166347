import Foundation
import RendezvousDomain

/// One language's interface words, read from `Resources/<language>.json`: flat dotted keys grouped
/// by area ("event.…", "door.…", "mail.…"), each a text or, where a count decides, plural forms.
public struct Catalog: Sendable {
    public enum Entry: Sendable, Equatable, Decodable {
        case text(String)
        case plural([PluralCategory: String])

        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) {
                self = .text(text)
                return
            }
            let raw = try container.decode([String: String].self)
            var forms: [PluralCategory: String] = [:]
            for (name, text) in raw {
                guard let category = PluralCategory(rawValue: name) else {
                    throw DecodingError.dataCorruptedError(in: container, debugDescription: "unknown plural form \"\(name)\"")
                }
                forms[category] = text
            }
            guard forms[.other] != nil else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "plural forms without \"other\"")
            }
            self = .plural(forms)
        }

        /// Every text of the entry: one, or one per plural form.
        public var texts: [String] {
            switch self {
            case .text(let text): [text]
            case .plural(let forms): PluralCategory.allCases.compactMap { forms[$0] }
            }
        }
    }

    public let entries: [String: Entry]

    public init(json: Data) throws {
        entries = try JSONDecoder().decode([String: Entry].self, from: json)
    }

    /// The catalog shipped in this module's resources.
    public static func bundled(_ language: Language) throws -> Catalog {
        guard let url = Bundle.module.url(forResource: language.rawValue, withExtension: "json", subdirectory: "Resources") else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "Resources/\(language.rawValue).json"])
        }
        return try Catalog(json: Data(contentsOf: url))
    }
}

/// The plural categories the catalogs use (CLDR names). A language with more forms adds its cases here.
public enum PluralCategory: String, Sendable, CaseIterable, Codable {
    case one, other

    /// CLDR cardinal rules for whole numbers: English says "one" for 1 only, French for 0 and 1.
    public init(count: Int, language: Language) {
        switch language {
        case .en: self = count == 1 ? .one : .other
        case .fr: self = abs(count) <= 1 ? .one : .other
        }
    }
}
