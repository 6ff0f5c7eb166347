import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Names for downloaded files that read well in a folder: "toulouse-2026-01-20-rencontre-de-janvier.csv",
/// never "--Rencontre---janvier-.csv". Accents are folded, every run of other characters becomes one
/// dash, no dash at either end; an empty result falls back to `fallback`.
enum DownloadName {
    static func slug(_ parts: [String], fallback: String = "export", maxLength: Int = 80) -> String {
        let folded = parts.joined(separator: " ").folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: nil).lowercased()
        var out = ""
        var dash = false
        for scalar in folded.unicodeScalars {
            if scalar.isASCII, CharacterSet.alphanumerics.contains(scalar) {
                if dash, !out.isEmpty { out.append("-") }
                dash = false
                out.unicodeScalars.append(scalar)
            } else {
                dash = true
            }
        }
        if out.count > maxLength { out = String(out.prefix(maxLength)).trimmingCharacters(in: CharacterSet(charactersIn: "-")) }
        return out.isEmpty ? fallback : out
    }

    /// A CSV download with that name.
    static func csv(_ text: String, name parts: [String]) -> Response {
        Response(status: .ok, headers: [
            .contentType: "text/csv; charset=utf-8",
            .contentDisposition: "attachment; filename=\"\(slug(parts)).csv\"",
            .cacheControl: "no-store",
        ], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
