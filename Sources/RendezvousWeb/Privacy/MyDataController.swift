import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import RendezvousDomain
import RendezvousLocalization
import RendezvousPersistence

/// Attendees serve themselves: "My data" lists everything held about them, downloads it as one
/// JSON file (docs/data-export.md) and the people they met as vCard, changes every consent at
/// once (recorded), and erases them. Two doors:
/// - My Rendezvous (`/me/data`, the attendee session): every registration of the address, in
///   every chapter, and the profile, sessions and sign-in links of the address;
/// - a registration's manage link (`/manage/{token}/data`): that registration only, since a
///   manage link proves nothing about the address (anyone may register with any address).
struct MyDataController {
    let services: AppServices

    var me: MeController { MeController(services: services) }

    func addRoutes(to router: Router<AppRequestContext>, writes: RouterGroup<AppRequestContext>) {
        router.get(MeRoute.data.routerPath, use: meData)
        router.get(MeRoute.dataJSON.routerPath, use: meJSON)
        router.post(MeRoute.dataConsents.routerPath, use: me.signedOutToForm(meConsents))
        router.post(MeRoute.dataErase.routerPath, use: me.signedOutToForm(meErase))
        router.get(PublicRoute.manageData(token: .any).routerPath, use: manageData)
        router.get(PublicRoute.manageDataJSON(token: .any).routerPath, use: manageJSON)
        router.get(PublicRoute.manageDataVCard(token: .any).routerPath, use: manageVCard)
        writes.post(PublicRoute.manageDataConsents(token: .any).routerPath, use: manageConsents)
        writes.post(PublicRoute.manageDataErase(token: .any).routerPath, use: manageErase)
    }

    func t(_ key: String, _ language: Language, _ arguments: [String: String] = [:]) -> String { Strings.text(key, language, arguments) }
    static func t(_ key: String, _ language: Language, _ arguments: [String: String] = [:]) -> String { Strings.text(key, language, arguments) }

    /// Which door the attendee came through: the addresses of its page's links and forms.
    struct Door {
        var scope: PersonScope
        var pageURL: String
        var jsonURL: String
        var vcardURL: String
        var consentsURL: String
        var eraseURL: String
        var backURL: String
        /// The session's CSRF token (My Rendezvous); empty for a manage link (a capability).
        var csrf: String

        static func me(_ session: AttendeeSession) -> Door {
            Door(scope: .email(session.email), pageURL: MeRoute.data.path, jsonURL: MeRoute.dataJSON.path, vcardURL: MeRoute.peopleVCard.path,
                 consentsURL: MeRoute.dataConsents.path, eraseURL: MeRoute.dataErase.path, backURL: MeRoute.home.path, csrf: session.csrfToken)
        }

        static func manage(_ registration: Registration) -> Door {
            let token = registration.manageToken
            return Door(scope: .registration(registration.id.uuid), pageURL: PublicRoute.manageData(token: token).path,
                        jsonURL: PublicRoute.manageDataJSON(token: token).path, vcardURL: PublicRoute.manageDataVCard(token: token).path,
                        consentsURL: PublicRoute.manageDataConsents(token: token).path, eraseURL: PublicRoute.manageDataErase(token: token).path,
                        backURL: PublicRoute.manage(token: token).path, csrf: "")
        }
    }

    // MARK: The page

    static func page(_ data: PersonalData, door: Door, language: Language, notice: String?) -> MyDataPage {
        // Dates in the chapter's time zone: a registration's in its meetup's chapter's, the rest in
        // that of their latest meetup (UTC for someone with none), the zone named when not UTC.
        func formatter(_ identifier: String?) -> (DisplayFormatter, String) {
            let zone = identifier.flatMap(TimeZone.init(identifier:)) ?? .gmt
            let name = zone.secondsFromGMT() == 0 && zone.identifier.hasPrefix("GMT") || zone.identifier == "UTC" ? "UTC" : zone.identifier
            return (DisplayFormatter(language: language, timeZone: zone), name)
        }
        var (f, zoneName) = formatter(data.registrations.first?.event.timeZone)
        func when(_ date: Date?) -> String { date.map { f.dateTime($0) + " " + zoneName } ?? "" }
        func line(_ key: String, _ value: String) -> MyDataPage.Line? { value.isEmpty ? nil : .init(label: t(key, language), value: value) }
        func yes(_ value: Bool) -> String { t(value ? "data.yes" : "data.no", language) }
        func consentName(_ kind: ConsentKind) -> String {
            switch kind {
            case .list: t("data.consent.list", language)
            case .profile: t("data.consent.profile", language)
            case .games: t("data.consent.games", language)
            case .news: t("data.consent.news", language)
            case .mail: t("data.consent.mail", language)
            }
        }
        func consentHint(_ kind: ConsentKind) -> String {
            switch kind {
            case .list: t("data.consentHint.list", language)
            case .profile: t("data.consentHint.profile", language)
            case .games: t("data.consentHint.games", language)
            case .news: t("data.consentHint.news", language)
            case .mail: t("data.consentHint.mail", language)
            }
        }
        func pair(_ name: String, _ value: String) -> String { t("data.pair", language, ["name": name, "value": value]) }
        func status(_ raw: String) -> String {
            switch raw {
            case "confirmed": t("data.status.confirmed", language)
            case "waitlisted": t("me.statusWaitlisted", language)
            case "offered": t("me.statusOffered", language)
            case "cancelled": t("data.status.cancelled", language)
            case "expired": t("data.status.expired", language)
            case "accepted": t("me.stateConnected", language)
            case "pending": t("data.status.pending", language)
            case "declined": t("data.status.declined", language)
            case "sent": t("data.status.sent", language)
            case "failed": t("data.status.failed", language)
            case "open": t("incidents.open", language)
            case "handled": t("incidents.handled", language)
            case "following": t("data.status.following", language)
            case "unsubscribed": t("data.status.unsubscribed", language)
            default: raw
            }
        }
        var sections: [MyDataPage.Section] = []
        let personal = (f, zoneName)
        sections.append(.init(title: t("data.registrations", language), items: data.registrations.map { r in
            (f, zoneName) = formatter(r.event.timeZone)
            defer { (f, zoneName) = personal }
            var lines: [MyDataPage.Line?] = [
                line("data.status", status(r.status)), line("form.firstName", r.firstName), line("form.lastName", r.lastName),
                line("form.email", r.email), line("form.jobTitle", r.jobTitle), line("form.company", r.company),
                line("form.linkedin", r.linkedinUrl), line("form.askMeAbout", r.askMeAbout),
                line("data.bingoFacts", r.bingoFacts.compactMap(BingoFact.init(rawValue:)).map { Strings.bingoFact($0, language) }.joined(separator: " · ")),
                line("data.consents", r.consents.map { pair(consentName($0.consent), yes($0.given)) }.joined(separator: " · ")),
                line("data.registeredAt", when(r.registeredAt)), line("data.conductAcceptedAt", when(r.conductAcceptedAt)),
                line("data.heardFrom", r.heardFrom.flatMap(HeardFrom.init(rawValue:)).map { Strings.heardFrom($0, language) } ?? ""),
                line("data.checkedInAt", when(r.checkedInAt)), line("data.organizerNote", r.organizerNote),
            ]
            lines += r.answers.map { line("data.answer", pair($0.question, $0.answer)) }
            return .init(heading: "\(r.event.title) · \(r.event.chapter) · \(f.shortDate(r.event.startsAt))", lines: lines.compactMap { $0 })
        }, empty: t("data.none", language)))
        if case .email = door.scope {
            let profile = data.profile.map { p in
                MyDataPage.Item(heading: t("me.profile", language), lines: [
                    line("form.firstName", p.firstName), line("form.lastName", p.lastName), line("form.jobTitle", p.jobTitle),
                    line("form.company", p.company), line("form.linkedin", p.linkedinUrl), line("form.askMeAbout", p.askMeAbout),
                    line("me.shareEmail", yes(p.shareEmail)), line("me.shareLinkedin", yes(p.shareLinkedin)),
                    line("data.updatedAt", when(p.updatedAt)),
                ].compactMap { $0 })
            }
            sections.append(.init(title: t("me.profile", language), items: profile.map { [$0] } ?? [], empty: t("data.none", language)))
            sections.append(.init(title: t("data.photo", language), items: data.photo.map { photo in
                [.init(heading: t("data.photoAlt", language), lines: [line("data.photoType", photo.contentType)].compactMap { $0 }, image: photo.url)]
            } ?? [], empty: t("data.none", language)))
        }
        sections.append(.init(title: t("data.consentChanges", language), items: data.consentChanges.map { c in
            .init(heading: pair(consentName(c.consent), yes(c.given)), lines: [line("data.changedAt", when(c.at))].compactMap { $0 })
        }, empty: t("data.noConsentChanges", language)))
        sections.append(.init(title: t("data.contacts", language), items: data.contacts.map { c in
            .init(heading: "\(c.with) · \(c.event)", lines: [
                line("data.status", status(c.status)), line("me.note", c.myNote), line("data.changedAt", when(c.answeredAt ?? c.createdAt)),
            ].compactMap { $0 })
        }, empty: t("data.none", language)))
        sections.append(.init(title: t("data.messages", language), items: data.messages.map { m in
            .init(heading: m.subject.isEmpty ? m.kind : m.subject, lines: [line("data.status", status(m.status)), line("data.sentAt", when(m.sentAt ?? m.createdAt))].compactMap { $0 })
        }, empty: t("data.none", language)))
        sections.append(.init(title: t("data.quizAnswers", language), items: data.quizAnswers.map { q in
            .init(heading: "\(q.quiz) · \(q.nickname)", lines: [
                q.question > 0 ? line("data.answer", "\(q.question). \(q.answer)") : nil, q.question > 0 ? line("data.points", String(q.points)) : nil,
            ].compactMap { $0 })
        }, empty: t("data.none", language)))
        sections.append(.init(title: t("data.feedback", language), items: data.feedback.map { f in
            .init(heading: f.event, lines: [line("data.points", String(f.score)), line("data.comment", f.comment)].compactMap { $0 })
        }, empty: t("data.none", language)))
        // Reports filed signed in, or from this registration's manage link (never by the contact text).
        sections.append(.init(title: t("data.reports", language), items: data.incidentReports.map { r in
            .init(heading: r.event ?? t("data.reports", language), lines: [
                line("data.status", status(r.status)), line("data.report", r.description), line("data.changedAt", when(r.createdAt)),
            ].compactMap { $0 })
        }, empty: t("data.none", language)))
        if case .email = door.scope {
            sections.append(.init(title: t("data.following", language), items: data.following.map { a in
                .init(heading: a.chapter, lines: [line("data.status", status(a.status)), line("data.changedAt", when(a.since))].compactMap { $0 })
            }, empty: t("data.none", language)))
            sections.append(.init(title: t("data.signIns", language), items: data.signIns.map { s in
                .init(heading: t(s.kind == "session" ? "data.session" : "data.signInLink", language),
                      lines: [line("data.changedAt", when(s.createdAt)), line("data.expiresAt", when(s.expiresAt))].compactMap { $0 })
            }, empty: t("data.none", language)))
        }
        let states = Self.consentStates(data)
        let consents = ConsentKind.allCases.map { kind in
            let state = states[kind] ?? .off
            return MyDataPage.Consent(name: "consent-" + kind.rawValue, label: consentName(kind), hint: consentHint(kind), checked: state == .on,
                                      mixed: state == .mixed, was: state.rawValue)
        }
        let isMe: Bool = if case .email = door.scope { true } else { false }
        return MyDataPage(
            chrome: Chrome(title: t("data.title", language), language: language, path: door.pageURL),
            intro: t(isMe ? "data.introMe" : "data.introManage", language, ["email": data.email]),
            notice: notice, sections: sections, jsonURL: door.jsonURL, vcardURL: door.vcardURL, hasContacts: !data.contacts.isEmpty,
            consents: consents, hasRegistrations: !data.registrations.isEmpty, consentsURL: door.consentsURL, eraseURL: door.eraseURL,
            backURL: door.backURL, backLabel: t(isMe ? "me.back" : "data.backManage", language), csrf: door.csrf, hasCSRF: !door.csrf.isEmpty,
            eraseHint: t(isMe ? "data.eraseHintMe" : "data.eraseHintManage", language),
            profileURL: isMe ? MeRoute.profile.path : "", isMe: isMe)
    }

    func show(_ door: Door, language: Language, notice: String?) async throws -> Response {
        let data = try await services.persistence.personalData.export(door.scope, now: services.clock.now())
        let notices = ["consents": "data.consentsSaved"]
        return me.privatePage(Self.page(data, door: door, language: language, notice: notice.flatMap { notices[$0] }.map { t($0, language) }), language: language)
    }

    /// The JSON download: `rendezvous-my-data-2026-11-30.json`, never cached.
    func download(_ scope: PersonScope) async throws -> Response {
        try download(try await services.persistence.personalData.export(scope, now: services.clock.now()))
    }

    /// The JSON file of an export already built.
    func download(_ data: PersonalData) throws -> Response {
        let encoder = JSONBody.encoder()
        encoder.outputFormatting.insert(.prettyPrinted)
        let name = DownloadName.slug(["rendezvous", "my", "data", ISO8601.format(data.exportedAt).prefix(10).description])
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8", .contentDisposition: "attachment; filename=\"\(name).json\"",
                                               .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(data: try encoder.encode(data))))
    }

    /// A consent across the registrations in scope: given on all, on none, or on some only.
    enum ConsentState: String { case on, off, mixed }

    static func consentStates(_ data: PersonalData) -> [ConsentKind: ConsentState] {
        Dictionary(grouping: data.registrations.flatMap(\.consents), by: \.consent).mapValues { consents in
            consents.allSatisfy(\.given) ? .on : consents.contains(where: \.given) ? .mixed : .off
        }
    }

    /// The consents form, as the person changed it. Each consent comes with the state the page
    /// showed (`was-…`): a box is written only when it differs from what was shown, so a consent
    /// given on some registrations only is never spread to the others unless asked. A mixed consent
    /// is a choice of three (`keep`, `on`, `off`). A form without the shown states (an old page)
    /// writes every box: ticked means given, left out means withdrawn.
    static func consents(from fields: FormFields) -> [ConsentKind: Bool] {
        var values: [ConsentKind: Bool] = [:]
        for kind in ConsentKind.allCases {
            let name = "consent-" + kind.rawValue
            let value = fields[name]
            switch fields["was-" + name].flatMap(ConsentState.init(rawValue:)) {
            case .mixed:
                if value == "on" { values[kind] = true } else if value == "off" { values[kind] = false }
            case .on: if value == nil || value == "off" { values[kind] = false }
            case .off: if let value, value != "off" { values[kind] = true }
            case nil: values[kind] = value != nil && value != "off"
            }
        }
        return values
    }

    /// Applies consents at once everywhere: the pages that list people are cached, so those of the
    /// changed registrations' events are dropped.
    func setConsents(_ scope: PersonScope, _ values: [ConsentKind: Bool], source: String) async throws {
        let events = try await services.persistence.personalData.setConsents(scope, values, source: source, now: services.clock.now())
        for event in events { services.eventChanged(.init(event)) }
    }

    /// Erases, then cleans what lies outside the database: the .eml copies of their messages and
    /// the cached pages of their events. The log says how many, never who.
    func erase(_ scope: PersonScope, by admin: User? = nil, reference: String? = nil) async throws -> Erasure {
        let now = services.clock.now()
        let erasure = try await services.persistence.personalData.erase(scope, now: now)
        RetentionService.removeMessageFiles(erasure.outboxIDs, directory: services.configuration.outboxDirectory)
        for (event, slug) in erasure.events { services.eventChanged(.init(event), chapterSlug: slug) }
        let subject = [reference, String(erasure.registrations)].compactMap { $0 }.joined(separator: " · ")
        try await services.persistence.personalData.log(action: "privacy.erased", by: admin, subject: subject, now: now)
        services.logger.info("Erasure: \(erasure.registrations) registrations, \(erasure.outboxIDs.count) messages")
        return erasure
    }

    func erasedPage(_ language: Language) -> Response {
        let page = SimpleFormPage(
            chrome: Chrome(title: t("data.erasedTitle", language), language: language, path: MeRoute.data.path),
            heading: t("data.erasedTitle", language), notice: t("data.erased", language), action: "", csrf: "", fields: [], submit: "",
            link: PageLink(url: PublicRoute.home.path, label: t("me.backHome", language)), noForm: true)
        return me.privatePage(page, language: language)
    }

    func confirmErase(_ door: Door, language: Language, count: Int) -> Response {
        let isMe: Bool = if case .email = door.scope { true } else { false }
        let page = ConfirmStepPage(
            chrome: Chrome(title: t("data.eraseTitle", language), language: language, path: door.eraseURL),
            heading: t("data.eraseTitle", language),
            lines: [t(isMe ? "data.eraseConfirmMe" : "data.eraseConfirmManage", language), t("data.eraseKept", language),
                    t("data.eraseReportsKept", language)],
            facts: [Strings.plural("data.registrationCount", count: count, language)],
            action: door.eraseURL, csrf: door.csrf, confirmLabel: t("data.eraseButton", language),
            backURL: door.pageURL, backLabel: t("data.keep", language))
        return me.privatePage(page, language: language)
    }

    // MARK: My Rendezvous

    @Sendable func meData(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let (session, _) = try await me.session(request) else { return .redirect(to: MeRoute.home.path, type: .normal) }
        return try await show(.me(session), language: context.language, notice: request.uri.queryParameters.get("done").map { String($0) })
    }

    @Sendable func meJSON(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let (session, _) = try await me.session(request) else { throw AppError.unauthorized }
        return try await download(.email(session.email))
    }

    @Sendable func meConsents(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let (session, fields) = try await me.signedInPost(&request, context: context)
        try await setConsents(.email(session.email), Self.consents(from: fields), source: "me")
        return .redirect(to: MeRoute.data.path("done", "consents"), type: .normal)
    }

    @Sendable func meErase(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let (session, fields) = try await me.signedInPost(&request, context: context)
        guard fields["confirm"] == "yes" else {
            let count = try await services.persistence.personalData.count(.email(session.email))
            return confirmErase(.me(session), language: context.language, count: count)
        }
        _ = try await erase(.email(session.email), reference: services.persistence.personalData.reference(email: session.email))
        var response = erasedPage(context.language)
        response.setCookie(me.cookie("", maxAge: 0))
        return response
    }

    // MARK: A manage link

    func registration(_ context: AppRequestContext) async throws -> Registration {
        let token = try context.parameters.require("token")
        guard let registration = try await services.persistence.registrations.registration(manageToken: token),
              !registration.profile.email.isEmpty else { throw AppError.notFound }
        return registration
    }

    func language(_ request: Request, _ registration: Registration) async throws -> Language {
        let chapter = try await services.persistence.events.eventDetail(id: registration.eventID)?.chapter
        return LanguageMiddleware.choose(request, fallback: chapter?.locale ?? .en)
    }

    @Sendable func manageData(_ request: Request, context: AppRequestContext) async throws -> Response {
        let registration = try await registration(context)
        return try await show(.manage(registration), language: try await language(request, registration),
                              notice: request.uri.queryParameters.get("done").map { String($0) })
    }

    @Sendable func manageJSON(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await download(.registration(try await registration(context).id.uuid))
    }

    @Sendable func manageVCard(_ request: Request, context: AppRequestContext) async throws -> Response {
        let registration = try await registration(context)
        let people = try await services.persistence.contacts.people(mine: [registration.id]).filter { $0.state != .theySaidYouMet }
        return MeController.vcardResponse(people)
    }

    @Sendable func manageConsents(_ request: Request, context: AppRequestContext) async throws -> Response {
        let registration = try await registration(context)
        let fields = FormFields(String(buffer: try await request.body.collect(upTo: context.maxUploadSize)))
        try await setConsents(.registration(registration.id.uuid), Self.consents(from: fields), source: "manage")
        return .redirect(to: PublicRoute.manageData(token: registration.manageToken).path("done", "consents"), type: .normal)
    }

    @Sendable func manageErase(_ request: Request, context: AppRequestContext) async throws -> Response {
        let registration = try await registration(context)
        let language = try await language(request, registration)
        let fields = FormFields(String(buffer: try await request.body.collect(upTo: context.maxUploadSize)))
        guard fields["confirm"] == "yes" else { return confirmErase(.manage(registration), language: language, count: 1) }
        _ = try await erase(.registration(registration.id.uuid))
        return erasedPage(language)
    }
}

/// My data: every section of what is held, the downloads, the consents form, erasing.
struct MyDataPage: Page {
    static let template = "me/data"
    struct Line { var label: String; var value: String }
    struct Item { var heading: String; var lines: [Line]; var image: String? = nil }
    struct Section {
        var title: String; var items: [Item]; var empty: String; var hasItems: Bool
        init(title: String, items: [Item], empty: String) { self.title = title; self.items = items; self.empty = empty; hasItems = !items.isEmpty }
    }
    /// `mixed`: given on some of the registrations only (a choice of three); `was`: the state shown.
    struct Consent { var name: String; var label: String; var hint: String; var checked: Bool; var mixed: Bool; var was: String }
    var chrome: Chrome
    var intro: String
    var notice: String?
    var sections: [Section]
    var jsonURL: String
    var vcardURL: String
    var hasContacts: Bool
    var consents: [Consent]
    var hasRegistrations: Bool
    var consentsURL: String
    var eraseURL: String
    var backURL: String
    var backLabel: String
    var csrf: String
    var hasCSRF: Bool
    var eraseHint: String
    var profileURL: String
    var isMe: Bool
}
