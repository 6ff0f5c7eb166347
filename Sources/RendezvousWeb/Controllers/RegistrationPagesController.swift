import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOPosix
import RendezvousBadges
import RendezvousDomain
import RendezvousLocalization
import RendezvousPersistence

/// The registration form's target and the attendee's private manage page.
struct RegistrationPagesController {
    let services: AppServices
    let pages: PublicPagesController

    /// The form as browsers send it: checkboxes are present only when ticked.
    struct RegistrationForm: Decodable {
        var firstName: String?
        var lastName: String?
        var email: String?
        var jobTitle: String?
        var company: String?
        var linkedinUrl: String?
        var askMeAbout: String?
        var consentList: String?
        var consentProfile: String?
        var consentNews: String?
        /// `bingoFacts[]`: the facts ticked for the evening's games (unknown values are dropped).
        var bingoFacts: [String]?
        var gamesConsent: String?
        /// "Any date works for me" (shown when the event is full).
        var anyDate: String?
        /// "I accept the code of conduct" (required to register).
        var acceptCodeOfConduct: String?
        /// "How did you hear about us?" (optional; a `HeardFrom` code, checked by validation).
        var heardFrom: String?

        var input: RegistrationInput {
            var input = RegistrationInput(
                firstName: firstName, lastName: lastName, email: email, jobTitle: jobTitle, company: company,
                linkedinUrl: linkedinUrl, askMeAbout: askMeAbout,
                consents: Consents(attendeeList: consentList != nil, profileSharing: consentProfile != nil, news: consentNews != nil),
                bingoFacts: (bingoFacts ?? []).compactMap(BingoFact.init(rawValue:)), gamesConsent: gamesConsent != nil)
            input.anyDate = anyDate != nil
            input.acceptCodeOfConduct = acceptCodeOfConduct != nil
            input.heardFrom = heardFrom
            return input
        }
    }

    func addRoutes(to router: Router<AppRequestContext>, writes: RouterGroup<AppRequestContext>) {
        router.get(PublicRoute.manage(token: .any).routerPath, use: manage)
        router.get(PublicRoute.badgePreview(token: .any).routerPath, use: badgePreview)
        router.get(PublicRoute.ticketCode(token: .any).routerPath, use: ticketCode)
        router.get(PublicRoute.contactCard(token: .any).routerPath, use: contactCard)
        router.get(PublicRoute.contactVCard(token: .any).routerPath, use: contactVCard)
        writes.post(PublicRoute.register(.any).routerPath, use: register)
        writes.post(PublicRoute.resendLink(.any).routerPath, use: resendLink)
        writes.post(PublicRoute.manageAction(token: .any, action: .profile).routerPath, use: manageAction)
        BingoPagesController(services: services).addRoutes(to: router, writes: writes)
    }

    static func decodeForm(_ request: Request, context: AppRequestContext) async throws -> RegistrationForm {
        try await decodeFormAndAnswers(request, context: context).form
    }

    /// The form, and the answers to the organisers' questions (`q-…` fields) as typed.
    static func decodeFormAndAnswers(_ request: Request, context: AppRequestContext) async throws -> (form: RegistrationForm, answers: [String: String]) {
        let contentType = request.headers[.contentType] ?? ""
        guard contentType.hasPrefix("application/x-www-form-urlencoded") else { throw AppError.unsupportedMediaType }
        let body = String(buffer: try await request.body.collect(upTo: context.maxUploadSize))
        do {
            let form = try URLEncodedFormDecoder().decode(RegistrationForm.self, from: body)
            return (form, FormFields(body).values.filter { $0.key.hasPrefix("q-") })
        } catch {
            throw AppError.badRequest(detail: nil)
        }
    }

    /// Checks the profile and the answers together: every field in error shows at once.
    /// A new registration (`requireConduct`) must also accept the code of conduct.
    static func validate(_ input: RegistrationInput, answers typed: [String: String], questions: [RegistrationQuestion], requireConduct: Bool = false)
        -> Result<(AttendeeProfile, QuestionAnswers), ValidationErrors> {
        let profile = input.validated()
        let answers = RegistrationQuestion.answers(to: questions, from: typed)
        if requireConduct, input.acceptCodeOfConduct != true {
            var problems: [(field: String, problem: ValidationProblem)] = []
            if case .failure(let errors) = profile { problems += errors.problems }
            if case .failure(let errors) = answers { problems += errors.problems }
            problems.append(("acceptCodeOfConduct", .notAccepted))
            return .failure(ValidationErrors(problems))
        }
        switch (profile, answers) {
        case (.success(let profile), .success(let answers)): return .success((profile, answers))
        case (.failure(let a), .failure(let b)): return .failure(ValidationErrors(a.problems + b.problems))
        case (.failure(let errors), _), (_, .failure(let errors)): return .failure(errors)
        }
    }

    @Sendable func register(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let id = context.parameters.get("id").flatMap(Event.ID.init(string:)),
              let detail = try await services.persistence.events.eventDetail(id: id),
              detail.event.status != .draft else { throw AppError.notFound }
        let language = LanguageMiddleware.choose(request, fallback: detail.chapter.locale)
        let (form, typed) = try await Self.decodeFormAndAnswers(request, context: context)
        let input = form.input
        let questions = try await services.persistence.questions.questions(forEvent: id)
        func reshow(_ errors: ValidationErrors, status: HTTPResponse.Status) async throws -> Response {
            let look = try await services.persistence.images.look(of: id)
            let overbooking = try await PublicOverbooking.of(detail.event, confirmed: detail.occupancy.confirmed, persistence: services.persistence,
                                                             now: services.clock.now())
            let page = pages.eventPage(detail, look: look, language: language, input: input, errors: errors, questions: questions, answers: typed,
                                       overbooking: overbooking)
            return services.renderer.response(page, status: status, language: language)
        }
        switch Self.validate(input, answers: typed, questions: questions, requireConduct: true) {
        case .failure(let errors):
            return try await reshow(errors, status: .unprocessableContent)
        case .success(var (profile, answers)):
            profile.language = language
            profile.conductAcceptedAt = services.clock.now()
            do {
                let outcome = try await services.persistence.registrations.register(profile, for: id, answers: answers, now: services.clock.now())
                MetricsController.registered(outcome.registration.status.rawValue)
                services.eventChanged(id, chapterSlug: detail.chapter.slug)
                // "Any date works for me", moved at once: the answer is the seat on the second evening.
                if outcome.registration.eventID != id { services.eventChanged(outcome.registration.eventID, chapterSlug: detail.chapter.slug) }
                return Response.redirect(to: PublicRoute.manage(token: outcome.registration.manageToken).path("welcome", "1"), type: .normal)
            } catch RegistrationActionError.duplicateEmail {
                var errors = ValidationErrors()
                errors.add("email", .alreadyTaken)
                var response = try await reshow(errors, status: .conflict)
                response.headers[.contentLanguage] = language.rawValue
                return response
            }
        }
    }

    @Sendable func manage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        guard let registration = try await services.persistence.registrations.registration(manageToken: token) else { throw AppError.notFound }
        let done = request.uri.queryParameters.get("done")
        let welcome = request.uri.queryParameters.get("welcome") != nil
        return try await managePage(registration, request: request, welcome: welcome, notice: done, errors: ValidationErrors(), input: nil, status: .ok)
    }

    func managePage(
        _ registration: Registration, request: Request, welcome: Bool, notice: String?, errors: ValidationErrors,
        input: RegistrationInput?, typedAnswers: [String: String]? = nil, status: HTTPResponse.Status
    ) async throws -> Response {
        let persistence = services.persistence
        guard let detail = try await persistence.events.eventDetail(id: registration.eventID) else { throw AppError.notFound }
        let language = LanguageMiddleware.choose(request, fallback: detail.chapter.locale)
        let presenter = Presenter(language: language, chapter: detail.chapter)
        let f = presenter.formatter
        let now = services.clock.now()
        let token = registration.manageToken
        var statusText: String
        var statusClass = "ok"
        var actions: [ManagePage.Action] = []
        var effectiveStatus = registration.status
        // A sentence already saying where they went from this evening (kept if it was cancelled).
        var wentElsewhere = false
        // An offer of a seat at a cancelled evening, or one already begun, cannot be accepted: no button.
        if effectiveStatus == .offered, !WaitlistRules.isOfferOpen(expiresAt: registration.offerExpiresAt, now: now)
            || detail.event.status != .published || now >= detail.event.startsAt {
            effectiveStatus = .expired
        }
        switch effectiveStatus {
        case .confirmed:
            statusText = presenter.t("manage.statusConfirmed")
        case .waitlisted:
            let position = try await persistence.registrations.waitlistPosition(of: registration) ?? 1
            statusText = presenter.t("manage.statusWaitlisted", ["position": f.number(position)])
            statusClass = "wait"
        case .offered:
            statusText = presenter.t("manage.statusOffered", ["deadline": f.dateTime(registration.offerExpiresAt ?? now)])
            statusClass = "wait"
            // Nobody is skipped: they may hold an offer of the other evening too; accepting one gives up the other.
            var otherOffer: String?
            if let other = try await persistence.registrations.otherOpenOffer(of: registration.id),
               let otherEvent = try await persistence.events.event(id: other.eventID) {
                otherOffer = presenter.t("manage.otherOfferHint", ["date": f.longDate(otherEvent.startsAt), "time": f.time(otherEvent.startsAt)])
            }
            actions.append(.init(url: PublicRoute.manageAction(token: token, action: .accept).path, label: presenter.t("manage.accept"), style: "primary",
                                 hint: otherOffer))
            actions.append(.init(url: PublicRoute.manageAction(token: token, action: .decline).path, label: presenter.t("manage.decline"), style: ""))
        case .cancelled:
            statusText = presenter.t("manage.statusCancelled")
            statusClass = "off"
            // Moved to a second evening: not a cancellation, a new date.
            if registration.cancelledFrom == nil, let moved = try await persistence.registrations.movedTo(from: registration.id),
               let second = try await persistence.events.event(id: moved.eventID) {
                statusText = presenter.t("manage.statusMoved", ["date": f.longDate(second.startsAt), "time": f.time(second.startsAt)])
                statusClass = "ok"
                wentElsewhere = true
            } else if registration.cancelledFrom == nil, detail.event.status == .cancelled,
                      let moved = try await persistence.registrations.latestSecondEvening(from: registration.id), moved.status.isActive,
                      let second = try await persistence.events.event(id: moved.eventID) {
                // This evening was cancelled and they said any date works: on the other evening's waitlist.
                statusText = presenter.t("manage.statusMovedWaitlist", ["date": f.longDate(second.startsAt), "time": f.time(second.startsAt)])
                statusClass = "wait"
                wentElsewhere = true
            }
            // A second evening's offer given up because they took their seat on the original.
            if registration.cancelledFrom == nil, let seat = try await persistence.registrations.origin(of: registration.id), seat.status == .confirmed,
               let original = try await persistence.events.event(id: seat.eventID) {
                statusText = presenter.t("manage.statusOfferSettled", ["date": f.longDate(original.startsAt)])
                statusClass = "ok"
                wentElsewhere = true
            }
            // Offered only while it can work: a seat to come back to must still be free.
            let seatFree = detail.occupancy.confirmed + detail.occupancy.offered < detail.occupancy.capacity
            if CancellationUndo.isPossible(cancelledFrom: registration.cancelledFrom, eventStartsAt: detail.event.startsAt,
                                           eventCancelled: detail.event.status != .published, now: now),
               registration.cancelledFrom == .waitlisted || seatFree {
                let back = registration.cancelledFrom == .waitlisted
                actions.append(.init(url: PublicRoute.manageAction(token: token, action: .restore).path,
                                     label: presenter.t(back ? "manage.undoLeave" : "manage.undoCancel"), style: "primary",
                                     hint: presenter.t(back ? "manage.undoLeaveHint" : "manage.undoCancelHint")))
            }
        case .expired:
            statusText = presenter.t("manage.statusExpired")
            statusClass = "off"
        }
        // A seat on a second evening, from the original's waitlist: the new date, or the place kept there.
        var second = try await secondEveningStatus(registration, effective: effectiveStatus, event: detail.event, presenter: presenter, now: now)
        // The evening was cancelled (issue 15): said plainly, with the series' other open evening;
        // nothing left to use here (no ticket, bingo, profile) nor to cancel.
        let eveningCancelled = detail.event.status == .cancelled
        if eveningCancelled, second == nil {
            second = try await cancelledEveningStatus(registration, event: detail.event, keep: wentElsewhere ? statusText : nil,
                                                      presenter: presenter, now: now)
            if !wentElsewhere { statusClass = "off" }
        }
        if let second { statusText = second.text }
        if eveningCancelled { effectiveStatus = effectiveStatus.isActive ? .expired : effectiveStatus }
        let open = now < detail.event.startsAt
        if effectiveStatus.isActive, open {
            if effectiveStatus == .waitlisted {
                actions.append(.init(url: PublicRoute.manageAction(token: token, action: .cancel).path, label: presenter.t("manage.leaveWaitlist"),
                                     style: "danger", hint: presenter.t("manage.leaveWaitlistHint")))
            } else {
                // "For someone on the waitlist" only when someone waits.
                let waits = try await persistence.events.someoneWaits(for: detail.event)
                actions.append(.init(url: PublicRoute.manageAction(token: token, action: .cancel).path, label: presenter.t("manage.cancel"),
                                     style: "danger", hint: presenter.t(waits ? "manage.cancelHint" : "manage.cancelHintNobodyWaits")))
            }
        }
        var welcomeTitle: String?, welcomeText: String?
        if welcome {
            if registration.status == .waitlisted {
                let position = try await persistence.registrations.waitlistPosition(of: registration) ?? 1
                welcomeTitle = presenter.t("result.waitlistedTitle")
                welcomeText = presenter.t("result.waitlisted", ["position": f.number(position)])
            } else if registration.status == .confirmed {
                welcomeTitle = presenter.t("result.confirmedTitle")
                welcomeText = presenter.t("result.confirmed", ["event": detail.event.title])
            }
        }
        let noticeKeys = ["cancelled": "manage.cancelledNotice", "left": "manage.leftWaitlistNotice", "accepted": "manage.acceptedNotice",
                          "declined": "manage.declinedNotice", "saved": "manage.saved", "renewed": "badges.renewed",
                          "restored": "manage.restoredNotice", "backOnWaitlist": "manage.backOnWaitlistNotice",
                          "seatGiven": "manage.seatGivenNotice", "registeredAgain": "manage.registeredAgainNotice",
                          "offerSettled": "manage.offerSettledNotice"]
        let profile = registration.profile
        let shownInput = input ?? RegistrationInput(
            firstName: profile.firstName, lastName: profile.lastName, email: profile.email, jobTitle: profile.jobTitle,
            company: profile.company, linkedinUrl: profile.linkedinURL, askMeAbout: profile.askMeAbout, consents: profile.consents,
            bingoFacts: BingoFact.allCases.filter(profile.bingoFacts.contains), gamesConsent: profile.gamesConsent)
        let questions = effectiveStatus.isActive ? try await persistence.questions.questions(forEvent: registration.eventID) : []
        var shownAnswers = typedAnswers
        if shownAnswers == nil, !questions.isEmpty {
            let stored = try await persistence.questions.answers(of: registration.id)
            shownAnswers = Dictionary(uniqueKeysWithValues: questions.compactMap { q in stored[q.id].map { (q.fieldName, $0) } })
        }
        let seat = effectiveStatus == .confirmed
            ? try await RoomLiveController(services: services).seatView(registration, token: token, language: language) : nil
        var page = ManagePage(
            chrome: Chrome(title: presenter.t("manage.title"), language: language, path: PublicRoute.manage(token: token).path),
            eventTitle: detail.event.title,
            eventURL: PublicRoute.event(detail.event.id).path,
            reportURL: PublicRoute.report(detail.event.id).path + "?manage=" + token,
            date: "\(f.longDate(detail.event.startsAt)) · \(f.time(detail.event.startsAt))",
            venue: detail.venue?.name,
            welcomeTitle: welcomeTitle,
            welcomeText: welcomeText,
            manageURL: welcome ? services.absoluteURL(PublicRoute.manage(token: token)) : nil,
            notice: notice.flatMap { noticeKeys[$0] }.map { presenter.t($0) },
            statusText: statusText,
            statusClass: statusClass,
            actions: actions,
            ticketURL: effectiveStatus == .confirmed ? PublicRoute.ticketCode(token: token).path : nil,
            badgeURL: effectiveStatus.isActive ? PublicRoute.badgePreview(token: token).path : nil,
            renewURL: effectiveStatus.isActive ? PublicRoute.manageAction(token: token, action: .contact).path : nil,
            bingoURL: effectiveStatus == .confirmed ? PublicRoute.bingo(token: token).path : nil,
            form: effectiveStatus.isActive ? ProfileForm(
                action: PublicRoute.manageAction(token: token, action: .profile).path, input: shownInput, errors: errors,
                submit: presenter.t("manage.save"), language: language, questions: questions, answers: shownAnswers ?? [:]) : nil)
        page.seat = seat
        page.originURL = second?.originURL
        page.originLabel = second?.originLabel
        page.dataURL = PublicRoute.manageData(token: token).path
        if effectiveStatus.isActive, detail.event.status == .published, now < detail.event.endsAt {
            page.calendarURL = PublicRoute.eventCalendar(detail.event.id).path
            page.googleCalendarURL = ManagePage.googleCalendar(
                title: detail.event.title, startsAt: detail.event.startsAt, endsAt: detail.event.endsAt,
                details: services.absoluteURL(PublicRoute.event(detail.event.id)),
                location: [detail.venue?.name, detail.venue?.address].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ", "))
        }
        if effectiveStatus == .confirmed, let game = try await services.persistence.quizzes.latestSession(event: registration.eventID), game.phase != .finished {
            page.quizJoinURL = PublicRoute.quizFromManage(token: token).path
        }
        var response = services.renderer.privateResponse(page, status: status, language: language)
        // This phone now knows who holds it: "We met" on the badges it scans (MeController).
        if effectiveStatus.isActive, let holder = try await persistence.contacts.holderToken(of: registration.id) {
            response.setCookie(MeController(services: services).holderCookie(holder))
        }
        return response
    }

    @Sendable func manageAction(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        guard let action = context.parameters.get("action").flatMap(PublicRoute.ManageAction.init(rawValue:)),
              let registration = try await services.persistence.registrations.registration(manageToken: token) else { throw AppError.notFound }
        let persistence = services.persistence
        let now = services.clock.now()
        let done: String
        do {
            switch action {
            case .cancel:
                // One tap never cancels: the first press asks, the confirmation's press cancels.
                let fields = FormFields(String(buffer: try await request.body.collect(upTo: 64 * 1024)))
                guard fields["confirm"] == "yes" else {
                    guard registration.status.isActive else { return .redirect(to: PublicRoute.manage(token: token).path, type: .normal) }
                    return try await confirmCancel(registration, request: request)
                }
                _ = try await persistence.registrations.cancel(registration.id, token: token, now: now)
                // Someone on the waitlist had no seat to free: they left the list.
                done = registration.status == .waitlisted ? "left" : "cancelled"
            case .restore:
                do {
                    let restored = try await persistence.registrations.restore(registration.id, token: token, now: now)
                    done = restored.status == .waitlisted ? "backOnWaitlist" : "restored"
                } catch RegistrationActionError.seatGiven {
                    return try await managePage(registration, request: request, welcome: false, notice: "seatGiven", errors: ValidationErrors(), input: nil, status: .conflict)
                } catch RegistrationActionError.duplicateEmail {
                    return try await managePage(registration, request: request, welcome: false, notice: "registeredAgain", errors: ValidationErrors(), input: nil, status: .conflict)
                }
            case .accept:
                // Pressed twice, or on a page left open after the offer was settled: the manage page as
                // it stands (the seat is theirs, or a word that nothing changed), not an error page.
                guard registration.status == .offered else {
                    return .redirect(to: PublicRoute.manage(token: token).path("done", registration.status == .confirmed ? "accepted" : "offerSettled"),
                                     type: .normal)
                }
                _ = try await persistence.registrations.accept(registration.id, token: token, now: now)
                done = "accepted"
            case .decline:
                // A page left open after the offer was settled otherwise (taken elsewhere, run out,
                // withdrawn): no "you declined", but a word that nothing changed, and the manage page
                // says what became of it.
                guard registration.status == .offered else {
                    return .redirect(to: PublicRoute.manage(token: token).path("done", "offerSettled"), type: .normal)
                }
                _ = try await persistence.registrations.decline(registration.id, token: token, now: now)
                done = "declined"
            case .contact:
                _ = try await persistence.registrations.renewContactToken(of: registration.id)
                done = "renewed"
            case .profile:
                let (form, typed) = try await Self.decodeFormAndAnswers(request, context: context)
                let input = form.input
                let questions = registration.status.isActive ? try await persistence.questions.questions(forEvent: registration.eventID) : []
                switch Self.validate(input, answers: typed, questions: questions) {
                case .failure(let errors):
                    return try await managePage(registration, request: request, welcome: false, notice: nil, errors: errors, input: input, typedAnswers: typed, status: .unprocessableContent)
                case .success(let (profile, answers)):
                    do {
                        _ = try await persistence.registrations.updateProfile(registration.id, token: token, profile: profile, now: now)
                        if !questions.isEmpty { try await persistence.questions.setAnswers(answers, of: registration.id) }
                        // Consents changed here are recorded, as from "My data".
                        func consents(_ p: AttendeeProfile) -> [ConsentKind: Bool] {
                            [.list: p.consents.attendeeList, .profile: p.consents.profileSharing, .news: p.consents.news, .games: p.gamesConsent]
                        }
                        try await persistence.personalData.recordConsentChanges(registration: registration.id.uuid, before: consents(registration.profile),
                                                                                after: consents(profile), source: "manage", now: now)
                    } catch RegistrationActionError.duplicateEmail {
                        var errors = ValidationErrors()
                        errors.add("email", .alreadyTaken)
                        return try await managePage(registration, request: request, welcome: false, notice: nil, errors: errors, input: input, typedAnswers: typed, status: .conflict)
                    }
                    done = "saved"
                }
            }
        } catch let error as RegistrationActionError where error != .notFound {
            let language = LanguageMiddleware.choose(request, fallback: nil)
            return services.renderer.errorPage(status: AppError.from(error).status, message: AppError.from(error).message(language),
                                               context: { var c = context; c.language = language; return c }())
        }
        services.eventChanged(registration.eventID)
        return Response.redirect(to: PublicRoute.manage(token: token).path("done", done), type: .normal)
    }

    /// The step before cancelling: what will happen, and the two ways out (works without JavaScript).
    func confirmCancel(_ registration: Registration, request: Request) async throws -> Response {
        guard let detail = try await services.persistence.events.eventDetail(id: registration.eventID) else { throw AppError.notFound }
        let language = LanguageMiddleware.choose(request, fallback: detail.chapter.locale)
        let presenter = Presenter(language: language, chapter: detail.chapter)
        let f = presenter.formatter
        let token = registration.manageToken
        let waitlisted = registration.status == .waitlisted
        // "Offered to the first person on the waitlist" only when someone waits.
        let text = if waitlisted { "manage.confirmLeaveText" }
            else if try await services.persistence.events.someoneWaits(for: detail.event) { "manage.confirmCancelText" }
            else { "manage.confirmCancelTextNobodyWaits" }
        let page = ConfirmStepPage(
            chrome: Chrome(title: presenter.t(waitlisted ? "manage.confirmLeaveTitle" : "manage.confirmCancelTitle"), language: language,
                           path: PublicRoute.manage(token: token).path),
            heading: presenter.t(waitlisted ? "manage.confirmLeaveTitle" : "manage.confirmCancelTitle"),
            lines: [presenter.t(text)],
            facts: [detail.event.title, "\(f.longDate(detail.event.startsAt)) · \(f.time(detail.event.startsAt))"],
            action: PublicRoute.manageAction(token: token, action: .cancel).path,
            confirmLabel: presenter.t(waitlisted ? "manage.confirmLeave" : "manage.confirmCancel"),
            backURL: PublicRoute.manage(token: token).path, backLabel: presenter.t(waitlisted ? "manage.keepPlace" : "manage.keepSeat"))
        return services.renderer.privateResponse(page, language: language)
    }

    /// "Send me my link again", from the event page or the "already registered" error: always the
    /// same answer, so nobody learns whether an address is registered; the link goes only to the
    /// address on file, at most once per ten minutes per registration (and the public-write rate
    /// limit holds per address).
    @Sendable func resendLink(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let id = context.parameters.get("id").flatMap(Event.ID.init(string:)),
              let detail = try await services.persistence.events.eventDetail(id: id), detail.event.status != .draft else { throw AppError.notFound }
        let language = LanguageMiddleware.choose(request, fallback: detail.chapter.locale)
        let presenter = Presenter(language: language, chapter: detail.chapter)
        let fields = FormFields(String(buffer: try await request.body.collect(upTo: 64 * 1024)))
        let email = fields.text("email").trimmingCharacters(in: .whitespacesAndNewlines)
        var page = SimpleFormPage(
            chrome: Chrome(title: presenter.t("resend.title"), language: language, path: PublicRoute.event(id).path),
            heading: presenter.t("resend.title"), action: PublicRoute.resendLink(id).path, csrf: "",
            fields: [FormField(name: "email", label: presenter.t("form.email"), value: email, type: "email", required: true,
                               hint: presenter.t("resend.hint"), error: nil, maxLength: EmailAddress.maxLength, autocomplete: "email")],
            submit: presenter.t("resend.submit"))
        guard EmailAddress.isValid(email) else {
            page.fields = [FormField(name: "email", label: presenter.t("form.email"), value: email, type: "email", required: true,
                                     hint: presenter.t("resend.hint"), error: Strings.message(for: email.isEmpty ? .required : .invalidEmail, language),
                                     maxLength: EmailAddress.maxLength, autocomplete: "email")]
            page.error = presenter.t("form.errors")
            return services.renderer.response(page, status: .unprocessableContent, language: language)
        }
        try await services.persistence.registrations.sendManageLink(event: id, email: email, now: services.clock.now())
        page.noForm = true
        page.notice = presenter.t("resend.sent", ["email": email, "event": detail.event.title])
        page.intro = presenter.t("resend.sentHint")
        page.link = PageLink(url: PublicRoute.event(id).path, label: presenter.t("resend.back"))
        var response = services.renderer.response(page, language: language)
        response.headers[.cacheControl] = "no-store"
        return response
    }

    /// The ticket as a QR code: the ticket's address, which door staff can open with any camera.
    /// Only a confirmed registration has one.
    @Sendable func ticketCode(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        guard let registration = try await services.persistence.registrations.registration(manageToken: token), registration.status == .confirmed,
              let ticket = try await services.persistence.door.ticketToken(of: registration.id),
              let png = QRCode.png(services.absoluteURL(DoorRoute.ticket(token: ticket))) else { throw AppError.notFound }
        return Response(status: .ok, headers: [.contentType: "image/png", .cacheControl: "no-store"], body: .init(byteBuffer: ByteBuffer(bytes: png)))
    }

    // MARK: Badge preview and contact card

    @Sendable func badgePreview(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        guard let registration = try await services.persistence.registrations.registration(manageToken: token), registration.status.isActive,
              let detail = try await services.persistence.events.eventDetail(id: registration.eventID) else { throw AppError.notFound }
        let builder = BadgeBuilder(persistence: services.persistence, baseURL: services.configuration.baseURL)
        let contact = try await services.persistence.registrations.contactToken(of: registration.id)
        let content = builder.content(registration.profile, detail: detail, contactToken: contact, look: try await builder.look(of: detail.chapter.id))
        let png = try await CPUWork.run { try BadgeRenderer.png(content) }
        return Response(status: .ok, headers: [.contentType: "image/png", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(bytes: png)))
    }

    func card(_ context: AppRequestContext) async throws -> (ContactCard, EventDetail, token: String) {
        let token = try context.parameters.require("token")
        guard let card = try await services.persistence.registrations.contactCard(token: token), card.status.isActive,
              let detail = try await services.persistence.events.eventDetail(id: card.eventID) else { throw AppError.notFound }
        return (card, detail, token)
    }

    /// What the badge's QR code opens: the name and role printed on the badge, and the LinkedIn
    /// profile only if the attendee chose to share it.
    @Sendable func contactCard(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (card, detail, token) = try await card(context)
        let language = LanguageMiddleware.choose(request, fallback: detail.chapter.locale)
        let p = card.profile
        var page = ContactPage(
            chrome: Chrome(title: "\(p.firstName) \(p.lastName)", language: language, path: PublicRoute.contactCard(token: token).path),
            eventTitle: detail.event.title, chapterName: detail.chapter.name, name: "\(p.firstName) \(p.lastName)",
            role: [p.jobTitle, p.company].filter { !$0.isEmpty }.joined(separator: " · ").nilIfEmpty,
            askMeAbout: p.consents.profileSharing ? p.askMeAbout.nilIfEmpty : nil,
            linkedin: p.consents.profileSharing ? p.linkedinURL.nilIfEmpty : nil,
            vcardURL: PublicRoute.contactVCard(token: token).path,
            bingo: try await BingoPagesController(services: services).contactBlock(request, card: card, contactToken: token, language: language),
            bingoError: request.uri.queryParameters.get("bingo").flatMap { BingoPagesController.error(code: String($0)) }
                .map { Strings.bingoError($0, name: "\(p.firstName) \(p.lastName)", language) })
        page.notShared = !p.consents.profileSharing
        // The photo from their "My Rendezvous" profile, only when they share their profile on the card.
        if p.consents.profileSharing, let photo = try await services.persistence.attendeePhotos.photo(of: p.email) {
            page.photoURL = MeRoute.photoFile(name: photo).path
        }
        let me = MeController(services: services)
        page.weMet = try await me.weMetBlock(request, card: card, contactToken: token, language: language)
        if page.weMet == nil { page.weMetInvite = try await me.weMetInvite(request, card: card, language: language) }
        if request.uri.queryParameters.get("met") != nil, page.weMet != nil { page.metNotice = Strings.text("me.metNotice", language) }
        var response = services.renderer.response(page, language: language)
        response.headers[.cacheControl] = "no-store"
        response.headers[.xRobotsTag] = "noindex"
        return response
    }

    @Sendable func contactVCard(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (card, detail, _) = try await card(context)
        let vcard = VCard.make(card.profile, note: "\(detail.event.title) · \(detail.chapter.name)")
        return Response(status: .ok, headers: [.contentType: "text/vcard; charset=utf-8", .contentDisposition: "attachment; filename=\"contact.vcf\"",
                                               .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(string: vcard)))
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}

/// vCard 4.0 (RFC 6350): every value escaped, so nothing an attendee typed adds a property.
enum VCard {
    static func escape(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "\\": result += "\\\\"
            case ",": result += "\\,"
            case ";": result += "\\;"
            case "\n", "\r\n", "\r": result += "\\n"
            default:
                if character.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }) { result.append(character) }
            }
        }
        return result
    }

    static func make(_ profile: AttendeeProfile, note: String) -> String {
        var lines = ["BEGIN:VCARD", "VERSION:4.0",
                     "FN:\(escape("\(profile.firstName) \(profile.lastName)"))",
                     "N:\(escape(profile.lastName));\(escape(profile.firstName));;;"]
        if !profile.jobTitle.isEmpty { lines.append("TITLE:\(escape(profile.jobTitle))") }
        if !profile.company.isEmpty { lines.append("ORG:\(escape(profile.company))") }
        if profile.consents.profileSharing, !profile.linkedinURL.isEmpty { lines.append("URL:\(escape(profile.linkedinURL))") }
        lines.append("NOTE:\(escape(note))")
        lines.append("END:VCARD")
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}
