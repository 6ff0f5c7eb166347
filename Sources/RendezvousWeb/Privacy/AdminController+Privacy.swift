import Foundation
import Hummingbird
import RendezvousDomain
import RendezvousLocalization
import RendezvousPersistence

/// Network admins: the processing register (generated from `PrivacyRules.fields`), the retention
/// setting, and blocking people from every chapter.
extension AdminController {
    // MARK: Processing register and retention

    func privacyPage(_ context: AppRequestContext, notice: String? = nil, monthsValue: String? = nil, monthsError: String? = nil,
                     conductValues: FormFields? = nil, conductErrors: [String: String] = [:]) async throws -> PrivacyRegisterPage {
        let months = try await persistence.privacy.retentionMonths()
        let language = context.language
        let sections = PrivacyRules.tablesHoldingPeople.compactMap { table -> PrivacyRegisterPage.Section? in
            let rows = PrivacyRules.fields.filter { $0.table == table && $0.isPersonal }
            guard !rows.isEmpty else { return nil }
            return .init(title: PrivacyLabels.table(table, language), table: table, rows: rows.map { field in
                .init(column: field.column, kind: PrivacyLabels.privacyClass(field.privacyClass, language),
                      purpose: PrivacyLabels.purpose(field.purpose, language), basis: PrivacyLabels.basis(field.basis, language),
                      retention: PrivacyLabels.retention(field, months: months, language),
                      audience: field.audience.map { PrivacyLabels.audience($0, language) }.joined(separator: ", "),
                      fillable: field.fillable)
            })
        }
        var conduct: [TextAreaField] = []
        for option in Language.allCases {
            let name = "conduct_" + option.rawValue
            let current = try await CodeOfConduct.text(persistence, option)
            conduct.append(TextAreaField(id: "f-" + name, name: name, label: t(option == .fr ? "conduct.inFrench" : "conduct.inEnglish", context),
                                         value: conductValues?.text(name) ?? current, hint: nil, error: conductErrors[name], maxLength: 20000))
        }
        return PrivacyRegisterPage(
            chrome: try chrome(t("privacy.register", context), context, path: AdminRoute.privacy.path, wide: true),
            csrf: try session(context).csrfToken, notice: notice,
            intro: t("privacy.registerIntro", context, ["months": String(months)]),
            sections: sections, conductFields: conduct, conductHasErrors: !conductErrors.isEmpty,
            monthsField: FormField(name: "months", label: t("privacy.retentionMonths", context), value: monthsValue ?? String(months), type: "number",
                                   required: true, hint: t("privacy.retentionHint", context), error: monthsError, maxLength: 3, autocomplete: "off"))
    }

    @Sendable func privacyRegister(_ request: Request, context: AppRequestContext) async throws -> Response {
        let saved = request.uri.queryParameters.get("done") == "saved"
        return html(try await privacyPage(context, notice: saved ? t("manage.saved", context) : nil), context)
    }

    @Sendable func saveRetention(_ request: Request, context: AppRequestContext) async throws -> Response {
        let typed = try await form(request).text("months")
        guard let months = Retention.months(from: typed) else {
            let error = Strings.message(for: .outOfRange(min: Retention.allowedMonths.lowerBound, max: Retention.allowedMonths.upperBound), context.language)
            return html(try await privacyPage(context, monthsValue: typed, monthsError: error), context, status: .unprocessableContent)
        }
        let before = try await persistence.privacy.retentionMonths()
        try await persistence.privacy.setRetentionMonths(months)
        try await persistence.team.audit(chapter: nil, by: try session(context).user, action: "privacy.retention",
                                         subject: "\(before) → \(months)", now: services.clock.now())
        return .redirect(to: AdminRoute.privacy.path + "?done=saved", type: .normal)
    }

    // MARK: Blocking

    func blocksPage(_ context: AppRequestContext, notice: String? = nil, values: [String: String] = [:], errors: [String: String] = [:]) async throws -> BlocksPage {
        let people = try await persistence.privacy.blockedPeople()
        let f = DisplayFormatter(language: context.language, timeZone: .gmt)
        return BlocksPage(
            chrome: try chrome(t("privacy.blocks", context), context, path: AdminRoute.blocks.path, wide: true),
            csrf: try session(context).csrfToken, notice: notice, hasErrors: !errors.isEmpty,
            people: people.map { .init(reference: $0.hashPrefix, reason: $0.reason, by: $0.createdBy, when: f.shortDate($0.createdAt),
                                       unblockURL: AdminRoute.unblock($0.id).path) },
            fields: [
                FormField(name: "email", label: t("form.email", context), value: values["email"] ?? "", type: "email", required: true,
                          hint: t("privacy.blockEmailHint", context), error: errors["email"], maxLength: EmailAddress.maxLength, autocomplete: "off"),
                FormField(name: "reason", label: t("privacy.blockReason", context), value: values["reason"] ?? "", required: true,
                          hint: t("privacy.blockReasonHint", context), error: errors["reason"], maxLength: 500, autocomplete: "off"),
            ])
    }

    @Sendable func blocks(_ request: Request, context: AppRequestContext) async throws -> Response {
        let done = request.uri.queryParameters.get("done").map { String($0) }
        let notices = ["blocked": "privacy.blocked", "unblocked": "privacy.unblocked", "already": "privacy.alreadyBlocked"]
        return html(try await blocksPage(context, notice: done.flatMap { notices[$0] }.map { t($0, context) }), context)
    }

    @Sendable func block(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await self.form(request)
        var errors = ValidationErrors()
        let email = TextRules.clean(form["email"], field: "email", required: true, maxLength: EmailAddress.maxLength, into: &errors)
        if errors.isEmpty, !EmailAddress.isValid(email) { errors.add("email", .invalidEmail) }
        let reason = TextRules.clean(form["reason"], field: "reason", required: true, maxLength: 500, into: &errors)
        guard errors.isEmpty else {
            let messages = Dictionary(errors.problems.map { ($0.field, Strings.message(for: $0.problem, context.language)) }, uniquingKeysWith: { a, _ in a })
            return html(try await blocksPage(context, values: ["email": form.text("email"), "reason": form.text("reason")], errors: messages),
                        context, status: .unprocessableContent)
        }
        let admin = try session(context).user
        let now = services.clock.now()
        guard try await persistence.privacy.block(email: email, reason: reason, by: admin.name, now: now) else {
            return .redirect(to: AdminRoute.blocks.path + "?done=already", type: .normal)
        }
        // The log names the reason, never the address.
        try await persistence.team.audit(chapter: nil, by: admin, action: "privacy.blocked", subject: reason, now: now)
        return .redirect(to: AdminRoute.blocks.path + "?done=blocked", type: .normal)
    }

    @Sendable func unblock(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw AppError.notFound }
        guard let reason = try await persistence.privacy.unblock(id) else { throw AppError.notFound }
        try await persistence.team.audit(chapter: nil, by: try session(context).user, action: "privacy.unblocked", subject: reason, now: services.clock.now())
        return .redirect(to: AdminRoute.blocks.path + "?done=unblocked", type: .normal)
    }
}

/// The processing register: one section per table that holds people, one row per personal field.
struct PrivacyRegisterPage: Page {
    static let template = "admin/privacy"
    struct Row { var column: String; var kind: String; var purpose: String; var basis: String; var retention: String; var audience: String; var fillable: Bool }
    struct Section { var title: String; var table: String; var rows: [Row] }
    var chrome: Chrome
    var adminURL = AdminRoute.overview.path
    var retentionURL = AdminRoute.retention.path
    var personURL = AdminRoute.person.path
    var csrf: String
    var notice: String?
    var intro: String
    var sections: [Section]
    var conductFields: [TextAreaField]
    var conductHasErrors: Bool
    var conductURL = AdminRoute.conduct.path
    var conductPublicURL = PublicRoute.codeOfConduct.path
    var monthsField: FormField
}

struct BlocksPage: Page {
    static let template = "admin/blocks"
    struct Person { var reference: String; var reason: String; var by: String; var when: String; var unblockURL: String }
    var chrome: Chrome
    var adminURL = AdminRoute.overview.path
    var blocksURL = AdminRoute.blocks.path
    var csrf: String
    var notice: String?
    var hasErrors: Bool
    var people: [Person]
    var fields: [FormField]
}

/// The register's words, in the admin's language (every key literal, for the catalog tests).
enum PrivacyLabels {
    static func table(_ table: String, _ language: Language) -> String {
        switch table {
        case "registrations": Strings.text("privacy.table.registrations", language)
        case "registration_answers": Strings.text("privacy.table.answers", language)
        case "quiz_players": Strings.text("privacy.table.quiz", language)
        case "outbox": Strings.text("privacy.table.outbox", language)
        case "audit_log": Strings.text("privacy.table.audit", language)
        case "check_ins": Strings.text("privacy.table.checkIns", language)
        case "blocked_people": Strings.text("privacy.table.blocked", language)
        case "incident_reports": Strings.text("privacy.table.incidents", language)
        case "attendee_profiles": Strings.text("privacy.table.profiles", language)
        case "attendee_sign_in_links": Strings.text("privacy.table.signInLinks", language)
        case "attendee_sessions": Strings.text("privacy.table.sessions", language)
        case "contacts": Strings.text("privacy.table.contacts", language)
        case "consent_changes": Strings.text("privacy.table.consentChanges", language)
        case "chapter_audience": Strings.text("privacy.table.audience", language)
        case "feedback": Strings.text("privacy.table.feedback", language)
        case "attendee_photos": Strings.text("privacy.table.photos", language)
        default: table
        }
    }

    static func privacyClass(_ value: PrivacyClass, _ language: Language) -> String {
        switch value {
        case .identity: Strings.text("privacy.class.identity", language)
        case .contact: Strings.text("privacy.class.contact", language)
        case .professional: Strings.text("privacy.class.professional", language)
        case .selfDescription: Strings.text("privacy.class.selfDescription", language)
        case .note: Strings.text("privacy.class.note", language)
        case .consent: Strings.text("privacy.class.consent", language)
        case .secret: Strings.text("privacy.class.secret", language)
        case .attendance: Strings.text("privacy.class.attendance", language)
        case .message: Strings.text("privacy.class.message", language)
        case .technical: Strings.text("privacy.class.technical", language)
        case .photo: Strings.text("privacy.class.photo", language)
        }
    }

    static func purpose(_ value: ProcessingPurpose, _ language: Language) -> String {
        switch value {
        case .registration: Strings.text("privacy.purpose.registration", language)
        case .networking: Strings.text("privacy.purpose.networking", language)
        case .games: Strings.text("privacy.purpose.games", language)
        case .organising: Strings.text("privacy.purpose.organising", language)
        case .messaging: Strings.text("privacy.purpose.messaging", language)
        case .safety: Strings.text("privacy.purpose.safety", language)
        case .accountability: Strings.text("privacy.purpose.accountability", language)
        case .insights: Strings.text("privacy.purpose.insights", language)
        }
    }

    static func basis(_ value: LegalBasis, _ language: Language) -> String {
        switch value {
        case .contract: Strings.text("privacy.basis.contract", language)
        case .consent: Strings.text("privacy.basis.consent", language)
        case .legitimateInterest: Strings.text("privacy.basis.legitimateInterest", language)
        }
    }

    static func audience(_ value: Audience, _ language: Language) -> String {
        switch value {
        case .person: Strings.text("privacy.audience.person", language)
        case .organisers: Strings.text("privacy.audience.organisers", language)
        case .doorStaff: Strings.text("privacy.audience.doorStaff", language)
        case .attendees: Strings.text("privacy.audience.attendees", language)
        case .networkAdmins: Strings.text("privacy.audience.networkAdmins", language)
        }
    }

    static func retention(_ field: PersonalField, months: Int, _ language: Language) -> String {
        let arguments = ["months": String(months)]
        if field.table == "blocked_people" { return Strings.text("privacy.retention.untilUnblocked", language) }
        if ["attendee_sign_in_links", "attendee_sessions"].contains(field.table) { return Strings.text("privacy.retention.expired", language) }
        if field.keptOnErasure { return Strings.text("privacy.retention.safetyRecord", language, arguments) }
        if ["attendee_profiles", "chapter_audience", "attendee_photos"].contains(field.table) { return Strings.text("privacy.retention.untilErased", language, arguments) }
        switch field.anonymisation {
        case .keep: return Strings.text("privacy.retention.kept", language)
        case .deleteRow: return Strings.text("privacy.retention.deleted", language, arguments)
        case .blank, .null, .no, .newSecret:
            return field.table == "audit_log" ? Strings.text("privacy.retention.audit", language, arguments)
                                              : Strings.text("privacy.retention.erased", language, arguments)
        }
    }
}
