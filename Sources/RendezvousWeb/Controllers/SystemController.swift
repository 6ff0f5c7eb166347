import Foundation
import HTTPTypes
import Hummingbird

/// Health check, static assets and the OpenAPI document: all served from memory, each compressed
/// once at start (gzip at its best level) so a client that takes gzip gets ready bytes.
struct SystemController {
    struct Asset {
        var body: ByteBuffer
        var gzip: ByteBuffer?
        var contentType: String

        init(_ body: ByteBuffer, _ contentType: String) {
            self.body = body
            self.contentType = contentType
            gzip = body.readableBytes >= Gzip.minimumSize ? Gzip.compress(body, level: .bestCompression) : nil
        }
    }

    let assets: [String: Asset]
    let openAPI: Asset

    init() throws {
        func load(_ name: String) throws -> ByteBuffer {
            guard let url = Bundle.module.url(forResource: name, withExtension: nil) else { throw AppError.notFound }
            return ByteBuffer(bytes: try Data(contentsOf: url))
        }
        assets = [
            "app.css": Asset(try load("Public/app.css"), "text/css; charset=utf-8"),
            "app.js": Asset(try load("Public/app.js"), "text/javascript; charset=utf-8"),
            "door.js": Asset(try load("Public/door.js"), "text/javascript; charset=utf-8"),
            "room.js": Asset(try load("Public/room.js"), "text/javascript; charset=utf-8"),
            "live.js": Asset(try load("Public/live.js"), "text/javascript; charset=utf-8"),
            "quiz.js": Asset(try load("Public/quiz.js"), "text/javascript; charset=utf-8"),
            "door-sw.js": Asset(try load("Public/door-sw.js"), "text/javascript; charset=utf-8"),
            "favicon.svg": Asset(try load("Public/favicon.svg"), "image/svg+xml"),
        ]
        openAPI = Asset(try load("openapi.json"), "application/json")
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get(PublicRoute.healthz.routerPath) { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"],
                     body: .init(byteBuffer: ByteBuffer(staticString: "{\"status\":\"ok\"}")))
        }
        router.get(PublicRoute.staticFile(.any).routerPath) { request, context in
            guard let name = context.parameters.get("file"), let asset = assets[name] else { throw AppError.notFound }
            return Gzip.response(headers: [.contentType: asset.contentType, .cacheControl: "public, max-age=31536000, immutable"],
                                 plain: asset.body, gzip: asset.gzip, request: request)
        }
        // Browsers ask for /favicon.ico whatever the page says: send them to the icon.
        router.get(PublicRoute.favicon.routerPath) { _, _ in
            Response(status: .movedPermanently, headers: [.location: SiteRoute.favicon, .cacheControl: "public, max-age=86400"])
        }
        // The door's service worker, served from /door/ so that its scope covers the door pages.
        router.get(DoorRoute.serviceWorker.routerPath) { request, _ in
            guard let asset = assets["door-sw.js"] else { throw AppError.notFound }
            return Gzip.response(headers: [.contentType: asset.contentType, .cacheControl: "no-cache"], plain: asset.body, gzip: asset.gzip, request: request)
        }
        router.get(APIRoute.openAPI.routerPath) { request, _ in
            Gzip.response(headers: [.contentType: openAPI.contentType, .accessControlAllowOrigin: "*"],
                          plain: openAPI.body, gzip: openAPI.gzip, request: request)
        }
    }
}
