import Foundation

/// A signing secret, shown once: just after the endpoint was added or its secret rotated.
struct WebhookSecretView {
    var heading: String
    var secret: String
}

/// The chapter's webhook endpoints and the form that adds one.
struct WebhooksPage: Page {
    static let template = "organize/webhooks"

    struct Endpoint {
        var url: String
        var detailURL: String
        var types: String
        var state: String
        var stateClass: String
        var reason: String?
    }

    struct TypeOption { var id: String; var value: String; var label: String; var checked: Bool }

    var chrome: Chrome
    var csrf: String
    var name: String
    var dashboardURL: String
    var notice: String?
    var formError: String?
    var newSecret: WebhookSecretView?
    var endpoints: [Endpoint]
    let hasEndpoints: Bool
    var addURL: String
    var url: FormField
    var types: [TypeOption]
    var includeEmail: Bool
    /// The chapter has the most endpoints it may: the form is replaced by a note.
    var full: Bool

    init(chrome: Chrome, csrf: String, name: String, dashboardURL: String, notice: String?, formError: String?, newSecret: WebhookSecretView?,
         endpoints: [Endpoint], addURL: String, url: FormField, types: [TypeOption], includeEmail: Bool, full: Bool) {
        self.chrome = chrome
        self.csrf = csrf
        self.name = name
        self.dashboardURL = dashboardURL
        self.notice = notice
        self.formError = formError
        self.newSecret = newSecret
        self.endpoints = endpoints
        self.hasEndpoints = !endpoints.isEmpty
        self.addURL = addURL
        self.url = url
        self.types = types
        self.includeEmail = includeEmail
        self.full = full
    }
}

/// One endpoint: its settings, what can be done to it, its latest deliveries.
struct WebhookPage: Page {
    static let template = "organize/webhook"

    struct Delivery {
        var when: String
        /// The type's name in the reader's language, and its code (what the receiver sees).
        var type: String
        var code: String
        var status: String
        var statusClass: String
        /// "HTTP 500 answer" with its first words, or why there was none, in the reader's language.
        var answer: String
        var attempts: String
        var next: String
        var redeliverURL: String
    }

    struct Fact { var label: String; var value: String }

    var chrome: Chrome
    var csrf: String
    var url: String
    var listURL: String
    /// This page's own address ("Keep it" after a delete asked).
    var selfURL: String
    var notice: String?
    var newSecret: WebhookSecretView?
    var facts: [Fact]
    var enabled: Bool
    var reason: String?
    var pingURL: String
    var enabledURL: String
    var rotateURL: String
    var deleteURL: String
    /// The delete button was pressed once: the page asks before deleting.
    var confirmDelete: Bool
    var deliveries: [Delivery]
    let hasDeliveries: Bool

    init(chrome: Chrome, csrf: String, url: String, listURL: String, selfURL: String, notice: String?, newSecret: WebhookSecretView?, facts: [Fact], enabled: Bool,
         reason: String?, pingURL: String, enabledURL: String, rotateURL: String, deleteURL: String, confirmDelete: Bool, deliveries: [Delivery]) {
        self.chrome = chrome
        self.csrf = csrf
        self.url = url
        self.listURL = listURL
        self.selfURL = selfURL
        self.notice = notice
        self.newSecret = newSecret
        self.facts = facts
        self.enabled = enabled
        self.reason = reason
        self.pingURL = pingURL
        self.enabledURL = enabledURL
        self.rotateURL = rotateURL
        self.deleteURL = deleteURL
        self.confirmDelete = confirmDelete
        self.deliveries = deliveries
        self.hasDeliveries = !deliveries.isEmpty
    }
}
