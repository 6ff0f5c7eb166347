import Foundation
import Mustache
import RendezvousDomain
import RendezvousLocalization
import RendezvousPersistence

/// What every page's frame (`layout.mustache`) needs: language, translations, the language switch,
/// the site's links, and for signed-in people their workspace navigation.
struct Chrome {
    struct LanguageLink {
        var code: String
        var name: String
        var url: String
        var current: Bool
    }

    var title: String
    var lang: String
    var t: [String: String]
    var languages: [LanguageLink]
    var stylesheet = SiteRoute.stylesheet
    var script = SiteRoute.script
    var favicon = SiteRoute.favicon
    var homeURL = PublicRoute.home.path
    var applyURL = PublicRoute.apply.path
    var signInURL = AccountRoute.signIn.path
    var apiURL = APIRoute.openAPI.path
    var description: String
    /// Set on pages for signed-in people: their name, and the links and sign-out form of the workspace.
    var session: SessionNav?
    /// A page built around a wide table (attendees, the audit log, the admin tables): its main
    /// column uses the width of a laptop screen instead of the reading width.
    var wide = false

    /// `path` is the page's own address: the language switch links to it with `?lang=`.
    init(title: String, language: Language, path: String, description: String = "") {
        self.title = title
        self.lang = language.rawValue
        self.t = Chrome.translations[language] ?? [:]
        self.languages = Language.allCases.map {
            LanguageLink(code: $0.rawValue, name: $0.nativeName, url: "\(path)?lang=\($0.rawValue)", current: $0 == language)
        }
        self.description = description.isEmpty ? Strings.text("site.tagline", language) : description
    }

    /// Mustache reads dots as nesting, so `form.email` is exposed as `t.form_email`.
    static let translations: [Language: [String: String]] = Dictionary(uniqueKeysWithValues: Language.allCases.map { language in
        (language, Dictionary(uniqueKeysWithValues: Strings.table(language).map { ($0.key.replacingOccurrences(of: ".", with: "_"), $0.value) }))
    })
}

/// The workspace navigation of a signed-in person.
struct SessionNav {
    var name: String
    var csrf: String
    var organizeURL = WorkspaceLinks.home
    var isAdmin: Bool
    var adminURL = AdminRoute.overview.path
    var passwordURL = AccountRoute.password.path
    var signOutURL = AccountRoute.signOut.path

    init(_ session: WebSession) {
        self.init(name: session.user.name, csrf: session.csrfToken, isAdmin: session.user.isNetworkAdmin)
    }

    init(name: String, csrf: String, isAdmin: Bool) {
        self.name = name
        self.csrf = csrf
        self.isAdmin = isAdmin
    }
}

// Looked up by name, not by reflection: every page reads `chrome.t.…` dozens of times, and each
// lookup reflected the whole frame with Mirror (perf: the largest part of rendering a page's
// frame). Every field `layout.mustache` and the pages read is listed; the snapshot tests render
// every page, so a field left out shows there.
extension Chrome: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "t": t
        case "title": title
        case "lang": lang
        case "languages": languages
        case "stylesheet": stylesheet
        case "script": script
        case "favicon": favicon
        case "homeURL": homeURL
        case "applyURL": applyURL
        case "signInURL": signInURL
        case "apiURL": apiURL
        case "description": description
        case "session": session
        case "wide": wide
        default: nil
        }
    }
}

extension Chrome.LanguageLink: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "code": code
        case "name": self.name
        case "url": url
        case "current": current
        default: nil
        }
    }
}

extension SessionNav: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "name": self.name
        case "csrf": csrf
        case "organizeURL": organizeURL
        case "isAdmin": isAdmin
        case "adminURL": adminURL
        case "passwordURL": passwordURL
        case "signOutURL": signOutURL
        default: nil
        }
    }
}
