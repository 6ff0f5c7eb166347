import Foundation
import Hummingbird
import RendezvousDomain
import RendezvousLocalization
import RendezvousPersistence

/// The pages anyone can see: network home, chapter, event. Each is a query function that returns
/// a view model and a thin handler that renders it; rendered pages are cached for at most a second.
struct PublicPagesController {
    let services: AppServices

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get(PublicRoute.home.routerPath, use: home)
        router.get(PublicRoute.network.routerPath, use: network)
        router.get(PublicRoute.chapter(slug: .any).routerPath, use: chapter)
        router.get(PublicRoute.event(.any).routerPath, use: event)
        // Quiz pictures: public like the pages that show them (the phones, the big screen).
        QuizImagesController(services: services).addRoutes(to: router)
        // Covers, logos, speaker photos and chapter colours.
        ImagesController(services: services).addRoutes(to: router)
    }

    @Sendable func home(_ request: Request, context: AppRequestContext) async throws -> Response {
        let language = context.language
        return try await cached("home:\(language.rawValue)", request: request) {
            (services.renderer.render(try await homePage(language: language)), language)
        }
    }

    func homePage(language: Language) async throws -> HomePage {
        let summaries = try await services.persistence.chapters.chapterSummaries(now: services.clock.now())
        let byCountry = Dictionary(grouping: summaries) { $0.chapter.countryCode }
        let anyChapter = summaries.first?.chapter ?? Chapter(slug: "x", name: "", city: "", countryCode: "FR", timeZone: "UTC", locale: language)
        let presenterForNames = Presenter(language: language, chapter: anyChapter)
        let countries = byCountry.map { code, summaries in
            HomePage.Country(
                name: presenterForNames.countryName(code),
                chapters: summaries.sorted { $0.chapter.name.localizedCompare($1.chapter.name) == .orderedAscending }.map { summary in
                    let presenter = Presenter(language: language, chapter: summary.chapter)
                    return HomePage.ChapterCard(
                        name: summary.chapter.name, city: summary.chapter.city,
                        url: PublicRoute.chapter(slug: summary.chapter.slug).path,
                        next: summary.nextEvent.map { presenter.card($0) })
                })
        }.sorted { $0.name.localizedCompare($1.name) == .orderedAscending }
        return HomePage(
            chrome: Chrome(title: Strings.text("home.title", language), language: language, path: PublicRoute.home.path),
            chapterCount: Strings.plural("home.chapters", count: summaries.count, language),
            countries: countries)
    }

    @Sendable func chapter(_ request: Request, context: AppRequestContext) async throws -> Response {
        let slug = try context.parameters.require("slug")
        guard ChapterInput.isValidSlug(slug) else { throw AppError.notFound }
        let preferred = LanguageMiddleware.preferred(request)
        return try await cached("chapter:\(slug):\(preferred?.rawValue ?? "own")", request: request) {
            guard let chapter = try await services.persistence.chapters.chapter(slug: slug) else { throw AppError.notFound }
            let language = preferred ?? chapter.locale
            return (services.renderer.render(try await chapterPage(chapter, language: language)), language)
        }
    }

    func chapterPage(_ chapter: Chapter, language: Language) async throws -> ChapterPage {
        let now = services.clock.now()
        let persistence = services.persistence
        let presenter = Presenter(language: language, chapter: chapter)
        async let upcoming = persistence.events.upcomingEvents(of: chapter.id, now: now)
        async let past = persistence.events.pastEvents(of: chapter.id, now: now)
        async let organizers = persistence.chapters.organizers(of: chapter.id)
        async let venues = persistence.chapters.usualVenues(of: chapter.id)
        async let brand = persistence.images.brand(of: chapter.id)
        async let covers = persistence.images.covers(of: chapter.id)
        let feed = services.absoluteURL(PublicRoute.chapterCalendar(slug: chapter.slug))
        let coverNames = try await covers
        return ChapterPage(
            chrome: Chrome(title: chapter.name, language: language, path: PublicRoute.chapter(slug: chapter.slug).path,
                           description: chapter.description),
            feedURL: feed.replacingOccurrences(of: "https://", with: "webcal://").replacingOccurrences(of: "http://", with: "webcal://"),
            feedDownloadURL: PublicRoute.chapterCalendar(slug: chapter.slug).path,
            name: chapter.name,
            logo: ImageUpload.url(try await brand.logo),
            brandStylesheet: ImageUpload.stylesheet(try await brand.color),
            place: "\(chapter.city), \(presenter.countryName(chapter.countryCode))",
            description: paragraphs(chapter.description),
            upcoming: try await upcoming.map { summary in
                var card = presenter.card(summary)
                card.cover = ImageUpload.url(coverNames[summary.event.id])
                return card
            },
            past: try await past.map { presenter.card($0, past: true) },
            organizers: try await organizers.map(\.name),
            venues: try await venues.map { VenueView(name: $0.name, address: $0.address, mapURL: $0.mapURL) },
            chapterURL: PublicRoute.chapter(slug: chapter.slug).path)
    }

    @Sendable func event(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let id = context.parameters.get("id").flatMap(Event.ID.init(string:)) else { throw AppError.notFound }
        // The cache is consulted before the database: a hit costs one dictionary lookup.
        let preferred = LanguageMiddleware.preferred(request)
        return try await cached("event:\(id):\(preferred?.rawValue ?? "own")", request: request) {
            guard let detail = try await services.persistence.events.eventDetail(id: id), detail.event.status != .draft else {
                throw AppError.notFound
            }
            let language = preferred ?? detail.chapter.locale
            let look = try await services.persistence.images.look(of: id)
            let questions = try await services.persistence.questions.questions(forEvent: id)
            let now = services.clock.now()
            let overbooking = try await PublicOverbooking.of(detail.event, confirmed: detail.occupancy.confirmed, persistence: services.persistence, now: now)
            var page = eventPage(detail, look: look, language: language, input: RegistrationInput(), errors: ValidationErrors(), questions: questions,
                                 overbooking: overbooking)
            // The other dates of the same series (the first evening and the second evenings opened
            // from its waitlist) anyone can still register for: "Also on …", each with its page.
            let presenter = Presenter(language: language, chapter: detail.chapter)
            page.otherDates = try await services.persistence.events.otherOpenDates(of: id, now: now)
                .map { .init(label: presenter.t("event.alsoOn", ["date": presenter.formatter.longDate($0.startsAt), "time": presenter.formatter.time($0.startsAt)]),
                             url: PublicRoute.event($0.id).path) }
            return (services.renderer.render(page), language)
        }
    }

    /// The event page, with the registration form filled with `input` and marked with `errors`.
    func eventPage(_ detail: EventDetail, look: EventLook, language: Language, input: RegistrationInput, errors: ValidationErrors,
                   questions: [RegistrationQuestion] = [], answers: [String: String] = [:], overbooking: PublicOverbooking? = nil) -> EventPage {
        let presenter = Presenter(language: language, chapter: detail.chapter)
        let f = presenter.formatter
        let event = detail.event
        let now = services.clock.now()
        let open = event.status == .published && now < event.startsAt
        var notice: String?
        if event.status == .cancelled { notice = presenter.t("event.cancelled") }
        else if now >= event.endsAt { notice = presenter.t("event.past") }
        let full = detail.occupancy.isFull
        let hidden = detail.occupancy.confirmed - detail.attendees.count
        let share = sharePreview(detail, formatter: f)
        let sameDay = Calendar.current.dateComponents(in: detail.chapter.zone, from: event.startsAt).day
            == Calendar.current.dateComponents(in: detail.chapter.zone, from: event.endsAt).day
        var page = EventPage(
            chrome: Chrome(title: event.title, language: language, path: PublicRoute.event(event.id).path,
                           description: "\(detail.chapter.name) · \(f.longDate(event.startsAt))"),
            title: event.title,
            chapterName: detail.chapter.name,
            chapterURL: PublicRoute.chapter(slug: detail.chapter.slug).path,
            chapterLogo: ImageUpload.url(look.brand.logo),
            brandStylesheet: ImageUpload.stylesheet(look.brand.color),
            cover: look.cover.map { .init(url: PublicRoute.image(name: $0).path, alt: look.coverAlt) },
            date: f.longDate(event.startsAt),
            timeRange: sameDay ? "\(f.time(event.startsAt)) – \(f.time(event.endsAt))" : "\(f.time(event.startsAt)) – \(f.dateTime(event.endsAt))",
            timeZoneNote: presenter.t("event.timeZone", ["zone": "\(detail.chapter.zone.identifier) (\(f.zoneName(event.startsAt)))"]),
            venue: detail.venue.map { VenueView(name: $0.name, address: $0.address, mapURL: $0.mapURL) },
            venueAccess: detail.venue == nil || look.venueAccess.isEmpty ? nil : look.venueAccess,
            // A cancelled evening has no seats nor waitlist to speak of (issue 15).
            availability: event.status == .cancelled ? presenter.t("eventStatus.cancelled") : presenter.availability(detail.occupancy),
            isFull: full && event.status != .cancelled,
            waitlistNote: full && event.status != .cancelled ? presenter.t("event.waitlistJoin") : nil,
            notice: notice,
            registerLabel: open ? presenter.t(full ? "form.submitWaitlist" : "event.registerButton") : nil,
            description: paragraphs(event.description),
            speakers: detail.speakers.map {
                .init(name: $0.name, role: presenter.role(jobTitle: $0.jobTitle, company: $0.company), bio: $0.bio.isEmpty ? nil : $0.bio,
                      photoURL: ImageUpload.url(look.speakerPhotos[$0.id]), initials: initials($0.name))
            },
            agenda: detail.agenda.map { .init(time: f.time($0.startsAt), title: $0.title) },
            attendees: detail.attendees.map {
                .init(name: "\($0.firstName) \($0.lastName)", role: presenter.role(jobTitle: $0.jobTitle, company: $0.company),
                      initials: initials($0.firstName, $0.lastName))
            },
            attendeeCount: detail.occupancy.confirmed > 0 && event.status != .cancelled ? presenter.plural(now >= event.endsAt ? "event.attendeeCountPast" : "event.attendeeCount", detail.occupancy.confirmed) : nil,
            hiddenAttendees: hidden > 0 && !detail.attendees.isEmpty ? presenter.plural("event.attendeesHidden", hidden) : nil,
            form: open ? {
                var form = ProfileForm(
                    action: PublicRoute.register(event.id).path, input: input, errors: errors,
                    submit: presenter.t(full ? "form.submitWaitlist" : "form.submitRegister"), language: language,
                    questions: questions, answers: answers)
                // Only people who will wait need it: a second evening is opened from the waitlist.
                if full { form.anyDate = CheckboxField(id: "f-anyDate", name: "anyDate", label: presenter.t("form.anyDate"), checked: input.anyDate ?? false) }
                form.heardFrom = ProfileForm.HeardFromField(input: input, errors: errors, language: language)
                form.conduct = ProfileForm.ConductBox(input: input, errors: errors, language: language)
                return form
            }() : nil,
            resend: event.status == .published && now < event.endsAt ? Resend(
                url: PublicRoute.resendLink(event.id).path,
                email: errors["email"] == .alreadyTaken ? (input.email ?? "") : "", open: errors["email"] == .alreadyTaken) : nil,
            calendarURL: PublicRoute.eventCalendar(event.id).path,
            share: share,
            shareLinks: ShareLinks(url: share.url, title: event.title, mailBody: "\(event.title) · \(share.description)"))
        page.isCancelled = event.status == .cancelled
        // Overbooking is said plainly: how many are confirmed for how many places, and how many are
        // expected (the JSON says the same, from the same `PublicOverbooking`).
        if let expected = overbooking?.expectedAttendance {
            page.expectedNote = presenter.t("event.overbookingNote", [
                "limit": f.number(event.seatLimit), "capacity": f.number(event.capacity), "expected": f.number(expected),
            ])
        }
        return page
    }

    func cached(_ key: String, request: Request, render: @escaping @Sendable () async throws -> (String, Language)) async throws -> Response {
        let entry = try await services.cache.page(key) {
            let (html, language) = try await render()
            return (ByteBuffer(string: html), language.rawValue)
        }
        let plain = PageRenderer.htmlResponse(entry.body, language: Language(rawValue: entry.language) ?? .en)
        return Gzip.response(headers: plain.headers, plain: entry.body, gzip: entry.gzip, request: request)
    }

    func sharePreview(_ detail: EventDetail, formatter f: DisplayFormatter) -> SharePreview {
        let url = services.absoluteURL(PublicRoute.event(detail.event.id))
        let image = services.absoluteURL(PublicRoute.shareImage(detail.event.id))
        let place = [detail.venue?.name, detail.chapter.city].compactMap { $0 }.joined(separator: ", ")
        let description = "\(f.longDate(detail.event.startsAt)) · \(f.time(detail.event.startsAt)) · \(place)"
        var location: [String: Any] = ["@type": "Place", "name": detail.venue?.name ?? detail.chapter.city]
        location["address"] = ["@type": "PostalAddress", "streetAddress": detail.venue?.address ?? "", "addressLocality": detail.chapter.city,
                               "addressCountry": detail.chapter.countryCode]
        var object: [String: Any] = [
            "@context": "https://schema.org", "@type": "Event", "name": detail.event.title, "url": url, "image": [image],
            "startDate": ISO8601.format(detail.event.startsAt, in: detail.chapter.zone), "endDate": ISO8601.format(detail.event.endsAt, in: detail.chapter.zone),
            "eventStatus": detail.event.status == .cancelled ? "https://schema.org/EventCancelled" : "https://schema.org/EventScheduled",
            "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode", "location": location,
            "organizer": ["@type": "Organization", "name": detail.chapter.name, "url": services.absoluteURL(PublicRoute.chapter(slug: detail.chapter.slug))],
            "isAccessibleForFree": true,
            "offers": ["@type": "Offer", "price": "0", "priceCurrency": "EUR", "url": url,
                       "availability": detail.occupancy.isFull ? "https://schema.org/SoldOut" : "https://schema.org/InStock"],
        ]
        if !detail.event.description.isEmpty { object["description"] = detail.event.description }
        if !detail.speakers.isEmpty { object["performer"] = detail.speakers.map { ["@type": "Person", "name": $0.name, "jobTitle": $0.jobTitle] } }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return SharePreview(url: url, image: image, description: description, jsonLD: Self.scriptSafe(String(decoding: data, as: UTF8.self)))
    }

    /// JSON inside a script element: nothing in it can close the element or open a comment.
    static func scriptSafe(_ json: String) -> String {
        json.replacingOccurrences(of: "<", with: "\\u003c").replacingOccurrences(of: ">", with: "\\u003e")
            .replacingOccurrences(of: "&", with: "\\u0026").replacingOccurrences(of: "\u{2028}", with: "\\u2028").replacingOccurrences(of: "\u{2029}", with: "\\u2029")
    }
}
