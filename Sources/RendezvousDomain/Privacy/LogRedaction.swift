import Foundation

/// Logs never hold personal data: what the application logs itself is counts, ids and kinds, but
/// some messages carry text from outside (a mail relay's refusal names the recipient, a
/// database error may quote a value, a request's path holds a private link's token). Such text
/// goes through `redact` first, which turns addresses into `<address>`; a request's path goes
/// through `path` instead, which drops the query and turns segments that look like tokens (long
/// runs of URL-safe characters) into `…`.
public enum LogRedaction {
    /// `local@domain.tld`, accents included, as loosely as mail relays and databases quote it.
    static let address = try! NSRegularExpression(pattern: #"[\p{L}\p{N}._%+\-]+@[\p{L}\p{N}.\-]+\.\p{L}{2,}"#)
    /// A path segment of 20 or more URL-safe characters: a token, not a word.
    static let token = try! NSRegularExpression(pattern: #"(?<=/)[A-Za-z0-9_\-]{20,}(?=[/?.]|$)"#)

    public static func redact(_ text: String) -> String {
        let range = NSRange(text.startIndex..., in: text)
        return address.stringByReplacingMatches(in: text, range: range, withTemplate: "<address>")
    }

    /// A request path for a log line: tokens masked, never the query (it may hold an address).
    public static func path(_ path: String) -> String {
        let bare = String(path.prefix { $0 != "?" })
        return token.stringByReplacingMatches(in: bare, range: NSRange(bare.startIndex..., in: bare), withTemplate: "…")
    }
}
