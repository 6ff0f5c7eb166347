import CCairoPango
import Foundation

/// A PNG (a chapter's logo, an event's cover, both re-encoded by the server) as a cairo surface,
/// to draw on badges and share images.
final class PNGSurface {
    let surface: OpaquePointer
    var width: Double { Double(cairo_image_surface_get_width(surface)) }
    var height: Double { Double(cairo_image_surface_get_height(surface)) }

    private final class Reader {
        let bytes: [UInt8]
        var offset = 0
        init(_ bytes: [UInt8]) { self.bytes = bytes }
    }

    /// Nil when the bytes are not a PNG cairo can read. `uniqueID` lets a PDF embed the picture
    /// once however many badges show it.
    init?(_ bytes: [UInt8], uniqueID: String? = nil) {
        guard bytes.count > 8 else { return nil }
        let reader = Reader(bytes)
        let context = Unmanaged.passRetained(reader)
        defer { context.release() }
        guard let surface = cairo_image_surface_create_from_png_stream({ closure, data, length in
            guard let closure, let data else { return CAIRO_STATUS_READ_ERROR }
            let reader = Unmanaged<Reader>.fromOpaque(closure).takeUnretainedValue()
            let count = Int(length)
            guard reader.offset + count <= reader.bytes.count else { return CAIRO_STATUS_READ_ERROR }
            reader.bytes.withUnsafeBufferPointer { buffer in
                data.update(from: buffer.baseAddress! + reader.offset, count: count)
            }
            reader.offset += count
            return CAIRO_STATUS_SUCCESS
        }, context.toOpaque()) else { return nil }
        guard cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS else {
            cairo_surface_destroy(surface)
            return nil
        }
        if let uniqueID, let copy = strdup(uniqueID) {
            cairo_surface_set_mime_data(surface, CAIRO_MIME_TYPE_UNIQUE_ID, UnsafeRawPointer(copy).assumingMemoryBound(to: UInt8.self),
                                        UInt(strlen(copy)), { free($0) }, copy)
        }
        self.surface = surface
    }

    deinit { cairo_surface_destroy(surface) }

    /// Draws the picture inside the box, keeping its proportions (centred), or filling the box and
    /// cropping what overflows.
    func draw(_ cr: OpaquePointer, x: Double, y: Double, width boxWidth: Double, height boxHeight: Double, fill: Bool = false) {
        let scale = fill ? max(boxWidth / width, boxHeight / height) : min(boxWidth / width, boxHeight / height)
        cairo_save(cr)
        cairo_rectangle(cr, x, y, boxWidth, boxHeight)
        cairo_clip(cr)
        cairo_translate(cr, x + (boxWidth - width * scale) / 2, y + (boxHeight - height * scale) / 2)
        cairo_scale(cr, scale, scale)
        cairo_set_source_surface(cr, surface, 0, 0)
        cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD)
        cairo_paint(cr)
        cairo_restore(cr)
    }
}

extension BadgeRenderer {
    /// The chapter's logo at the start of the badge's band, on a white rounded tile (a logo is
    /// drawn for a light background); returns the width it took, padding included (0 without).
    static func drawBandLogo(_ badge: BadgeContent, in cr: OpaquePointer, x: Double, y: Double, band: Double, pad: Double) -> Double {
        guard let bytes = badge.logoPNG, let logo = PNGSurface(bytes, uniqueID: badge.logoID) else { return 0 }
        let inset = band * 0.12, side = band - 2 * inset
        roundedRectangle(cr, x: x + pad, y: y + inset, width: side, height: side, radius: side * 0.15)
        cairo_set_source_rgb(cr, 1, 1, 1)
        cairo_fill(cr)
        logo.draw(cr, x: x + pad + side * 0.08, y: y + inset + side * 0.08, width: side * 0.84, height: side * 0.84)
        return side + pad * 0.6
    }

    static func roundedRectangle(_ cr: OpaquePointer, x: Double, y: Double, width: Double, height: Double, radius: Double) {
        cairo_new_sub_path(cr)
        cairo_arc(cr, x + width - radius, y + radius, radius, -Double.pi / 2, 0)
        cairo_arc(cr, x + width - radius, y + height - radius, radius, 0, Double.pi / 2)
        cairo_arc(cr, x + radius, y + height - radius, radius, Double.pi / 2, Double.pi)
        cairo_arc(cr, x + radius, y + radius, radius, Double.pi, 3 * Double.pi / 2)
        cairo_close_path(cr)
    }
}
