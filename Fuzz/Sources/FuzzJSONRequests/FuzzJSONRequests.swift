import Foundation
import RendezvousDomain

/// The JSON API's request bodies that carry more than optional strings and numbers (an event, a
/// chapter, a registration, a room setup, a quiz question, a quiz answer): any bytes decode or
/// throw, and whatever decodes validates (to a value or to field errors) without trapping.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONRequests(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let body = Data(buffer: bytes)
    let decoder = JSONDecoder()
    if let input = try? decoder.decode(EventInput.self, from: body) { _ = input.validated() }
    if let input = try? decoder.decode(ChapterInput.self, from: body) { _ = input.validated() }
    if let input = try? decoder.decode(RegistrationInput.self, from: body) {
        _ = input.validated(strict: true)
        _ = input.validated(strict: false)
    }
    if let input = try? decoder.decode(RoomSetupInput.self, from: body) { _ = input.validated() }
    if let input = try? decoder.decode(QuizQuestionInput.self, from: body), case .success(let question) = input.validated() {
        // An answer to the question just made, from the same body.
        if let answer = try? decoder.decode(QuizAnswer.self, from: body) { _ = answer.validated(for: question) }
    }
    if let answer = try? decoder.decode(QuizAnswer.self, from: body) {
        for kind in ["single", "multiple", "trueFalse", "number", "word"] {
            let sample = QuizQuestionInput(kind: kind, prompt: "?", choices: "*a\nb", truth: "true", answer: "42", accepted: "réseau", seconds: "20", points: "1")
            if case .success(let question) = sample.validated() { _ = answer.validated(for: question) }
        }
    }
    return 0
}
