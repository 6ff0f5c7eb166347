import Foundation
import Hummingbird
import RendezvousDomain
import RendezvousImages
import RendezvousLocalization
import RendezvousPersistence

/// The optional profile photo of "My Rendezvous": uploaded from the profile page (checked and
/// re-encoded to at most 400 × 400 like the speakers' photos), removed in one tap, and served by
/// its unguessable name, privately (never cached by a shared cache: erased means gone).
extension MeController {
    @Sendable func savePhoto(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let (session, _) = try await session(request) else { throw SignedOut() }
        let form = try await MultipartForm.read(request)
        guard let sent = form["_csrf"], constantTimeEquals(sent, session.csrfToken) else { throw AppError.forbidden(messageKey: "error.csrf") }
        let photos = services.persistence.attendeePhotos
        if form.text("remove") == "yes" {
            try await photos.setPhoto(email: session.email, image: nil, now: services.clock.now())
            return .redirect(to: MeRoute.profile.path("done", "photoRemoved"), type: .normal)
        }
        switch try await ImageUpload.read(form.files["photo"], kind: .photo, language: context.language) {
        case .none:
            return try await profileWithPhotoError(session, context: context, Strings.text("me.photoMissing", context.language))
        case .refused(let message):
            return try await profileWithPhotoError(session, context: context, message)
        case .image(let image):
            try await photos.setPhoto(email: session.email, image: image, now: services.clock.now())
            return .redirect(to: MeRoute.profile.path("done", "photo"), type: .normal)
        }
    }

    func profileWithPhotoError(_ session: AttendeeSession, context: AppRequestContext, _ message: String) async throws -> Response {
        let p = try await services.persistence.attendees.profile(email: session.email)
        let input = RegistrationInput(firstName: p.firstName, lastName: p.lastName, email: session.email, jobTitle: p.jobTitle, company: p.company,
                                      linkedinUrl: p.linkedinURL, askMeAbout: p.askMeAbout)
        var page = profilePage(session, language: context.language, input: input, sharing: p.sharing, errors: ValidationErrors())
        try await addPhoto(to: &page, email: session.email)
        page.photoError = message
        return privatePage(page, language: context.language, status: .unprocessableContent)
    }

    /// The profile page's photo part: the current photo, if any.
    func addPhoto(to page: inout MeProfilePage, email: String) async throws {
        page.photoURL = try await services.persistence.attendeePhotos.photo(of: email).map { MeRoute.photoFile(name: $0).path }
    }

    @Sendable func photoFile(_ request: Request, context: AppRequestContext) async throws -> Response {
        let name = try context.parameters.require("name")
        guard let image = try await services.persistence.attendeePhotos.file(name: name) else { throw AppError.notFound }
        return Response(status: .ok, headers: [.contentType: image.contentType, .cacheControl: "private, max-age=86400",
                                               .contentLength: String(image.bytes.count)],
                        body: .init(byteBuffer: .init(bytes: image.bytes)))
    }
}
