import Foundation
import RendezvousDomain
import RendezvousLocalization
@testable import RendezvousWeb
import Testing

/// The words `quiz.js` shows: counts of players agree with their number in both languages.
@Suite("Quiz words")
struct QuizLabelTests {
    static func labels(_ language: Language) throws -> [String: String] {
        try JSONDecoder().decode([String: String].self, from: Data(QuizLiveAttributes.labels(language).utf8))
    }

    @Test func playerCountsAreSingularOrPlural() throws {
        let en = try Self.labels(.en), fr = try Self.labels(.fr)
        // quiz.js takes `players.<count>` when there is one, else `players`.
        #expect(en["players.1"] == "{players} player" && en["players.0"] == "{players} players" && en["players"] == "{players} players")
        #expect(fr["players.1"] == "{players} joueur" && fr["players.0"] == "{players} joueur" && fr["players"] == "{players} joueurs")
        let script = try String(contentsOf: PageSnapshotTests.sources.appendingPathComponent("Public/quiz.js"), encoding: .utf8)
        #expect(script.contains("L['players.' + state.players] || L.players"))
    }
}
