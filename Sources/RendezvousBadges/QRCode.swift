import CCairoPango
import CQRencode
import Foundation

/// QR codes as SVG, for tickets shown on screens: one path, one subpath per run of dark modules.
public enum QRCode {
    public static func svg(_ text: String, quietZone: Int = 4) -> String? {
        guard let code = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1) else { return nil }
        defer { QRcode_free(code) }
        let modules = Int(code.pointee.width)
        let data = code.pointee.data!
        let size = modules + 2 * quietZone
        var path = ""
        for row in 0..<modules {
            var column = 0
            while column < modules {
                guard data[row * modules + column] & 1 == 1 else { column += 1; continue }
                var end = column
                while end + 1 < modules, data[row * modules + end + 1] & 1 == 1 { end += 1 }
                path += "M\(column + quietZone) \(row + quietZone)h\(end - column + 1)v1h-\(end - column + 1)z"
                column = end + 1
            }
        }
        return """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(size) \(size)" shape-rendering="crispEdges">\
            <rect width="\(size)" height="\(size)" fill="#fff"/><path d="\(path)" fill="#000"/></svg>
            """
    }

    /// QR code as a PNG with whole pixels per module: no seams between modules at any zoom,
    /// which camera decoders (and the door's scanner) read most reliably.
    public static func png(_ text: String, pixelsPerModule: Int = 8, quietZone: Int = 4) -> Data? {
        guard let code = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1) else { return nil }
        defer { QRcode_free(code) }
        let modules = Int(code.pointee.width)
        let side = Int32((modules + 2 * quietZone) * pixelsPerModule)
        guard let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, side, side) else { return nil }
        defer { cairo_surface_destroy(surface) }
        guard let cr = cairo_create(surface) else { return nil }
        cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE)
        cairo_set_source_rgb(cr, 1, 1, 1)
        cairo_paint(cr)
        cairo_set_source_rgb(cr, 0, 0, 0)
        let data = code.pointee.data!
        let cell = Double(pixelsPerModule)
        for row in 0..<modules {
            for column in 0..<modules where data[row * modules + column] & 1 == 1 {
                cairo_rectangle(cr, Double(column + quietZone) * cell, Double(row + quietZone) * cell, cell, cell)
            }
        }
        cairo_fill(cr)
        cairo_destroy(cr)
        cairo_surface_flush(surface)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("qr-\(UUID().uuidString).png").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        guard cairo_surface_write_to_png(surface, path) == CAIRO_STATUS_SUCCESS else { return nil }
        return try? Data(contentsOf: URL(fileURLWithPath: path))
    }
}
