import Foundation
import Hummingbird
import NIOCore
import RendezvousBadges
import RendezvousDomain
import RendezvousLocalization
import RendezvousPersistence

/// Human bingo for organisers: the card size, generating every card before the evening, the
/// counts, and the printed cards (one A4 page each).
struct BingoController: OrganizeController {
    let services: AppServices

    var routes: [OrganizeEndpoint] {
        [
            .get(.bingo(.any), overview),
            .post(.bingoGenerate(.any), generate),
            .get(.bingoPDF(.any), pdf),
        ]
    }

    @Sendable func overview(_ request: Request, context: AppRequestContext) async throws -> Response {
        let detail = try await event(context)
        let id = detail.event.id
        let summary = try await persistence.bingo.summary(of: id)
        let size = summary.game?.size ?? 5
        var page = BingoOrganizePage(
            chrome: try chrome(t("bingo.org.title", context), context, path: OrganizeRoute.bingo(id).path),
            csrf: try session(context).csrfToken,
            title: detail.event.title, eventURL: OrganizeRoute.event(id).path,
            notice: request.uri.queryParameters.get("done") == "generated" ? t("bingo.org.generated", context) : nil,
            players: t("bingo.org.players", context, ["players": String(summary.players), "optedIn": String(summary.optedIn)]),
            cards: summary.cards > 0 ? t("bingo.org.cards", context, ["cards": String(summary.cards), "playable": String(summary.playableCards)]) : nil,
            progress: summary.cards > 0 ? t("bingo.org.progress", context, ["lines": String(summary.lines), "full": String(summary.fullCards)]) : nil,
            none: summary.cards == 0 ? t("bingo.org.none", context) : nil,
            generateURL: OrganizeRoute.bingoGenerate(id).path,
            pdfURL: summary.cards > 0 ? OrganizeRoute.bingoPDF(id).path : nil,
            sizes: BingoStore.sizes.map { .init(value: String($0), label: "\($0) × \($0)", selected: $0 == size) })
        page.replacing = summary.cards > 0
        if request.uri.queryParameters.get("error") == "confirm" { page.error = t("bingo.org.confirmNeeded", context) }
        return html(page, context)
    }

    @Sendable func generate(_ request: Request, context: AppRequestContext) async throws -> Response {
        let detail = try await event(context)
        let fields = try await form(request, context)
        guard let size = fields["size"].flatMap({ Int($0) }), BingoStore.sizes.contains(size) else { throw AppError.badRequest(detail: nil) }
        // Cards in play: new ones erase every tick and announcement, so the organiser must say so.
        if try await persistence.bingo.summary(of: detail.event.id).cards > 0, fields["replace"] == nil {
            return Response.redirect(to: OrganizeRoute.bingo(detail.event.id).path("error", "confirm") + "#generate", type: .normal)
        }
        let playable = try await persistence.bingo.generate(event: detail.event.id, size: size, now: now(), compute: { try await CPUWork.run($0) })
        try await log(context, chapter: detail.chapter.id, "bingo.generated", "\(detail.event.title): \(playable) (\(size)×\(size))")
        return Response.redirect(to: OrganizeRoute.bingo(detail.event.id).path("done", "generated"), type: .normal)
    }

    /// Every stored card, one A4 page each, in the organiser's language.
    @Sendable func pdf(_ request: Request, context: AppRequestContext) async throws -> Response {
        let detail = try await event(context)
        let language = context.language
        let heading = t("bingo.org.title", context)
        let title = "\(heading) · \(detail.event.title)"
        let footer = t("bingo.print.footer", context)
        // The evening as the chapter writes it: its time zone and language.
        let chapter = detail.chapter
        let when = DisplayFormatter(language: chapter.locale, timeZone: chapter.zone, region: chapter.countryCode).dateTime(detail.event.startsAt)
        let evening = "\(detail.event.title) · \(when)"
        let cards = try await persistence.bingo.cards(of: detail.event.id).filter { $0.card.size > 0 }.map { entry in
            PrintedBingoCard(holder: "\(entry.firstName) \(entry.lastName)", title: heading, event: evening, footer: footer, size: entry.card.size,
                             squares: entry.card.squares.map { Strings.bingoSquare($0, language) })
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bingo-\(UUID().uuidString).pdf").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await CPUWork.run { try BingoCardRenderer.writePDF(cards, to: path, title: title) }
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return Response(status: .ok, headers: [.contentType: "application/pdf", .contentDisposition: "inline; filename=\"bingo.pdf\"",
                                               .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
