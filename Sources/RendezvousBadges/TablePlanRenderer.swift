import CCairoPango
import Foundation

/// What a printed table plan shows: every words already in the reader's language.
public struct TablePlan: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var name: String
        /// One label per round ("5", "Window"; "—" when not seated).
        public var tables: [String]
        public init(name: String, tables: [String]) {
            self.name = name
            self.tables = tables
        }
    }

    /// "Rencontre trimestrielle · Toulouse"
    public var title: String
    /// The date, or anything to print under the title.
    public var subtitle: String
    /// One title per round: "Round 1 of 4 · 20 min".
    public var roundTitles: [String]
    /// One label per table: "Table 5", "Window".
    public var tableLabels: [String]
    /// Round → table → the names seated there.
    public var rounds: [[[String]]]
    /// The heading of the alphabetical list: "Who sits where".
    public var indexTitle: String
    /// The column heads of the list's rounds ("R1", "R2"…).
    public var roundShortLabels: [String]
    /// Everyone, alphabetically, with their table in each round.
    public var index: [Entry]

    public init(title: String, subtitle: String, roundTitles: [String], tableLabels: [String], rounds: [[[String]]],
                indexTitle: String, roundShortLabels: [String], index: [Entry]) {
        self.title = title
        self.subtitle = subtitle
        self.roundTitles = roundTitles
        self.tableLabels = tableLabels
        self.rounds = rounds
        self.indexTitle = indexTitle
        self.roundShortLabels = roundShortLabels
        self.index = index
    }
}

/// The printed table plan: A4, one sheet (or more, for a large room) per round with every table
/// and its people, then the alphabetical list "name → table in each round" for the door.
/// Text goes through Pango as plain text (never markup), in every script, like the badges.
public enum TablePlanRenderer {
    static let pageWidth = 595.28
    static let pageHeight = 841.89
    static let margin = 36.0

    public static func writePDF(_ plan: TablePlan, to path: String) throws {
        BadgeRenderer.cairoLock.lock()
        defer { BadgeRenderer.cairoLock.unlock() }
        guard let surface = cairo_pdf_surface_create(path, pageWidth, pageHeight) else {
            throw BadgeRenderer.RenderError(description: "cannot create \(path)")
        }
        defer { cairo_surface_destroy(surface) }
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, BadgeRenderer.sanitize(plan.title))
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "Rendezvous")
        guard let cr = cairo_create(surface) else { throw BadgeRenderer.RenderError(description: "cannot draw") }
        defer { cairo_destroy(cr) }

        for (round, tables) in plan.rounds.enumerated() {
            drawRound(cr, plan: plan, round: round, tables: tables)
        }
        drawIndex(cr, plan: plan)

        cairo_surface_finish(surface)
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw BadgeRenderer.RenderError(description: String(cString: cairo_status_to_string(status)))
        }
    }

    typealias Style = BadgeRenderer.TextStyle

    /// Draws one line of plain text at (x, y) within `width`; returns its height.
    @discardableResult
    static func text(_ cr: OpaquePointer, _ text: String, x: Double, y: Double, width: Double, style: Style) -> Double {
        let clean = BadgeRenderer.sanitize(text)
        guard !clean.isEmpty else { return 0 }
        let laid = BadgeRenderer.layout(cr, clean, width: width, style: style)
        BadgeRenderer.show(cr, laid.0, x: x, y: y, color: style.color)
        return laid.height
    }

    /// The page heading: the event and what this page shows. Returns where the content starts.
    static func heading(_ cr: OpaquePointer, plan: TablePlan, title: String) -> Double {
        let width = pageWidth - 2 * margin
        var y = margin
        y += text(cr, plan.title, x: margin, y: y, width: width, style: Style(size: 11, minSize: 8, color: (0.35, 0.38, 0.42)))
        if !plan.subtitle.isEmpty {
            y += text(cr, plan.subtitle, x: margin, y: y, width: width, style: Style(size: 9, minSize: 7, color: (0.35, 0.38, 0.42)))
        }
        y += 4
        y += text(cr, title, x: margin, y: y, width: width, style: Style(size: 22, minSize: 14, weight: PANGO_WEIGHT_BOLD))
        return y + 12
    }

    static func drawRound(_ cr: OpaquePointer, plan: TablePlan, round: Int, tables: [[String]]) {
        let title = round < plan.roundTitles.count ? plan.roundTitles[round] : "\(round + 1)"
        let columns = tables.count > 12 ? 4 : 3
        let gap = 10.0
        let boxWidth = (pageWidth - 2 * margin - gap * Double(columns - 1)) / Double(columns)
        let line = 13.0
        let head = 20.0
        var top = heading(cr, plan: plan, title: title)
        var index = 0
        while index < tables.count {
            // One row of boxes, as tall as its fullest table.
            let row = Array(tables[index..<min(index + columns, tables.count)])
            let rowHeight = head + Double(max(1, row.map(\.count).max() ?? 1)) * line + 8
            if top + rowHeight > pageHeight - margin, top > margin + 80 {
                cairo_show_page(cr)
                top = heading(cr, plan: plan, title: title)
            }
            for (column, people) in row.enumerated() {
                let table = index + column
                let x = margin + Double(column) * (boxWidth + gap)
                cairo_set_source_rgb(cr, 0.93, 0.95, 0.97)
                cairo_rectangle(cr, x, top, boxWidth, head)
                cairo_fill(cr)
                cairo_set_source_rgb(cr, 0.75, 0.78, 0.82)
                cairo_set_line_width(cr, 0.6)
                cairo_rectangle(cr, x, top, boxWidth, rowHeight - 4)
                cairo_stroke(cr)
                let label = table < plan.tableLabels.count ? plan.tableLabels[table] : "\(table + 1)"
                text(cr, label, x: x + 6, y: top + 3, width: boxWidth - 12, style: Style(size: 11, minSize: 8, weight: PANGO_WEIGHT_BOLD))
                for (n, name) in people.enumerated() {
                    text(cr, name, x: x + 6, y: top + head + 3 + Double(n) * line, width: boxWidth - 12, style: Style(size: 9.5, minSize: 7))
                }
            }
            top += rowHeight + gap
            index += row.count
        }
        cairo_show_page(cr)
    }

    /// The alphabetical list, in two columns: name, then the table of each round.
    static func drawIndex(_ cr: OpaquePointer, plan: TablePlan) {
        guard !plan.index.isEmpty else { return }
        let columns = 2
        let gap = 18.0
        let columnWidth = (pageWidth - 2 * margin - gap * Double(columns - 1)) / Double(columns)
        let rounds = max(1, plan.roundShortLabels.count)
        let cell = min(26.0, columnWidth * 0.45 / Double(rounds))
        let nameWidth = columnWidth - cell * Double(rounds) - 4
        let line = 12.5
        var top = heading(cr, plan: plan, title: plan.indexTitle)
        var column = 0
        var y = top
        func header(at x: Double) {
            for (r, label) in plan.roundShortLabels.enumerated() {
                text(cr, label, x: x + nameWidth + 4 + Double(r) * cell, y: y, width: cell, style: Style(size: 8, minSize: 6, weight: PANGO_WEIGHT_BOLD, color: (0.35, 0.38, 0.42)))
            }
            y += line
        }
        header(at: margin)
        for (n, entry) in plan.index.enumerated() {
            if y + line > pageHeight - margin {
                column += 1
                if column == columns {
                    cairo_show_page(cr)
                    column = 0
                    top = heading(cr, plan: plan, title: plan.indexTitle)
                }
                y = top
                header(at: margin + Double(column) * (columnWidth + gap))
            }
            let x = margin + Double(column) * (columnWidth + gap)
            if n % 2 == 0 {
                cairo_set_source_rgb(cr, 0.96, 0.97, 0.98)
                cairo_rectangle(cr, x, y - 1, columnWidth, line)
                cairo_fill(cr)
            }
            text(cr, entry.name, x: x + 2, y: y, width: nameWidth - 2, style: Style(size: 9, minSize: 7))
            for (r, table) in entry.tables.prefix(rounds).enumerated() {
                text(cr, table, x: x + nameWidth + 4 + Double(r) * cell, y: y, width: cell - 2, style: Style(size: 9, minSize: 6, weight: PANGO_WEIGHT_SEMIBOLD))
            }
            y += line
        }
        cairo_show_page(cr)
    }
}
