import Foundation
import RendezvousDomain
import RendezvousLocalization

extension SimpleFormPage {
    /// "Start a chapter": the application form, shown again with what was typed and its errors,
    /// or only the thanks once sent.
    static func apply(language: Language, form: FormFields? = nil, errors: [String: String] = [:], notice: String? = nil) -> SimpleFormPage {
        func t(_ key: String) -> String { Strings.text(key, language) }
        func value(_ key: String) -> String { form?[key] ?? "" }
        return SimpleFormPage(
            chrome: Chrome(title: t("apply.title"), language: language, path: PublicRoute.apply.path),
            heading: t("apply.title"), intro: t("apply.intro"), notice: notice,
            error: errors.isEmpty ? nil : t("form.errors"), action: PublicRoute.apply.path, csrf: "",
            fields: notice != nil ? [] : [
                FormField(name: "name", label: t("team.yourName"), value: value("name"), required: true, error: errors["name"], maxLength: 80, autocomplete: "name"),
                FormField(name: "email", label: t("form.email"), value: value("email"), type: "email", required: true, error: errors["email"], maxLength: 254, autocomplete: "email"),
                FormField(name: "city", label: t("admin.city"), value: value("city"), required: true, error: errors["city"], maxLength: 120, autocomplete: "address-level2"),
                FormField(name: "countryCode", label: t("admin.country"), value: value("countryCode"), required: true, hint: t("v.country"), error: errors["countryCode"], maxLength: 2, autocomplete: "country"),
                FormField(name: "timeZone", label: t("apply.timeZone"), value: value("timeZone").isEmpty ? "Europe/Paris" : value("timeZone"), required: true, error: errors["timeZone"], maxLength: 64, autocomplete: "off"),
            ],
            textareas: notice != nil ? [] : [TextAreaField(id: "f-motivation", name: "motivation", label: t("apply.motivation"), value: value("motivation"), hint: nil, error: errors["motivation"], maxLength: 2000)],
            selects: notice != nil ? [] : [SelectField(id: "f-locale", name: "locale", label: t("nav.language"), options: Language.allCases.map {
                .init(value: $0.rawValue, label: $0.nativeName, selected: (form?["locale"] ?? language.rawValue) == $0.rawValue)
            })],
            submit: t("apply.submit"))
    }
}
