import Foundation

/// A chapter's colour: `#rrggbb`, with the text colour that stays readable on it (white or ink,
/// whichever contrasts more; WCAG 2 relative luminance).
public struct BrandColor: Sendable, Equatable, Hashable {
    /// Lowercase `#rrggbb`.
    public let hex: String
    public let red: Double, green: Double, blue: Double

    /// The dark text colour used on light brand colours (the site's ink).
    public static let ink = "#1a1f24"
    public static let white = "#ffffff"

    /// Accepts `#rrggbb` or `rrggbb` (any case, spaces around); nil for anything else.
    public init?(_ text: String) {
        var value = text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        if value.hasPrefix("#") { value.removeFirst() }
        guard value.count == 6, value.allSatisfy(\.isHexDigit), let number = Int(value, radix: 16) else { return nil }
        hex = "#" + value
        red = Double((number >> 16) & 0xFF) / 255
        green = Double((number >> 8) & 0xFF) / 255
        blue = Double(number & 0xFF) / 255
    }

    /// WCAG relative luminance of an sRGB colour (0 black … 1 white).
    public static func luminance(red: Double, green: Double, blue: Double) -> Double {
        func linear(_ c: Double) -> Double { c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4) }
        return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)
    }

    public static func contrast(_ a: Double, _ b: Double) -> Double { (max(a, b) + 0.05) / (min(a, b) + 0.05) }

    public var luminance: Double { Self.luminance(red: red, green: green, blue: blue) }
    static let inkLuminance = luminance(red: 0x1a / 255, green: 0x1f / 255, blue: 0x24 / 255)

    /// The text colour on this colour: white or the ink, whichever contrasts more; black when
    /// neither reaches 4.5:1 (mid-tones: black always does), so the text is always at least 4.5:1.
    public var textHex: String { textChoice.hex }
    /// The contrast of `textHex` on this colour (at least 4.5).
    public var textContrast: Double { Self.contrast(luminance, textChoice.luminance) }
    /// The RGB of `textHex`, from 0 to 1 (badges, share images).
    public var text: (red: Double, green: Double, blue: Double) { textChoice.rgb }
    public var rgb: (red: Double, green: Double, blue: Double) { (red, green, blue) }
    public var prefersWhiteText: Bool { textChoice.hex == Self.white }

    private var textChoice: (hex: String, luminance: Double, rgb: (red: Double, green: Double, blue: Double)) {
        let own = luminance
        let onWhite = Self.contrast(own, 1), onInk = Self.contrast(own, Self.inkLuminance)
        if onWhite >= onInk, onWhite >= 4.5 { return (Self.white, 1, (1, 1, 1)) }
        if onInk > onWhite, onInk >= 4.5 { return (Self.ink, Self.inkLuminance, (0x1a / 255, 0x1f / 255, 0x24 / 255)) }
        return ("#000000", 0, (0, 0, 0))
    }

    /// The six hex digits, without `#` (a stylesheet's address).
    public var digits: String { String(hex.dropFirst()) }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.hex == rhs.hex }
    public func hash(into hasher: inout Hasher) { hasher.combine(hex) }
}
