import CGdkPixbuf
import Foundation

/// What an uploaded picture becomes: an event's cover, a chapter's logo, a speaker's photo.
public enum ImageKind: String, Sendable, CaseIterable {
    case cover, logo, photo

    /// The largest box the stored picture fits in, in pixels.
    var box: (width: Int, height: Int) {
        switch self {
        case .cover: (1600, 1000)
        case .logo: (512, 512)
        case .photo: (400, 400)
        }
    }
}

/// A picture as the server stores and serves it: decoded, oriented, resized and encoded again, so
/// nothing of the uploaded file (EXIF, GPS position, comments, trailing bytes) leaves the server.
public struct ProcessedImage: Sendable, Equatable {
    public var bytes: [UInt8]
    public var contentType: String
    public var width: Int
    public var height: Int

    /// The file extension of `contentType`.
    public var fileExtension: String { contentType == "image/png" ? "png" : "jpg" }
}

/// Why an upload is refused.
public enum ImageProblem: Error, Equatable, Sendable {
    /// More bytes than `ImageProcessor.maxBytes`.
    case tooLarge
    /// Not PNG, JPEG or WebP by its first bytes (whatever its name or the browser says).
    case notAnImage
    /// Its header announces more pixels than `ImageProcessor.maxPixels` (or a side longer than
    /// `maxSide`): refused before decoding, since a small file can unpack into gigabytes.
    case tooManyPixels
    /// It starts like a picture but cannot be decoded (truncated, corrupt, or a format whose
    /// decoder is not installed).
    case undecodable
}

/// Checks and re-encodes pictures with gdk-pixbuf (PNG and JPEG built in, WebP with
/// `webp-pixbuf-loader`). Each call decodes with the one loader named by the file's magic bytes.
public enum ImageProcessor {
    /// 8 MiB: a photo straight from a phone.
    public static let maxBytes = 8 * 1024 * 1024
    /// 40 megapixels (a 48 MP phone sensor saves 12 MP by default); 12,000 pixels on a side.
    public static let maxPixels = 40_000_000
    public static let maxSide = 12_000
    /// JPEG quality of stored pictures.
    static let quality: Int32 = 85

    /// The gdk-pixbuf loader for these bytes, read from their first bytes only: "png", "jpeg",
    /// "webp", or nil.
    public static func loaderType(of bytes: [UInt8]) -> String? {
        func starts(_ prefix: [UInt8], at offset: Int = 0) -> Bool {
            bytes.count >= offset + prefix.count && Array(bytes[offset..<offset + prefix.count]) == prefix
        }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "png" }
        if starts([0xFF, 0xD8, 0xFF]) { return "jpeg" }
        if starts(Array("RIFF".utf8)), starts(Array("WEBP".utf8), at: 8) { return "webp" }
        return nil
    }

    /// Checks an upload and makes the picture to store: fitted into the kind's box (never
    /// enlarged), a photo cropped to a centred square, a logo always PNG (it keeps its
    /// transparency), anything else JPEG unless it has transparency.
    public static func process(_ bytes: [UInt8], kind: ImageKind) -> Result<ProcessedImage, ImageProblem> {
        guard bytes.count <= maxBytes else { return .failure(.tooLarge) }
        guard let type = loaderType(of: bytes) else { return .failure(.notAnImage) }
        // The decoders fill in a picture cut short (grey rows): refuse it instead.
        guard isComplete(bytes, type: type) else { return .failure(.undecodable) }
        let decoded: OpaquePointer
        switch decode(bytes, type: type) {
        case .failure(let problem): return .failure(problem)
        case .success(let pixbuf): decoded = pixbuf
        }
        defer { g_object_unref(UnsafeMutableRawPointer(decoded)) }
        var source = decoded
        var cropped: OpaquePointer?
        let width = Int(gdk_pixbuf_get_width(source)), height = Int(gdk_pixbuf_get_height(source))
        if kind == .photo, width != height {
            let side = min(width, height)
            // A portrait's face is usually in its upper part: crop a little above the centre.
            let x = (width - side) / 2, y = height > width ? (height - side) / 3 : 0
            cropped = gdk_pixbuf_new_subpixbuf(source, Int32(x), Int32(y), Int32(side), Int32(side))
            if let cropped { source = cropped }
        }
        defer { if let cropped { g_object_unref(UnsafeMutableRawPointer(cropped)) } }
        let box = kind.box
        let (outWidth, outHeight) = fitted(width: Int(gdk_pixbuf_get_width(source)), height: Int(gdk_pixbuf_get_height(source)), box: box)
        guard let scaled = gdk_pixbuf_scale_simple(source, Int32(outWidth), Int32(outHeight), GDK_INTERP_BILINEAR) else { return .failure(.undecodable) }
        defer { g_object_unref(UnsafeMutableRawPointer(scaled)) }
        let png = kind == .logo || gdk_pixbuf_get_has_alpha(scaled) != 0
        guard let encoded = encode(scaled, png: png) else { return .failure(.undecodable) }
        return .success(ProcessedImage(bytes: encoded, contentType: png ? "image/png" : "image/jpeg", width: outWidth, height: outHeight))
    }

    /// A stored picture as a PNG of exactly `width` × `height`, scaled to fill and cropped at the
    /// centre (the share image's cover), or fitted inside when `fill` is false (a logo).
    public static func png(_ bytes: [UInt8], width: Int, height: Int, fill: Bool) -> [UInt8]? {
        guard let type = loaderType(of: bytes), case .success(let decoded) = decode(bytes, type: type) else { return nil }
        defer { g_object_unref(UnsafeMutableRawPointer(decoded)) }
        let sourceWidth = Double(gdk_pixbuf_get_width(decoded)), sourceHeight = Double(gdk_pixbuf_get_height(decoded))
        if !fill {
            let (w, h) = fitted(width: Int(sourceWidth), height: Int(sourceHeight), box: (width, height), enlarge: true)
            guard let scaled = gdk_pixbuf_scale_simple(decoded, Int32(w), Int32(h), GDK_INTERP_BILINEAR) else { return nil }
            defer { g_object_unref(UnsafeMutableRawPointer(scaled)) }
            return encode(scaled, png: true)
        }
        let scale = max(Double(width) / sourceWidth, Double(height) / sourceHeight)
        let cropWidth = min(sourceWidth, (Double(width) / scale).rounded()), cropHeight = min(sourceHeight, (Double(height) / scale).rounded())
        guard let part = gdk_pixbuf_new_subpixbuf(decoded, Int32((sourceWidth - cropWidth) / 2), Int32((sourceHeight - cropHeight) / 2),
                                                  Int32(max(1, cropWidth)), Int32(max(1, cropHeight))) else { return nil }
        defer { g_object_unref(UnsafeMutableRawPointer(part)) }
        guard let scaled = gdk_pixbuf_scale_simple(part, Int32(width), Int32(height), GDK_INTERP_BILINEAR) else { return nil }
        defer { g_object_unref(UnsafeMutableRawPointer(scaled)) }
        return encode(scaled, png: true)
    }

    /// Whether the file reaches its end marker: PNG's IEND chunk, JPEG's end of image after its
    /// last scan (entropy-coded data never contains it), WebP's RIFF length.
    static func isComplete(_ bytes: [UInt8], type: String) -> Bool {
        func lastIndex(of pattern: [UInt8], before end: Int) -> Int? {
            var index = end - pattern.count
            while index >= 0 {
                if bytes[index] == pattern[0], bytes[index..<index + pattern.count].elementsEqual(pattern) { return index }
                index -= 1
            }
            return nil
        }
        switch type {
        case "png":
            return lastIndex(of: [0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44], before: bytes.count) != nil
        case "jpeg":
            guard let scan = lastIndex(of: [0xFF, 0xDA], before: bytes.count), let end = lastIndex(of: [0xFF, 0xD9], before: bytes.count) else { return false }
            return end > scan
        case "webp":
            guard bytes.count >= 12 else { return false }
            let size = Int(bytes[4]) | Int(bytes[5]) << 8 | Int(bytes[6]) << 16 | Int(bytes[7]) << 24
            return size + 8 <= bytes.count
        default:
            return false
        }
    }

    /// A picture of one colour (opaque, or with `alpha` below 255), as PNG or JPEG: the demo
    /// network's logos and the tests' uploads.
    public static func canvas(width: Int, height: Int, red: UInt8, green: UInt8, blue: UInt8, alpha: UInt8 = 255, png: Bool) -> [UInt8]? {
        guard let pixbuf = gdk_pixbuf_new(GDK_COLORSPACE_RGB, alpha < 255 ? 1 : 0, 8, Int32(width), Int32(height)) else { return nil }
        defer { g_object_unref(UnsafeMutableRawPointer(pixbuf)) }
        gdk_pixbuf_fill(pixbuf, UInt32(red) << 24 | UInt32(green) << 16 | UInt32(blue) << 8 | UInt32(alpha))
        return encode(pixbuf, png: png)
    }

    /// The size of a `width` × `height` picture fitted into `box`, keeping its proportions; never
    /// enlarged unless asked.
    static func fitted(width: Int, height: Int, box: (width: Int, height: Int), enlarge: Bool = false) -> (Int, Int) {
        let scale = min(Double(box.width) / Double(width), Double(box.height) / Double(height))
        guard scale < 1 || enlarge else { return (width, height) }
        return (max(1, Int((Double(width) * scale).rounded())), max(1, Int((Double(height) * scale).rounded())))
    }

    static func decode(_ bytes: [UInt8], type: String) -> Result<OpaquePointer, ImageProblem> {
        var status: Int32 = 1, width: Int32 = 0, height: Int32 = 0
        let pixbuf = bytes.withUnsafeBufferPointer { buffer in
            rv_image_decode(buffer.baseAddress, buffer.count, type, Int64(maxPixels), Int32(maxSide), &status, &width, &height)
        }
        if status == 2 { return .failure(.tooManyPixels) }
        guard status == 0, let pixbuf else { return .failure(.undecodable) }
        return .success(pixbuf)
    }

    static func encode(_ pixbuf: OpaquePointer, png: Bool) -> [UInt8]? {
        var size: gsize = 0
        guard let buffer = rv_image_encode(pixbuf, png ? "png" : "jpeg", quality, &size) else { return nil }
        defer { g_free(buffer) }
        return Array(UnsafeRawBufferPointer(start: buffer, count: Int(size)))
    }
}
