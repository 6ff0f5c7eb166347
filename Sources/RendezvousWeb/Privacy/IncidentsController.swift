import Foundation
import Hummingbird
import RendezvousDomain
import RendezvousLocalization
import RendezvousPersistence

/// Confidential incident reports: the public form (from the manage page and the big screen's
/// QR code), and the case records organisers and network admins keep. Door staff see none.
enum IncidentRules {
    static let descriptionMax = 5000
    static let nameMax = 120
    static let contactMax = 200

    struct Input { var description: String; var name: String; var contact: String }

    static func check(_ form: FormFields) -> (Input, ValidationErrors) {
        check(description: form["description"], name: form["name"], contact: form["contact"])
    }

    /// The form's and the API's checks.
    static func check(description: String?, name: String?, contact: String?) -> (Input, ValidationErrors) {
        var errors = ValidationErrors()
        let description = TextRules.clean(description, field: "description", required: true, maxLength: descriptionMax, multiline: true, into: &errors)
        let name = TextRules.clean(name, field: "name", required: false, maxLength: nameMax, into: &errors)
        let contact = TextRules.clean(contact, field: "contact", required: false, maxLength: contactMax, into: &errors)
        return (Input(description: description, name: name, contact: contact), errors)
    }
}

/// The public report form: works without JavaScript, rate-limited, reveals nothing back.
struct IncidentReportController: Sendable {
    let services: AppServices

    func addRoutes(writes: RouterGroup<AppRequestContext>) {
        writes.get(PublicRoute.report(.any).routerPath, use: form)
        writes.post(PublicRoute.report(.any).routerPath, use: submit)
        writes.get(PublicRoute.codeOfConduct.routerPath, use: conduct)
    }

    func page(_ detail: EventDetail, language: Language, form: FormFields? = nil, errors: [String: String] = [:], done: Bool = false,
              manageToken: String? = nil) -> SimpleFormPage {
        func t(_ key: String, _ arguments: [String: String] = [:]) -> String { Strings.text(key, language, arguments) }
        let path = PublicRoute.report(detail.event.id).path + (manageToken.map { "?manage=" + $0 } ?? "")
        var page = SimpleFormPage(
            chrome: Chrome(title: t("report.title"), language: language, path: path),
            heading: t("report.title"),
            intro: done ? nil : t("report.intro", ["event": detail.event.title, "chapter": detail.chapter.name]),
            notice: done ? t("report.thanks") : nil, error: errors.isEmpty ? nil : t("form.errors"),
            action: path, csrf: "",
            fields: [
                FormField(name: "name", label: t("report.name"), value: form?.text("name") ?? "", required: false, hint: t("report.anonymousHint"),
                          error: errors["name"], maxLength: IncidentRules.nameMax, autocomplete: "name"),
                FormField(name: "contact", label: t("report.contact"), value: form?.text("contact") ?? "", required: false, hint: t("report.contactHint"),
                          error: errors["contact"], maxLength: IncidentRules.contactMax, autocomplete: "email"),
            ],
            textareas: [TextAreaField(id: "f-description", name: "description", label: t("report.description"), value: form?.text("description") ?? "",
                                      hint: t("report.descriptionHint"), error: errors["description"], maxLength: IncidentRules.descriptionMax)],
            submit: t("report.send"))
        if done {
            page.noForm = true
            page.link = PageLink(url: PublicRoute.event(detail.event.id).path, label: detail.event.title)
        }
        return page
    }

    func detail(_ context: AppRequestContext) async throws -> EventDetail {
        guard let id = context.parameters.get("id").flatMap(Event.ID.init(string:)),
              let detail = try await services.persistence.events.eventDetail(id: id), detail.event.status != .draft else { throw AppError.notFound }
        return detail
    }

    /// Who files, for their "My data" only: the registration of the manage link the form was
    /// opened from (`?manage=`, a registration of this meetup), else the address signed in to My
    /// Rendezvous. The contact field is what the organisers may use to answer, nothing more.
    func reporter(_ request: Request, _ detail: EventDetail) async throws -> (registration: Registration?, email: String?) {
        if let token = request.uri.queryParameters.get("manage").map({ String($0) }), !token.isEmpty, token.count <= 200,
           let registration = try await services.persistence.registrations.registration(manageToken: token),
           registration.eventID == detail.event.id, !registration.profile.email.isEmpty {
            return (registration, nil)
        }
        if let (session, _) = try await MeController(services: services).session(request) { return (nil, session.email) }
        return (nil, nil)
    }

    @Sendable func form(_ request: Request, context: AppRequestContext) async throws -> Response {
        let detail = try await detail(context)
        let language = LanguageMiddleware.choose(request, fallback: detail.chapter.locale)
        let (registration, _) = try await reporter(request, detail)
        var response = services.renderer.response(page(detail, language: language, manageToken: registration?.manageToken), language: language)
        response.headers[.cacheControl] = "no-store"
        return response
    }

    @Sendable func submit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let detail = try await detail(context)
        let language = LanguageMiddleware.choose(request, fallback: detail.chapter.locale)
        let form = FormFields(String(buffer: try await request.body.collect(upTo: 64 * 1024)))
        let (input, errors) = IncidentRules.check(form)
        let (registration, email) = try await reporter(request, detail)
        guard errors.isEmpty else {
            let messages = Dictionary(errors.problems.map { ($0.field, Strings.message(for: $0.problem, language)) }, uniquingKeysWith: { a, _ in a })
            return services.renderer.response(page(detail, language: language, form: form, errors: messages, manageToken: registration?.manageToken),
                                              status: .unprocessableContent, language: language)
        }
        _ = try await services.persistence.incidents.report(event: detail.event.id, description: input.description, reporterName: input.name,
                                                            reporterContact: input.contact, reporterRegistration: registration?.id.uuid,
                                                            reporterEmail: email, now: services.clock.now())
        var response = services.renderer.response(page(detail, language: language, done: true), language: language)
        response.headers[.cacheControl] = "no-store"
        return response
    }
}

/// One list for the chapter's organisers and for the network admins.
struct IncidentsPage: Page {
    static let template = "organize/incidents"
    struct Item {
        var id: String; var event: String; var chapter: String; var when: String; var description: String
        var reporter: String; var isOpen: Bool; var status: String; var statusClass: String
        var handling: String?; var note: String; var action: String
    }
    var chrome: Chrome
    var backURL: String
    var backLabel: String
    var csrf: String
    var notice: String?
    var intro: String
    var items: [Item]
}

extension WorkspaceController {
    func incidentsPage(_ reports: [IncidentReport], context: AppRequestContext, path: String, backURL: String, backLabel: String,
                       notice: String?, action: (IncidentReport) -> String) throws -> IncidentsPage {
        let language = context.language
        return IncidentsPage(
            chrome: try chrome(t("incidents.title", context), context, path: path, wide: true), backURL: backURL, backLabel: backLabel,
            csrf: try session(context).csrfToken, notice: notice, intro: t("incidents.intro", context),
            items: reports.map { report in
                let f = DisplayFormatter(language: language, timeZone: TimeZone(identifier: report.chapterTimeZone) ?? .gmt)
                let open = report.status == .open
                return .init(
                    id: report.id.uuidString.lowercased(), event: report.eventTitle ?? "—", chapter: report.chapterName, when: f.shortDate(report.createdAt) + " " + f.time(report.createdAt),
                    description: report.description,
                    reporter: report.reporterName.isEmpty && report.reporterContact.isEmpty ? t("incidents.anonymous", context)
                        : [report.reporterName, report.reporterContact].filter { !$0.isEmpty }.joined(separator: " · "),
                    isOpen: open, status: t(open ? "incidents.open" : "incidents.handled", context), statusClass: open ? "draft" : "confirmed",
                    handling: report.handledAt.map { t("incidents.handledBy", context, ["name": report.handledBy, "date": f.shortDate($0)]) },
                    note: report.handlingNote, action: action(report))
            })
    }

    /// Saves a case record: `status` (open or handled) and a note; audit-logged without the report's words.
    func saveIncident(_ request: Request, context: AppRequestContext, report: IncidentReport) async throws -> Bool {
        let form = FormFields(String(buffer: try await request.body.collect(upTo: 64 * 1024)))
        var errors = ValidationErrors()
        let note = TextRules.clean(form["note"], field: "note", required: false, maxLength: IncidentRules.descriptionMax, multiline: true, into: &errors)
        guard errors.isEmpty else { return false }
        let status: IncidentReport.Status = form["status"] == "open" ? .open : .handled
        let user = try session(context).user
        let now = services.clock.now()
        guard try await services.persistence.incidents.update(report.id, status: status, note: note, by: user.name, now: now) else { return false }
        try await services.persistence.team.audit(chapter: report.chapterID, by: user, action: status == .handled ? "incident.handled" : "incident.reopened",
                                                  subject: report.eventTitle ?? report.chapterName, now: now)
        return true
    }
}

/// The chapter's reports, for its organisers (door staff get a 404, like any organiser page).
struct IncidentsController: OrganizeController {
    let services: AppServices

    var routes: [OrganizeEndpoint] {
        [.get(.incidents(slug: .any), list), .post(.incident(slug: .any, report: .any), handle)]
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await chapter(context)
        let reports = try await persistence.incidents.reports(chapter: chapter.id)
        let notice = request.uri.queryParameters.get("done") == "saved" ? t("manage.saved", context) : nil
        return html(try incidentsPage(reports, context: context, path: OrganizeRoute.incidents(slug: chapter.slug).path,
                                      backURL: OrganizeRoute.dashboard(slug: chapter.slug).path, backLabel: chapter.name, notice: notice) {
            OrganizeRoute.incident(slug: chapter.slug, report: $0.id).path
        }, context)
    }

    @Sendable func handle(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await chapter(context)
        guard let id = context.parameters.get("report").flatMap(UUID.init(uuidString:)),
              let report = try await persistence.incidents.report(id: id), report.chapterID == chapter.id else { throw AppError.notFound }
        guard try await saveIncident(request, context: context, report: report) else { throw AppError.badRequest(detail: nil) }
        return .redirect(to: OrganizeRoute.incidents(slug: chapter.slug).path("done", "saved"), type: .normal)
    }
}

extension AdminController {
    @Sendable func incidents(_ request: Request, context: AppRequestContext) async throws -> Response {
        let reports = try await persistence.incidents.reports(chapter: nil)
        let notice = request.uri.queryParameters.get("done") == "saved" ? t("manage.saved", context) : nil
        return html(try incidentsPage(reports, context: context, path: AdminRoute.incidents.path, backURL: AdminRoute.overview.path,
                                      backLabel: t("admin.title", context), notice: notice) { AdminRoute.incident($0.id).path }, context)
    }

    @Sendable func handleIncident(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let report = try await persistence.incidents.report(id: id) else { throw AppError.notFound }
        guard try await saveIncident(request, context: context, report: report) else { throw AppError.badRequest(detail: nil) }
        return .redirect(to: AdminRoute.incidents.path + "?done=saved", type: .normal)
    }
}
