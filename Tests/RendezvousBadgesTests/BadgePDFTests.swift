import CCairoPango
import Foundation
@testable import RendezvousBadges
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

    // MARK: Mixed directions and emoji (issue 11)

    /// Names whose lines mix right-to-left and left-to-right text, tall scripts and emoji: every
    /// element must reach the badge on every layout with room for it.
    static let mixed: [(name: String, badge: BadgeContent)] = [
        ("arabic", badge("محمد", "العلي", job: "مستشار", company: "PowerPitch Consulting", ask: "the 60-second pitch", token: "arabic")),
        ("arabic-long", badge("عبد الرحمن", "الهاشمي", job: "مدير تطوير الأعمال", company: "مجموعة Acme Industries SARL",
                              ask: "export to the Gulf and trade fairs", token: "arabic-long")),
        ("hebrew", badge("שרה", "כהן", job: "יועצת", company: "Tel Aviv Startups", ask: "product design", token: "hebrew")),
        ("chinese", badge("王芳", "李", job: "产品经理", company: "Huawei France", ask: "手机 and design", token: "chinese")),
        ("japanese", badge("さくら", "山田", job: "デザイナー", company: "Sony Europe", ask: "アニメ", token: "japanese")),
        ("emoji", badge("Zoé 🧑🏽‍💻", "Prinčeva 🦄", job: "Développeuse 👩‍🚀", company: "Licornes & Cie 🇫🇷", ask: "☕ et 🚀 🏳️‍🌈", token: "emoji")),
        ("arabic-emoji", badge("ليلى 🌙", "حداد", job: "مهندسة سحابية ☁️", company: "Cloud & Co 🚀", ask: "l’IA 🤖", token: "arabic-emoji")),
    ]

    /// The words poppler reads back, without the spaces and direction marks it puts between
    /// right-to-left letters (its reading of Arabic splits a word at each joining break).
    static func squeezed(_ text: String) -> String {
        String(text.unicodeScalars.filter { !CharacterSet.whitespacesAndNewlines.contains($0) && !(0x200E...0x202E).contains($0.value) }
            .map(Character.init))
    }

    static func latinWords(_ badge: BadgeContent) -> [String] {
        ([badge.company, badge.askMeAboutLabel, badge.askMeAbout] + [badge.firstName, badge.lastName, badge.jobTitle])
            .flatMap { $0.split(separator: " ").map(String.init) }
            .filter { word in word.unicodeScalars.allSatisfy { $0.value < 0x0250 } && word.count > 1 }
    }

    @Test(arguments: [BadgeLayout.a4Eight, .a4A6, .letterSix, .roll62])
    func mixedDirectionsKeepEveryElement(_ layout: BadgeLayout) throws {
        let path = Self.temporary("mixed-\(layout.rawValue).pdf")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try BadgeRenderer.writePDF(Self.mixed.map(\.badge), layout: layout, to: path)
        let text = try Self.run("pdftotext", [path, "-"])
        let squeezed = Self.squeezed(text)
        for (name, badge) in Self.mixed {
            for word in Self.latinWords(badge) { #expect(text.contains(word), "\(name): \(word) on the \(layout.rawValue) badge") }
            let cjk = [badge.firstName, badge.lastName, badge.jobTitle, badge.askMeAbout].flatMap { $0.split(separator: " ") }
                .filter { $0.unicodeScalars.contains { (0x3040...0x9FFF).contains($0.value) } }
            for word in cjk { #expect(text.contains(word), "\(name): \(word) on the \(layout.rawValue) badge") }
            // Right-to-left words come back from poppler in visual order, and with the two letters
            // of a ligature (lam-alef, lam-alef maksura) swapped: the word's letters, in any order.
            for field in [badge.firstName, badge.lastName, badge.jobTitle, badge.company] where BadgeRenderer.isRightToLeft(field) {
                for word in field.split(separator: " ").map({ Self.squeezed(String($0)) }) where BadgeRenderer.isRightToLeft(word) {
                    let letters = Array(squeezed), sorted = word.sorted()
                    let found = letters.count >= sorted.count
                        && (0...(letters.count - sorted.count)).contains { letters[$0..<($0 + sorted.count)].sorted() == sorted }
                    #expect(found, "\(name): \(word) on the \(layout.rawValue) badge")
                }
            }
        }
        try Self.expectEveryWordInsideItsBadge(path, layout: layout)
        // Kept for a person to look at: pdftoppm -png -r 100 /tmp/rendezvous-mixed-badges-a4-8.pdf
        try? FileManager.default.removeItem(atPath: "/tmp/rendezvous-mixed-badges-\(layout.rawValue).pdf")
        try? FileManager.default.copyItem(atPath: path, toPath: "/tmp/rendezvous-mixed-badges-\(layout.rawValue).pdf")
    }

    @Test(arguments: [BadgeLayout.a4Eight, .a4A6, .letterSix, .roll62])
    func previewAndPrintKeepTheSameLines(_ layout: BadgeLayout) throws {
        for (name, badge) in Self.mixed + [("latin", Self.badge("Jean-Christophe", "Boussion", job: "Fondateur", company: "PowerPitch"))] {
            let expected = [badge.firstName, badge.lastName, badge.jobTitle, badge.company, "\(badge.askMeAboutLabel) \(badge.askMeAbout)"].map(BadgeRenderer.sanitize)
            let preview = try BadgeRenderer.renderPNG(badge, layout: layout)
            #expect(preview.lines == expected, "\(name): the \(layout.rawValue) preview keeps every element")
            // The PDF lays out the same lines (a surface of the badge's own size, drawn at once).
            let path = Self.temporary("one.pdf")
            defer { try? FileManager.default.removeItem(atPath: path) }
            let g = layout.geometry
            let surface = cairo_pdf_surface_create(path, g.badgeWidth, g.badgeHeight)
            let cr = cairo_create(surface)!
            let printed = BadgeRenderer.draw(badge, in: cr, x: 0, y: 0, width: g.badgeWidth, height: g.badgeHeight)
            cairo_destroy(cr)
            cairo_surface_destroy(surface)
            #expect(printed == preview.lines, "\(name): the \(layout.rawValue) print matches its preview")
        }
    }

    @Test func rightToLeftNamesSetTheColumnAgainstTheRightEdge() throws {
        let path = Self.temporary("rtl.pdf")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let latin = Self.badge("Zoé", "Prinčeva", company: "PowerPitch", token: "latin")
        let arabic = Self.badge("محمد", "العلي", company: "PowerPitch", token: "arabic")
        try BadgeRenderer.writePDF([latin, arabic], layout: .label89x36, to: path)
        let html = try Self.run("pdftotext", ["-bbox", path, "-"])
        func xMin(_ word: String, page: Int) throws -> Double? {
            let pages = html.components(separatedBy: "<page ")
            let regex = try NSRegularExpression(pattern: #"<word xMin="([0-9.]+)"[^>]*>"# + NSRegularExpression.escapedPattern(for: word) + "</word>")
            let text = pages[page]
            guard let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) else { return nil }
            return Double(text[Range(match.range(at: 1), in: text)!])
        }
        let mm = 72.0 / 25.4
        // Latin: the company starts at the left padding; Arabic name: it ends against the QR code.
        let left = try #require(try xMin("PowerPitch", page: 1))
        let right = try #require(try xMin("PowerPitch", page: 2))
        #expect(abs(left - 4 * mm * 36 / 55) < 3, "\(left)")
        #expect(right > left + 20, "\(right)")
    }

    @Test func emojiHaveAFontAndPrintInColour() throws {
        for text in ["🧑🏽‍💻", "🦄", "🇫🇷", "👩‍🚀", "🏳️‍🌈", "☕", "❤️", "🫶🏿", "Zoé 🧑🏽‍💻 🦄 🇫🇷", "محمد 🌙", "王芳 🐉"] {
            #expect(BadgeRenderer.missingGlyphs(text) == 0, "\(text) would print as boxes")
        }
        #expect(BadgeRenderer.missingGlyphs("\u{10FFFD}") > 0, "the count does see a character no font has")
        let path = Self.temporary("emoji.pdf")
        let image = Self.temporary("emoji")
        defer {
            try? FileManager.default.removeItem(atPath: path)
            try? FileManager.default.removeItem(atPath: image + "-1.png")
        }
        let emoji = Self.mixed.first { $0.name == "emoji" }!.badge
        try BadgeRenderer.writePDF([emoji], layout: .roll62, to: path)
        // Noto Color Emoji is a bitmap font: cairo paints each emoji as a colour image (which is
        // why pdffonts lists no emoji font), the letters around them stay text in Noto Sans.
        let images = try Self.run("pdfimages", ["-list", path]).split(separator: "\n").dropFirst(2).filter { $0.contains(" image ") }
        #expect(images.count >= 9, "\(images.count) emoji images")
        // Sharp on paper: drawn at 360 dpi, not at the 72 dpi cairo gives a colour glyph in a PDF.
        let resolutions = images.compactMap { $0.split(separator: " ", omittingEmptySubsequences: true).dropFirst(12).first.flatMap { Int($0) } }
        #expect(resolutions.count == images.count && resolutions.allSatisfy { $0 >= 300 }, "\(resolutions) dpi")
        let fonts = try Self.run("pdffonts", [path])
        #expect(fonts.contains("NotoSans-Bold"))
        let text = try Self.run("pdftotext", [path, "-"])
        for word in ["Zoé", "Prinčeva", "Développeuse", "Licornes", "Cie", "et"] { #expect(text.contains(word), "\(word)") }
        // Looked at as a printer would: below the band, the badge holds saturated colours that no
        // text has (text is near-black, grey or the chapter's colour): the emoji. The same badge
        // without emoji has none.
        let plain = Self.badge("Zoé", "Prinčeva", job: "Développeuse", company: "Licornes & Cie", ask: "et", token: "emoji")
        let withEmoji = try Self.colourfulPixels(emoji), without = try Self.colourfulPixels(plain)
        #expect(withEmoji > 400 && without < 20, "\(withEmoji) colourful pixels with emoji, \(without) without")
        _ = try Self.run("pdftoppm", ["-r", "100", "-png", path, image])
        try? FileManager.default.removeItem(atPath: "/tmp/rendezvous-emoji-badge.png")
        try? FileManager.default.copyItem(atPath: image + "-1.png", toPath: "/tmp/rendezvous-emoji-badge.png")
    }

    /// Pixels below the band of a 62 mm roll badge, rendered by poppler at 100 dpi, that are
    /// saturated and of another hue than the chapter's colour (the "ask me about" line is in that
    /// colour, and its anti-aliased edges are lighter shades of the same hue).
    static func colourfulPixels(_ badge: BadgeContent) throws -> Int {
        let path = temporary("colour.pdf"), image = temporary("colour")
        defer {
            try? FileManager.default.removeItem(atPath: path)
            try? FileManager.default.removeItem(atPath: image + "-1.ppm")
        }
        try BadgeRenderer.writePDF([badge], layout: .roll62, to: path)
        _ = try run("pdftoppm", ["-r", "100", path, image])
        let data = try [UInt8](Data(contentsOf: URL(fileURLWithPath: image + "-1.ppm")))
        // P6 header: magic, width, height, maximum, each followed by one whitespace.
        var fields: [Int] = [], index = 2, number = 0, inNumber = false
        while fields.count < 3 {
            let byte = data[index]
            if (48...57).contains(byte) { number = number * 10 + Int(byte - 48); inNumber = true }
            else if inNumber { fields.append(number); number = 0; inNumber = false }
            index += 1
        }
        let (width, height) = (fields[0], fields[1])
        func hue(_ p: [Int]) -> Double {
            let (r, g, b) = (Double(p[0]), Double(p[1]), Double(p[2]))
            let high = max(r, g, b), low = min(r, g, b), range = max(high - low, 1)
            let h = high == r ? (g - b) / range : high == g ? 2 + (b - r) / range : 4 + (r - g) / range
            return (h * 60 + 360).truncatingRemainder(dividingBy: 360)
        }
        let accent = hue([badge.accent.red, badge.accent.green, badge.accent.blue].map { Int($0 * 255) })
        let bandRows = Int(10.5 / 25.4 * 100)
        var count = 0
        for row in bandRows..<height {
            for column in 0..<width {
                let offset = index + (row * width + column) * 3
                let pixel = [Int(data[offset]), Int(data[offset + 1]), Int(data[offset + 2])]
                let saturation = pixel.max()! - pixel.min()!
                let fromAccent = abs(hue(pixel) - accent)
                if saturation > 60 && min(fromAccent, 360 - fromAccent) > 40 { count += 1 }
            }
        }
        return count
    }

    @Test func badgesDrawnAtTheSameTimeOnSeveralThreads() async throws {
        // The server draws PDFs and previews for several organisers at once, emoji included.
        let badges = Self.mixed.map(\.badge)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<6 {
                group.addTask {
                    for round in 0..<4 {
                        let path = Self.temporary("threads-\(task)-\(round).pdf")
                        defer { try? FileManager.default.removeItem(atPath: path) }
                        try BadgeRenderer.writePDF(badges, layout: BadgeLayout.allCases[(task + round) % BadgeLayout.allCases.count], to: path)
                        _ = try BadgeRenderer.png(badges[(task + round) % badges.count])
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    @Test func sanitizeRemovesInvisibleTroublemakers() {
        #expect(BadgeRenderer.sanitize("A\u{202E}B\u{2066}C\u{0000}D\nE") == "ABCD E")
    }
}
