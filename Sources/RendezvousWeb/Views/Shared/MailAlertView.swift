import Foundation
import RendezvousDomain
import RendezvousLocalization

/// The relay refuses us: what, since when, what it said. Shown on /admin and on every outbox page.
struct MailAlertView {
    var title: String
    var detail: String
    var waiting: String

    init?(_ alert: MailAlert?, language: Language, formatter: DisplayFormatter, zoneSuffix: String = "") {
        guard let alert else { return nil }
        title = Strings.mailAlert(alert.kind, since: "\(formatter.shortDate(alert.since)) \(formatter.time(alert.since))\(zoneSuffix)", language)
        detail = alert.detail
        waiting = Strings.text("mailAlert.waiting", language)
    }
}
