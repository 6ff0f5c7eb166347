import CCairoPango
import Foundation

/// The picture a social network shows with a shared event link (Open Graph, 1200 × 630).
public enum ShareImage {
    public static func png(title: String, date: String, place: String, chapter: String, accent: (red: Double, green: Double, blue: Double)) throws -> Data {
        BadgeRenderer.cairoLock.lock()
        defer { BadgeRenderer.cairoLock.unlock() }
        let width = 1200.0, height = 630.0
        guard let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(width), Int32(height)) else {
            throw BadgeRenderer.RenderError(description: "cannot create image")
        }
        defer { cairo_surface_destroy(surface) }
        guard let cr = cairo_create(surface) else { throw BadgeRenderer.RenderError(description: "cannot draw") }
        cairo_set_source_rgb(cr, accent.red, accent.green, accent.blue)
        cairo_paint(cr)
        cairo_set_source_rgb(cr, 1, 1, 1)
        cairo_rectangle(cr, 0, height - 150, width, 150)
        cairo_fill(cr)
        let white = (1.0, 1.0, 1.0), ink = (0.1, 0.12, 0.14)
        let name = BadgeRenderer.layout(cr, BadgeRenderer.sanitize(chapter), width: width - 140,
                                        style: .init(size: 36, minSize: 24, weight: PANGO_WEIGHT_BOLD, color: white))
        BadgeRenderer.show(cr, name.0, x: 70, y: 60, color: white)
        let heading = BadgeRenderer.layout(cr, BadgeRenderer.sanitize(title), width: width - 140,
                                           style: .init(size: 72, minSize: 44, weight: PANGO_WEIGHT_BOLD, maxLines: 3, color: white))
        BadgeRenderer.show(cr, heading.0, x: 70, y: 130, color: white)
        let when = BadgeRenderer.layout(cr, BadgeRenderer.sanitize(date), width: width - 140, style: .init(size: 34, minSize: 24, weight: PANGO_WEIGHT_SEMIBOLD, color: ink))
        BadgeRenderer.show(cr, when.0, x: 70, y: height - 130, color: ink)
        let whereText = BadgeRenderer.layout(cr, BadgeRenderer.sanitize(place), width: width - 140, style: .init(size: 30, minSize: 22, color: ink))
        BadgeRenderer.show(cr, whereText.0, x: 70, y: height - 80, color: ink)
        cairo_destroy(cr)
        cairo_surface_flush(surface)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("share-\(UUID().uuidString).png").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        guard cairo_surface_write_to_png(surface, path) == CAIRO_STATUS_SUCCESS else { throw BadgeRenderer.RenderError(description: "cannot write PNG") }
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }
}
