import Foundation
import RendezvousBadges
import Testing

/// Badges are checked the way a printer would see them: the PDF is read back with poppler
/// (pdftotext, pdffonts, pdfinfo, pdftoppm) and the QR codes decoded with zbarimg.
@Suite("Badge PDFs, read back")
struct BadgePDFTests {
    static func run(_ tool: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    static func pages(_ info: String) -> Int? {
        info.split(separator: "\n").first { $0.hasPrefix("Pages:") }.flatMap { Int($0.dropFirst(6).trimmingCharacters(in: .whitespaces)) }
    }

    static func temporary(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("rendezvous-\(UUID().uuidString)-\(name)").path
    }

    static func badge(_ first: String, _ last: String, job: String = "Consultante", company: String = "Indépendante",
                      ask: String = "le pitch en 60 secondes", token: String? = nil) -> BadgeContent {
        BadgeContent(firstName: first, lastName: last, jobTitle: job, company: company, askMeAbout: ask,
                     chapterName: "#LinkedInLocal Toulouse", eventDate: "16 janv. 2019", askMeAboutLabel: "Parlez-moi de",
                     accent: BadgeContent.accent(for: "Toulouse"),
                     contactURL: token.map { "https://rendezvous.test/c/\($0)" })
    }

    static let scripts: [BadgeContent] = [
        badge("Zoé", "Prinčeva", token: "latin"),
        badge("Ἀλέξανδρος", "Παπαδόπουλος", job: "Σύμβουλος", token: "greek"),
        badge("Дмитрий", "Иванов", job: "Инженер", token: "cyrillic"),
        badge("محمد", "العلي", job: "مستشار", token: "arabic"),
        badge("שרה", "כהן", job: "יועצת", token: "hebrew"),
        badge("王芳", "李", job: "产品经理", token: "chinese"),
        badge("さくら", "山田", job: "デザイナー", token: "japanese"),
        badge("민준", "김", job: "개발자", token: "korean"),
        badge("Jean-Christophe", "Boussion", job: "Fondateur", company: "PowerPitch", token: "second-page"),
    ]

    @Test func everyNameIsOnItsPageInRealFonts() throws {
        let path = Self.temporary("scripts.pdf")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try BadgeRenderer.writePDF(Self.scripts, layout: .a4Eight, to: path)
        let info = try Self.run("pdfinfo", [path])
        #expect(Self.pages(info) == 2)
        #expect(info.contains("(A4)"))
        let first = try Self.run("pdftotext", ["-f", "1", "-l", "1", path, "-"])
        for name in ["Zoé", "Prinčeva", "Ἀλέξανδρος", "Дмитрий", "Иванов", "王芳", "さくら", "민준", "Consultante", "Parlez-moi de"] {
            #expect(first.contains(name), "\(name) on page 1")
        }
        #expect(!first.contains("Jean-Christophe"))
        let second = try Self.run("pdftotext", ["-f", "2", "-l", "2", path, "-"])
        #expect(second.contains("Jean-Christophe") && second.contains("PowerPitch"))
        try? FileManager.default.removeItem(atPath: "/tmp/rendezvous-script-badges.pdf")
        try? FileManager.default.copyItem(atPath: path, toPath: "/tmp/rendezvous-script-badges.pdf")
        let fonts = try Self.run("pdffonts", [path])
        for family in ["NotoSans-Bold", "NotoSansCJKsc", "NotoSansCJKjp", "NotoSansCJKkr", "NotoSansArabic", "NotoSansHebrew"] {
            #expect(fonts.contains(family), "\(family) embedded")
        }
        #expect(fonts.split(separator: "\n").dropFirst(2).allSatisfy { $0.contains(" yes ") }, "every font embedded")
    }

    @Test func qrCodesDecodeToTheContactCard() throws {
        let path = Self.temporary("qr.pdf")
        let image = Self.temporary("qr")
        defer {
            try? FileManager.default.removeItem(atPath: path)
            try? FileManager.default.removeItem(atPath: image + "-1.png")
        }
        try BadgeRenderer.writePDF(Array(Self.scripts.prefix(8)), layout: .a4Eight, to: path)
        _ = try Self.run("pdftoppm", ["-r", "200", "-png", "-f", "1", "-l", "1", path, image])
        let decoded = try Self.run("zbarimg", ["--quiet", "--raw", image + "-1.png"])
        let urls = Set(decoded.split(separator: "\n").map(String.init))
        #expect(urls == Set(["latin", "greek", "cyrillic", "arabic", "hebrew", "chinese", "japanese", "korean"].map { "https://rendezvous.test/c/\($0)" }))
    }

    @Test(arguments: BadgeLayout.allCases)
    func everyLayout(_ layout: BadgeLayout) throws {
        let path = Self.temporary("\(layout.rawValue).pdf")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let badges = (0..<10).map { Self.badge("Marie", "Quinquies \($0)", token: "t\($0)") }
        try BadgeRenderer.writePDF(badges, layout: layout, to: path)
        let info = try Self.run("pdfinfo", [path])
        let pages = (10 + layout.geometry.perPage - 1) / layout.geometry.perPage
        #expect(Self.pages(info) == pages, "\(info)")
        let text = try Self.run("pdftotext", [path, "-"])
        for index in 0..<10 { #expect(text.contains("Quinquies \(index)")) }
        try Self.expectEveryWordInsideItsBadge(path, layout: layout)
    }

    @Test func hostileTextCannotBreakTheLayoutOrThePDF() throws {
        let path = Self.temporary("hostile.pdf")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let hostile = [
            Self.badge("<b>Bold</b> & <i>", "</span><span foreground='red'>", job: "%PDF-1.4 endobj )(\\", token: "h1"),
            Self.badge("Supercalifragilisticexpialidocious-Wolfeschlegelsteinhausenbergerdorff", String(repeating: "Long", count: 40),
                       job: String(repeating: "Chief Everything Officer ", count: 20), company: String(repeating: "Acme ", count: 50),
                       ask: String(repeating: "everything ", count: 60), token: String(repeating: "x", count: 200)),
            Self.badge("Eve\u{202E}evil\u{202C}", "Null\u{0000}Byte\u{0007}", job: "Line\nBreak", token: "h3"),
            Self.badge("", "", job: "", company: "", ask: "", token: nil),
        ]
        try BadgeRenderer.writePDF(hostile, layout: .a4Eight, to: path)
        #expect(Self.pages(try Self.run("pdfinfo", [path])) == 1)
        let text = try Self.run("pdftotext", [path, "-"])
        #expect(text.contains("<b>Bold</b> & <i>"), "markup is shown as typed, never interpreted")
        #expect(text.contains("Eveevil"))
        #expect(!text.contains("\u{202E}"))
        try Self.expectEveryWordInsideItsBadge(path, layout: .a4Eight)
        // Kept for a person to look at: pdftoppm -png of this file shows the ellipses.
        try? FileManager.default.removeItem(atPath: "/tmp/rendezvous-hostile-badges.pdf")
        try? FileManager.default.copyItem(atPath: path, toPath: "/tmp/rendezvous-hostile-badges.pdf")
    }

    /// Nothing overflows: every word poppler finds lies inside the badge cell it starts in.
    static func expectEveryWordInsideItsBadge(_ path: String, layout: BadgeLayout, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let html = try run("pdftotext", ["-bbox", path, "-"])
        let regex = try NSRegularExpression(pattern: #"<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)">"#)
        let g = layout.geometry
        let matches = regex.matches(in: html, range: NSRange(html.startIndex..., in: html))
        #expect(matches.count > 10, sourceLocation: sourceLocation)
        for match in matches {
            let v = (1...4).map { Double(html[Range(match.range(at: $0), in: html)!])! }
            let (xMin, yMin, xMax, yMax) = (v[0], v[1], v[2], v[3])
            let left = g.origin(0).x, top = g.origin(0).y
            let column = Int(((xMin + 0.5) - left) / g.badgeWidth), row = Int(((yMin + 0.5) - top) / g.badgeHeight)
            let cellLeft = left + Double(column) * g.badgeWidth, cellTop = top + Double(row) * g.badgeHeight
            #expect(xMax <= cellLeft + g.badgeWidth + 0.5 && yMax <= cellTop + g.badgeHeight + 0.5 && xMin >= cellLeft - 0.5 && yMin >= cellTop - 0.5,
                    "word at \(v) leaves its badge", sourceLocation: sourceLocation)
        }
    }

    @Test func previewIsAPNG() throws {
        let data = try BadgeRenderer.png(Self.badge("Zoé", "Prinčeva", token: "preview"))
        #expect(data.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        #expect(data.count > 5_000)
    }

    @Test func sanitizeRemovesInvisibleTroublemakers() {
        #expect(BadgeRenderer.sanitize("A\u{202E}B\u{2066}C\u{0000}D\nE") == "ABCD E")
    }
}
