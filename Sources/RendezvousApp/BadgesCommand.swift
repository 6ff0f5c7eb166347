import ArgumentParser
import Foundation
import RendezvousBadges
import RendezvousDomain
import RendezvousPersistence
import RendezvousWeb

/// `rendezvous badges --event ID --layout a4-8 -o badges.pdf`: the organisers' PDF, from the command line.
struct BadgesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "badges", abstract: "Print an event's name badges to a PDF.")

    @Option(help: "Event id.") var event: String?
    @Option(help: "Layout: \(BadgeLayout.allCases.map(\.rawValue).joined(separator: ", ")).") var layout: String = BadgeLayout.a4Eight.rawValue
    @Option(help: "Who: confirmed, seats (confirmed and open offers).") var include: String = BadgeSelection.confirmed.rawValue
    @Option(name: [.short, .customLong("output")], help: "The PDF to write.") var output: String = "badges.pdf"
    @Option(help: "Render N made-up badges without a database (for benchmarks).") var sample: Int?

    func validate() throws {
        guard BadgeLayout(rawValue: layout) != nil else { throw ValidationError("Unknown layout \(layout).") }
        guard BadgeSelection(rawValue: include) != nil, include != BadgeSelection.selection.rawValue else { throw ValidationError("--include must be confirmed or seats.") }
        guard event != nil || sample != nil else { throw ValidationError("Give --event ID.") }
    }

    func run() async throws {
        let layout = BadgeLayout(rawValue: layout)!
        let badges: [BadgeContent]
        if let sample {
            badges = (0..<sample).map { index in
                BadgeContent(firstName: ["Natalajia", "Jean-Christophe", "Zoé", "Марія", "王芳"][index % 5], lastName: "Quinquies \(index)",
                             jobTitle: "Consultante en stratégie", company: "Indépendante", askMeAbout: "le pitch en 60 secondes",
                             chapterName: "#LinkedInLocal Toulouse", eventDate: "16 janv. 2019", accent: BadgeContent.accent(for: "toulouse"),
                             contactURL: "https://rendezvous.example.org/c/\(UUID().uuidString)")
            }
        } else {
            let configuration = try AppConfiguration.fromEnvironment()
            let persistence = try openPersistence(configuration, logger: makeLogger(configuration))
            do {
                guard let id = event.flatMap(Event.ID.init(string:)), try await persistence.events.event(id: id) != nil else {
                    throw ValidationError("No event with the id \(event ?? "").")
                }
                badges = try await BadgeBuilder(persistence: persistence, baseURL: configuration.baseURL)
                    .badges(for: id, selection: BadgeSelection(rawValue: include)!)
            } catch {
                await persistence.shutdown()
                throw error
            }
            await persistence.shutdown()
        }
        let total = badges.count
        let started = Date()
        try BadgeRenderer.writePDF(badges, layout: layout, to: output) { done in
            Self.progress(done: done, total: total)
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: output)[.size] as? Int) ?? 0
        FileHandle.standardError.write(Data(String(format: "\n%d badges, %@, %.2f s, %d KB → %@\n", total, layout.rawValue,
                                                    Date().timeIntervalSince(started), size / 1024, output).utf8))
    }

    /// A progress bar on standard error, redrawn in place.
    static func progress(done: Int, total: Int) {
        let width = 30
        let filled = total == 0 ? width : done * width / total
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        FileHandle.standardError.write(Data("\r\(bar) \(done)/\(total)".utf8))
    }
}
