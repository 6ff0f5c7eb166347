import Foundation
import RendezvousDomain
import RendezvousLocalization
import Testing

@Suite("Translations used by templates and controllers")
struct TranslationTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/RendezvousWeb")

    static func matches(_ pattern: String, in folder: URL, extension ext: String) throws -> Set<String> {
        let regex = try NSRegularExpression(pattern: pattern)
        var keys = Set<String>()
        let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)!
        for case let file as URL in files where file.pathExtension == ext {
            let text = try String(contentsOf: file, encoding: .utf8)
            for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                keys.insert(String(text[Range(match.range(at: 1), in: text)!]))
            }
        }
        return keys
    }

    @Test func everyKeyATemplateUsesExistsInBothLanguages() throws {
        let keys = try Self.matches(#"chrome\.t\.([A-Za-z0-9_]+)"#, in: Self.sources, extension: "mustache")
        #expect(keys.count > 50)
        for language in Language.allCases {
            let table = Set(Strings.table(language).keys.map { $0.replacingOccurrences(of: ".", with: "_") })
            #expect(keys.subtracting(table).isEmpty, "\(language): \(keys.subtracting(table).sorted())")
        }
    }

    @Test func everyLiteralKeyTheControllersUseExists() throws {
        let keys = try Self.matches(#"(?:\bt|Strings\.text|Strings\.plural)\("([a-z]+\.[A-Za-z0-9_.]+)""#, in: Self.sources, extension: "swift")
            .union(try Self.matches(#"messageKey: "([a-z]+\.[A-Za-z0-9_.]+)""#, in: Self.sources, extension: "swift"))
        #expect(keys.count > 50)
        let table = Set(Strings.catalog(.en).entries.keys)
        #expect(keys.subtracting(table).isEmpty, "\(keys.subtracting(table).sorted())")
    }
}
