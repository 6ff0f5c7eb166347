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
            (.get, .venue(.any), venueForm),
            (.post, .venue(.any), saveVenue),
            (.post, .removeVenue(.any), removeVenue),
            (.get, .privacy, privacyRegister),
            (.post, .retention, saveRetention),
            (.get, .person, personForm),
            (.post, .person, personAction),
            (.post, .conduct, saveConduct),
            (.get, .blocks, blocks),
            (.post, .blocks, block),
            (.post, .unblock(.any), unblock),
            (.get, .incidents, incidents),
            (.post, .incident(.any), handleIncident),
            (.get, .insights, networkInsights),
            (.get, .insightsCSV(chart: .any), networkInsightsCSV),
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

    /// Every chapter: its country (named in the admin's language, the table sorted by it), its
    /// organisers, its last and next meetups (one date format for every row), a hundred a page.
    @Sendable func overview(_ request: Request, context: AppRequestContext) async throws -> Response {
        let now = services.clock.now()
        let overview = try await persistence.network.chaptersOverview()
        let pending = try await persistence.network.applications(status: .pending).count
        let dormant = overview.filter { $0.isDormant(now: now) }.count
        let locale = Locale(identifier: context.language == .fr ? "fr_FR" : "en_GB")
        func country(_ code: String) -> String { locale.localizedString(forRegionCode: code.uppercased()) ?? code.uppercased() }
        let sorted = overview.map { (item: $0, country: country($0.chapter.countryCode)) }.sorted {
            let byCountry = $0.country.compare($1.country, options: [.caseInsensitive, .diacriticInsensitive], locale: locale)
            return byCountry == .orderedSame
                ? $0.item.chapter.name.compare($1.item.chapter.name, options: [.caseInsensitive, .diacriticInsensitive], locale: locale) == .orderedAscending
                : byCountry == .orderedAscending
        }
        let page = Pager.page(request.uri.queryParameters.get("page").map { String($0) }, total: sorted.count)
        let rows = Pager.slice(sorted, page: page).map { entry -> AdminOverviewPage.Row in
            let item = entry.item
            // The chapter's own day, written the same way on every row (the admin's language, no regional variant).
            let f = DisplayFormatter(language: context.language, timeZone: item.chapter.zone)
            let isDormant = item.isDormant(now: now)
            return .init(
                name: item.chapter.name, url: WorkspaceLinks.chapter(item.chapter.slug), country: entry.country,
                organizers: item.organizers.joined(separator: ", "), last: item.lastEvent.map { f.shortDate($0) } ?? "—",
                next: item.nextEvent.map { f.shortDate($0) } ?? "—", status: t(isDormant ? "admin.dormant" : "admin.active", context),
                statusClass: isDormant ? "draft" : "confirmed", handoverURL: AdminRoute.handover(slug: item.chapter.slug).path)
        }
        let view = AdminOverviewPage(
            chrome: try chrome(t("admin.title", context), context, path: AdminRoute.overview.path, wide: true),
            mailAlert: MailAlertView(try await persistence.outbox.mailAlert(), language: context.language,
                                     formatter: DisplayFormatter(language: context.language, timeZone: .gmt), zoneSuffix: " UTC"),
            links: [PageLink(url: AdminRoute.applications.path, label: t("admin.applications", context) + " (\(pending))"),
                    PageLink(url: AdminRoute.directory.path, label: t("admin.directory", context)),
                    PageLink(url: AdminRoute.privacy.path, label: t("privacy.register", context)),
                    PageLink(url: AdminRoute.blocks.path, label: t("privacy.blocks", context)),
                    PageLink(url: AdminRoute.incidents.path, label: t("incidents.title", context)),
                    PageLink(url: AdminRoute.insights.path, label: t("insights.network.title", context))],
            summary: Strings.plural("admin.summary", count: overview.count, context.language, ["dormant": String(dormant)]),
            rows: rows, pager: Pager(total: sorted.count, page: page, path: AdminRoute.overview.path, keeping: [], language: context.language))
        return html(view, context)
    }

    // MARK: Applications

    func applicationsPage(_ context: AppRequestContext, notice: String? = nil, newLink: String? = nil) async throws -> ApplicationsPage {
        let items = try await persistence.network.applications(status: .pending)
        let csrf = try session(context).csrfToken
        return ApplicationsPage(
            chrome: try chrome(t("admin.applications", context), context, path: AdminRoute.applications.path), csrf: csrf, notice: notice, newLink: newLink,
            items: items.map { item in
                let f = DisplayFormatter(language: context.language, timeZone: TimeZone(identifier: item.timeZone) ?? .gmt)
                let country = Locale(identifier: context.language == .fr ? "fr_FR" : "en_GB").localizedString(forRegionCode: item.countryCode.uppercased()) ?? item.countryCode
                return .init(city: item.city, country: country, name: item.applicantName, email: item.applicantEmail,
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
        // The account the invitation creates carries the applicant's name (its form is filled in with it).
        let invitation = try await persistence.team.createInvitation(chapter: chapter.id, email: application.applicantEmail, role: .organizer, invitedBy: admin.name,
                                                                     name: application.applicantName, now: now)
        try await persistence.network.decideApplication(application.id, status: .approved, by: admin.name, chapter: chapter.id, now: now)
        try await persistence.outbox.enqueueMessage(.invitation, chapter: chapter.id, recipient: application.applicantEmail,
                                             payload: ["invitation": invitation.id.uuidString, "invitedBy": admin.name, "role": invitation.role.rawValue,
                                                       "name": application.applicantName], now: now)
        try await persistence.team.audit(chapter: chapter.id, by: admin, action: "chapter.approved", subject: "\(application.city) · \(application.applicantEmail)", now: now)
        services.cache.invalidate(prefixes: ["home:"])
        return html(try await applicationsPage(context, notice: t("admin.approved", context, ["city": application.city, "name": application.applicantName, "email": application.applicantEmail]),
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

    func directoryPage(_ request: Request, _ context: AppRequestContext, notice: String? = nil, error: String? = nil,
                       venueForm: VenueForm = VenueForm(), speakerValues: [String: String] = [:], speakerErrors: [String: String] = [:]) async throws -> DirectoryPage {
        let venues = try await persistence.network.allVenues(now: services.clock.now())
        let speakers = try await persistence.events.directorySpeakers(for: nil)
        let page = Pager.page(request.uri.queryParameters.get("page").map { String($0) }, total: venues.count)
        return DirectoryPage(
            chrome: try chrome(t("admin.directory", context), context, path: AdminRoute.directory.path, wide: true), language: context.language,
            csrf: try session(context).csrfToken, notice: notice, error: error,
            venueSummary: Strings.plural("admin.venueCount", count: venues.count, context.language),
            venues: Pager.slice(venues, page: page).map { item in
                .init(name: item.details.venue.name, chapter: item.chapterName ?? t("admin.sharedVenue", context),
                      address: [item.details.venue.address, item.details.venue.city].filter { !$0.isEmpty }.joined(separator: ", "),
                      capacity: item.details.capacity > 0 ? Strings.plural("event.capacity", count: item.details.capacity, context.language) : "—",
                      accessibility: item.details.accessibility, hasContact: !item.details.contact.isEmpty, contact: item.details.contact, uses: uses(item, context),
                      editURL: AdminRoute.venue(item.details.venue.id.uuid).path, removeURL: AdminRoute.removeVenue(item.details.venue.id.uuid).path)
            },
            pager: Pager(total: venues.count, page: page, path: AdminRoute.directory.path, keeping: [], language: context.language),
            speakers: speakers.map { .init(name: $0.name, role: [$0.jobTitle, $0.company].filter { !$0.isEmpty }.joined(separator: " · "), bio: $0.bio.isEmpty ? nil : $0.bio) },
            venueForm: venueForm, speakerValues: speakerValues, speakerErrors: speakerErrors)
    }

    /// "2 to come · 5 past" / "No meetup".
    func uses(_ venue: NetworkStore.DirectoryVenue, _ context: AppRequestContext) -> String {
        guard venue.upcomingEvents + venue.pastEvents > 0 else { return t("admin.venueUnused", context) }
        return t("admin.venueUses", context, ["upcoming": String(venue.upcomingEvents), "past": String(venue.pastEvents)])
    }

    @Sendable func directory(_ request: Request, context: AppRequestContext) async throws -> Response {
        let done = request.uri.queryParameters.get("done").map { String($0) }
        let notices = ["saved": "admin.venueSaved", "removed": "admin.venueRemoved"]
        return html(try await directoryPage(request, context, notice: done.flatMap { notices[$0] }.map { t($0, context) }), context)
    }

    @Sendable func addVenue(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await self.form(request)
        let (checked, valid) = VenueForm.check(form, language: context.language)
        guard let valid else {
            return html(try await directoryPage(request, context, error: t("form.errors", context), venueForm: checked), context, status: .unprocessableContent)
        }
        try await persistence.network.addDirectoryVenue(name: valid.name, address: valid.address, city: valid.city, capacity: valid.capacity,
                                                        accessibility: valid.accessibility, contact: valid.contact, now: services.clock.now())
        try await persistence.team.audit(chapter: nil, by: try session(context).user, action: "venue.added", subject: valid.name, now: services.clock.now())
        return html(try await directoryPage(request, context, notice: t("manage.saved", context)), context)
    }

    @Sendable func addSpeaker(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await self.form(request)
        var errors = ValidationErrors()
        let name = TextRules.clean(form["speakerName"] ?? form["name"], field: "speakerName", required: true, maxLength: 120, into: &errors)
        let job = TextRules.clean(form["jobTitle"], field: "jobTitle", required: false, maxLength: 140, into: &errors)
        let company = TextRules.clean(form["company"], field: "company", required: false, maxLength: 140, into: &errors)
        let bio = TextRules.clean(form["bio"], field: "bio", required: false, maxLength: 2000, multiline: true, into: &errors)
        guard errors.isEmpty else {
            let messages = Dictionary(errors.problems.map { ($0.field, Strings.message(for: $0.problem, context.language)) }, uniquingKeysWith: { a, _ in a })
            let values = ["speakerName": form["speakerName"] ?? form.text("name"), "jobTitle": form.text("jobTitle"), "company": form.text("company"), "bio": form.text("bio")]
            return html(try await directoryPage(request, context, error: t("form.errors", context), speakerValues: values, speakerErrors: messages),
                        context, status: .unprocessableContent)
        }
        try await persistence.network.addDirectorySpeaker(name: name, jobTitle: job, company: company, bio: bio, now: services.clock.now())
        return html(try await directoryPage(request, context, notice: t("manage.saved", context)), context)
    }

    /// The venue named by `:id`, any chapter's or the shared directory's.
    func venue(_ context: AppRequestContext) async throws -> NetworkStore.DirectoryVenue {
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let venue = try await persistence.network.allVenues(now: services.clock.now()).first(where: { $0.details.venue.id.uuid == id }) else { throw AppError.notFound }
        return venue
    }

    func venuePage(_ venue: NetworkStore.DirectoryVenue, form: VenueForm, error: String? = nil, context: AppRequestContext) throws -> VenuePage {
        let id = venue.details.venue.id.uuid
        let heading = t("admin.editVenueTitle", context, ["name": venue.details.venue.name])
        return VenuePage(
            chrome: try chrome(heading, context, path: AdminRoute.venue(id).path), csrf: try session(context).csrfToken, heading: heading,
            chapter: venue.chapterName ?? t("admin.sharedVenue", context), uses: uses(venue, context), error: error,
            action: AdminRoute.venue(id).path, removeURL: AdminRoute.removeVenue(id).path, fields: form.fields(context.language))
    }

    @Sendable func venueForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let venue = try await venue(context)
        return html(try venuePage(venue, form: VenueForm(venue: venue.details), context: context), context)
    }

    /// Saves a venue: the add form's rules, each error on its field. Every meetup there shows the change.
    @Sendable func saveVenue(_ request: Request, context: AppRequestContext) async throws -> Response {
        let venue = try await venue(context)
        let (checked, valid) = VenueForm.check(try await self.form(request), language: context.language)
        guard let valid else {
            return html(try venuePage(venue, form: checked, error: t("form.errors", context), context: context), context, status: .unprocessableContent)
        }
        guard try await persistence.network.updateVenue(venue.details.venue.id, name: valid.name, address: valid.address, city: valid.city,
                                                        capacity: valid.capacity, accessibility: valid.accessibility, contact: valid.contact) else { throw AppError.notFound }
        try await persistence.team.audit(chapter: venue.details.venue.chapterID, by: try session(context).user, action: "venue.edited",
                                         subject: venue.details.venue.name == valid.name ? valid.name : "\(venue.details.venue.name) → \(valid.name)", now: services.clock.now())
        services.cache.invalidate(prefixes: ["home:", "event:", "chapter:"])
        return .redirect(to: AdminRoute.directory.path("done", "saved"), type: .normal)
    }

    /// Removes a venue after asking (a first post without `confirm=yes` shows the question, a page
    /// that works without JavaScript); refused, and the directory says why, while a meetup to come
    /// takes place there.
    @Sendable func removeVenue(_ request: Request, context: AppRequestContext) async throws -> Response {
        let venue = try await venue(context)
        let inUse = { (count: Int) in Strings.plural("admin.venueInUse", count: count, context.language, ["name": venue.details.venue.name]) }
        guard venue.upcomingEvents == 0 else {
            return html(try await directoryPage(request, context, error: inUse(venue.upcomingEvents)), context, status: .conflict)
        }
        let id = venue.details.venue.id.uuid
        guard try await self.form(request)["confirm"] == "yes" else {
            let heading = t("admin.removeVenueTitle", context, ["name": venue.details.venue.name])
            var lines = [t("admin.removeVenueConsequence", context)]
            if venue.pastEvents > 0 { lines.append(Strings.plural("admin.removeVenuePast", count: venue.pastEvents, context.language)) }
            let page = ConfirmStepPage(
                chrome: try chrome(heading, context, path: AdminRoute.venue(id).path), heading: heading, lines: lines,
                facts: [venue.details.venue.name, [venue.details.venue.address, venue.details.venue.city].filter { !$0.isEmpty }.joined(separator: ", "),
                        venue.chapterName ?? t("admin.sharedVenue", context)],
                action: AdminRoute.removeVenue(id).path, csrf: try session(context).csrfToken, confirmLabel: t("admin.removeVenueConfirm", context),
                backURL: AdminRoute.directory.path, backLabel: t("admin.keepVenue", context))
            return html(page, context)
        }
        do {
            guard try await persistence.network.removeVenue(venue.details.venue.id, now: services.clock.now()) else { throw AppError.notFound }
        } catch NetworkStore.VenueChangeError.inUse(let count) {
            return html(try await directoryPage(request, context, error: inUse(count)), context, status: .conflict)
        }
        try await persistence.team.audit(chapter: venue.details.venue.chapterID, by: try session(context).user, action: "venue.removed",
                                         subject: venue.details.venue.name, now: services.clock.now())
        services.cache.invalidate(prefixes: ["home:", "event:", "chapter:"])
        return .redirect(to: AdminRoute.directory.path("done", "removed"), type: .normal)
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
