import Foundation
import RendezvousDomain
import RendezvousLocalization
import Testing

/// The keys the sources name, read from the source files: Swift literals handed to `t(`, `text(`,
/// `plural(` or `messageKey:` (also through a ternary, a notice table or a pair list), and
/// `t.area_name` in templates, which reads the key `area.name`.
@Suite("Keys the sources use")
struct KeyUsageTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources")

    static let key = #"([a-z][A-Za-z0-9]*(?:\.[A-Za-z0-9]+)+)"#
    static let swiftPatterns = [
        #"\b(?:t|text|plural)\(\s*""# + key + #"""#,
        #"\b(?:t|text|plural)\([^()"]*\?\s*""# + key + #""\s*:\s*""# + key + #"""#,
        #"messageKey:\s*""# + key + #"""#,
        #""[A-Za-z0-9]+":\s*""# + key + #"""#,
        #"\("[^"]*",\s*""# + key + #""\)"#,
    ]

    static func files(_ ext: String) throws -> [(path: String, text: String)] {
        let enumerator = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)!
        return try enumerator.compactMap { $0 as? URL }.filter { $0.pathExtension == ext }
            .map { ($0.path.replacingOccurrences(of: sources.path + "/", with: ""), try String(contentsOf: $0, encoding: .utf8)) }
    }

    static func captures(_ pattern: String, in text: String) throws -> [String] {
        try NSRegularExpression(pattern: pattern).matches(in: text, range: NSRange(text.startIndex..., in: text)).flatMap { match in
            (1..<match.numberOfRanges).compactMap { Range(match.range(at: $0), in: text).map { String(text[$0]) } }
        }
    }

    /// Every key a Swift source names, with the file naming it.
    static func swiftKeys() throws -> [String: String] {
        var keys: [String: String] = [:]
        for (path, text) in try files("swift") {
            for pattern in swiftPatterns {
                for key in try captures(pattern, in: text) { keys[key] = path }
            }
        }
        return keys
    }

    /// Every key a template names (`t.area_name` is `area.name`), with the template naming it.
    static func templateKeys() throws -> [String: String] {
        var keys: [String: String] = [:]
        for (path, text) in try files("mustache") {
            for name in try captures(#"\bt\.([A-Za-z0-9_]+)"#, in: text) { keys[name.replacingOccurrences(of: "_", with: ".")] = path }
        }
        return keys
    }

    @Test func everyKeyTheSwiftSourcesNameExists() throws {
        let keys = try Self.swiftKeys()
        #expect(keys.count > 300)
        let catalog = Strings.catalog(.en).entries
        let missing = keys.filter { catalog[$0.key] == nil }.map { "\($0.key) (\($0.value))" }.sorted()
        #expect(missing.isEmpty, "\(missing)")
    }

    @Test func everyKeyATemplateNamesIsATextInEveryLanguage() throws {
        let keys = try Self.templateKeys()
        #expect(keys.count > 100)
        for language in Language.allCases {
            // Templates cannot pick a plural form: their keys must be plain texts.
            let table = Strings.table(language)
            let missing = keys.filter { table[$0.key] == nil }.map { "\($0.key) (\($0.value))" }.sorted()
            #expect(missing.isEmpty, "\(language): \(missing)")
        }
    }

    @Test func everyCatalogKeyIsUsed() throws {
        var literals = Set<String>()
        for (_, text) in try Self.files("swift") { literals.formUnion(try Self.captures(#""\#(Self.key)""#, in: text)) }
        let used = literals.union(try Self.templateKeys().keys)
        let unused = Strings.catalog(.en).entries.keys.filter { !used.contains($0) }.sorted()
        #expect(unused.isEmpty, "unused keys: \(unused)")
    }

    /// Audit actions are stored as written (`log(context, chapter:, "event.created", …)`); each needs a phrase.
    @Test func everyRecordedAuditActionHasAPhrase() throws {
        var actions = Set<String>()
        for (_, text) in try Self.files("swift") {
            for pattern in [#"\blog\(context, chapter: [^,]+, "([a-z.]+)""#, #"\b(?:action|audit): "([a-z.]+)""#] {
                actions.formUnion(try Self.captures(pattern, in: text))
            }
        }
        #expect(actions.count > 15)
        for action in actions { #expect(Strings.auditAction(action, .en) != action, "\(action)") }
    }

    @Test func typedLabelsAnswerFromTheCatalog() {
        for language in Language.allCases {
            let texts = Set(Strings.table(language).values)
            for status in RegistrationStatus.allCases { #expect(texts.contains(Strings.status(status, language)), "\(status)") }
            for status in EventStatus.allCases { #expect(texts.contains(Strings.eventStatus(status, language)), "\(status)") }
            for column in AttendeeImport.Column.allCases {
                #expect(texts.contains(Strings.importColumn(column.rawValue, language)), "\(column)")
            }
            for field in ["firstName", "lastName", "email", "jobTitle", "company", "linkedinUrl", "askMeAbout"] {
                #expect(texts.contains(Strings.importColumn(field, language)), "\(field)")
            }
            for source in RegistrationSource.allCases { #expect(texts.contains(Strings.source(source, language)), "\(source)") }
            for status in OutboxStatus.allCases { #expect(texts.contains(Strings.outboxStatus(status, language)), "\(status)") }
            #expect(Strings.auditAction("event.created", language) != "event.created")
            #expect(Strings.auditAction("something.new", language) == "something.new")
            #expect(Strings.mailAlert("tls", since: "x", language) != Strings.mailAlert("unknown", since: "x", language))
        }
    }
}
