import Foundation
import RendezvousDomain
@testable import RendezvousLocalization
import Testing

@Suite("String catalogs")
struct CatalogTests {
    static let resources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/RendezvousLocalization/Resources")

    static func shape(_ entry: Catalog.Entry) -> Set<PluralCategory>? {
        if case .plural(let forms) = entry { Set(forms.keys) } else { nil }
    }

    static func placeholders(_ text: String) -> Set<String> {
        let regex = try! NSRegularExpression(pattern: #"\{([A-Za-z]+)\}"#)
        return Set(regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { (text as NSString).substring(with: $0.range(at: 1)) })
    }

    @Test func bothLanguagesHaveTheSameKeysAndPluralShapes() {
        let english = Strings.catalog(.en).entries
        #expect(english.count > 400)
        for language in Language.allCases where language != .en {
            let other = Strings.catalog(language).entries
            #expect(Set(other.keys) == Set(english.keys), "\(language): \(Set(other.keys).symmetricDifference(english.keys).sorted())")
            for (key, entry) in english {
                guard let translated = other[key] else { continue }
                #expect(Self.shape(translated) == Self.shape(entry), "\(language) \(key)")
            }
        }
    }

    /// French typography: a narrow no-break space (U+202F) before « : ; ! ? » and inside
    /// guillemets, and the typographic apostrophe. A time ("18:30"), a ratio ("{ratio}:1"), an
    /// address ("https://") and a format hint ("Table:places") are not punctuation.
    @Test func frenchTextUsesFrenchTypography() {
        var wrong: [String] = []
        for (key, entry) in Strings.catalog(.fr).entries {
            let texts: [String] = switch entry {
            case .text(let text): [text]
            case .plural(let forms): Array(forms.values)
            }
            for text in texts {
                let characters = Array(text)
                for (index, character) in characters.enumerated() where ":;!?".contains(character) {
                    let before: Character? = index > 0 ? characters[index - 1] : nil
                    let after = String(characters[(index + 1)...].prefix(2))
                    if before == "\u{202F}" || before == "\u{00A0}" || before?.isNumber == true || before == "}" || after == "//" { continue }
                    if key == "room.smallerHint", before?.isLetter == true { continue }
                    wrong.append("\(key): …\(String(characters[max(0, index - 12)...index]))")
                }
                if text.contains("'") { wrong.append("\(key): a straight apostrophe") }
                if text.contains("« ") || text.contains(" »") { wrong.append("\(key): a plain space inside guillemets") }
            }
        }
        #expect(wrong.isEmpty, "\(wrong.sorted())")
    }

    @Test func everyPlaceholderAppearsInEveryLanguage() {
        for (key, entry) in Strings.catalog(.en).entries {
            for language in Language.allCases where language != .en {
                guard let translated = Strings.catalog(language).entries[key] else { continue }
                switch (entry, translated) {
                case (.text(let a), .text(let b)):
                    #expect(Self.placeholders(a) == Self.placeholders(b), "\(language) \(key)")
                case (.plural(let a), .plural(let b)):
                    for (category, text) in a {
                        #expect(Self.placeholders(text) == Self.placeholders(b[category] ?? ""), "\(language) \(key) \(category)")
                    }
                default:
                    break // a shape mismatch, reported by the test above
                }
            }
        }
    }

    @Test func noTextIsEmptyAndKeysNameAnArea() {
        for language in Language.allCases {
            for (key, entry) in Strings.catalog(language).entries {
                #expect(entry.texts.allSatisfy { !$0.isEmpty }, "\(language) \(key)")
                // Templates see `a.b` as `t.a_b`: a key with `_` could not be told apart.
                #expect(key.wholeMatch(of: /[a-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)+/) != nil, "\(key)")
            }
        }
    }

    @Test func pluralFormsHoldTheCount() {
        for language in Language.allCases {
            for (key, entry) in Strings.catalog(language).entries {
                guard case .plural(let forms) = entry else { continue }
                for (category, text) in forms { #expect(text.contains("{count}"), "\(language) \(key) \(category)") }
            }
        }
    }

    /// The keys of every object in a JSON text, in the order they are written, innermost objects first.
    static func keysInOrder(_ json: String) -> [[String]] {
        let characters = Array(json)
        var finished: [[String]] = [], open: [[String]] = []
        var index = 0
        while index < characters.count {
            switch characters[index] {
            case "{": open.append([])
            case "}": finished.append(open.removeLast())
            case "\"":
                var string = ""
                index += 1
                while characters[index] != "\"" {
                    if characters[index] == "\\" { index += 1 }
                    string.append(characters[index])
                    index += 1
                }
                if characters[(index + 1)...].first(where: { !$0.isWhitespace }) == ":" { open[open.count - 1].append(string) }
            default: break
            }
            index += 1
        }
        return finished
    }

    @Test(arguments: Language.allCases)
    func eachFileIsSorted(_ language: Language) throws {
        let json = try String(contentsOf: Self.resources.appendingPathComponent("\(language.rawValue).json"), encoding: .utf8)
        let objects = Self.keysInOrder(json)
        #expect(objects.last?.count == Strings.catalog(language).entries.count)
        for keys in objects {
            #expect(keys == keys.sorted(), "\(language).json: \(zip(keys, keys.sorted()).first { $0 != $1 }.map { "\($0.0) is out of order" } ?? "")")
        }
    }

    @Test(arguments: [
        (Language.en, 0, PluralCategory.other), (.en, 1, .one), (.en, 2, .other), (.en, 21, .other),
        (.fr, 0, .one), (.fr, 1, .one), (.fr, 2, .other), (.fr, 1000, .other),
    ])
    func pluralRules(_ language: Language, _ count: Int, _ expected: PluralCategory) {
        #expect(PluralCategory(count: count, language: language) == expected)
    }

    @Test func pluralPicksTheFormAndFillsTheCount() {
        #expect(Strings.plural("event.seatsLeft", count: 1, .en) == "1 seat left")
        #expect(Strings.plural("event.seatsLeft", count: 0, .en) == "0 seats left")
        #expect(Strings.plural("event.seatsLeft", count: 0, .fr) == "0 place restante")
        #expect(Strings.plural("event.seatsLeft", count: 1200, .fr, ["count": "1 200"]) == "1 200 places restantes")
        #expect(Strings.plural("org.shown", count: 1, .fr, ["total": "3"]) == "1 affiché sur 3")
        #expect(Strings.text("v.tooLong", .fr, ["max": "5"]) == "5 caractères au maximum.")
        #expect(Strings.text("no.suchKey", .fr) == "no.suchKey")
    }

    @Test func frenchElidesBeforeAVowel() {
        #expect(Strings.bingoSquare(BingoSquare(kind: .topic, value: "ia generative", label: "IA générative"), .fr) == "Trouvez quelqu’un à qui parler d’IA générative")
        #expect(Strings.bingoSquare(BingoSquare(kind: .topic, value: "immobilier", label: "immobilier"), .fr) == "Trouvez quelqu’un à qui parler d’immobilier")
        #expect(Strings.bingoSquare(BingoSquare(kind: .topic, value: "jazz", label: "jazz"), .fr) == "Trouvez quelqu’un à qui parler de jazz")
        #expect(Strings.bingoSquare(BingoSquare(kind: .topic, value: "ia", label: "AI"), .en) == "Find someone to ask about AI")
    }
}
