import Foundation
@testable import RendezvousWeb
import Testing

/// Page snapshots: a page rendered from a fixed view model, compared byte for byte with
/// `Tests/RendezvousTests/Snapshots/<name>.html`. A missing snapshot is written and the test fails
/// saying so; `RECORD_SNAPSHOTS=1` rewrites every snapshot a run compares.
enum Snapshot {
    /// `Tests/RendezvousTests/Snapshots`, found from this file, so any working directory will do.
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Snapshots")

    static var recording: Bool { ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" }

    /// One renderer for every snapshot test: it loads the templates once.
    static let renderer = Task { try await PageRenderer() }

    /// Renders `page` and compares it with the snapshot `name` (by default the page's template,
    /// `public/home` → `Snapshots/public/home.html`; give a name for a second state of a page).
    static func check<P: Page>(_ page: P, named name: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let renderer = try await renderer.value
        // Rendering a page without its template stops the process: fail the test first.
        try #require(renderer.hasTemplate(P.template), "\(P.self) names the template \(P.template), which does not exist", sourceLocation: sourceLocation)
        let html = renderer.render(page)
        try check(html, named: name ?? P.template, sourceLocation: sourceLocation)
    }

    /// Compares `text` with the snapshot `name`, writing it when missing or when recording.
    static func check(_ text: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let file = directory.appendingPathComponent(name + ".html")
        let stored = try? String(contentsOf: file, encoding: .utf8)
        if recording || stored == nil {
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: file)
            if stored == nil {
                Issue.record("No snapshot \(name).html: written now from this run, check it and run the tests again", sourceLocation: sourceLocation)
            }
            return
        }
        guard let stored, stored != text else { return }
        Issue.record("\(name).html differs from the snapshot. \(firstDifference(stored, text)) Rerun with RECORD_SNAPSHOTS=1 if the change is intended.",
                     sourceLocation: sourceLocation)
    }

    /// Where two texts part, by line: enough to see what changed without a diff tool.
    static func firstDifference(_ expected: String, _ actual: String) -> String {
        let old = expected.components(separatedBy: "\n"), new = actual.components(separatedBy: "\n")
        for index in 0..<max(old.count, new.count) {
            let was = index < old.count ? old[index] : "(end)", now = index < new.count ? new[index] : "(end)"
            if was != now { return "Line \(index + 1) was\n  \(was)\nand is now\n  \(now)\n" }
        }
        return "Same lines, different bytes."
    }
}
