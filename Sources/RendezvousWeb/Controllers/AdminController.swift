import Foundation
import Hummingbird
import RendezvousDomain
import RendezvousLocalization
import RendezvousPersistence

/// The network admins' pages, and the public "start a chapter" application.
struct AdminController: WorkspaceController {
    let services: AppServices
    typealias Handler = @Sendable (Request, AppRequestContext) async throws -> Response

    /// Every admin route (network admins only).
    var routes: [(method: HTTPRequest.Method, route: AdminRoute, handler: Handler)] {
        [
            (.get, .overview, overview),
            (.get, .applications, applications),
            (.post, .approveApplication(.any), approve),
            (.post, .declineApplication(.any), decline),
            (.get, .handover(slug: .any), handoverForm),
            (.post, .handover(slug: .any), handover),
            (.get, .directory, directory),
            (.post, .directoryVenues, addVenue),
            (.post, .directorySpeakers, addSpeaker),
        ]
    }

    func addRoutes(to admin: RouterGroup<AppRequestContext>, publicWrites: RouterGroup<AppRequestContext>) {
        for route in routes { admin.on(route.route.routerPath, method: route.method, use: route.handler) }
        publicWrites.get(PublicRoute.apply.routerPath, use: applyForm)
        publicWrites.post(PublicRoute.apply.routerPath, use: apply)
    }

    var persistence: Persistence { services.persistence }


    func form(_ request: Request) async throws -> FormFields {
        FormFields(String(buffer: try await request.body.collect(upTo: 256 * 1024)))
    }

    // MARK: Overview

    @Sendable func overview(_ request: Request, context: AppRequestContext) async throws -> Response {
        let now = services.clock.now()
        let overview = try await persistence.network.chaptersOverview()
        let pending = try await persistence.network.applications(status: .pending).count
        let dormant = overview.filter { $0.isDormant(now: now) }.count
        let rows = overview.map { item -> AdminOverviewPage.Row in
            let f = DisplayFormatter(language: context.language, timeZone: item.chapter.zone, region: item.chapter.countryCode)
            let isDormant = item.isDormant(now: now)
            return .init(
                name: item.chapter.name, url: WorkspaceLinks.chapter(item.chapter.slug),
                country: Locale(identifier: context.language.rawValue).localizedString(forRegionCode: item.chapter.countryCode) ?? item.chapter.countryCode,
                organizers: item.organizers.joined(separator: ", "), last: item.lastEvent.map { f.shortDate($0) } ?? "—",
                next: item.nextEvent.map { f.shortDate($0) } ?? "—", status: t(isDormant ? "admin.dormant" : "admin.active", context),
                statusClass: isDormant ? "draft" : "confirmed", handoverURL: AdminRoute.handover(slug: item.chapter.slug).path)
        }
        let page = AdminOverviewPage(
            chrome: try chrome(t("admin.title", context), context, path: AdminRoute.overview.path),
            mailAlert: MailAlertView(try await persistence.outbox.mailAlert(), language: context.language,
                                     formatter: DisplayFormatter(language: context.language, timeZone: .gmt), zoneSuffix: " UTC"),
            links: [PageLink(url: AdminRoute.applications.path, label: t("admin.applications", context) + " (\(pending))"),
                    PageLink(url: AdminRoute.directory.path, label: t("admin.directory", context))],
            summary: Strings.plural("admin.summary", count: overview.count, context.language, ["dormant": String(dormant)]),
            rows: rows)
        return html(page, context)
    }

    // MARK: Applications

    func applicationsPage(_ context: AppRequestContext, notice: String? = nil, newLink: String? = nil) async throws -> ApplicationsPage {
        let items = try await persistence.network.applications(status: .pending)
        let csrf = try session(context).csrfToken
        return ApplicationsPage(
            chrome: try chrome(t("admin.applications", context), context, path: AdminRoute.applications.path), csrf: csrf, notice: notice, newLink: newLink,
            items: items.map { item in
                let f = DisplayFormatter(language: context.language, timeZone: TimeZone(identifier: item.timeZone) ?? .gmt)
                return .init(city: item.city, country: item.countryCode, name: item.applicantName, email: item.applicantEmail,
                             when: f.shortDate(item.createdAt), motivation: item.motivation,
                             approveURL: AdminRoute.approveApplication(item.id).path,
                             declineURL: AdminRoute.declineApplication(item.id).path)
            })
    }

    @Sendable func applications(_ request: Request, context: AppRequestContext) async throws -> Response {
        html(try await applicationsPage(context), context)
    }

    func pendingApplication(_ context: AppRequestContext) async throws -> ChapterApplication {
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let application = try await persistence.network.application(id: id), application.status == .pending else { throw AppError.notFound }
        return application
    }

    /// Approval opens the chapter and invites the applicant as its organiser.
    @Sendable func approve(_ request: Request, context: AppRequestContext) async throws -> Response {
        let application = try await pendingApplication(context)
        let admin = try session(context).user
        let now = services.clock.now()
        var slug = Self.slug(application.city)
        var suffix = 2
        while try await persistence.chapters.chapter(slug: slug) != nil { slug = Self.slug(application.city) + "-\(suffix)"; suffix += 1 }
        let chapter = try await persistence.chapters.createChapter(Chapter(
            slug: slug, name: "#LinkedInLocal \(application.city)", city: application.city, countryCode: application.countryCode,
            timeZone: application.timeZone, locale: application.locale, createdAt: now))
        let invitation = try await persistence.team.createInvitation(chapter: chapter.id, email: application.applicantEmail, role: .organizer, invitedBy: admin.name, now: now)
        try await persistence.network.decideApplication(application.id, status: .approved, by: admin.name, chapter: chapter.id, now: now)
        try await persistence.outbox.enqueueMessage(.invitation, chapter: chapter.id, recipient: application.applicantEmail,
                                             payload: ["invitation": invitation.id.uuidString, "invitedBy": admin.name], now: now)
        try await persistence.team.audit(chapter: chapter.id, by: admin, action: "chapter.approved", subject: "\(application.city) · \(application.applicantEmail)", now: now)
        services.cache.invalidate(prefixes: ["home:"])
        return html(try await applicationsPage(context, notice: t("admin.approved", context, ["city": application.city]),
                                               newLink: services.absoluteURL(AccountRoute.invitation(token: invitation.token))), context)
    }

    @Sendable func decline(_ request: Request, context: AppRequestContext) async throws -> Response {
        let application = try await pendingApplication(context)
        try await persistence.network.decideApplication(application.id, status: .declined, by: try session(context).user.name, chapter: nil, now: services.clock.now())
        return html(try await applicationsPage(context, notice: t("admin.declined", context, ["city": application.city])), context)
    }

    static func slug(_ city: String) -> String {
        let folded = city.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).lowercased()
        let mapped = folded.unicodeScalars.map { ("a"..."z").contains($0) || ("0"..."9").contains($0) ? String($0) : "-" }.joined()
        let collapsed = mapped.split(separator: "-").joined(separator: "-")
        return collapsed.count >= 2 ? String(collapsed.prefix(50)) : "chapter-\(collapsed)"
    }

    // MARK: Hand-over

    func handoverPage(_ chapter: Chapter, context: AppRequestContext, email: String = "", error: String? = nil, notice: String? = nil) throws -> SimpleFormPage {
        .handover(chapter: chapter, chrome: try self.chrome(t("admin.handover", context), context, path: AdminRoute.handover(slug: chapter.slug).path),
                  language: context.language, csrf: try session(context).csrfToken, email: email, error: error, notice: notice)
    }

    func chapter(_ context: AppRequestContext) async throws -> Chapter {
        guard let slug = context.parameters.get("slug"), let chapter = try await persistence.chapters.chapter(slug: slug) else { throw AppError.notFound }
        return chapter
    }

    @Sendable func handoverForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        html(try handoverPage(try await chapter(context), context: context), context)
    }

    /// Hands a chapter to a new organiser, keeping its events and history; the previous organisers
    /// may stay or be removed once the newcomer has accepted (removal happens now, access for the
    /// newcomer when they accept the invitation).
    @Sendable func handover(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await chapter(context)
        let form = try await self.form(request)
        let email = form.text("email").trimmingCharacters(in: .whitespaces)
        guard EmailAddress.isValid(email) else {
            return html(try handoverPage(chapter, context: context, email: email, error: t("v.email", context)), context, status: .unprocessableContent)
        }
        let admin = try session(context).user
        let now = services.clock.now()
        let invitation = try await persistence.team.createInvitation(chapter: chapter.id, email: email, role: .organizer, invitedBy: admin.name, now: now)
        if form.text("previous") == "remove" { try await persistence.team.removeTeam(of: chapter.id) }
        try await persistence.team.audit(chapter: chapter.id, by: admin, action: "chapter.handover", subject: email, now: now)
        try await persistence.outbox.enqueueMessage(.invitation, chapter: chapter.id, recipient: invitation.email,
                                             payload: ["invitation": invitation.id.uuidString, "invitedBy": admin.name], now: now)
        return html(try handoverPage(chapter, context: context, notice: t("admin.handedOver", context, ["email": email]) + " " + services.absoluteURL(AccountRoute.invitation(token: invitation.token))),
                    context)
    }

    // MARK: Directory

    func directoryPage(_ context: AppRequestContext, notice: String? = nil, error: String? = nil) async throws -> DirectoryPage {
        let venues = try await persistence.network.sharedVenues()
        let speakers = try await persistence.events.directorySpeakers(for: nil)
        return DirectoryPage(
            chrome: try chrome(t("admin.directory", context), context, path: AdminRoute.directory.path), language: context.language,
            csrf: try session(context).csrfToken, notice: notice, error: error,
            venues: venues.map { .init(name: $0.venue.name, address: $0.venue.address, capacity: Strings.plural("event.capacity", count: $0.capacity, context.language),
                                       accessibility: $0.accessibility, contact: $0.contact) },
            speakers: speakers.map { .init(name: $0.name, role: [$0.jobTitle, $0.company].filter { !$0.isEmpty }.joined(separator: " · "), bio: $0.bio.isEmpty ? nil : $0.bio) })
    }

    @Sendable func directory(_ request: Request, context: AppRequestContext) async throws -> Response {
        html(try await directoryPage(context), context)
    }

    @Sendable func addVenue(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await self.form(request)
        var errors = ValidationErrors()
        let name = TextRules.clean(form["name"], field: "name", required: true, maxLength: 140, into: &errors)
        let address = TextRules.clean(form["address"], field: "address", required: true, maxLength: 300, into: &errors)
        let city = TextRules.clean(form["city"], field: "city", required: false, maxLength: 120, into: &errors)
        let accessibility = TextRules.clean(form["accessibility"], field: "accessibility", required: false, maxLength: 300, into: &errors)
        let contact = TextRules.clean(form["contact"], field: "contact", required: false, maxLength: 300, into: &errors)
        let capacity = Int(form.text("capacity")) ?? 0
        guard errors.isEmpty, capacity >= 0 else {
            let message = errors.problems.map { "\($0.field): \(Strings.message(for: $0.problem, context.language))" }.joined(separator: " ")
            return html(try await directoryPage(context, error: message.isEmpty ? t("form.errors", context) : message), context, status: .unprocessableContent)
        }
        try await persistence.network.addDirectoryVenue(name: name, address: address, city: city, capacity: capacity, accessibility: accessibility, contact: contact, now: services.clock.now())
        return html(try await directoryPage(context, notice: t("manage.saved", context)), context)
    }

    @Sendable func addSpeaker(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await self.form(request)
        var errors = ValidationErrors()
        let name = TextRules.clean(form["name"], field: "name", required: true, maxLength: 120, into: &errors)
        let job = TextRules.clean(form["jobTitle"], field: "jobTitle", required: false, maxLength: 140, into: &errors)
        let company = TextRules.clean(form["company"], field: "company", required: false, maxLength: 140, into: &errors)
        let bio = TextRules.clean(form["bio"], field: "bio", required: false, maxLength: 2000, multiline: true, into: &errors)
        guard errors.isEmpty else {
            let message = errors.problems.map { "\($0.field): \(Strings.message(for: $0.problem, context.language))" }.joined(separator: " ")
            return html(try await directoryPage(context, error: message), context, status: .unprocessableContent)
        }
        try await persistence.network.addDirectorySpeaker(name: name, jobTitle: job, company: company, bio: bio, now: services.clock.now())
        return html(try await directoryPage(context, notice: t("manage.saved", context)), context)
    }

    // MARK: Public application

    func applyPage(_ context: AppRequestContext, form: FormFields? = nil, errors: [String: String] = [:], notice: String? = nil) -> SimpleFormPage {
        .apply(language: context.language, form: form, errors: errors, notice: notice)
    }

    @Sendable func applyForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        html(applyPage(context), context)
    }

    @Sendable func apply(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await self.form(request)
        var errors = ValidationErrors()
        let name = TextRules.clean(form["name"], field: "name", required: true, maxLength: 80, into: &errors)
        let email = TextRules.clean(form["email"], field: "email", required: true, maxLength: 254, into: &errors)
        if !email.isEmpty, errors["email"] == nil, !EmailAddress.isValid(email) { errors.add("email", .invalidEmail) }
        let motivation = TextRules.clean(form["motivation"], field: "motivation", required: true, maxLength: 2000, multiline: true, into: &errors)
        let chapter = ChapterInput(slug: "xx", name: form["city"], city: form["city"], countryCode: form["countryCode"], timeZone: form["timeZone"], locale: form["locale"]).validated()
        var language = Language.en
        switch chapter {
        case .failure(let chapterErrors):
            for problem in chapterErrors.problems where problem.field != "name" { errors.add(problem.field, problem.problem) }
        case .success(let valid): language = valid.locale
        }
        let messages = Dictionary(errors.problems.map { ($0.field, Strings.message(for: $0.problem, context.language)) }, uniquingKeysWith: { a, _ in a })
        guard errors.isEmpty, case .success(let valid) = chapter else {
            return html(applyPage(context, form: form, errors: messages), context, status: .unprocessableContent)
        }
        try await persistence.network.submitApplication(ChapterApplication(
            id: UUID(), city: valid.city, countryCode: valid.countryCode, timeZone: valid.timeZone, locale: language, applicantName: name,
            applicantEmail: EmailAddress.normalize(email), motivation: motivation, status: .pending, createdAt: services.clock.now()))
        for admin in try await persistence.outbox.networkAdminEmails() {
            try await persistence.outbox.enqueueMessage(.application, chapter: nil, recipient: admin,
                                                 payload: ["city": valid.city, "name": name, "motivation": motivation], now: services.clock.now())
        }
        return html(applyPage(context, notice: t("apply.thanks", context)), context)
    }
}
