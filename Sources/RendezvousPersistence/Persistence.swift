import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Logging
import NIOCore
import NIOPosix
import RendezvousDomain
import SQLKit

/// The database behind Rendezvous: SQLite on one small machine, PostgreSQL for a large network.
/// Fluent records and SQL stay inside this module; plain value types leave it.
public final class Persistence: Sendable {
    public enum Kind: String, Sendable { case sqlite, postgres }

    public let kind: Kind
    /// The database URL it was opened with (tests open further "instances" on the same database).
    let url: String
    let databases: Databases
    let logger: Logger
    /// SQLite has one writer at a time: writers queue here instead of spinning in SQLite's busy handler.
    let writeGate = AsyncGate()
    /// Derives the tokens in links from per-registration salts; the database never holds a token.
    public let tokens: TokenVault
    /// Registrations waiting to be committed together.
    let registrationQueue = RegistrationQueue()
    /// The network's insights as last rolled up (`NetworkStore.networkRollup(now:maxAge:)`).
    let networkMemo = NetworkMemo()
    /// Quiz answers waiting to be committed together (the last second before a deadline).
    let quizAnswerQueue = GroupCommit<QuizAnswerRequest, QuizAnswerOutcome>(maxBatch: 1000)

    public init(url: String, logger: Logger, tokens: TokenVault = .ephemeral()) throws {
        self.logger = logger
        self.url = url
        self.tokens = tokens
        self.databases = Databases(threadPool: NIOThreadPool.singleton, on: MultiThreadedEventLoopGroup.singleton)
        // How long a request waits for a pooled connection before failing (DATABASE_POOL_TIMEOUT,
        // seconds; 30 by default). The test run raises it: hundreds of tests share two cores.
        let poolTimeout = Int64(ProcessInfo.processInfo.environment["DATABASE_POOL_TIMEOUT"] ?? "").flatMap { $0 > 0 ? $0 : nil } ?? 30
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            kind = .postgres
            databases.use(
                try .postgres(url: url.replacingOccurrences(of: "postgresql://", with: "postgres://"),
                              maxConnectionsPerEventLoop: 8, connectionPoolTimeout: .seconds(poolTimeout),
                              sqlLogLevel: .trace),
                as: .psql)
        } else {
            kind = .sqlite
            let path = Self.sqlitePath(from: url)
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            databases.use(.sqlite(.file(path), connectionPoolTimeout: .seconds(max(60, poolTimeout)), sqlLogLevel: .trace), as: .sqlite)
        }
        registrationQueue.process = { [weak self] batch in
            guard let self else { return batch.map { _ in .failure(CancellationError()) } }
            return await self.registrations.registerBatch(batch)
        }
        quizAnswerQueue.process = { [weak self] batch in
            guard let self else { return batch.map { _ in .failure(CancellationError()) } }
            return await self.quizzes.answerBatch(batch)
        }
    }

    /// `sqlite://./data/x.sqlite`, `sqlite:///abs/path.sqlite` or a bare path.
    static func sqlitePath(from url: String) -> String {
        var path = url
        if path.hasPrefix("sqlite://") { path.removeFirst("sqlite://".count) }
        return path.isEmpty ? "./data/rendezvous.sqlite" : path
    }

    var database: any Database {
        databases.database(logger: logger, on: databases.eventLoopGroup.any())!
    }

    var sql: any SQLDatabase { database as! any SQLDatabase }

    public func shutdown() async {
        await databases.shutdownAsync()
    }

    /// Runs every migration not yet applied. The same migrations run on both databases.
    public func migrate() async throws {
        if kind == .sqlite {
            // WAL lets readers run while one writer commits; it is a property of the file.
            try await sql.raw("PRAGMA journal_mode=WAL").run()
        }
        let migrations = Migrations()
        migrations.add(AllMigrations.list)
        let migrator = Migrator(
            databases: databases, migrations: migrations, logger: logger,
            on: databases.eventLoopGroup.any(), migrationLogLevel: .debug)
        try await migrator.setupIfNeeded().get()
        try await migrator.prepareBatch().get()
    }

    /// Reverts every migration: used by tests to prove each has a working `revert`.
    public func revertAll() async throws {
        let migrations = Migrations()
        migrations.add(AllMigrations.list)
        let migrator = Migrator(
            databases: databases, migrations: migrations, logger: logger, on: databases.eventLoopGroup.any())
        try await migrator.revertAllBatches().get()
    }

    /// A write transaction that holds the write lock from its first statement.
    ///
    /// SQLite: `BEGIN IMMEDIATE`, because Fluent's deferred transactions deadlock when two of
    /// them read and then try to write. PostgreSQL: an ordinary transaction; the capacity guard
    /// is one conditional `UPDATE` on the event row, which serialises contenders on that row on
    /// both databases. SQLite does not parse `FOR UPDATE`: the statements that use it (the outbox
    /// claim, a quiz session read to be changed) add it on PostgreSQL only; SQLite's write lock already
    /// serialises.
    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        switch kind {
        case .sqlite:
            return try await writeGate.withPermit {
                try await self.inTransaction(begin: "BEGIN IMMEDIATE", body)
            }
        case .postgres:
            return try await inTransaction(begin: "BEGIN", body)
        }
    }

    private func inTransaction<T: Sendable>(
        begin: String, _ body: @escaping @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        try await database.withConnection { connection in
            let sql = connection as! any SQLDatabase
            try await sql.raw(SQLQueryString(begin)).run()
            do {
                let result = try await body(sql)
                try await sql.raw("COMMIT").run()
                return result
            } catch {
                try? await sql.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    /// Whether an error is a unique-constraint violation, on either database.
    static func isUniqueViolation(_ error: any Error) -> Bool {
        if let psql = error as? PSQLError, psql.serverInfo?[.sqlState] == "23505" { return true }
        let text = String(describing: error)
        return text.contains("UNIQUE constraint failed") || text.contains("23505")
    }
}

/// A FIFO async mutex: one holder at a time, waiters resumed in arrival order.
final class AsyncGate: @unchecked Sendable {
    private let lock = NSLock()
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func withPermit<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        await acquire()
        defer { release() }
        return try await body()
    }

    private func acquire() async {
        let acquired: Bool = lock.withLock {
            if !busy { busy = true; return true }
            return false
        }
        if acquired { return }
        await withCheckedContinuation { continuation in
            let handedOver: Bool = lock.withLock {
                if !busy { busy = true; return true }
                waiters.append(continuation)
                return false
            }
            if handedOver { continuation.resume() }
        }
    }

    private func release() {
        let next: CheckedContinuation<Void, Never>? = lock.withLock {
            if waiters.isEmpty { busy = false; return nil }
            return waiters.removeFirst()
        }
        next?.resume()
    }
}

public enum Secret {
    /// A fresh 256-bit token from the system CSPRNG.
    public static func random() -> String { token() }

    /// 256 bits from the system CSPRNG, URL-safe base64 without padding.
    static func token(bytes count: Int = 32) -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
