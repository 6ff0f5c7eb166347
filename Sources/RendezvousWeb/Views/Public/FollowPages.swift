import Foundation
import RendezvousDomain
import RendezvousLocalization
import RendezvousPersistence

extension SimpleFormPage {
    /// Following a chapter: an address, one button.
    static func follow(_ chapter: Chapter, language: Language, email: String = "", error: String? = nil) -> SimpleFormPage {
        func t(_ key: String) -> String { Strings.text(key, language, ["chapter": chapter.name]) }
        let path = PublicRoute.follow(slug: chapter.slug).path
        return SimpleFormPage(
            chrome: Chrome(title: t("follow.title"), language: language, path: path),
            heading: t("follow.title"), intro: t("follow.intro"), error: error == nil ? nil : t("form.errors"), action: path, csrf: "",
            fields: [FormField(name: "email", label: t("follow.email"), value: email, type: "email", required: true, error: error, maxLength: 254, autocomplete: "email")],
            submit: t("follow.submit"))
    }

    /// The same answer whether or not the address already follows.
    static func followRequested(_ chapter: Chapter, language: Language) -> SimpleFormPage {
        func t(_ key: String) -> String { Strings.text(key, language, ["chapter": chapter.name]) }
        let path = PublicRoute.follow(slug: chapter.slug).path
        return SimpleFormPage(
            chrome: Chrome(title: t("follow.title"), language: language, path: path),
            heading: t("follow.title"), notice: t("follow.sent"), action: path, csrf: "", fields: [], submit: "",
            link: PageLink(url: PublicRoute.chapter(slug: chapter.slug).path, label: chapter.name), noForm: true)
    }

    /// The confirmation link: one button; then the chapter is followed.
    static func confirmFollow(_ chapter: Chapter, member: AudienceMember, token: String, language: Language, done: Bool) -> SimpleFormPage {
        func t(_ key: String) -> String { Strings.text(key, language, ["chapter": chapter.name, "email": member.email]) }
        let path = PublicRoute.confirmFollow(token: token).path
        return SimpleFormPage(
            chrome: Chrome(title: t("follow.title"), language: language, path: path),
            heading: t("follow.title"), intro: done ? nil : t("follow.confirmIntro"), notice: done ? t("follow.done") : nil,
            action: path, csrf: "", fields: [], submit: t("follow.confirm"),
            link: done ? PageLink(url: PublicRoute.chapter(slug: chapter.slug).path, label: chapter.name) : nil, noForm: done)
    }

    /// The unsubscribe link of the chapter's news: one button, then the confirmation.
    static func audienceUnsubscribe(_ chapter: Chapter, member: AudienceMember, token: String, language: Language, done: Bool) -> SimpleFormPage {
        func t(_ key: String) -> String { Strings.text(key, language, ["chapter": chapter.name, "email": member.email]) }
        let path = PublicRoute.audienceUnsubscribe(token: token).path
        return SimpleFormPage(
            chrome: Chrome(title: t("mail.audienceUnsubscribe"), language: language, path: path),
            heading: t("mail.audienceUnsubscribe"), intro: done ? nil : t("audience.unsubscribeIntro"), notice: done ? t("audience.unsubscribed") : nil,
            action: path, csrf: "", fields: [], submit: t("unsubscribe.confirm"), noForm: done)
    }
}
