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
}
