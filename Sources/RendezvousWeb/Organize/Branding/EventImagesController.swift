import Foundation
import Hummingbird
import RendezvousDomain
import RendezvousImages
import RendezvousLocalization
import RendezvousPersistence

/// An event's cover picture (with the alternative text organisers write) and its speakers'
/// photos. Uploads are re-encoded on the server (`ImageUpload`); the uploaded bytes are never kept.
struct EventImagesController: OrganizeController {
    let services: AppServices

    static let altMaxLength = 250

    var routes: [OrganizeEndpoint] {
        [
            .get(.eventImages(.any), images),
            .post(.eventImages(.any), saveCover),
            .post(.speakerPhoto(.any, speaker: .any), saveSpeakerPhoto),
        ]
    }

    func page(_ detail: EventDetail, look: EventLook, alt: String, context: AppRequestContext, errors: [String: String] = [:],
              speakerErrors: [Speaker.ID: String] = [:], notice: String? = nil) async throws -> EventImagesPage {
        let event = detail.event
        let editable = try await persistence.images.editableSpeakers(of: event.id, chapter: detail.chapter.id)
        let csrf = try session(context).csrfToken
        return EventImagesPage(
            chrome: try chrome(t("images.title", context), context, path: OrganizeRoute.eventImages(event.id).path),
            heading: t("images.title", context) + " · " + event.title,
            action: OrganizeRoute.eventImages(event.id).path, csrf: csrf, notice: notice,
            error: errors.isEmpty ? nil : t("form.errors", context),
            cover: ImageFieldView(id: "f-cover", name: "cover", label: t("images.cover", context), hint: t("images.coverHint", context),
                                  imageURL: ImageUpload.url(look.cover), imageAlt: look.coverAlt, error: errors["cover"],
                                  removeName: "removeCover", removeLabel: t("images.removeCover", context)),
            alt: FormField(name: "coverAlt", label: t("images.alt", context), value: alt, required: false, hint: t("images.altHint", context),
                           error: errors["coverAlt"], maxLength: Self.altMaxLength, autocomplete: "off"),
            speakers: editable.map { speaker in
                EventImagesPage.SpeakerPhoto(
                    name: speaker.name, action: OrganizeRoute.speakerPhoto(event.id, speaker: speaker.speaker).path,
                    field: ImageFieldView(id: "f-photo-\(speaker.speaker)", name: "photo", label: t("images.photo", context, ["name": speaker.name]),
                                          hint: t("images.photoHint", context), imageURL: ImageUpload.url(speaker.photo), imageAlt: speaker.name,
                                          error: speakerErrors[speaker.speaker], removeName: "removePhoto", removeLabel: t("images.removePhoto", context)))
            },
            speakersNote: editable.isEmpty ? t("images.noSpeakers", context) : nil,
            publicURL: PublicRoute.event(event.id).path,
            backURL: OrganizeRoute.editEvent(event.id).path)
    }

    @Sendable func images(_ request: Request, context: AppRequestContext) async throws -> Response {
        let detail = try await event(context)
        let look = try await persistence.images.look(of: detail.event.id)
        return html(try await page(detail, look: look, alt: look.coverAlt, context: context), context)
    }

    @Sendable func saveCover(_ request: Request, context: AppRequestContext) async throws -> Response {
        let detail = try await event(context)
        let fields = try await MultipartForm.read(request)
        let look = try await persistence.images.look(of: detail.event.id)
        var errors: [String: String] = [:]
        var problems = ValidationErrors()
        let alt = TextRules.clean(fields["coverAlt"], field: "coverAlt", required: false, maxLength: Self.altMaxLength, into: &problems)
        if let problem = problems["coverAlt"] { errors["coverAlt"] = Strings.message(for: problem, context.language) }
        var cover: NewImage?
        switch try await ImageUpload.read(fields.files["cover"], kind: .cover, language: context.language) {
        case .image(let image): cover = image
        case .refused(let message): errors["cover"] = message
        case nil: break
        }
        let remove = fields["removeCover"] == "on" && cover == nil
        // A cover is described for people who cannot see it.
        if errors["coverAlt"] == nil, alt.isEmpty, errors["cover"] == nil, cover != nil || (look.cover != nil && !remove) {
            errors["coverAlt"] = t("images.error.alt", context)
        }
        guard errors.isEmpty else {
            return html(try await page(detail, look: look, alt: alt, context: context, errors: errors), context, status: .unprocessableContent)
        }
        try await persistence.images.setCover(event: detail.event.id, chapter: detail.chapter.id, image: cover, remove: remove,
                                              alt: remove ? "" : alt, now: now())
        try await log(context, chapter: detail.chapter.id, "event.images", detail.event.title)
        services.cache.invalidate(prefixes: ["event:\(detail.event.id):", "chapter:\(detail.chapter.slug):", "home:"])
        let saved = try await persistence.images.look(of: detail.event.id)
        return html(try await page(detail, look: saved, alt: saved.coverAlt, context: context, notice: t("manage.saved", context)), context)
    }

    @Sendable func saveSpeakerPhoto(_ request: Request, context: AppRequestContext) async throws -> Response {
        let detail = try await event(context)
        guard let speaker = context.parameters.get("speaker").flatMap(Speaker.ID.init(string:)),
              try await persistence.images.editableSpeakers(of: detail.event.id, chapter: detail.chapter.id).contains(where: { $0.speaker == speaker })
        else { throw AppError.notFound }
        let fields = try await MultipartForm.read(request)
        var photo: NewImage?
        switch try await ImageUpload.read(fields.files["photo"], kind: .photo, language: context.language) {
        case .image(let image): photo = image
        case .refused(let message):
            let look = try await persistence.images.look(of: detail.event.id)
            return html(try await page(detail, look: look, alt: look.coverAlt, context: context, speakerErrors: [speaker: message]), context,
                        status: .unprocessableContent)
        case nil: break
        }
        if photo != nil || fields["removePhoto"] == "on" {
            do {
                try await persistence.images.setSpeakerPhoto(speaker: speaker, event: detail.event.id, chapter: detail.chapter.id, image: photo, now: now())
            } catch ImageStore.ImageError.notFound {
                throw AppError.notFound
            }
            try await log(context, chapter: detail.chapter.id, "event.images", detail.event.title)
            // A speaker's photo shows on every event they speak at.
            services.cache.invalidate(prefixes: ["event:"])
        }
        let look = try await persistence.images.look(of: detail.event.id)
        return html(try await page(detail, look: look, alt: look.coverAlt, context: context, notice: t("manage.saved", context)), context)
    }
}
