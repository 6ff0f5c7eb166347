/// Text made safe inside HTML, text and quoted attributes alike: `< > & " '` become entities.
///
/// Escaped byte by byte (they are ASCII), not character by character: a quote followed by a
/// combining accent is one Swift `Character` (`"\u{301}`), which a per-character lookup does not
/// recognise as a quote, yet a browser ends the attribute at its quote all the same. Mustache's own
/// escaping works per character; the pages, the charts and the mails use this one instead.
public enum HTMLText {
    public static func escape(_ text: String) -> String {
        var result = ""
        append(text, to: &result)
        return result
    }

    public static func append(_ text: String, to result: inout String) {
        let utf8 = text.utf8
        var start = utf8.startIndex, index = start
        while index != utf8.endIndex {
            let entity: String? = switch utf8[index] {
            case UInt8(ascii: "<"): "&lt;"
            case UInt8(ascii: ">"): "&gt;"
            case UInt8(ascii: "&"): "&amp;"
            case UInt8(ascii: "\""): "&quot;"
            case UInt8(ascii: "'"): "&#39;"
            default: nil
            }
            if let entity {
                result += text[start..<index]
                result += entity
                start = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        if start == utf8.startIndex { result += text } else { result += text[start..<utf8.endIndex] }
    }
}
