import CCairoPango
import Foundation

/// One printed bingo card: every text already in the reader's language (badges know no catalog).
public struct PrintedBingoCard: Sendable, Equatable {
    /// The holder's name, at the top.
    public var holder: String
    /// "Human bingo", above the name.
    public var title: String
    /// Under the name: the event's title and date ("Rencontre de mars · jeudi 12 mars 2026 à 19:00"); "" for none.
    public var event: String
    /// A short line under the grid ("Find a different person for each square").
    public var footer: String
    /// 3, 4 or 5.
    public var size: Int
    /// Row-major, `size * size` texts.
    public var squares: [String]

    public init(holder: String, title: String, event: String = "", footer: String, size: Int, squares: [String]) {
        self.holder = holder
        self.title = title
        self.event = event
        self.footer = footer
        self.size = size
        self.squares = squares
    }
}

/// Bingo cards on A4, one per page: the holder's name at the top with the event under it, the grid, a footer. Text goes
/// through Pango as plain text (never markup), sanitized, shrinking and wrapping to fit its
/// square, in every script, like the badges.
public enum BingoCardRenderer {
    static let pageWidth = 595.28
    static let pageHeight = 841.89
    static let margin = 42.0

    /// Writes the cards into one PDF at `path`, page by page (memory stays flat).
    public static func writePDF(_ cards: [PrintedBingoCard], to path: String, title: String = "Bingo") throws {
        BadgeRenderer.cairoLock.lock()
        defer { BadgeRenderer.cairoLock.unlock() }
        guard let surface = cairo_pdf_surface_create(path, pageWidth, pageHeight) else {
            throw BadgeRenderer.RenderError(description: "cannot create \(path)")
        }
        defer { cairo_surface_destroy(surface) }
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, BadgeRenderer.sanitize(title))
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "Rendezvous")
        guard let cr = cairo_create(surface) else { throw BadgeRenderer.RenderError(description: "cannot draw") }
        defer { cairo_destroy(cr) }
        if cards.isEmpty { cairo_show_page(cr) }
        for card in cards {
            draw(card, in: cr)
            cairo_show_page(cr)
        }
        cairo_surface_finish(surface)
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw BadgeRenderer.RenderError(description: String(cString: cairo_status_to_string(status)))
        }
    }

    typealias Style = BadgeRenderer.TextStyle

    @discardableResult
    static func text(_ cr: OpaquePointer, _ text: String, x: Double, y: Double, width: Double, style: Style, center: Bool = false) -> Double {
        let (layout, height) = BadgeRenderer.layout(cr, BadgeRenderer.sanitize(text), width: width, style: style)
        if center { pango_layout_set_alignment(layout, PANGO_ALIGN_CENTER) }
        BadgeRenderer.show(cr, layout, x: x, y: y, color: style.color)
        return height
    }

    /// A square's text: wrapped and centred at `size`, shrunk step by step while it is taller than
    /// the square, and ellipsised at the smallest size.
    static func squareLayout(_ cr: OpaquePointer, _ text: String, width: Double, height: Double, size: Double) -> (OpaquePointer, height: Double) {
        let layout = BadgeRenderer.newLayout(cr)
        let description = pango_font_description_new()!
        defer { pango_font_description_free(description) }
        pango_font_description_set_family(description, BadgeRenderer.family(for: text))
        pango_layout_set_text(layout, text, -1)
        pango_layout_set_auto_dir(layout, 1)
        pango_layout_set_width(layout, Int32(width * Double(PANGO_SCALE)))
        pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR)
        pango_layout_set_alignment(layout, PANGO_ALIGN_CENTER)
        var current = size
        let smallest = 6.5
        while true {
            pango_font_description_set_absolute_size(description, current * Double(PANGO_SCALE))
            pango_layout_set_font_description(layout, description)
            var w: Int32 = 0, h: Int32 = 0
            pango_layout_get_size(layout, &w, &h)
            if Double(h) / Double(PANGO_SCALE) <= height || current <= smallest { break }
            current = max(smallest, current * 0.9)
        }
        pango_layout_set_ellipsize(layout, PANGO_ELLIPSIZE_END)
        pango_layout_set_height(layout, Int32(height * Double(PANGO_SCALE)))
        var w: Int32 = 0, h: Int32 = 0
        pango_layout_get_size(layout, &w, &h)
        return (layout, Double(h) / Double(PANGO_SCALE))
    }

    static func draw(_ card: PrintedBingoCard, in cr: OpaquePointer) {
        let width = pageWidth - 2 * margin
        var y = margin
        y += text(cr, card.title, x: margin, y: y, width: width, style: Style(size: 12, minSize: 8, color: (0.35, 0.38, 0.42)), center: true) + 6
        y += text(cr, card.holder, x: margin, y: y, width: width, style: Style(size: 28, minSize: 14, weight: PANGO_WEIGHT_BOLD, maxLines: 2), center: true) + 4
        if !card.event.isEmpty {
            y += text(cr, card.event, x: margin, y: y, width: width, style: Style(size: 13, minSize: 8, maxLines: 2, color: (0.2, 0.22, 0.26)), center: true)
        }
        y += 18

        let side = max(1, card.size)
        let footerRoom = 40.0
        let grid = min(width, pageHeight - margin - footerRoom - y)
        let cell = grid / Double(side)
        let left = margin + (width - grid) / 2
        cairo_set_source_rgb(cr, 0.1, 0.12, 0.14)
        cairo_set_line_width(cr, 1.2)
        for row in 0 ..< side {
            for column in 0 ..< side {
                let x = left + Double(column) * cell, top = y + Double(row) * cell
                cairo_rectangle(cr, x, top, cell, cell)
                cairo_stroke(cr)
                let index = row * side + column
                guard index < card.squares.count else { continue }
                let padding = cell * 0.08
                let (layout, height) = squareLayout(cr, BadgeRenderer.sanitize(card.squares[index]), width: cell - 2 * padding,
                                                    height: cell - 2 * padding, size: side >= 5 ? 12 : 14)
                BadgeRenderer.show(cr, layout, x: x + padding, y: top + max(padding, (cell - height) / 2), color: (0.1, 0.12, 0.14))
            }
        }
        y += grid + 14
        text(cr, card.footer, x: margin, y: y, width: width, style: Style(size: 10, minSize: 7, maxLines: 2, color: (0.35, 0.38, 0.42)), center: true)
    }
}
