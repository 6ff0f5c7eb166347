import Foundation
import Hummingbird
import NIOCore
import RendezvousDomain

/// Serves the pictures organisers uploaded (`/images/<id>-<digest>.<ext>`, as the server
/// re-encoded them) and the chapter colours' stylesheets (`/brand/<rrggbb>.css`). Both addresses
/// name their content, so they are cached for a year.
struct ImagesController {
    let services: AppServices

    static let immutable = "public, max-age=31536000, immutable"

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get(PublicRoute.image(name: .any).routerPath, use: image)
        router.get(PublicRoute.brandStyle(file: .any).routerPath, use: brandStyle)
    }

    @Sendable func image(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let name = context.parameters.get("name"), name.count <= 80,
              let image = try await services.persistence.images.image(name: name),
              ["image/png", "image/jpeg"].contains(image.contentType) else { throw AppError.notFound }
        let etag = "\"\(name)\""
        let headers: HTTPFields = [.contentType: image.contentType, .cacheControl: Self.immutable, .eTag: etag,
                                   .xContentTypeOptions: "nosniff", .contentDisposition: "inline"]
        if request.headers[.ifNoneMatch] == etag { return Response(status: .notModified, headers: headers) }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: image.bytes)))
    }

    @Sendable func brandStyle(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let file = context.parameters.get("file"), file.hasSuffix(".css"), file.count == 10,
              let color = BrandColor(String(file.dropLast(4))), color.digits == String(file.dropLast(4)) else { throw AppError.notFound }
        let css = ".branded{--brand:\(color.hex);--on-brand:\(color.textHex)}\n"
        return Response(status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: Self.immutable, .xContentTypeOptions: "nosniff"],
                        body: .init(byteBuffer: ByteBuffer(string: css)))
    }
}
