import Foundation
import RendezvousDomain
@testable import RendezvousWeb

extension EventCard {
    static let mock = EventCard(
        title: "Rencontre trimestrielle", url: PublicRoute.event(Mock.event).path, date: "Sunday, 14 February 2027", time: "18:30",
        venue: "Halles de la Cartoucherie", availability: "12 seats left", isFull: false, attendance: nil)
    static let mockPast = EventCard(
        title: "Winter meetup", url: PublicRoute.event(Mock.event).path, date: "Thursday, 10 December 2026", time: "19:00",
        venue: nil, availability: "Full", isFull: true, attendance: "42 came")
}

extension VenueView {
    static let mock = VenueView(name: "Halles de la Cartoucherie", address: "31300 Toulouse",
                                mapURL: "https://www.openstreetmap.org/search?query=31300%20Toulouse")
}

extension HomePage {
    static let mock = HomePage(
        chrome: Chrome(title: "Meetups near you", language: .en, path: PublicRoute.home.path),
        chapterCount: "2 chapters",
        countries: [
            .init(name: "France", chapters: [
                .init(name: "#LinkedInLocal Toulouse", city: "Toulouse", url: PublicRoute.chapter(slug: "toulouse").path, next: .mock),
                .init(name: "#LinkedInLocal Lyon", city: "Lyon", url: PublicRoute.chapter(slug: "lyon").path, next: nil),
            ]),
        ])
}

extension ChapterPage {
    static let mock = ChapterPage(
        chrome: Chrome(title: "#LinkedInLocal Toulouse", language: .en, path: PublicRoute.chapter(slug: "toulouse").path, description: "Meetups in Toulouse."),
        feedURL: "webcal://rendezvous.test" + PublicRoute.chapterCalendar(slug: "toulouse").path,
        feedDownloadURL: PublicRoute.chapterCalendar(slug: "toulouse").path,
        name: "#LinkedInLocal Toulouse", logo: PublicRoute.image(name: Mock.logoImage).path, brandStylesheet: PublicRoute.brandStyle(file: "0a5ea8.css").path,
        place: "Toulouse, France", description: ["Meetups in Toulouse.", "Every quarter, <b>free</b>."],
        upcoming: [.mock], past: [.mockPast], organizers: ["Ana Organiser", "Jean Dupont"], venues: [.mock])
}

extension EventPage {
    /// Open for registration, with speakers, agenda and attendees; in French, as a French chapter shows it.
    static let mock = EventPage(
        chrome: Chrome(title: "Rencontre trimestrielle", language: .fr, path: PublicRoute.event(Mock.event).path,
                       description: "#LinkedInLocal Toulouse · dimanche 14 février 2027"),
        title: "Rencontre trimestrielle", chapterName: "#LinkedInLocal Toulouse", chapterURL: PublicRoute.chapter(slug: "toulouse").path,
        chapterLogo: PublicRoute.image(name: Mock.logoImage).path, brandStylesheet: PublicRoute.brandStyle(file: "f2c94c.css").path,
        cover: .init(url: PublicRoute.image(name: Mock.coverImage).path, alt: "La halle de la Cartoucherie, <pleine> le soir"),
        date: "dimanche 14 février 2027", timeRange: "18:30 – 21:30", timeZoneNote: "Heure de Europe/Paris (UTC+1)",
        venue: .mock, venueAccess: "Entrée de plain-pied, ascenseur au fond de la halle.",
        availability: "1 place restante", isFull: false, waitlistNote: nil, notice: nil, registerLabel: "S’inscrire",
        description: ["Une soirée.", "Des rencontres & des échanges."],
        speakers: [.init(name: "Jean-Christophe Boussion", role: "Fondateur", bio: "Organise des rencontres depuis 2017.",
                         photoURL: PublicRoute.image(name: Mock.photoImage).path, initials: "JB"),
                   .init(name: "Éloïse Dupré", role: "Directrice", bio: nil, photoURL: nil, initials: "ÉD")],
        agenda: [.init(time: "18:30", title: "Accueil"), .init(time: "19:00", title: "Table ronde")],
        attendees: [.init(name: "Natalajia Quinquies", role: "Consultante · Indépendante", initials: "NQ")],
        attendeeCount: "4 personnes viennent",
        hiddenAttendees: "et 3 autres personnes",
        form: {
            var form = ProfileForm(action: PublicRoute.register(Mock.event).path, input: RegistrationInput(), errors: ValidationErrors(),
                                   submit: "S’inscrire", language: .fr)
            form.heardFrom = ProfileForm.HeardFromField(input: RegistrationInput(), errors: ValidationErrors(), language: .fr)
            form.conduct = ProfileForm.ConductBox(input: RegistrationInput(), errors: ValidationErrors(), language: .fr)
            return form
        }(),
        calendarURL: PublicRoute.eventCalendar(Mock.event).path,
        share: SharePreview(url: "https://rendezvous.test" + PublicRoute.event(Mock.event).path,
                            image: "https://rendezvous.test" + PublicRoute.shareImage(Mock.event).path,
                            description: "dimanche 14 février 2027 · 18:30 · Halles de la Cartoucherie, Toulouse",
                            jsonLD: PublicPagesController.scriptSafe(#"{"@type":"Event","name":"Rencontre </script> trimestrielle"}"#)),
        shareLinks: ShareLinks(url: "https://rendezvous.test" + PublicRoute.event(Mock.event).path, title: "Rencontre trimestrielle",
                               mailBody: "Rencontre trimestrielle · dimanche 14 février 2027 · 18:30"))

    /// Full, the form sent back with what was typed and its errors.
    static var mockWithErrors: EventPage {
        var page = mock
        page.chrome = Chrome(title: "Quarterly meetup", language: .en, path: PublicRoute.event(Mock.event).path)
        page.isFull = true
        page.availability = "Full · 4 on the waiting list"
        page.waitlistNote = "The event is full: join the waiting list."
        page.registerLabel = "Join the waiting list"
        // No pictures and no colour: initials, the site's own colours.
        page.cover = nil
        page.chapterLogo = nil
        page.brandStylesheet = nil
        page.speakers = page.speakers.map { var speaker = $0; speaker.photoURL = nil; return speaker }
        var errors = ValidationErrors()
        errors.add("email", .invalidEmail)
        errors.add("jobTitle", .required)
        errors.add("acceptCodeOfConduct", .notAccepted)
        errors.add("heardFrom", .notAChoice)
        var input = RegistrationInput(firstName: "Ana", lastName: "Lopez", email: "ana@", jobTitle: "", company: "Acme <b>")
        input.heardFrom = "tv"
        page.form = ProfileForm(action: PublicRoute.register(Mock.event).path, input: input,
                                errors: errors, submit: "Join the waiting list", language: .en)
        page.form?.heardFrom = ProfileForm.HeardFromField(input: input, errors: errors, language: .en)
        page.form?.conduct = ProfileForm.ConductBox(input: input, errors: errors, language: .en)
        return page
    }
}

extension ManagePage {
    /// Just registered and confirmed: the welcome, the private link, ticket, badge and profile form.
    static let mock: ManagePage = {
        var page = ManagePage(
        chrome: Chrome(title: "Your registration", language: .en, path: PublicRoute.manage(token: Mock.token).path),
        eventTitle: "Rencontre trimestrielle", eventURL: PublicRoute.event(Mock.event).path, date: "Sunday, 14 February 2027 · 18:30",
        venue: "Halles de la Cartoucherie", welcomeTitle: "You’re in!", welcomeText: "See you at Rencontre trimestrielle.",
        manageURL: "https://rendezvous.test" + PublicRoute.manage(token: Mock.token).path, notice: nil,
        statusText: "Confirmed", statusClass: "ok",
        actions: [.init(url: PublicRoute.manageAction(token: Mock.token, action: .cancel).path, label: "Cancel my registration", style: "danger",
                        hint: "Your seat goes to the next person waiting.")],
        ticketURL: PublicRoute.ticketCode(token: Mock.token).path, badgeURL: PublicRoute.badgePreview(token: Mock.token).path,
        renewURL: PublicRoute.manageAction(token: Mock.token, action: .contact).path,
        form: ProfileForm(action: PublicRoute.manageAction(token: Mock.token, action: .profile).path,
                          input: RegistrationInput(firstName: "Ana", lastName: "Lopez", email: "ana@example.org", jobTitle: "Founder", company: "Acme",
                                                   consents: Consents(attendeeList: true, profileSharing: false)),
                          errors: ValidationErrors(), submit: "Save", language: .en),
        calendarURL: PublicRoute.eventCalendar(Mock.event).path,
        googleCalendarURL: ManagePage.googleCalendar(title: "Rencontre trimestrielle", startsAt: Date(timeIntervalSince1970: 1_802_626_200),
                                                     endsAt: Date(timeIntervalSince1970: 1_802_635_200), details: "https://rendezvous.test/events/x",
                                                     location: "Halles de la Cartoucherie, Toulouse"))
        page.dataURL = PublicRoute.manageData(token: Mock.token).path
        return page
    }()

    /// Offered a seat from the waiting list: accept or decline, no ticket yet.
    static var mockOffered: ManagePage {
        var page = mock
        page.welcomeTitle = nil
        page.welcomeText = nil
        page.manageURL = nil
        page.notice = "Saved."
        page.statusText = "A seat is yours until Monday 15 February 2027 18:30"
        page.statusClass = "wait"
        page.actions = [
            .init(url: PublicRoute.manageAction(token: Mock.token, action: .accept).path, label: "Accept the seat", style: "primary"),
            .init(url: PublicRoute.manageAction(token: Mock.token, action: .decline).path, label: "Decline", style: ""),
        ]
        page.ticketURL = nil
        return page
    }

    /// Cancelled by its holder, the seat still free: undo is offered.
    static var mockCancelled: ManagePage {
        var page = mock
        page.welcomeTitle = nil
        page.welcomeText = nil
        page.manageURL = nil
        page.notice = "Your registration is cancelled. Thank you for freeing your seat."
        page.statusText = "Cancelled"
        page.statusClass = "off"
        page.actions = [.init(url: PublicRoute.manageAction(token: Mock.token, action: .restore).path, label: "Undo my cancellation", style: "primary",
                              hint: "Changed your mind? Your seat is yours again as long as nobody else has taken it.")]
        page.ticketURL = nil
        page.badgeURL = nil
        page.form = nil
        return page
    }

    /// On the evening: "Your table", kept current by room.js.
    static var mockSeated: ManagePage {
        var page = mock
        page.welcomeTitle = nil
        page.welcomeText = nil
        page.manageURL = nil
        page.seat = .init(headline: "Round 2 of 4: go to table 5", detail: "With Marie (Consultant) and Karim (Founder). Next round: table 1.",
                          stateURL: PublicRoute.seat(token: Mock.token).path)
        return page
    }
}

extension ScreenPage {
    static let mock = ScreenPage(
        lang: "en", t: Chrome.translations[.en] ?? [:], title: "Rencontre trimestrielle",
        stateURL: PublicRoute.screenState(Mock.event).path("key", "k3y"), scriptURL: PublicRoute.staticFile("room.js").path("v", PublicRoute.assetVersion),
        stylesheet: SiteRoute.stylesheet,
        live: QuizLiveAttributes.make(role: "screen", event: Mock.event, query: "as=screen&topics=room,bingo&key=k3y", language: .en),
        liveScript: PublicRoute.staticFile("live.js").path("v", PublicRoute.assetVersion),
        quizScript: PublicRoute.staticFile("quiz.js").path("v", PublicRoute.assetVersion),
        joinURL: "https://rendezvous.test/q", qr: "/q/{code}/qr.png")
}

extension ContactPage {
    static let mock = ContactPage(
        chrome: Chrome(title: "Ana Lopez", language: .en, path: PublicRoute.contactCard(token: Mock.token).path),
        eventTitle: "Rencontre trimestrielle", chapterName: "#LinkedInLocal Toulouse", name: "Ana Lopez", role: "Founder · Acme",
        askMeAbout: "Swift on the server", linkedin: "https://www.linkedin.com/in/ana-lopez",
        vcardURL: PublicRoute.contactVCard(token: Mock.token).path)
}

extension ErrorPage {
    static let mock = ErrorPage(chrome: Chrome(title: "Page not found", language: .en, path: PublicRoute.home.path),
                                status: 404, message: "This page does not exist.")
}

extension SimpleFormPage {
    static let mockApply = SimpleFormPage.apply(language: .en)
    static let mockApplyErrors = SimpleFormPage.apply(
        language: .en, form: FormFields("name=Ana&email=ana%40&city=&countryCode=XX&timeZone=Mars%2FOlympus&motivation=Because&locale=fr"),
        errors: ["email": "Enter an email address like name@example.org.", "city": "Required.", "countryCode": "Unknown country."])
    static let mockApplyThanks = SimpleFormPage.apply(language: .en, notice: "Thank you: we will answer by email.")
    static let mockUnsubscribe = SimpleFormPage.unsubscribe(token: Mock.token, language: .en, done: false)
    static let mockUnsubscribed = SimpleFormPage.unsubscribe(token: Mock.token, language: .fr, done: true)
}
