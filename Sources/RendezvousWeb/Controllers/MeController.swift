import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import RendezvousDomain
import RendezvousLocalization
import RendezvousPersistence

/// "My Rendezvous": an attendee's own space without a password, and "We met".
///
/// Signing in: the form at `/me` asks for an address and always answers the same (whether the
/// address has registrations is never said); a link valid 15 minutes, once, goes through the
/// outbox (at most one per address every two minutes, and the public-write limit per client).
/// The link opens a page with one button, so a mail scanner that opens links spends nothing; the
/// button sets the attendee session cookie (`rv_me`: HttpOnly, SameSite=Lax, Secure over https,
/// 30 days), separate from organisers' sessions. Every post of a signed-in attendee carries the
/// session's CSRF token.
struct MeController {
    let services: AppServices
    static let cookieName = "rv_me"

    var secureCookies: Bool { services.configuration.baseURL.hasPrefix("https://") }

    func addRoutes(to router: Router<AppRequestContext>, writes: RouterGroup<AppRequestContext>) {
        router.get(MeRoute.home.routerPath, use: home)
        writes.post(MeRoute.home.routerPath, use: requestLink)
        router.get(MeRoute.signIn(token: .any).routerPath, use: signInForm)
        writes.post(MeRoute.signIn(token: .any).routerPath, use: signIn)
        router.post(MeRoute.signOut.routerPath, use: signedOutToForm(signOut))
        router.get(MeRoute.profile.routerPath, use: profileForm)
        router.post(MeRoute.profile.routerPath, use: signedOutToForm(saveProfile))
        router.get(MeRoute.profileJSON.routerPath, use: profileJSON)
        router.post(MeRoute.photo.routerPath, use: signedOutToForm(savePhoto))
        router.get(MeRoute.photoFile(name: .any).routerPath, use: photoFile)
        router.get(MeRoute.peopleVCard.routerPath, use: peopleVCard)
        router.get(MeRoute.peopleCSV.routerPath, use: peopleCSV)
        router.get(MeRoute.peopleJSON.routerPath, use: peopleJSON)
        router.post(MeRoute.contactAction(id: .any, action: .accept).routerPath, use: signedOutToForm(contactAction))
        router.get(MeRoute.event(.any).routerPath, use: eventPage)
        writes.post(MeRoute.eventMet(.any).routerPath, use: signedOutToForm(eventMet))
        writes.post(MeRoute.cardMet(token: .any).routerPath, use: cardMet)
    }

    /// A post after the session ended goes back to the sign-in form.
    func signedOutToForm(_ handler: @escaping @Sendable (Request, AppRequestContext) async throws -> Response)
        -> @Sendable (Request, AppRequestContext) async throws -> Response {
        { request, context in
            do {
                return try await handler(request, context)
            } catch is SignedOut {
                return .redirect(to: MeRoute.home.path, type: .normal)
            }
        }
    }

    // MARK: Session

    func session(_ request: Request) async throws -> (AttendeeSession, token: String)? {
        guard let token = request.cookies[Self.cookieName]?.value, !token.isEmpty,
              let session = try await services.persistence.attendees.session(token: token, now: services.clock.now()) else { return nil }
        return (session, token)
    }

    func cookie(_ value: String, maxAge: Int = Int(AttendeeSignIn.sessionLifetime)) -> Cookie {
        Cookie(name: Self.cookieName, value: value, expires: nil, maxAge: maxAge, domain: nil, path: "/", secure: secureCookies, httpOnly: true, sameSite: .lax)
    }

    /// Thrown by a post whose session has ended (30 days, or signed out elsewhere): the answer is
    /// the sign-in form, not an error page.
    struct SignedOut: Error {}

    /// The signed-in attendee of a post whose `_csrf` matches the session's; else 403, or
    /// `SignedOut` when there is no session any more.
    func signedInPost(_ request: inout Request, context: AppRequestContext) async throws -> (AttendeeSession, FormFields) {
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        request.body = .init(buffer: body)
        let fields = FormFields(String(buffer: body))
        guard let (session, _) = try await session(request) else { throw SignedOut() }
        guard let sent = fields["_csrf"], constantTimeEquals(sent, session.csrfToken) else { throw AppError.forbidden(messageKey: "error.csrf") }
        return (session, fields)
    }

    func privatePage<P: Page>(_ page: P, language: Language, status: HTTPResponse.Status = .ok) -> Response {
        services.renderer.privateResponse(page, status: status, language: language)
    }

    func t(_ key: String, _ language: Language, _ arguments: [String: String] = [:]) -> String { Strings.text(key, language, arguments) }

    // MARK: Signing in

    func signInPage(_ language: Language, email: String = "", error: String? = nil, sent: Bool = false) -> SimpleFormPage {
        let path = MeRoute.home.path
        var page = SimpleFormPage(
            chrome: Chrome(title: t("me.title", language), language: language, path: path),
            heading: t("me.title", language), intro: t("me.signInIntro", language), error: error == nil ? nil : t("form.errors", language),
            action: path, csrf: "",
            fields: [FormField(name: "email", label: t("form.email", language), value: email, type: "email", required: true,
                               hint: t("me.emailHint", language), error: error, maxLength: EmailAddress.maxLength, autocomplete: "email")],
            submit: t("me.sendLink", language))
        if sent {
            page.intro = nil
            page.notice = t("me.linkSent", language, ["email": email])
            page.noForm = true
            page.link = PageLink(url: PublicRoute.home.path, label: t("me.backHome", language))
        }
        return page
    }

    @Sendable func home(_ request: Request, context: AppRequestContext) async throws -> Response {
        let language = context.language
        guard let (session, _) = try await session(request) else {
            return privatePage(signInPage(language), language: language)
        }
        return privatePage(try await mePage(session, language: language, notice: request.uri.queryParameters.get("done").map { String($0) }), language: language)
    }

    /// Always the same answer for a valid address: whether it has registrations is never said.
    @Sendable func requestLink(_ request: Request, context: AppRequestContext) async throws -> Response {
        let language = context.language
        let fields = FormFields(String(buffer: try await request.body.collect(upTo: 16 * 1024)))
        var errors = ValidationErrors()
        let email = TextRules.clean(fields["email"], field: "email", required: true, maxLength: EmailAddress.maxLength, into: &errors)
        if !email.isEmpty, errors["email"] == nil, !EmailAddress.isValid(email) { errors.add("email", .invalidEmail) }
        if let problem = errors["email"] {
            return privatePage(signInPage(language, email: fields.text("email"), error: Strings.message(for: problem, language)),
                               language: language, status: .unprocessableContent)
        }
        try await services.persistence.attendees.requestSignIn(email: email, language: language, now: services.clock.now())
        return privatePage(signInPage(language, email: EmailAddress.normalize(email), sent: true), language: language)
    }

    func linkPage(_ token: String, language: Language, email: String) -> SimpleFormPage {
        let path = MeRoute.signIn(token: token).path
        return SimpleFormPage(
            chrome: Chrome(title: t("me.title", language), language: language, path: path),
            heading: t("me.title", language), intro: t("me.confirmIntro", language, ["email": email]), action: path, csrf: "",
            fields: [], submit: t("me.confirmSignIn", language))
    }

    func expiredPage(_ language: Language) -> Response {
        var page = signInPage(language)
        page.error = t("me.linkExpired", language)
        return privatePage(page, language: language, status: .gone)
    }

    @Sendable func signInForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        guard let email = try await services.persistence.attendees.signInEmail(token: token, now: services.clock.now()) else {
            return expiredPage(context.language)
        }
        return privatePage(linkPage(token, language: context.language, email: email), language: context.language)
    }

    @Sendable func signIn(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        guard let (_, session) = try await services.persistence.attendees.completeSignIn(token: token, now: services.clock.now()) else {
            return expiredPage(context.language)
        }
        var response = Response.redirect(to: MeRoute.home.path, type: .normal)
        response.setCookie(cookie(session))
        response.headers[.cacheControl] = "no-store"
        return response
    }

    @Sendable func signOut(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let (_, _) = try await signedInPost(&request, context: context)
        if let token = request.cookies[Self.cookieName]?.value { try await services.persistence.attendees.signOut(token: token) }
        var response = Response.redirect(to: MeRoute.home.path, type: .normal)
        response.setCookie(cookie("", maxAge: 0))
        return response
    }

    // MARK: The space

    func mePage(_ session: AttendeeSession, language: Language, notice: String?) async throws -> MePage {
        let persistence = services.persistence
        let now = services.clock.now()
        let registrations = try await persistence.attendees.registrations(email: session.email)
        var upcoming: [MePage.Registration] = [], past: [MePage.Registration] = []
        for item in registrations {
            let presenter = Presenter(language: language, chapter: item.chapter)
            let f = presenter.formatter
            let r = item.registration
            var status = r.status
            if status == .offered, !WaitlistRules.isOfferOpen(expiresAt: r.offerExpiresAt, now: now) { status = .expired }
            let isUpcoming = now < item.event.endsAt && item.event.status == .published
            let (statusKey, statusClass): (String, String) = switch status {
            case .confirmed: (isUpcoming ? "manage.statusConfirmed" : item.came ? "me.came" : "me.attended", "ok")
            case .waitlisted: ("me.statusWaitlisted", "wait")
            case .offered: ("me.statusOffered", "wait")
            case .cancelled: ("manage.statusCancelled", "off")
            case .expired: ("manage.statusExpired", "off")
            }
            var seat = ""
            if isUpcoming, status == .confirmed,
               let view = try await RoomLiveController(services: services).seatView(r, token: r.manageToken, language: language) {
                seat = view.headline
            }
            let entry = MePage.Registration(
                eventTitle: item.event.title, chapterName: item.chapter.name,
                date: "\(f.longDate(item.event.startsAt)) · \(f.time(item.event.startsAt))",
                venue: item.venueName ?? "", hasVenue: !(item.venueName ?? "").isEmpty,
                statusText: presenter.t(statusKey), statusClass: statusClass,
                manageURL: PublicRoute.manage(token: r.manageToken).path,
                ticketURL: PublicRoute.ticketCode(token: r.manageToken).path, hasTicket: isUpcoming && status == .confirmed,
                seat: seat, hasSeat: !seat.isEmpty,
                peopleURL: MeRoute.event(item.event.id).path, hasPeople: status.isActive)
            if isUpcoming { upcoming.append(entry) } else { past.append(entry) }
        }
        upcoming.reverse()
        let contacts = try await persistence.contacts.people(mine: registrations.map(\.registration.id))
        let chapters = Dictionary(registrations.map { ($0.event.id, $0.chapter) }, uniquingKeysWith: { a, _ in a })
        let people = contacts.map { person(for: $0, chapter: chapters[$0.eventID], language: language) }
        let notices = ["accepted": "me.acceptedNotice", "declined": "me.declinedNotice", "removed": "me.removedNotice", "note": "me.noteSaved",
                       "profile": "me.profileSaved", "followed": "me.followedNotice", "unfollowed": "me.unfollowedNotice"]
        return MePage(
            chrome: Chrome(title: t("me.title", language), language: language, path: MeRoute.home.path),
            signedInAs: session.email, csrf: session.csrfToken, notice: notice.flatMap { notices[$0] }.map { t($0, language) },
            upcoming: upcoming, past: past, hasUpcoming: !upcoming.isEmpty, hasPast: !past.isEmpty,
            incoming: people.filter(\.incoming), hasIncoming: people.contains(where: \.incoming),
            people: people.filter { !$0.incoming }, hasPeople: people.contains { !$0.incoming })
    }

    func person(for contact: MetContact, chapter: Chapter?, language: Language) -> MePage.Person {
        let role = [contact.jobTitle, contact.company].filter { !$0.isEmpty }.joined(separator: " · ")
        var evening = "\(contact.eventTitle) · \(contact.chapterName)"
        if let chapter { evening += " · " + Presenter(language: language, chapter: chapter).formatter.longDate(contact.eventStartsAt) }
        let stateKey = switch contact.state {
        case .connected: "me.stateConnected"
        case .waiting: "me.stateWaiting"
        case .theySaidYouMet: "me.theySaidYouMet"
        }
        let id = contact.id.uuidString.lowercased()
        return MePage.Person(
            personID: id, personName: contact.name, personRole: role, hasRole: !role.isEmpty, evening: evening,
            stateText: t(stateKey, language, ["name": contact.name]), stateClass: contact.state == .connected ? "ok" : "wait",
            personLinkedin: contact.linkedinURL ?? "", hasLinkedin: contact.linkedinURL != nil,
            personEmail: contact.email ?? "", hasEmail: contact.email != nil,
            personAsk: contact.askMeAbout ?? "", hasAsk: contact.askMeAbout != nil,
            myNote: contact.note,
            noteURL: MeRoute.contactAction(id: id, action: .note).path,
            acceptURL: MeRoute.contactAction(id: id, action: .accept).path,
            declineURL: MeRoute.contactAction(id: id, action: .decline).path,
            removeURL: MeRoute.contactAction(id: id, action: .remove).path,
            incoming: contact.state == .theySaidYouMet,
            photoURL: contact.photo.map { MeRoute.photoFile(name: $0).path },
            connected: contact.state == .connected, followedUp: contact.followedUp,
            followedURL: MeRoute.contactAction(id: id, action: .followedUp).path)
    }

    /// The signed-in attendee's registrations (their ids): what every contact action is checked against.
    func mine(_ session: AttendeeSession) async throws -> [Registration.ID] {
        try await services.persistence.attendees.registrations(email: session.email).map(\.registration.id)
    }

    @Sendable func contactAction(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let (session, fields) = try await signedInPost(&request, context: context)
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let action = context.parameters.get("action").flatMap(MeRoute.ContactAction.init(rawValue:)) else { throw AppError.notFound }
        let mine = try await mine(session)
        let contacts = services.persistence.contacts
        let done: String
        do {
            switch action {
            case .accept:
                try await contacts.answer(id, mine: mine, accept: true, now: services.clock.now())
                done = "accepted"
            case .decline:
                try await contacts.answer(id, mine: mine, accept: false, now: services.clock.now())
                done = "declined"
            case .remove:
                try await contacts.remove(id, mine: mine)
                done = "removed"
            case .note:
                try await contacts.setNote(id, mine: mine, note: fields.text("note"))
                done = "note"
            case .followedUp:
                let followed = fields.text("done") != "no"
                try await services.persistence.followUp.setFollowedUp(id, mine: mine, done: followed, now: services.clock.now())
                done = followed ? "followed" : "unfollowed"
            }
        } catch ContactError.notFound {
            throw AppError.notFound
        }
        return Response.redirect(to: MeRoute.home.path("done", done) + "#people", type: .normal)
    }

    // MARK: Profile

    func profilePage(_ session: AttendeeSession, language: Language, input: RegistrationInput, sharing: SharingChoices,
                     errors: ValidationErrors, notice: String? = nil) -> MeProfilePage {
        func field(_ name: String, _ key: String, _ value: String?, required: Bool, max: Int, autocomplete: String, type: String = "text",
                   hint: String? = nil) -> FormField {
            FormField(name: name, label: t(key, language), value: value ?? "", type: type, required: required, hint: hint.map { t($0, language) },
                      error: errors[name].map { Strings.message(for: $0, language) }, maxLength: max, autocomplete: autocomplete)
        }
        let limits = RegistrationInput.Limits.self
        return MeProfilePage(
            chrome: Chrome(title: t("me.profile", language), language: language, path: MeRoute.profile.path),
            csrf: session.csrfToken, notice: notice, error: errors.isEmpty ? nil : t("form.errors", language),
            fields: [
                field("firstName", "form.firstName", input.firstName, required: true, max: limits.name, autocomplete: "given-name"),
                field("lastName", "form.lastName", input.lastName, required: false, max: limits.name, autocomplete: "family-name"),
                field("jobTitle", "form.jobTitle", input.jobTitle, required: false, max: limits.jobTitle, autocomplete: "organization-title",
                      hint: "form.jobTitleHint"),
                field("company", "form.company", input.company, required: false, max: limits.company, autocomplete: "organization"),
                field("linkedinUrl", "form.linkedin", input.linkedinUrl, required: false, max: limits.linkedin, autocomplete: "url", type: "url",
                      hint: "form.linkedinHint"),
            ],
            askField: field("askMeAbout", "form.askMeAbout", input.askMeAbout, required: false, max: limits.askMeAbout, autocomplete: "off",
                            hint: "form.askMeAboutHint"),
            shareEmail: sharing.email, shareLinkedin: sharing.linkedin, signedInAs: session.email)
    }

    @Sendable func profileForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let (session, _) = try await session(request) else { return .redirect(to: MeRoute.home.path, type: .normal) }
        let p = try await services.persistence.attendees.profile(email: session.email)
        let input = RegistrationInput(firstName: p.firstName, lastName: p.lastName, email: session.email, jobTitle: p.jobTitle, company: p.company,
                                      linkedinUrl: p.linkedinURL, askMeAbout: p.askMeAbout)
        var page = profilePage(session, language: context.language, input: input, sharing: p.sharing, errors: ValidationErrors())
        try await addPhoto(to: &page, email: session.email)
        let notices = ["photo": "me.photoSaved", "photoRemoved": "me.photoRemoved"]
        if let done = request.uri.queryParameters.get("done"), let key = notices[String(done)] { page.notice = t(key, context.language) }
        return privatePage(page, language: context.language)
    }

    @Sendable func saveProfile(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let (session, fields) = try await signedInPost(&request, context: context)
        let input = RegistrationInput(firstName: fields["firstName"], lastName: fields["lastName"], email: session.email, jobTitle: fields["jobTitle"],
                                      company: fields["company"], linkedinUrl: fields["linkedinUrl"], askMeAbout: fields["askMeAbout"])
        let sharing = SharingChoices(email: fields["shareEmail"] != nil, linkedin: fields["shareLinkedin"] != nil)
        switch input.validated(strict: false) {
        case .failure(let errors):
            return privatePage(profilePage(session, language: context.language, input: input, sharing: sharing, errors: errors),
                               language: context.language, status: .unprocessableContent)
        case .success(let p):
            try await services.persistence.attendees.saveProfile(email: session.email, AttendeeAccountProfile(
                firstName: p.firstName, lastName: p.lastName, jobTitle: p.jobTitle, company: p.company, linkedinURL: p.linkedinURL,
                askMeAbout: p.askMeAbout, sharing: sharing), now: services.clock.now())
            return .redirect(to: MeRoute.home.path("done", "profile"), type: .normal)
        }
    }

    /// The profile for the registration form's "Use my profile" (app.js): private, never cached,
    /// so the event page itself stays cached for everyone. 204 when not signed in (the form then
    /// shows nothing more). `?in=fr` gives the button's words in the page's language.
    @Sendable func profileJSON(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let (session, _) = try await session(request) else {
            return Response(status: .noContent, headers: [.cacheControl: "no-store", .vary: "Cookie"])
        }
        let asked = request.uri.queryParameters.get("in").map { String($0) }
        // A language the document does not list is refused, not replaced by the page's.
        if let asked, Language(code: asked) == nil { throw AppError.validation(ValidationErrors([("in", .notAChoice)])) }
        let language = asked.flatMap { Language(code: $0) } ?? context.language
        let p = try await services.persistence.attendees.profile(email: session.email)
        let body: [String: String] = ["firstName": p.firstName, "lastName": p.lastName, "email": session.email, "jobTitle": p.jobTitle,
                                      "company": p.company, "linkedinUrl": p.linkedinURL, "askMeAbout": p.askMeAbout,
                                      "label": t("me.useProfile", language), "hint": t("me.useProfileHint", language)]
        return try json(body)
    }

    func json(_ value: some Encodable) throws -> Response {
        JSONBody.response(status: .ok, value, headers: [.vary: "Cookie"])
    }

    // MARK: People I met: exports

    func people(_ request: Request) async throws -> [MetContact] {
        guard let (session, _) = try await session(request) else { throw AppError.unauthorized }
        return try await services.persistence.contacts.people(mine: try await mine(session)).filter { $0.state != .theySaidYouMet }
    }

    @Sendable func peopleVCard(_ request: Request, context: AppRequestContext) async throws -> Response {
        Self.vcardResponse(try await people(request))
    }

    /// People met as one vCard file (also from a registration's "My data").
    static func vcardResponse(_ people: [MetContact]) -> Response {
        let cards = people.map { person in
            var lines = ["BEGIN:VCARD", "VERSION:4.0", "FN:\(VCard.escape(person.name))"]
            if !person.jobTitle.isEmpty { lines.append("TITLE:\(VCard.escape(person.jobTitle))") }
            if !person.company.isEmpty { lines.append("ORG:\(VCard.escape(person.company))") }
            if let email = person.email { lines.append("EMAIL:\(VCard.escape(email))") }
            if let url = person.linkedinURL { lines.append("URL:\(VCard.escape(url))") }
            let note = ([person.eventTitle, person.chapterName] + (person.note.isEmpty ? [] : [person.note])).joined(separator: " · ")
            lines.append("NOTE:\(VCard.escape(note))")
            lines.append("END:VCARD")
            return lines.joined(separator: "\r\n") + "\r\n"
        }.joined()
        return Response(status: .ok, headers: [.contentType: "text/vcard; charset=utf-8", .contentDisposition: "attachment; filename=\"people-i-met.vcf\"",
                                               .cacheControl: "no-store"], body: .init(byteBuffer: ByteBuffer(string: cards)))
    }

    @Sendable func peopleCSV(_ request: Request, context: AppRequestContext) async throws -> Response {
        let people = try await people(request)
        let language = context.language
        let header = ["me.csv.name", "form.jobTitle", "form.company", "form.email", "me.csv.linkedin", "me.csv.evening", "me.csv.date", "me.csv.status", "me.note"]
            .map { t($0, language) }
        let rows = people.map { p in
            [p.name, p.jobTitle, p.company, p.email ?? "", p.linkedinURL ?? "", "\(p.eventTitle) · \(p.chapterName)",
             ISO8601.format(p.eventStartsAt), t(p.state == .connected ? "me.stateConnected" : "me.stateWaiting", language), p.note]
        }
        return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"people-i-met.csv\"",
                                               .cacheControl: "no-store"], body: .init(byteBuffer: ByteBuffer(string: CSV.write([header] + rows))))
    }

    struct PersonJSON: Encodable {
        var id: UUID; var name: String; var jobTitle: String; var company: String; var linkedinUrl: String?; var email: String?
        var askMeAbout: String?; var note: String; var state: String; var event: UUID; var eventTitle: String; var eventStartsAt: Date
    }

    /// Read-only "People I met" (the signed-in attendee's session cookie), incoming requests included.
    @Sendable func peopleJSON(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let (session, _) = try await session(request) else { throw AppError.unauthorized }
        let people = try await services.persistence.contacts.people(mine: try await mine(session))
        return try json(["people": people.map {
            PersonJSON(id: $0.id, name: $0.name, jobTitle: $0.jobTitle, company: $0.company, linkedinUrl: $0.linkedinURL, email: $0.email,
                       askMeAbout: $0.askMeAbout, note: $0.note, state: $0.state.rawValue, event: $0.eventID.uuid, eventTitle: $0.eventTitle,
                       eventStartsAt: $0.eventStartsAt)
        }])
    }

    // MARK: We met: from the attendee list

    @Sendable func eventPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let (session, _) = try await session(request) else { return .redirect(to: MeRoute.home.path, type: .normal) }
        guard let id = context.parameters.get("id").flatMap(Event.ID.init(string:)),
              let me = try await services.persistence.contacts.registration(of: session.email, event: id),
              let detail = try await services.persistence.events.eventDetail(id: id) else { throw AppError.notFound }
        let language = context.language
        let f = Presenter(language: language, chapter: detail.chapter).formatter
        let listed = try await services.persistence.contacts.listed(event: id, me: me.id)
        let notice = request.uri.queryParameters.get("done") == "met" ? t("me.metNotice", language) : nil
        let page = MeEventPage(
            chrome: Chrome(title: detail.event.title, language: language, path: MeRoute.event(id).path),
            csrf: session.csrfToken, eventTitle: detail.event.title, date: "\(f.longDate(detail.event.startsAt)) · \(detail.chapter.name)",
            action: MeRoute.eventMet(id).path, notice: notice,
            attendees: listed.map { a in
                let role = [a.jobTitle, a.company].filter { !$0.isEmpty }.joined(separator: " · ")
                let state = a.state.map { stateText($0, name: a.name, language) } ?? ""
                return MeEventPage.Attendee(registration: a.registrationID.uuid.uuidString.lowercased(), attendeeName: a.name, attendeeRole: role,
                                            hasRole: !role.isEmpty, stateText: state, hasState: !state.isEmpty,
                                            canSay: a.state == nil || a.state == .theySaidYouMet)
            },
            hasAttendees: !listed.isEmpty)
        return privatePage(page, language: language)
    }

    func stateText(_ state: ContactState, name: String, _ language: Language) -> String {
        switch state {
        case .connected: t("me.stateConnected", language)
        case .waiting: t("me.stateWaiting", language)
        case .theySaidYouMet: t("me.theySaidYouMet", language, ["name": name])
        }
    }

    @Sendable func eventMet(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let (session, fields) = try await signedInPost(&request, context: context)
        guard let id = context.parameters.get("id").flatMap(Event.ID.init(string:)),
              let me = try await services.persistence.contacts.registration(of: session.email, event: id),
              let other = fields["registration"].flatMap(UUID.init(uuidString:)).map(Registration.ID.init),
              // Only people who chose to be listed: the others are met by scanning their badge.
              try await services.persistence.contacts.isListed(other, event: id) else { throw AppError.notFound }
        do {
            try await services.persistence.contacts.weMet(me: me.id, other: other, note: fields.text("note"), now: services.clock.now())
        } catch ContactError.notAllowed {
            throw AppError.notFound
        } catch ContactError.notCheckedIn {
            throw AppError.forbidden(messageKey: "me.onlyWhoCame")
        }
        return .redirect(to: MeRoute.event(id).path("done", "met"), type: .normal)
    }

    // MARK: We met: from a badge's contact card

    /// Who "I" am on the phone that opened a card: the attendee session (their registration for
    /// the same evening), or else the cookie the holder's phone got when it opened their own manage
    /// page. Returns the registration and the CSRF value the form must repeat.
    func holder(_ request: Request, event: Event.ID) async throws -> (Registration, field: String, value: String)? {
        if let (session, _) = try await session(request),
           let me = try await services.persistence.contacts.registration(of: session.email, event: event) {
            return (me, "_csrf", session.csrfToken)
        }
        if let token = request.cookies[Self.holderCookieName]?.value, !token.isEmpty,
           let holder = try await services.persistence.contacts.holder(cookieToken: token), holder.eventID == event {
            return (holder, "holder", token)
        }
        return nil
    }

    /// Names the holder of a manage link on the phone that opened it, for "We met" from the badges
    /// it scans that evening without signing in (double submit: the card's form repeats it).
    static let holderCookieName = "rv_holder"

    func holderCookie(_ token: String) -> Cookie {
        Cookie(name: Self.holderCookieName, value: token, expires: nil, maxAge: 7 * 24 * 3600, domain: nil, path: "/", secure: secureCookies,
               httpOnly: true, sameSite: .lax)
    }

    /// The card's "We met" block, or nil for a visitor the phone cannot name (the card then
    /// invites them to sign in).
    func weMetBlock(_ request: Request, card: ContactCard, contactToken: String, language: Language) async throws -> WeMetBlock? {
        guard let (me, field, value) = try await holder(request, event: card.eventID), me.id != card.registrationID,
              me.profile.normalizedEmail != card.profile.normalizedEmail else { return nil }
        let name = "\(card.profile.firstName) \(card.profile.lastName)"
        let state = try await services.persistence.contacts.state(me: me.id, other: card.registrationID)
        if state == nil, !(try await services.persistence.contacts.mayMeetHere(me.id, event: card.eventID)) {
            return WeMetBlock(action: MeRoute.cardMet(token: contactToken).path, csrfField: field, csrfValue: value,
                              heading: t("me.weMetWith", language, ["name": name]), stateText: "", hasState: false, canSay: false,
                              refusal: t("me.onlyWhoCame", language))
        }
        let text = state.map { stateText($0, name: name, language) } ?? ""
        return WeMetBlock(action: MeRoute.cardMet(token: contactToken).path, csrfField: field, csrfValue: value,
                          heading: t("me.weMetWith", language, ["name": name]), stateText: text, hasState: !text.isEmpty,
                          canSay: state == nil || state == .theySaidYouMet)
    }

    /// For a visitor the phone cannot name for this evening: how to say "We met" (sign in), or, signed
    /// in with an address not registered for it, why the button is not there.
    func weMetInvite(_ request: Request, card: ContactCard, language: Language) async throws -> WeMetInvite? {
        if let (session, _) = try await session(request) {
            guard session.email != card.profile.normalizedEmail else { return nil }
            return WeMetInvite(text: t("me.cardNotRegistered", language, ["email": session.email]), url: MeRoute.home.path, label: t("me.title", language))
        }
        guard request.cookies[Self.holderCookieName] == nil else { return nil }
        return WeMetInvite(text: t("me.cardInvite", language), url: MeRoute.home.path, label: t("me.title", language))
    }

    @Sendable func cardMet(_ request: Request, context: AppRequestContext) async throws -> Response {
        let contactToken = try context.parameters.require("token")
        guard let card = try await services.persistence.registrations.contactCard(token: contactToken), card.status.isActive else { throw AppError.notFound }
        var request = request
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        request.body = .init(buffer: body)
        let fields = FormFields(String(buffer: body))
        // The form must repeat the session's CSRF token, or the holder cookie (double submit).
        guard let (me, field, value) = try await holder(request, event: card.eventID), let sent = fields[field],
              constantTimeEquals(sent, value) else { throw AppError.forbidden(messageKey: "error.csrf") }
        do {
            try await services.persistence.contacts.weMet(me: me.id, other: card.registrationID, note: fields.text("note"), now: services.clock.now())
        } catch ContactError.notAllowed {
            throw AppError.notFound
        } catch ContactError.notCheckedIn {
            throw AppError.forbidden(messageKey: "me.onlyWhoCame")
        }
        return .redirect(to: PublicRoute.contactCard(token: contactToken).path("met", "1") + "#we-met", type: .normal)
    }
}
