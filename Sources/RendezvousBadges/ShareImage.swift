import CCairoPango
import Foundation

/// The picture a social network shows with a shared event link (Open Graph, 1200 × 630): the
/// event's cover behind its title when it has one (darkened so white text reads), otherwise the
/// chapter's colour; the date and place on a white band with the chapter's logo.
public enum ShareImage {
    /// `accent` is the chapter's colour and `accentText` the text colour that reads on it; `cover`
    /// and `logo` are PNGs (the server's own re-encodings).
    public static func png(title: String, date: String, place: String, chapter: String, accent: (red: Double, green: Double, blue: Double),
                           accentText: (red: Double, green: Double, blue: Double) = (1, 1, 1), cover: [UInt8]? = nil, logo: [UInt8]? = nil) throws -> Data {
        BadgeRenderer.cairoLock.lock()
        defer { BadgeRenderer.cairoLock.unlock() }
        let width = 1200.0, height = 630.0, band = 150.0
        guard let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(width), Int32(height)) else {
            throw BadgeRenderer.RenderError(description: "cannot create image")
        }
        defer { cairo_surface_destroy(surface) }
        guard let cr = cairo_create(surface) else { throw BadgeRenderer.RenderError(description: "cannot draw") }
        var text = (accentText.red, accentText.green, accentText.blue)
        if let cover, let picture = PNGSurface(cover) {
            picture.draw(cr, x: 0, y: 0, width: width, height: height - band, fill: true)
            // A scrim darker at the top, where the words are: white text at 4.5:1 or more on any picture.
            let scrim = cairo_pattern_create_linear(0, 0, 0, height - band)
            cairo_pattern_add_color_stop_rgba(scrim, 0, 0, 0, 0, 0.72)
            cairo_pattern_add_color_stop_rgba(scrim, 1, 0, 0, 0, 0.55)
            cairo_set_source(cr, scrim)
            cairo_rectangle(cr, 0, 0, width, height - band)
            cairo_fill(cr)
            cairo_pattern_destroy(scrim)
            text = (1, 1, 1)
            // The chapter's colour as a rule between the picture and the band.
            cairo_set_source_rgb(cr, accent.red, accent.green, accent.blue)
            cairo_rectangle(cr, 0, height - band - 12, width, 12)
            cairo_fill(cr)
        } else {
            cairo_set_source_rgb(cr, accent.red, accent.green, accent.blue)
            cairo_paint(cr)
        }
        cairo_set_source_rgb(cr, 1, 1, 1)
        cairo_rectangle(cr, 0, height - band, width, band)
        cairo_fill(cr)
        let ink = (0.1, 0.12, 0.14)
        let name = BadgeRenderer.layout(cr, BadgeRenderer.sanitize(chapter), width: width - 140,
                                        style: .init(size: 36, minSize: 24, weight: PANGO_WEIGHT_BOLD, color: text))
        BadgeRenderer.show(cr, name.0, x: 70, y: 60, color: text)
        let heading = BadgeRenderer.layout(cr, BadgeRenderer.sanitize(title), width: width - 140,
                                           style: .init(size: 72, minSize: 44, weight: PANGO_WEIGHT_BOLD, maxLines: 3, color: text))
        BadgeRenderer.show(cr, heading.0, x: 70, y: 130, color: text)
        var textWidth = width - 140
        if let logo, let picture = PNGSurface(logo) {
            let side = band - 40
            picture.draw(cr, x: width - 70 - side, y: height - band + 20, width: side, height: side)
            textWidth -= side + 30
        }
        let when = BadgeRenderer.layout(cr, BadgeRenderer.sanitize(date), width: textWidth, style: .init(size: 34, minSize: 24, weight: PANGO_WEIGHT_SEMIBOLD, color: ink))
        BadgeRenderer.show(cr, when.0, x: 70, y: height - 130, color: ink)
        let whereText = BadgeRenderer.layout(cr, BadgeRenderer.sanitize(place), width: textWidth, style: .init(size: 30, minSize: 22, color: ink))
        BadgeRenderer.show(cr, whereText.0, x: 70, y: height - 80, color: ink)
        cairo_destroy(cr)
        cairo_surface_flush(surface)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("share-\(UUID().uuidString).png").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        guard cairo_surface_write_to_png(surface, path) == CAIRO_STATUS_SUCCESS else { throw BadgeRenderer.RenderError(description: "cannot write PNG") }
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }
}
