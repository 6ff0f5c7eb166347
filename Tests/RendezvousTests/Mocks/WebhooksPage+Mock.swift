import Foundation
import RendezvousDomain
@testable import RendezvousWeb

extension WebhooksPage {
    static let mockEndpoint = WebhookEndpoint.ID(UUID(uuidString: "5E6F7A8B-9C0D-4E1F-8A2B-3C4D5E6F7A8B")!)

    /// The list just after adding an endpoint (its secret shown once), or with the URL refused.
    static func mock(error: Bool = false) -> WebhooksPage {
        let types: [(String, String)] = [("registration.created", "New registration"), ("registration.cancelled", "Registration cancelled"),
                                         ("registration.confirmed", "Seat confirmed after waiting"), ("registration.checked_in", "Check-in at the door"),
                                         ("event.published", "Meetup published"), ("event.changed", "Meetup changed")]
        return WebhooksPage(
            chrome: .organizer("Webhooks", path: OrganizeRoute.webhooks(slug: "toulouse").path), csrf: Mock.csrf, name: "#LinkedInLocal Toulouse",
            dashboardURL: OrganizeRoute.dashboard(slug: "toulouse").path, notice: error ? nil : "Endpoint added.",
            formError: error ? "Please correct the fields marked below." : nil,
            newSecret: error ? nil : WebhookSecretView(heading: "Signing secret for https://crm.example.org/hooks/rendezvous",
                                                       secret: "whsec_3q2-7wEXAMPLEexampleEXAMPLEexampleEXAMPLEexa"),
            endpoints: [
                .init(url: "https://crm.example.org/hooks/rendezvous", detailURL: OrganizeRoute.webhook(slug: "toulouse", mockEndpoint).path,
                      types: "registration.created, registration.cancelled", state: "Active", stateClass: "confirmed", reason: nil),
                .init(url: "https://sheets.example.com/a/very/long/path/that/wraps/on/a/phone?token=abcdef", detailURL: OrganizeRoute.webhook(slug: "toulouse", mockEndpoint).path,
                      types: "All events", state: "Turned off", stateClass: "cancelled", reason: "Turned off after failing for three days. Last error: timeout (10 s)"),
            ],
            addURL: OrganizeRoute.webhooks(slug: "toulouse").path,
            url: FormField(name: "url", label: "Address (URL)", value: error ? "https://10.0.0.7/hook" : "", type: "url", required: true,
                           hint: "A public https address, for example https://example.org/hooks/rendezvous.",
                           error: error ? "10.0.0.7 points to a private network address (10.0.0.7): webhooks only go to public addresses." : nil,
                           maxLength: 500, autocomplete: "off"),
            types: types.map { .init(id: "f-type-\($0.0.replacingOccurrences(of: ".", with: "-"))", value: $0.0, label: "\($0.1) (\($0.0))", checked: error && $0.0 == "registration.created") },
            includeEmail: false, full: false)
    }
}

extension WebhookPage {
    static func mock(confirmDelete: Bool = false) -> WebhookPage {
        let endpoint = WebhooksPage.mockEndpoint
        let delivery = WebhookDelivery.ID(UUID(uuidString: "6F7A8B9C-0D1E-4F2A-9B3C-4D5E6F7A8B9C")!)
        let redeliver = OrganizeRoute.webhookRedeliver(slug: "toulouse", endpoint, delivery: delivery).path
        return WebhookPage(
            chrome: .organizer("Webhook endpoint", path: OrganizeRoute.webhook(slug: "toulouse", endpoint).path), csrf: Mock.csrf,
            url: "https://crm.example.org/hooks/rendezvous", listURL: OrganizeRoute.webhooks(slug: "toulouse").path,
            selfURL: OrganizeRoute.webhook(slug: "toulouse", endpoint).path,
            notice: confirmDelete ? nil : "A test (ping) is on its way: it appears below within a few seconds.", newSecret: nil,
            facts: [.init(label: "Status", value: "Active"), .init(label: "Events", value: "New registration, Registration cancelled"),
                    .init(label: "Email addresses included", value: "No"), .init(label: "Added", value: "15 Jan 2027 09:00")],
            enabled: true, reason: nil,
            pingURL: OrganizeRoute.webhookPing(slug: "toulouse", endpoint).path, enabledURL: OrganizeRoute.webhookEnabled(slug: "toulouse", endpoint).path,
            rotateURL: OrganizeRoute.webhookRotate(slug: "toulouse", endpoint).path, deleteURL: OrganizeRoute.webhookDelete(slug: "toulouse", endpoint).path,
            confirmDelete: confirmDelete,
            deliveries: [
                .init(when: "15 Jan 2027 09:02", type: "Test", code: "ping", status: "Delivered", statusClass: "confirmed", answer: "HTTP 200 answer · ok", attempts: "1", next: "—", redeliverURL: redeliver),
                .init(when: "15 Jan 2027 09:01", type: "New registration", code: "registration.created", status: "Waiting", statusClass: "waitlisted",
                      answer: "HTTP 503 answer · Service Unavailable", attempts: "1", next: "15 Jan 2027 09:02", redeliverURL: redeliver),
                .init(when: "15 Jan 2027 09:00", type: "Registration cancelled", code: "registration.cancelled", status: "Failed", statusClass: "cancelled", answer: "HTTP 410 answer · gone",
                      attempts: "1", next: "—", redeliverURL: redeliver),
            ])
    }
}
