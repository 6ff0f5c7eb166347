import Foundation
import Hummingbird
import RendezvousDomain
import RendezvousImages
import RendezvousLocalization
import RendezvousPersistence

/// The chapter's look on its pages, share images and badges: a logo (uploaded, re-encoded as a
/// PNG of at most 512 px) and a colour (`#rrggbb`; text on it is white or ink, whichever reads).
struct BrandingController: OrganizeController {
    let services: AppServices

    var routes: [OrganizeEndpoint] {
        [
            .get(.branding(slug: .any), branding),
            .post(.branding(slug: .any), saveBranding),
        ]
    }

    func page(_ chapter: Chapter, brand: ChapterBrand, colorText: String, context: AppRequestContext, errors: [String: String] = [:],
              notice: String? = nil) throws -> BrandingPage {
        let color = BrandColor(colorText)
        return BrandingPage(
            chrome: try chrome(t("branding.title", context), context, path: OrganizeRoute.branding(slug: chapter.slug).path),
            heading: t("branding.title", context) + " · " + chapter.name,
            action: OrganizeRoute.branding(slug: chapter.slug).path, csrf: try session(context).csrfToken,
            notice: notice, error: errors.isEmpty ? nil : t("form.errors", context),
            logo: ImageFieldView(id: "f-logo", name: "logo", label: t("branding.logo", context), hint: t("branding.logoHint", context),
                                 imageURL: ImageUpload.url(brand.logo), imageAlt: chapter.name, error: errors["logo"],
                                 removeName: "removeLogo", removeLabel: t("branding.removeLogo", context)),
            color: FormField(name: "color", label: t("branding.color", context), value: colorText, required: false,
                             hint: t("branding.colorHint", context), error: errors["color"], maxLength: 7, autocomplete: "off"),
            brandStylesheet: errors["color"] == nil ? ImageUpload.stylesheet(color) : nil,
            colorSample: errors["color"] == nil ? color.map {
                t("branding.sample", context, ["text": t($0.prefersWhiteText ? "branding.white" : "branding.dark", context),
                                               "ratio": String(format: "%.1f", $0.textContrast)])
            } : nil,
            backURL: OrganizeRoute.dashboard(slug: chapter.slug).path)
    }

    @Sendable func branding(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await chapter(context)
        let brand = try await persistence.images.brand(of: chapter.id)
        return html(try page(chapter, brand: brand, colorText: brand.color?.hex ?? "", context: context), context)
    }

    @Sendable func saveBranding(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await chapter(context)
        let fields = try await MultipartForm.read(request)
        let brand = try await persistence.images.brand(of: chapter.id)
        var errors: [String: String] = [:]
        let colorText = fields.text("color").trimmingCharacters(in: .whitespaces)
        let color = BrandColor(colorText)
        if !colorText.isEmpty, color == nil { errors["color"] = t("branding.error.color", context) }
        var logo: NewImage?
        switch try await ImageUpload.read(fields.files["logo"], kind: .logo, language: context.language) {
        case .image(let image): logo = image
        case .refused(let message): errors["logo"] = message
        case nil: break
        }
        guard errors.isEmpty else {
            return html(try page(chapter, brand: brand, colorText: colorText, context: context, errors: errors), context, status: .unprocessableContent)
        }
        let remove = fields["removeLogo"] == "on"
        try await persistence.images.setBrand(chapter: chapter.id, logo: logo, removeLogo: remove, color: color, now: now())
        try await log(context, chapter: chapter.id, "chapter.branding", [color?.hex, logo != nil ? "logo" : remove ? "-logo" : nil].compactMap { $0 }.joined(separator: " "))
        services.cache.invalidate(prefixes: ["chapter:\(chapter.slug):", "home:", "event:"])
        let saved = try await persistence.images.brand(of: chapter.id)
        return html(try page(chapter, brand: saved, colorText: saved.color?.hex ?? "", context: context, notice: t("manage.saved", context)), context)
    }
}
