import Foundation
import Hummingbird
import RendezvousDomain
import RendezvousLocalization
import RendezvousPersistence

/// Requests by mail: a network admin exports (one JSON file, as the person would get it) or
/// erases (after a confirmation step) everything held about an address. Both are in the
/// network's activity log with the admin's name and a keyed reference of the address, never the
/// address itself.
extension AdminController {
    func personPage(_ context: AppRequestContext, notice: String? = nil, email: String = "", error: String? = nil) throws -> PersonDataPage {
        PersonDataPage(
            chrome: try chrome(t("privacy.person", context), context, path: AdminRoute.person.path),
            csrf: try session(context).csrfToken, notice: notice, hasErrors: error != nil,
            field: FormField(name: "email", label: t("form.email", context), value: email, type: "email", required: true,
                             hint: t("privacy.personEmailHint", context), error: error, maxLength: EmailAddress.maxLength, autocomplete: "off"))
    }

    @Sendable func personForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let count = request.uri.queryParameters.get("erased").flatMap { Int(String($0)) }
        let notice = count.map { Strings.plural("privacy.personErased", count: $0, context.language) }
        return html(try personPage(context, notice: notice), context)
    }

    @Sendable func personAction(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await self.form(request)
        var errors = ValidationErrors()
        let email = TextRules.clean(form["email"], field: "email", required: true, maxLength: EmailAddress.maxLength, into: &errors)
        if errors.isEmpty, !EmailAddress.isValid(email) { errors.add("email", .invalidEmail) }
        if let problem = errors["email"] {
            return html(try personPage(context, email: form.text("email"), error: Strings.message(for: problem, context.language)),
                        context, status: .unprocessableContent)
        }
        let admin = try session(context).user
        let now = services.clock.now()
        let data = MyDataController(services: services)
        let reference = persistence.personalData.reference(email: email)
        switch form["do"] {
        case "export":
            let held = try await persistence.personalData.export(.email(email), now: now)
            try await persistence.personalData.log(action: "privacy.exported", by: admin, subject: "\(reference) · \(held.registrations.count)", now: now)
            return try data.download(held)
        case "erase":
            guard form["confirm"] == "yes" else {
                let count = try await persistence.personalData.count(.email(email))
                let page = ConfirmStepPage(
                    // An admin acts for someone else: their data, not "my data".
                    chrome: try chrome(t("privacy.personErase", context), context, path: AdminRoute.person.path),
                    heading: t("privacy.personErase", context), lines: [t("privacy.personEraseConfirm", context, ["email": EmailAddress.normalize(email)]),
                                                                       t("data.eraseKept", context), t("data.eraseReportsKept", context)],
                    facts: [Strings.plural("data.registrationCount", count: count, context.language)],
                    action: AdminRoute.person.path, csrf: try session(context).csrfToken,
                    hidden: [.init(name: "email", value: email), .init(name: "do", value: "erase")],
                    confirmLabel: t("data.eraseButton", context), backURL: AdminRoute.person.path, backLabel: t("data.keep", context))
                return html(page, context)
            }
            let erasure = try await data.erase(.email(email), by: admin, reference: reference)
            return .redirect(to: AdminRoute.person.path + "?erased=\(erasure.registrations)", type: .normal)
        default:
            throw AppError.badRequest(detail: nil)
        }
    }
}

struct PersonDataPage: Page {
    static let template = "admin/person"
    var chrome: Chrome
    var adminURL = AdminRoute.overview.path
    var privacyURL = AdminRoute.privacy.path
    var action = AdminRoute.person.path
    var csrf: String
    var notice: String?
    var hasErrors: Bool
    var field: FormField
}
