import ArgumentParser
import Foundation
import Logging
import RendezvousPersistence

/// `rendezvous copy --from sqlite://… --to postgres://…`: moves a whole network to another
/// database (and back), with a progress bar, verified table by table.
struct CopyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy a whole network from one database to another (SQLite to PostgreSQL, or back), verified.",
        discussion: """
            Stop the servers first. The target is migrated and must be empty. Every table is copied, then \
            row counts and checksums of every value are compared table by table. Links already sent keep \
            working only with the same server key: start the new deployment with SECRET_KEY_FILE naming \
            the old secret.key (beside the SQLite file), or the same SECRET_KEY.
            """)

    @Option(help: "The database to copy from (sqlite://PATH or postgres://…).") var from: String
    @Option(help: "The database to copy into: migrated, and empty.") var to: String
    @Flag(help: "No progress bar.") var quiet = false

    func run() async throws {
        var logger = Logger(label: "rendezvous-copy")
        logger.logLevel = .warning
        let source = try Persistence(url: from, logger: logger)
        let target = try Persistence(url: to, logger: logger)
        let started = Date()
        let interactive = isatty(STDERR_FILENO) == 1
        let lastDrawn = LockedDate()
        do {
            let report = try await Persistence.copy(from: source, to: target) { table, copied, total in
                guard !quiet else { return }
                // At most ten lines a second, and the last one always.
                guard copied == total || lastDrawn.elapsed() > 0.1 else { return }
                let fraction = total == 0 ? 1 : Double(copied) / Double(total)
                let width = 30
                let filled = Int((fraction * Double(width)).rounded(.down))
                let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
                let line = "[\(bar)] \(String(format: "%3d", Int(fraction * 100)))% \(copied)/\(total) rows \(table)"
                FileHandle.standardError.write(Data((interactive ? "\r\u{1B}[K" + line : line + "\n").utf8))
            }
            if interactive, !quiet { FileHandle.standardError.write(Data("\n".utf8)) }
            let rows = report.map(\.rows).reduce(0, +)
            for table in report where table.rows > 0 {
                print("  \(table.name.padding(toLength: 28, withPad: " ", startingAt: 0)) \(String(format: "%8d", table.rows)) rows  checksum \(table.checksum)")
            }
            print("Copied and verified \(rows) rows in \(report.count) tables in \(String(format: "%.1f", Date().timeIntervalSince(started))) s.")
        } catch let error as Persistence.CopyError {
            await source.shutdown()
            await target.shutdown()
            throw ValidationError(error.description)
        } catch {
            await source.shutdown()
            await target.shutdown()
            throw error
        }
        await source.shutdown()
        await target.shutdown()
    }
}

/// When the progress bar was last drawn.
final class LockedDate: @unchecked Sendable {
    private let lock = NSLock()
    private var last = Date.distantPast

    /// Seconds since the last call that returned more than 0.1 (and restarts the count then).
    func elapsed() -> TimeInterval {
        lock.withLock {
            let seconds = Date().timeIntervalSince(last)
            if seconds > 0.1 { last = Date() }
            return seconds
        }
    }
}
