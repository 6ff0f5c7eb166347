import Foundation
import RendezvousDomain

/// A webhook attempt's failure in the organiser's language. The sender records it in English
/// (`WebhookSender.describe`, the HTTP client's own words); the known kinds are told in the reader's
/// words, with their detail (seconds, host), and anything else is shown as recorded.
extension Strings {
    public static func webhookFailure(_ recorded: String, _ language: Language) -> String {
        let raw = recorded.trimmingCharacters(in: .whitespacesAndNewlines)
        let lower = raw.lowercased()
        func match(_ pattern: String) -> [String]? {
            guard let regex = try? NSRegularExpression(pattern: pattern),
                  let found = regex.firstMatch(in: raw, range: NSRange(raw.startIndex..., in: raw)) else { return nil }
            return (1..<found.numberOfRanges).map { Range(found.range(at: $0), in: raw).map { String(raw[$0]) } ?? "" }
        }
        if let parts = match(#"^timeout \((\d+) s\)$"#) { return text("webhooks.failure.timeout", language, ["seconds": parts[0]]) }
        if let parts = match(#"^(\S+) resolves to a private address \((.+)\)$"#) {
            return text("webhooks.failure.privateAddress", language, ["host": parts[0], "address": parts[1]])
        }
        if let parts = match(#"^(\S+) does not resolve$"#) { return text("webhooks.failure.unresolvable", language, ["host": parts[0]]) }
        if raw == "https required" { return text("webhooks.failure.https", language) }
        if raw == "invalid address" { return text("webhooks.failure.invalid", language) }
        if lower.contains("connection refused") || lower.contains("connectionrefused") || lower.contains("econnrefused") {
            return text("webhooks.failure.refused", language)
        }
        if lower.contains("deadlineexceeded") || lower.contains("timed out") || lower.contains("timeout") {
            return text("webhooks.failure.timeoutPlain", language)
        }
        if lower.contains("tls") || lower.contains("ssl") || lower.contains("certificate") || lower.contains("handshake") {
            return text("webhooks.failure.tls", language)
        }
        if lower.contains("connection reset") || lower.contains("remoteconnectionclosed") || lower.contains("connection closed") {
            return text("webhooks.failure.closed", language)
        }
        return raw
    }

    /// "HTTP 500 answer" and, when the answer said something, its first words.
    public static func webhookAnswer(status: Int, excerpt: String, _ language: Language) -> String {
        let head = text("webhooks.failure.http", language, ["status": String(status)])
        let body = excerpt.trimmingCharacters(in: .whitespacesAndNewlines)
        return body.isEmpty ? head : "\(head) · \(body)"
    }
}
