import Foundation
import HTTPTypes
import Hummingbird

/// Health check, static assets and the OpenAPI document: all served from memory.
struct SystemController {
    let assets: [String: (body: ByteBuffer, contentType: String)]
    let openAPI: ByteBuffer

    init() throws {
        func load(_ name: String) throws -> ByteBuffer {
            guard let url = Bundle.module.url(forResource: name, withExtension: nil) else { throw AppError.notFound }
            return ByteBuffer(bytes: try Data(contentsOf: url))
        }
        assets = [
            "app.css": (try load("Public/app.css"), "text/css; charset=utf-8"),
            "app.js": (try load("Public/app.js"), "text/javascript; charset=utf-8"),
            "door.js": (try load("Public/door.js"), "text/javascript; charset=utf-8"),
            "room.js": (try load("Public/room.js"), "text/javascript; charset=utf-8"),
            "live.js": (try load("Public/live.js"), "text/javascript; charset=utf-8"),
            "quiz.js": (try load("Public/quiz.js"), "text/javascript; charset=utf-8"),
            "door-sw.js": (try load("Public/door-sw.js"), "text/javascript; charset=utf-8"),
            "favicon.svg": (try load("Public/favicon.svg"), "image/svg+xml"),
        ]
        openAPI = try load("openapi.json")
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get(PublicRoute.healthz.routerPath) { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"],
                     body: .init(byteBuffer: ByteBuffer(staticString: "{\"status\":\"ok\"}")))
        }
        router.get(PublicRoute.staticFile(.any).routerPath) { _, context in
            guard let name = context.parameters.get("file"), let asset = assets[name] else { throw AppError.notFound }
            return Response(status: .ok, headers: [.contentType: asset.contentType, .cacheControl: "public, max-age=31536000, immutable"],
                            body: .init(byteBuffer: asset.body))
        }
        // Browsers ask for /favicon.ico whatever the page says: send them to the icon.
        router.get(PublicRoute.favicon.routerPath) { _, _ in
            Response(status: .movedPermanently, headers: [.location: SiteRoute.favicon, .cacheControl: "public, max-age=86400"])
        }
        // The door's service worker, served from /door/ so that its scope covers the door pages.
        router.get(DoorRoute.serviceWorker.routerPath) { _, _ in
            guard let asset = assets["door-sw.js"] else { throw AppError.notFound }
            return Response(status: .ok, headers: [.contentType: asset.contentType, .cacheControl: "no-cache"], body: .init(byteBuffer: asset.body))
        }
        router.get(APIRoute.openAPI.routerPath) { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json", .accessControlAllowOrigin: "*"],
                     body: .init(byteBuffer: openAPI))
        }
    }
}
