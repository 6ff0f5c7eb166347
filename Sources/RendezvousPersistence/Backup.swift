import Foundation
import Logging
import SQLKit

extension Persistence {
    public enum BackupError: Error, CustomStringConvertible {
        case postgres
        case exists(String)
        case notADatabase(String)

        public var description: String {
            switch self {
            case .postgres: "On PostgreSQL, back up with pg_dump (see docs/operations.md): `pg_dump --format=custom --file=rendezvous.dump \"$DATABASE_URL\"`."
            case .exists(let path): "\(path) exists already: choose a new file name (a backup never overwrites)."
            case .notADatabase(let path): "\(path) is not a Rendezvous database: \(path) does not open as SQLite or has no migrations table."
            }
        }
    }

    /// A consistent copy of the SQLite database taken while the server runs: `VACUUM INTO` reads
    /// the database in one read transaction (writers go on meanwhile) and writes a compact new
    /// file, so the copy holds every transaction committed before it began, and nothing half done.
    /// Answers the copy's size in bytes. The server key (`secret.key`) is not in the database and
    /// is not copied: keep it apart (a copy of the database alone opens no link).
    public func backup(to path: String) async throws -> Int {
        guard kind == .sqlite else { throw BackupError.postgres }
        guard !FileManager.default.fileExists(atPath: path) else { throw BackupError.exists(path) }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try await sql.raw("VACUUM INTO \(bind: path)").run()
        let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
        return size
    }

    /// Checks that a file is a Rendezvous SQLite database whose integrity holds; answers how many
    /// migrations it has applied.
    public static func checkBackup(at path: String, logger: Logger) async throws -> Int {
        guard FileManager.default.fileExists(atPath: path) else { throw BackupError.notADatabase(path) }
        let copy = try Persistence(url: "sqlite://" + path, logger: logger)
        do {
            struct Check: Decodable { var integrityCheck: String }
            let check = try await copy.sql.raw("PRAGMA integrity_check").row(Check.self)
            struct Count: Decodable { var count: Int }
            let migrations = try await copy.sql.raw("SELECT COUNT(*) AS count FROM _fluent_migrations").row(Count.self)?.count ?? 0
            await copy.shutdown()
            guard check?.integrityCheck == "ok", migrations > 0 else { throw BackupError.notADatabase(path) }
            return migrations
        } catch let error as BackupError {
            throw error
        } catch {
            await copy.shutdown()
            throw BackupError.notADatabase(path)
        }
    }

    /// Puts a backup in place of the database at `url` (the server stopped): the file is checked,
    /// copied beside the target, and renamed over it in one step; the old WAL files go.
    public static func restore(from path: String, to url: String, logger: Logger) async throws -> Int {
        guard !(url.hasPrefix("postgres://") || url.hasPrefix("postgresql://")) else { throw BackupError.postgres }
        let migrations = try await checkBackup(at: path, logger: logger)
        let target = sqlitePath(from: url)
        let staging = target + ".restoring"
        let manager = FileManager.default
        try? manager.removeItem(atPath: staging)
        try manager.createDirectory(atPath: URL(fileURLWithPath: target).deletingLastPathComponent().path, withIntermediateDirectories: true)
        try manager.copyItem(atPath: path, toPath: staging)
        for suffix in ["-wal", "-shm"] { try? manager.removeItem(atPath: target + suffix) }
        guard rename(staging, target) == 0 else { throw CocoaError(.fileWriteUnknown) }
        return migrations
    }
}
