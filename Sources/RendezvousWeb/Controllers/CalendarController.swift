import Foundation
import Hummingbird
import NIOCore
import NIOPosix
import RendezvousBadges
import RendezvousImages
import RendezvousDomain
import RendezvousLocalization
import RendezvousPersistence

/// Calendar files and feeds, the picture shown when a link is shared, and unsubscribing.
struct CalendarController {
    let services: AppServices

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get(PublicRoute.eventCalendar(.any).routerPath, use: eventCalendar)
        router.get(PublicRoute.chapterCalendar(slug: .any).routerPath, use: chapterFeed)
        router.get(PublicRoute.shareImage(.any).routerPath, use: shareImage)
        router.get(PublicRoute.unsubscribe(token: .any).routerPath, use: unsubscribeForm)
        router.post(PublicRoute.unsubscribe(token: .any).routerPath, use: unsubscribe)
    }

    var host: String { URL(string: services.configuration.baseURL)?.host ?? "localhost" }

    func entry(_ event: Event, venue: Venue?, chapter: Chapter, sequence: Int) -> ICalendar.Entry {
        ICalendar.Entry(uid: "event-\(event.id)@\(host)", sequence: sequence, title: event.title, description: event.description,
                        location: [venue?.name, venue?.address].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ", "),
                        url: services.absoluteURL(PublicRoute.event(event.id)), startsAt: event.startsAt, endsAt: event.endsAt,
                        cancelled: event.status == .cancelled, organizerName: chapter.name)
    }

    static func ics(_ text: String, filename: String) -> Response {
        Response(status: .ok, headers: [.contentType: "text/calendar; charset=utf-8", .contentDisposition: "inline; filename=\"\(filename)\"",
                                        .cacheControl: "public, max-age=300"],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    @Sendable func eventCalendar(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let id = context.parameters.get("id").flatMap(Event.ID.init(string:)),
              let detail = try await services.persistence.events.eventDetail(id: id), detail.event.status != .draft else { throw AppError.notFound }
        let sequence = try await services.persistence.outbox.eventSequence(id)
        return Self.ics(ICalendar.calendar(name: detail.chapter.name, zone: detail.chapter.zone,
                                           entries: [entry(detail.event, venue: detail.venue, chapter: detail.chapter, sequence: sequence)],
                                           now: services.clock.now()),
                        // Named for a downloads folder: "toulouse-2027-04-21-rencontre-d-avril.ics", not "event.ics" for every meetup.
                        filename: DownloadName.slug([detail.chapter.slug, EventForm.localDay(detail.event.startsAt, detail.chapter.zone), detail.event.title],
                                                    fallback: "event") + ".ics")
    }

    /// The chapter's upcoming meetups, for calendar apps to subscribe to (webcal:// on the chapter page).
    @Sendable func chapterFeed(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let slug = context.parameters.get("slug"), let chapter = try await services.persistence.chapters.chapter(slug: slug) else { throw AppError.notFound }
        let upcoming = try await services.persistence.events.upcomingEvents(of: chapter.id, now: services.clock.now())
        var entries: [ICalendar.Entry] = []
        for summary in upcoming {
            entries.append(entry(summary.event, venue: summary.venue, chapter: chapter, sequence: try await services.persistence.outbox.eventSequence(summary.event.id)))
        }
        return Self.ics(ICalendar.calendar(name: chapter.name, zone: chapter.zone, entries: entries, now: services.clock.now()), filename: "\(chapter.slug).ics")
    }

    @Sendable func shareImage(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let id = context.parameters.get("id").flatMap(Event.ID.init(string:)),
              let detail = try await services.persistence.events.eventDetail(id: id), detail.event.status != .draft else { throw AppError.notFound }
        let f = DisplayFormatter(language: detail.chapter.locale, timeZone: detail.chapter.zone, region: detail.chapter.countryCode)
        let date = "\(f.longDate(detail.event.startsAt)) · \(f.time(detail.event.startsAt))"
        let place = [detail.venue?.name, detail.chapter.city].compactMap { $0 }.joined(separator: ", ")
        let (title, chapter, slug) = (detail.event.title, detail.chapter.name, detail.chapter.slug)
        let look = try await services.persistence.images.look(of: id)
        // Keyed by everything the picture shows: any change to the event draws a new one (a new
        // picture is a new name).
        let key = [detail.event.id.description, title, date, place, chapter, slug, look.cover ?? "", look.brand.logo ?? "",
                   look.brand.color?.hex ?? ""].joined(separator: "\u{1F}")
        var image = await services.shareImages.existing(for: key)
        if image == nil {
            image = try await drawShareImage(key: key, look: look, title: title, date: date, place: place, chapter: chapter, slug: slug)
        }
        guard let image else { throw AppError.notFound }
        let headers: HTTPFields = [.contentType: "image/png", .cacheControl: "public, max-age=3600", .eTag: image.etag]
        if request.headers[.ifNoneMatch] == image.etag { return Response(status: .notModified, headers: headers) }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: image.png))
    }

    /// Reads the pictures the share image shows (only when it is not drawn yet) and draws it.
    func drawShareImage(key: String, look: EventLook, title: String, date: String, place: String, chapter: String,
                        slug: String) async throws -> ShareImageCache.Image {
        let persistence = services.persistence
        var coverBytes: Data?, logoBytes: Data?
        if let cover = look.cover { coverBytes = try await persistence.images.image(name: cover)?.bytes }
        if let logo = look.brand.logo { logoBytes = try await persistence.images.image(name: logo)?.bytes }
        let (coverData, logoData, color) = (coverBytes, logoBytes, look.brand.color)
        return try await services.shareImages.image(for: key) {
            let cover = coverData.flatMap { ImageProcessor.png([UInt8]($0), width: 1200, height: 480, fill: true) }
            return [UInt8](try ShareImage.png(title: title, date: date, place: place, chapter: chapter,
                                              accent: color?.rgb ?? BadgeContent.accent(for: slug), accentText: color?.text ?? (1, 1, 1),
                                              cover: cover, logo: logoData.map { [UInt8]($0) }))
        }
    }

    @Sendable func unsubscribeForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        guard try await services.persistence.outbox.isUnsubscribeToken(token) else { throw AppError.notFound }
        return services.renderer.response(SimpleFormPage.unsubscribe(token: token, language: context.language, done: false), language: context.language)
    }

    /// One-click unsubscribe (RFC 8058): mail clients post here without a page in between.
    @Sendable func unsubscribe(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        guard try await services.persistence.outbox.unsubscribe(token: token) else { throw AppError.notFound }
        return services.renderer.response(SimpleFormPage.unsubscribe(token: token, language: context.language, done: true), language: context.language)
    }
}
