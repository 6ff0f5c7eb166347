import Foundation
import RendezvousDomain
import RendezvousImages
import RendezvousLocalization
import RendezvousPersistence

/// An uploaded picture made ready to store: checked by its bytes, re-encoded and resized on
/// `CPUWork` (`ImageProcessor`), or refused with a sentence for the field in the person's language.
enum ImageUpload {
    enum Outcome {
        case image(NewImage)
        case refused(String)
    }

    /// Nil when the file input was left empty.
    static func read(_ file: MultipartForm.File?, kind: ImageKind, language: Language) async throws -> Outcome? {
        guard let file, !file.bytes.isEmpty else { return nil }
        let bytes = file.bytes
        let result = try await CPUWork.run { ImageProcessor.process(bytes, kind: kind) }
        switch result {
        case .success(let image):
            return .image(NewImage(kind: kind.rawValue, contentType: image.contentType, bytes: image.bytes, width: image.width, height: image.height))
        case .failure(let problem):
            return .refused(message(problem, language))
        }
    }

    static func message(_ problem: ImageProblem, _ language: Language) -> String {
        switch problem {
        case .tooLarge: Strings.text("image.error.tooLarge", language, ["max": String(ImageProcessor.maxBytes / 1024 / 1024)])
        case .notAnImage: Strings.text("image.error.type", language)
        case .tooManyPixels: Strings.text("image.error.pixels", language, ["max": String(ImageProcessor.maxPixels / 1_000_000)])
        case .undecodable: Strings.text("image.error.unreadable", language)
        }
    }

    /// The public address of a stored picture.
    static func url(_ name: String?) -> String? { name.map { PublicRoute.image(name: $0).path } }

    /// The stylesheet that sets `--brand` and `--on-brand` for a chapter's colour.
    static func stylesheet(_ color: BrandColor?) -> String? { color.map { PublicRoute.brandStyle(file: "\($0.digits).css").path } }
}
