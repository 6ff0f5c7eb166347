import Foundation

/// Where badges go on paper. Sizes in millimetres; sheets get cut marks, labels one badge a page.
public enum BadgeLayout: String, CaseIterable, Sendable {
    /// A4, 8 badges of 90 × 55 mm (the common badge-holder insert).
    case a4Eight = "a4-8"
    /// A4, 4 badges of A6 (105 × 148 mm).
    case a4A6 = "a4-a6"
    /// US Letter, 6 badges of 4 × 3 inches.
    case letterSix = "letter-6"
    /// 62 mm continuous roll (Brother QL and similar), one 100 × 62 mm badge a page.
    case roll62 = "roll-62"
    /// 89 × 36 mm address labels (Dymo LabelWriter and similar), one a page.
    case label89x36 = "label-89x36"

    static let pointsPerMillimetre = 72.0 / 25.4

    public struct Geometry: Sendable {
        public var pageWidth: Double
        public var pageHeight: Double
        public var badgeWidth: Double
        public var badgeHeight: Double
        public var columns: Int
        public var rows: Int
        public var cutMarks: Bool

        public var perPage: Int { columns * rows }
        /// Top-left corner of the badge at `index` on its page, the grid centred on the page.
        public func origin(_ index: Int) -> (x: Double, y: Double) {
            let left = (pageWidth - Double(columns) * badgeWidth) / 2
            let top = (pageHeight - Double(rows) * badgeHeight) / 2
            return (left + Double(index % columns) * badgeWidth, top + Double(index / columns) * badgeHeight)
        }
    }

    public var geometry: Geometry {
        let mm = Self.pointsPerMillimetre
        switch self {
        case .a4Eight: return Geometry(pageWidth: 210 * mm, pageHeight: 297 * mm, badgeWidth: 90 * mm, badgeHeight: 55 * mm, columns: 2, rows: 4, cutMarks: true)
        case .a4A6: return Geometry(pageWidth: 210 * mm, pageHeight: 297 * mm, badgeWidth: 105 * mm, badgeHeight: 148 * mm, columns: 2, rows: 2, cutMarks: true)
        case .letterSix: return Geometry(pageWidth: 612, pageHeight: 792, badgeWidth: 288, badgeHeight: 216, columns: 2, rows: 3, cutMarks: true)
        case .roll62: return Geometry(pageWidth: 100 * mm, pageHeight: 62 * mm, badgeWidth: 100 * mm, badgeHeight: 62 * mm, columns: 1, rows: 1, cutMarks: false)
        case .label89x36: return Geometry(pageWidth: 89 * mm, pageHeight: 36 * mm, badgeWidth: 89 * mm, badgeHeight: 36 * mm, columns: 1, rows: 1, cutMarks: false)
        }
    }

    /// The name shown to organisers.
    public var title: String {
        switch self {
        case .a4Eight: "A4 · 8 × (90 × 55 mm)"
        case .a4A6: "A4 · 4 × A6"
        case .letterSix: "US Letter · 6 × (4 × 3 in)"
        case .roll62: "62 mm roll · 100 × 62 mm"
        case .label89x36: "Label · 89 × 36 mm"
        }
    }
}

/// What one badge says. The renderer never interprets any of it as markup.
public struct BadgeContent: Sendable, Equatable {
    public var firstName: String
    public var lastName: String
    public var jobTitle: String
    public var company: String
    public var askMeAbout: String
    public var chapterName: String
    public var eventDate: String
    /// "Ask me about" in the badge's language.
    public var askMeAboutLabel: String
    /// The chapter's colour, as RGB from 0 to 1.
    public var accent: (red: Double, green: Double, blue: Double)
    /// The contact-card address the QR code opens; nil prints no code.
    public var contactURL: String?
    /// The person's table in each round of the evening's rotations (table names), when planned
    /// before printing: the first is printed large ("Table 5"), and all of them small when there
    /// are several rounds ("Tables 5 · 2 · 7 · 1"). Empty prints nothing.
    public var tables: [String] = []
    /// "Table" and "Tables" in the badge's language.
    public var tableWords: (one: String, many: String) = ("Table", "Tables")
    /// The chapter's logo as PNG bytes, printed at the start of the band on a white tile; nil
    /// prints none. `logoID` names it (a PDF embeds it once for every badge).
    public var logoPNG: [UInt8]? = nil
    public var logoID: String? = nil
    /// The band's text colour: white, or ink on a light chapter colour.
    public var bandText: (red: Double, green: Double, blue: Double) = (1, 1, 1)

    /// The chapter's colour where it is text on the white badge ("ask me about", the table), or
    /// ink when that colour is too light to read on white (under 4.5:1).
    public var accentOnWhite: (red: Double, green: Double, blue: Double) {
        func linear(_ c: Double) -> Double { c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4) }
        let luminance = 0.2126 * linear(accent.red) + 0.7152 * linear(accent.green) + 0.0722 * linear(accent.blue)
        return 1.05 / (luminance + 0.05) >= 4.5 ? accent : (0.1, 0.12, 0.14)
    }

    public init(
        firstName: String, lastName: String, jobTitle: String, company: String, askMeAbout: String, chapterName: String,
        eventDate: String, askMeAboutLabel: String = "Ask me about", accent: (red: Double, green: Double, blue: Double) = (0.04, 0.37, 0.66),
        contactURL: String?
    ) {
        self.firstName = firstName
        self.lastName = lastName
        self.jobTitle = jobTitle
        self.company = company
        self.askMeAbout = askMeAbout
        self.chapterName = chapterName
        self.eventDate = eventDate
        self.askMeAboutLabel = askMeAboutLabel
        self.accent = accent
        self.contactURL = contactURL
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.firstName == rhs.firstName && lhs.lastName == rhs.lastName && lhs.jobTitle == rhs.jobTitle
            && lhs.company == rhs.company && lhs.contactURL == rhs.contactURL && lhs.tables == rhs.tables
    }

    /// A stable colour per chapter name, from a palette that keeps white text readable.
    public static func accent(for chapter: String) -> (red: Double, green: Double, blue: Double) {
        let palette: [(Double, Double, Double)] = [(0.04, 0.37, 0.66), (0.55, 0.18, 0.45), (0.05, 0.45, 0.35), (0.70, 0.25, 0.10), (0.25, 0.28, 0.60), (0.45, 0.30, 0.05)]
        let sum = chapter.unicodeScalars.reduce(0) { ($0 &* 31 &+ Int($1.value)) & 0xFFFF }
        return palette[sum % palette.count]
    }
}
