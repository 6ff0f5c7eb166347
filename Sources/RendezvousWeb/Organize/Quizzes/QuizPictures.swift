import Foundation
import Hummingbird
import NIOCore
import RendezvousDomain

/// Question pictures: what an upload may be, and the public address that serves them.
enum QuizPicture {
    /// 2 MiB: a photo from a phone, resized, or a screenshot.
    static let maxSize = 2 * 1024 * 1024

    enum Problem: Error, Equatable {
        case tooLarge
        case notAPicture
    }

    /// The picture's type read from its first bytes (never from its name or the browser's claim):
    /// PNG, JPEG, WebP or GIF; nil for anything else.
    static func contentType(of bytes: [UInt8]) -> String? {
        func starts(_ prefix: [UInt8], at offset: Int = 0) -> Bool {
            bytes.count >= offset + prefix.count && Array(bytes[offset..<offset + prefix.count]) == prefix
        }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
        if starts([0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8)) { return "image/gif" }
        if starts(Array("RIFF".utf8)), starts(Array("WEBP".utf8), at: 8) { return "image/webp" }
        return nil
    }

    /// The type to store, or why the upload is refused.
    static func check(_ bytes: [UInt8]) -> Result<String, Problem> {
        guard bytes.count <= maxSize else { return .failure(.tooLarge) }
        guard let type = contentType(of: bytes) else { return .failure(.notAPicture) }
        return .success(type)
    }

    static let servedTypes: Set<String> = ["image/png", "image/jpeg", "image/webp", "image/gif"]
}

/// Serves `/quiz-images/:id` to anyone: the phones and the big screen show them. An id is a
/// random UUID and a picture never changes (a new upload gets a new id), so it is cached for a year.
struct QuizImagesController {
    let services: AppServices

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get(PublicRoute.quizImage(id: .any).routerPath, use: image)
    }

    @Sendable func image(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let id = context.parameters.get("id"), UUID(uuidString: id) != nil,
              let image = try await services.persistence.quizzes.image(id: id), QuizPicture.servedTypes.contains(image.contentType) else {
            throw AppError.notFound
        }
        return Response(
            status: .ok,
            headers: [.contentType: image.contentType, .cacheControl: "public, max-age=31536000, immutable",
                      .xContentTypeOptions: "nosniff", .contentDisposition: "inline"],
            body: .init(byteBuffer: ByteBuffer(bytes: image.bytes)))
    }
}
