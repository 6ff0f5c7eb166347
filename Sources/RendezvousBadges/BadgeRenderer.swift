import CCairoPango
import CQRencode
import Foundation

/// Draws badges with cairo and pango: real shaping for every script (Latin, Greek, Cyrillic,
/// Arabic and Hebrew right to left, Chinese, Japanese, Korean), text that shrinks, wraps and ends
/// in an ellipsis instead of overflowing, and vector QR codes.
public enum BadgeRenderer {
    public struct RenderError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Writes every badge into one PDF at `path`, page by page: memory stays flat whatever the count.
    /// `progress` is called after each page with the number of badges done.
    public static func writePDF(
        _ badges: [BadgeContent], layout: BadgeLayout, to path: String, title: String = "Badges",
        progress: (Int) -> Void = { _ in }
    ) throws {
        let geometry = layout.geometry
        guard let surface = cairo_pdf_surface_create(path, geometry.pageWidth, geometry.pageHeight) else {
            throw RenderError(description: "cannot create \(path)")
        }
        defer { cairoLock.withLock { cairo_surface_destroy(surface) } }
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, sanitize(title))
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "Rendezvous")
        guard let cr = cairo_create(surface) else { throw RenderError(description: "cannot draw") }
        defer { cairoLock.withLock { cairo_destroy(cr) } }
        var index = 0
        if badges.isEmpty {
            cairoLock.withLock { cairo_show_page(cr) }
        }
        while index < badges.count {
            let page = badges[index..<min(index + geometry.perPage, badges.count)]
            autoreleasepoolIfNeeded {
                cairoLock.withLock {
                    for (slot, badge) in page.enumerated() {
                        let origin = geometry.origin(slot)
                        draw(badge, in: cr, x: origin.x, y: origin.y, width: geometry.badgeWidth, height: geometry.badgeHeight)
                    }
                    if geometry.cutMarks { drawCutMarks(cr, geometry) }
                    cairo_show_page(cr)
                }
            }
            index += page.count
            progress(index)
        }
        cairoLock.withLock { cairo_surface_finish(surface) }
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw RenderError(description: String(cString: cairo_status_to_string(status)))
        }
    }

    /// Debian's cairo 1.16 shares its FreeType faces between threads without guarding all of
    /// their use: two PDFs or pictures drawn at once now and then crash the server in FreeType
    /// (writing a page's font subsets) or fail with "error occurred in libfreetype" (emoji). Every
    /// renderer here draws, writes pages and releases surfaces under this lock; a badge PDF takes
    /// it page by page, so a large print run still lets previews through between its pages.
    public static let cairoLock = NSLock()

    /// One font map for the whole process, used only under `cairoLock`. Pango's default map is one
    /// per thread and is freed when its thread ends — outside the lock, while another thread may be
    /// drawing — which crashed a test run in fontconfig now and then.
    nonisolated(unsafe) static let fontMap = pango_cairo_font_map_new()!

    /// A layout for drawing on `cr`, from the shared font map (what `pango_cairo_create_layout`
    /// does with the thread's map). The caller holds `cairoLock` and releases the layout.
    static func newLayout(_ cr: OpaquePointer) -> OpaquePointer {
        let context = pango_font_map_create_context(fontMap)!
        pango_cairo_update_context(cr, context)
        let layout = pango_layout_new(context)!
        g_object_unref(UnsafeMutableRawPointer(context))
        return layout
    }

    /// One badge as a PNG, at `scale` pixels per point (2 gives a sharp preview on phones).
    public static func png(_ badge: BadgeContent, layout: BadgeLayout = .a4Eight, scale: Double = 2) throws -> Data {
        try renderPNG(badge, layout: layout, scale: scale).png
    }

    /// One badge as a PNG (`scale` pixels per point), with the lines of its text column that made
    /// it onto the badge, from the name to "ask me about" (an organiser's preview: its text too).
    public static func preview(_ badge: BadgeContent, layout: BadgeLayout = .a4Eight, scale: Double = 2) throws -> (png: Data, lines: [String]) {
        try renderPNG(badge, layout: layout, scale: scale)
    }

    /// The preview and the lines of its text column that made it onto the badge.
    static func renderPNG(_ badge: BadgeContent, layout: BadgeLayout = .a4Eight, scale: Double = 2) throws -> (png: Data, lines: [String]) {
        cairoLock.lock()
        defer { cairoLock.unlock() }
        let geometry = layout.geometry
        let width = Int32((geometry.badgeWidth * scale).rounded(.up)), height = Int32((geometry.badgeHeight * scale).rounded(.up))
        guard let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height) else { throw RenderError(description: "cannot create image") }
        defer { cairo_surface_destroy(surface) }
        guard let cr = cairo_create(surface) else { throw RenderError(description: "cannot draw") }
        cairo_scale(cr, scale, scale)
        // Unhinted metrics, as in the PDF: the preview lays text out exactly as the print does
        // (hinting rounds every line up to whole pixels, enough to push the last lines off the badge).
        let options = cairo_font_options_create()
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
        cairo_set_font_options(cr, options)
        cairo_font_options_destroy(options)
        let lines = draw(badge, in: cr, x: 0, y: 0, width: geometry.badgeWidth, height: geometry.badgeHeight)
        cairo_destroy(cr)
        cairo_surface_flush(surface)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("badge-\(UUID().uuidString).png").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let status = cairo_surface_write_to_png(surface, path)
        guard status == CAIRO_STATUS_SUCCESS else { throw RenderError(description: String(cString: cairo_status_to_string(status))) }
        return (try Data(contentsOf: URL(fileURLWithPath: path)), lines)
    }

    @inline(__always) static func autoreleasepoolIfNeeded(_ body: () -> Void) { body() }

    // MARK: Text

    /// Control characters, bidirectional overrides and isolates, and line breaks never reach the
    /// page: a name cannot reorder or push around what surrounds it.
    public static func sanitize(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0A, 0x0D, 0x09, 0x2028, 0x2029: scalars.append(" ")
            case 0x00...0x1F, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069, 0xFEFF, 0xFFF9...0xFFFB: continue
            default: scalars.append(scalar)
            }
        }
        return String(scalars).trimmingCharacters(in: .whitespaces)
    }

    /// Chinese is set in the Simplified Chinese face, named explicitly: left to fontconfig,
    /// Han characters would take Japanese glyph shapes. Emoji are left to pango and fontconfig,
    /// which give emoji sequences (skin tones, ZWJ sequences, flags, ❤️ with its variation
    /// selector) to Noto Color Emoji (fonts-noto-color-emoji), in colour in the preview and the PDF.
    /// Naming it in the list would be wrong: it has glyphs for the digits and "#" too (keycap
    /// bases), and "16 janv." would come out in grey emoji digits.
    static func family(for text: String) -> String {
        var han = false
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x3040...0x30FF, 0x31F0...0x31FF: return "Noto Sans CJK JP"
            case 0xAC00...0xD7AF, 0x1100...0x11FF, 0x3130...0x318F: return "Noto Sans CJK KR"
            case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF: han = true
            default: continue
            }
        }
        // Listed in order, so Arabic and Hebrew come from Noto too, not from whatever sans fontconfig prefers.
        return han ? "Noto Sans CJK SC" : "Noto Sans,Noto Sans Arabic,Noto Sans Hebrew,Noto Sans CJK SC"
    }

    /// Lines are set 1.36 × the font size apart, the line height of Noto Sans: Noto Sans Arabic
    /// and the CJK faces reserve up to 2.1 × for marks a name rarely stacks, which made an Arabic
    /// name take the room of the company and the "ask me about" line.
    static let lineHeight = 1.36

    /// How many characters of `text` no installed font can draw (they would print as boxes).
    public static func missingGlyphs(_ text: String) -> Int {
        cairoLock.lock()
        defer { cairoLock.unlock() }
        guard let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1) else { return -1 }
        defer { cairo_surface_destroy(surface) }
        guard let cr = cairo_create(surface) else { return -1 }
        defer { cairo_destroy(cr) }
        let laid = layout(cr, sanitize(text), width: 10_000, style: TextStyle(size: 12, minSize: 12))
        defer { g_object_unref(UnsafeMutableRawPointer(laid.0)) }
        return Int(pango_layout_get_unknown_glyphs_count(laid.0))
    }

    struct TextStyle {
        var size: Double
        var minSize: Double
        var weight: PangoWeight = PANGO_WEIGHT_NORMAL
        var italic = false
        var maxLines: Int32 = 1
        var color: (Double, Double, Double) = (0.1, 0.12, 0.14)
        /// Set against the right edge (whatever the text's own direction), rather than the left.
        var alignRight = false
    }

    /// Whether `text` reads right to left: its first letter is Hebrew, Arabic, Syriac, Thaana…
    /// (the rule pango's auto-dir applies; digits, punctuation and emoji have no direction).
    static func isRightToLeft(_ text: String) -> Bool {
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0590...0x08FF, 0xFB1D...0xFDFF, 0xFE70...0xFEFF, 0x10800...0x10FFF, 0x1E800...0x1EFFF:
                return true
            default:
                if scalar.properties.isAlphabetic { return false }
            }
        }
        return false
    }

    /// Lays out `text` within `width` (points): shrinks from `size` to `minSize` to fit, then wraps
    /// up to `maxLines` and ends in an ellipsis. Returns the layout (caller draws and releases it).
    static func layout(_ cr: OpaquePointer, _ text: String, width: Double, style: TextStyle) -> (OpaquePointer, height: Double) {
        let layout = BadgeRenderer.newLayout(cr)
        let description = pango_font_description_new()!
        defer { pango_font_description_free(description) }
        pango_font_description_set_family(description, family(for: text))
        pango_font_description_set_weight(description, style.weight)
        if style.italic { pango_font_description_set_style(description, PANGO_STYLE_ITALIC) }
        pango_layout_set_text(layout, text, -1)
        pango_layout_set_auto_dir(layout, 1)
        var size = style.size
        while true {
            pango_font_description_set_absolute_size(description, size * Double(PANGO_SCALE))
            pango_layout_set_font_description(layout, description)
            let attributes = pango_attr_list_new()
            pango_attr_list_insert(attributes, pango_attr_line_height_new_absolute(Int32(size * lineHeight * Double(PANGO_SCALE))))
            pango_layout_set_attributes(layout, attributes)
            pango_attr_list_unref(attributes)
            var w: Int32 = 0, h: Int32 = 0
            pango_layout_get_size(layout, &w, &h)
            if Double(w) / Double(PANGO_SCALE) <= width || size <= style.minSize { break }
            size = max(style.minSize, size * 0.92)
        }
        pango_layout_set_width(layout, Int32(width * Double(PANGO_SCALE)))
        pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR)
        pango_layout_set_ellipsize(layout, PANGO_ELLIPSIZE_END)
        pango_layout_set_height(layout, -style.maxLines)
        // With auto-dir, pango mirrors the alignment of a right-to-left paragraph: ask for the
        // opposite side there, so that `alignRight` means the same edge for every script.
        pango_layout_set_alignment(layout, style.alignRight != isRightToLeft(text) ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT)
        var w: Int32 = 0, h: Int32 = 0
        pango_layout_get_size(layout, &w, &h)
        return (layout, Double(h) / Double(PANGO_SCALE))
    }

    static func show(_ cr: OpaquePointer, _ layout: OpaquePointer, x: Double, y: Double, color: (Double, Double, Double)) {
        if cairo_surface_get_type(cairo_get_target(cr)) == CAIRO_SURFACE_TYPE_PDF {
            paintEmojiSharp(cr, layout, x: x, y: y)
        }
        cairo_set_source_rgb(cr, color.0, color.1, color.2)
        cairo_move_to(cr, x, y)
        pango_cairo_show_layout(cr, layout)
        g_object_unref(UnsafeMutableRawPointer(layout))
    }

    /// Pixels per point of the emoji pictures in a PDF (360 dpi).
    static let emojiScale = 5.0

    /// Noto Color Emoji is a font of pictures: cairo paints each emoji into a PDF as an image of
    /// as many pixels as the emoji has points (72 dpi, blurred on paper). Each run of emoji is
    /// painted here instead from a picture drawn at 360 dpi (the same emoji at the same size is
    /// embedded once), and its glyphs are left out of the layout's own drawing.
    static func paintEmojiSharp(_ cr: OpaquePointer, _ layout: OpaquePointer, x: Double, y: Double) {
        guard let iter = pango_layout_get_iter(layout) else { return }
        defer { pango_layout_iter_free(iter) }
        let scale = Double(PANGO_SCALE), k = emojiScale
        repeat {
            guard let run = pango_layout_iter_get_run_readonly(iter), let glyphs = run.pointee.glyphs,
                  let font = run.pointee.item?.pointee.analysis.font, isColourFont(font) else { continue }
            var logical = PangoRectangle()
            pango_layout_iter_get_run_extents(iter, nil, &logical)
            let left = Double(logical.x) / scale, top = Double(logical.y) / scale
            let width = Double(logical.width) / scale, height = Double(logical.height) / scale
            let baseline = Double(pango_layout_iter_get_baseline(iter)) / scale
            guard width > 0, height > 0,
                  let image = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32((width * k).rounded(.up)), Int32((height * k).rounded(.up))) else { continue }
            defer { cairo_surface_destroy(image) }
            guard let picture = cairo_create(image) else { continue }
            cairo_scale(picture, k, k)
            cairo_move_to(picture, 0, baseline - top)
            pango_cairo_show_glyph_string(picture, font, glyphs)
            cairo_destroy(picture)
            cairo_surface_flush(image)
            let key = (0..<Int(glyphs.pointee.num_glyphs)).map { String(glyphs.pointee.glyphs[$0].glyph) }.joined(separator: "-")
            let id = Array("emoji-\(key)-\(Int(width * k))x\(Int(height * k))".utf8)
            let copy = UnsafeMutablePointer<UInt8>.allocate(capacity: id.count)
            copy.initialize(from: id, count: id.count)
            cairo_surface_set_mime_data(image, CAIRO_MIME_TYPE_UNIQUE_ID, copy, UInt(id.count), { $0?.deallocate() }, copy)
            cairo_save(cr)
            cairo_translate(cr, x + left, y + top)
            cairo_scale(cr, 1 / k, 1 / k)
            cairo_set_source_surface(cr, image, 0, 0)
            cairo_paint(cr)
            cairo_restore(cr)
            for index in 0..<Int(glyphs.pointee.num_glyphs) { glyphs.pointee.glyphs[index].glyph = 0x0FFF_FFFF } // PANGO_GLYPH_EMPTY
        } while pango_layout_iter_next_run(iter) != 0
    }

    static func isColourFont(_ font: UnsafeMutablePointer<PangoFont>) -> Bool {
        guard let description = pango_font_describe(font) else { return false }
        defer { pango_font_description_free(description) }
        return pango_font_description_get_family(description).map { String(cString: $0) } == "Noto Color Emoji"
    }

    // MARK: The badge

    /// Draws one badge; returns the lines of the text column it printed (name to "ask me about").
    @discardableResult
    static func draw(_ badge: BadgeContent, in cr: OpaquePointer, x: Double, y: Double, width: Double, height: Double) -> [String] {
        let mm = BadgeLayout.pointsPerMillimetre
        // Sizes follow the 90 × 55 mm reference, scaled to the badge.
        let unit = min(width / (90 * mm), height / (55 * mm))
        let pad = 4 * mm * unit
        cairo_save(cr)
        cairo_rectangle(cr, x, y, width, height)
        cairo_clip(cr)
        cairo_set_source_rgb(cr, 1, 1, 1)
        cairo_paint(cr)

        // The band: chapter and date, white on the chapter's colour.
        let band = 9 * mm * unit
        cairo_set_source_rgb(cr, badge.accent.red, badge.accent.green, badge.accent.blue)
        cairo_rectangle(cr, x, y, width, band)
        cairo_fill(cr)
        let white = (badge.bandText.red, badge.bandText.green, badge.bandText.blue)
        let logoWidth = drawBandLogo(badge, in: cr, x: x, y: y, band: band, pad: pad)
        let bandText = 3.2 * mm * unit
        let date = layout(cr, sanitize(badge.eventDate), width: width * 0.4, style: TextStyle(size: bandText * 0.9, minSize: bandText * 0.6, alignRight: true))
        let chapter = layout(cr, sanitize(badge.chapterName), width: width - 2 * pad - width * 0.4 - pad - logoWidth,
                             style: TextStyle(size: bandText, minSize: bandText * 0.6, weight: PANGO_WEIGHT_BOLD))
        show(cr, chapter.0, x: x + pad + logoWidth, y: y + (band - chapter.height) / 2, color: white)
        show(cr, date.0, x: x + width - pad - width * 0.4, y: y + (band - date.height) / 2, color: white)

        // The QR code for contact exchange, bottom right.
        var textWidth = width - 2 * pad
        if let url = badge.contactURL {
            let side = min(height - band - 2 * pad, 22 * mm * unit)
            drawQR(cr, url, x: x + width - pad - side, y: y + height - pad - side, side: side)
            textWidth -= side + pad
        }

        // The rotations' tables, top right above the QR code: round 1's large, every round's small.
        if let first = badge.tables.first {
            let column = 22 * mm * unit
            if badge.contactURL == nil { textWidth -= column + pad }
            let accent = (badge.accentOnWhite.red, badge.accentOnWhite.green, badge.accentOnWhite.blue)
            var cursor = y + band + pad * 0.8
            let big = layout(cr, sanitize("\(badge.tableWords.one) \(first)"), width: column,
                             style: TextStyle(size: 5 * mm * unit, minSize: 3 * mm * unit, weight: PANGO_WEIGHT_BOLD, maxLines: 2, color: accent, alignRight: true))
            show(cr, big.0, x: x + width - pad - column, y: cursor, color: accent)
            cursor += big.height
            if badge.tables.count > 1 {
                let all = sanitize("\(badge.tableWords.many) " + badge.tables.map(sanitize).joined(separator: " · "))
                let small = layout(cr, all, width: column, style: TextStyle(size: 2.6 * mm * unit, minSize: 2 * mm * unit, maxLines: 2, alignRight: true))
                show(cr, small.0, x: x + width - pad - column, y: cursor, color: (0.3, 0.33, 0.38))
            }
        }

        // The text column: first name large, then last name, job title and company, and the
        // "ask me about" line at the bottom. If it does not all fit (long text, or a script whose
        // fonts stand taller), everything shrinks a little; if that is not enough, the least
        // important lines go first: "ask me about", then the company, then the job title.
        let top = y + band + pad * 0.8
        let available = y + height - pad - top
        let gap = 0.6 * mm * unit
        let ask = sanitize(badge.askMeAbout)
        var blocks: [(text: String, style: TextStyle, atBottom: Bool)] = [
            (sanitize(badge.firstName), TextStyle(size: 11 * mm * unit, minSize: 5 * mm * unit, weight: PANGO_WEIGHT_BOLD, color: (0.08, 0.09, 0.11)), false),
            (sanitize(badge.lastName), TextStyle(size: 5.5 * mm * unit, minSize: 3.6 * mm * unit, weight: PANGO_WEIGHT_SEMIBOLD), false),
            (sanitize(badge.jobTitle), TextStyle(size: 3.9 * mm * unit, minSize: 2.8 * mm * unit, maxLines: 2), false),
            (sanitize(badge.company), TextStyle(size: 3.4 * mm * unit, minSize: 2.6 * mm * unit, color: (0.3, 0.33, 0.38)), false),
            (ask.isEmpty ? "" : "\(sanitize(badge.askMeAboutLabel)) \(ask)",
             TextStyle(size: 3.2 * mm * unit, minSize: 2.6 * mm * unit, italic: true, maxLines: 2, color: (badge.accentOnWhite.red, badge.accentOnWhite.green, badge.accentOnWhite.blue)), true),
        ]
        blocks.removeAll { $0.text.isEmpty }
        // The column follows the name: an Arabic or Hebrew name sets every line against the right
        // edge, the company and "ask me about" too, whatever their script.
        if isRightToLeft(sanitize("\(badge.firstName) \(badge.lastName)")) {
            for index in blocks.indices { blocks[index].style.alignRight = true }
        }
        // Drop order, least important first: the bottom line, then from the end of the stack.
        let droppable = blocks.count > 2 ? Array((2..<blocks.count).reversed()) : []
        search: for dropped in 0...droppable.count {
            let kept = blocks.enumerated().filter { !droppable.prefix(dropped).contains($0.offset) }.map(\.element)
            for factor in [1.0, 0.9, 0.8, 0.72] {
                var laid: [(OpaquePointer, height: Double, style: TextStyle, atBottom: Bool)] = []
                for block in kept {
                    var style = block.style
                    style.size *= factor
                    style.minSize *= factor
                    let result = layout(cr, block.text, width: textWidth, style: style)
                    laid.append((result.0, result.height, style, block.atBottom))
                }
                let total = laid.map(\.height).reduce(0, +) + gap * Double(max(0, laid.count - 1))
                let last = dropped == droppable.count && factor == 0.72
                if total <= available + 0.5 || last {
                    var cursor = top
                    var drawn: [String] = []
                    var bottomLine = y + height - pad
                    for item in laid.reversed() where item.atBottom { bottomLine -= item.height }
                    for (item, block) in zip(laid, kept) {
                        if item.atBottom {
                            show(cr, item.0, x: x + pad, y: bottomLine, color: item.style.color)
                            drawn.append(block.text)
                        } else if cursor + item.height <= bottomLine + 0.5 {
                            show(cr, item.0, x: x + pad, y: cursor, color: item.style.color)
                            cursor += item.height + gap
                            drawn.append(block.text)
                        } else {
                            g_object_unref(UnsafeMutableRawPointer(item.0))
                        }
                    }
                    cairo_restore(cr)
                    return drawn
                }
                for item in laid { g_object_unref(UnsafeMutableRawPointer(item.0)) }
            }
        }
        cairo_restore(cr)
        return []
    }

    static func drawQR(_ cr: OpaquePointer, _ text: String, x: Double, y: Double, side: Double) {
        guard let code = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1) else { return }
        defer { QRcode_free(code) }
        let modules = Int(code.pointee.width)
        let quiet = 2
        let cell = side / Double(modules + 2 * quiet)
        cairo_set_source_rgb(cr, 1, 1, 1)
        cairo_rectangle(cr, x, y, side, side)
        cairo_fill(cr)
        cairo_set_source_rgb(cr, 0, 0, 0)
        let data = code.pointee.data!
        // One rectangle per horizontal run of dark modules: a third of the path operators of one
        // per module, which is what the PDF writer spends its time formatting and compressing.
        for row in 0..<modules {
            var column = 0
            while column < modules {
                guard data[row * modules + column] & 1 == 1 else { column += 1; continue }
                var end = column
                while end + 1 < modules, data[row * modules + end + 1] & 1 == 1 { end += 1 }
                cairo_rectangle(cr, x + Double(column + quiet) * cell, y + Double(row + quiet) * cell, Double(end - column + 1) * cell, cell)
                column = end + 1
            }
        }
        cairo_fill(cr)
    }

    static func drawCutMarks(_ cr: OpaquePointer, _ g: BadgeLayout.Geometry) {
        let mm = BadgeLayout.pointsPerMillimetre
        let left = g.origin(0).x, top = g.origin(0).y
        let right = left + Double(g.columns) * g.badgeWidth, bottom = top + Double(g.rows) * g.badgeHeight
        cairo_save(cr)
        cairo_set_line_width(cr, 0.3)
        cairo_set_source_rgb(cr, 0.2, 0.2, 0.2)
        let gap = 2 * mm, length = 5 * mm
        if top >= gap + length && left >= gap + length {
            // Classic crop marks in the margins, on every cutting line.
            for column in 0...g.columns {
                let cx = left + Double(column) * g.badgeWidth
                cairo_move_to(cr, cx, top - gap); cairo_line_to(cr, cx, top - gap - length)
                cairo_move_to(cr, cx, bottom + gap); cairo_line_to(cr, cx, bottom + gap + length)
            }
            for row in 0...g.rows {
                let cy = top + Double(row) * g.badgeHeight
                cairo_move_to(cr, left - gap, cy); cairo_line_to(cr, left - gap - length, cy)
                cairo_move_to(cr, right + gap, cy); cairo_line_to(cr, right + gap + length, cy)
            }
            cairo_stroke(cr)
        } else {
            // No margin to hold them (4 × A6 fills A4): light dashed guides on the inner cutting lines.
            var dashes = [2 * mm, 2 * mm]
            cairo_set_dash(cr, &dashes, 2, 0)
            cairo_set_source_rgb(cr, 0.7, 0.7, 0.7)
            for column in 1..<g.columns {
                let cx = left + Double(column) * g.badgeWidth
                cairo_move_to(cr, cx, top); cairo_line_to(cr, cx, bottom)
            }
            for row in 1..<g.rows {
                let cy = top + Double(row) * g.badgeHeight
                cairo_move_to(cr, left, cy); cairo_line_to(cr, right, cy)
            }
            cairo_stroke(cr)
        }
        cairo_restore(cr)
    }
}
