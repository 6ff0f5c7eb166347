import Foundation
import RendezvousDomain
import RendezvousLocalization

extension SimpleFormPage {
    /// Handing a chapter to a new organiser: their email, and whether the previous ones stay.
    static func handover(chapter: Chapter, chrome: Chrome, language: Language, csrf: String,
                         email: String = "", error: String? = nil, notice: String? = nil) -> SimpleFormPage {
        func t(_ key: String) -> String { Strings.text(key, language) }
        return SimpleFormPage(
            chrome: chrome,
            heading: t("admin.handover") + " · " + chapter.name, intro: t("admin.handoverIntro"), notice: notice, error: error,
            action: AdminRoute.handover(slug: chapter.slug).path, csrf: csrf,
            fields: [FormField(name: "email", label: t("admin.newOrganizer"), value: email, type: "email", required: true, error: nil, maxLength: 254, autocomplete: "off")],
            selects: [SelectField(id: "f-previous", name: "previous", label: t("admin.previousOrganizers"), options: [
                .init(value: "keep", label: t("admin.keepPrevious"), selected: true),
                .init(value: "remove", label: t("admin.removePrevious"), selected: false),
            ])],
            submit: t("admin.handover"))
    }
}
