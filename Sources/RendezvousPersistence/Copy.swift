import Foundation
import SQLKit

/// Moves a whole network from one database to another (SQLite to PostgreSQL, or back): every
/// table, parents before children, then verified table by table (row counts and checksums of
/// every value, read back from both sides the same way).
extension Persistence {
    public struct CopyError: Error, CustomStringConvertible {
        public var description: String
    }

    /// What was copied and verified, table by table.
    public struct CopiedTable: Sendable {
        public var name: String
        public var rows: Int
        public var checksum: String
    }

    /// How a column's values are read: what PostgreSQL says it is (SQLite's declared types are too loose).
    enum ColumnKind: Sendable {
        case uuid, date, bool, int, double, string, data

        init(postgresType type: String) {
            switch type {
            case "uuid": self = .uuid
            case "boolean": self = .bool
            case "bigint", "integer", "smallint": self = .int
            case "double precision", "real", "numeric": self = .double
            case "bytea": self = .data
            default: self = type.hasPrefix("timestamp") || type == "date" ? .date : .string
            }
        }
    }

    struct Column: Sendable { var name: String; var kind: ColumnKind }
    struct Table: Sendable {
        var name: String
        var columns: [Column]

        /// Rows read or written at once: `usual`, or a few when the table holds files (images,
        /// photos: up to megabytes a row), so a batch stays a few megabytes, not hundreds.
        func batch(_ usual: Int) -> Int {
            columns.contains { $0.kind == .data } ? min(usual, 16) : usual
        }
    }

    /// Transient state of the running instances: not part of a network's data.
    static let notCopied: Set<String> = ["_fluent_migrations", "_fluent_enums", "rate_limits", "job_leases"]

    /// Copies every table of `source` into `target` (migrated first, and empty), then verifies.
    /// `progress` is called after each batch with the rows copied so far and the total.
    public static func copy(from source: Persistence, to target: Persistence,
                            progress: @Sendable (_ table: String, _ copied: Int, _ total: Int) -> Void = { _, _, _ in }) async throws -> [CopiedTable] {
        guard source.kind == .postgres || target.kind == .postgres else {
            throw CopyError(description: "From SQLite to SQLite, use `rendezvous backup`: it copies the file whole.")
        }
        try await source.migrate()
        try await target.migrate()
        let tables = try await (source.kind == .postgres ? source : target).tablesInDependencyOrder()
        for table in tables where try await target.count(table.name) > 0 {
            throw CopyError(description: "The target is not empty (table \(table.name) has rows): copy into a new database.")
        }
        var counts: [String: Int] = [:]
        for table in tables { counts[table.name] = try await source.count(table.name) }
        let total = counts.values.reduce(0, +)
        var copied = 0
        progress("", 0, total)
        for table in tables {
            let rows = counts[table.name] ?? 0
            var offset = 0
            // Rows per statement: well under PostgreSQL's 65,535 parameters.
            let batch = table.batch(max(1, min(1000, 30_000 / max(1, table.columns.count))))
            while offset < rows {
                let values = try await source.read(table, limit: batch, offset: offset)
                guard !values.isEmpty else { break }
                try await target.write { sql in
                    var insert = sql.insert(into: SQLIdentifier(table.name)).columns(table.columns.map { SQLIdentifier($0.name) })
                    for row in values { insert = insert.values(row.map(\.expression)) }
                    try await insert.run()
                }
                offset += values.count
                copied += values.count
                progress(table.name, copied, total)
            }
        }
        // Verification: both sides read back with the same code, compared table by table.
        var report: [CopiedTable] = []
        for table in tables {
            let (sourceRows, sourceSum) = try await source.checksum(table)
            let (targetRows, targetSum) = try await target.checksum(table)
            guard sourceRows == targetRows else {
                throw CopyError(description: "\(table.name): \(sourceRows) rows in the source, \(targetRows) in the target.")
            }
            guard sourceSum == targetSum else {
                throw CopyError(description: "\(table.name): the checksums differ (\(sourceSum) and \(targetSum)).")
            }
            report.append(CopiedTable(name: table.name, rows: sourceRows, checksum: sourceSum))
        }
        return report
    }

    /// The data tables (PostgreSQL's catalog), each after the tables it refers to.
    func tablesInDependencyOrder() async throws -> [Table] {
        struct ColumnRow: Decodable { var tableName: String; var columnName: String; var dataType: String }
        let columns = try await sql.raw("""
            SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c
            JOIN information_schema.tables t ON t.table_name = c.table_name AND t.table_schema = c.table_schema
            WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' ORDER BY c.table_name, c.ordinal_position
            """).rows(ColumnRow.self)
        var tables: [String: Table] = [:]
        for column in columns where !Self.notCopied.contains(column.tableName) {
            tables[column.tableName, default: Table(name: column.tableName, columns: [])].columns
                .append(Column(name: column.columnName, kind: ColumnKind(postgresType: column.dataType)))
        }
        struct Reference: Decodable { var child: String; var parent: String }
        let references = try await sql.raw("""
            SELECT DISTINCT tc.table_name AS child, ccu.table_name AS parent FROM information_schema.table_constraints tc
            JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name AND ccu.table_schema = tc.table_schema
            WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = current_schema()
            """).rows(Reference.self)
        var parents: [String: Set<String>] = [:]
        for reference in references where reference.child != reference.parent { parents[reference.child, default: []].insert(reference.parent) }
        var ordered: [Table] = []
        var placed: Set<String> = []
        func place(_ name: String, path: Set<String>) {
            guard !placed.contains(name), !path.contains(name), let table = tables[name] else { return }
            for parent in (parents[name] ?? []).sorted() { place(parent, path: path.union([name])) }
            placed.insert(name)
            ordered.append(table)
        }
        for name in tables.keys.sorted() { place(name, path: []) }
        return ordered
    }

    func count(_ table: String) async throws -> Int {
        try await sql.raw("SELECT COUNT(*) AS count FROM \(ident: table)").row(CountRow.self)?.count ?? 0
    }

    /// A batch of rows in a stable order (every column, in order).
    func read(_ table: Table, limit: Int, offset: Int) async throws -> [[Value]] {
        let names = SQLList(table.columns.map { SQLIdentifier($0.name) })
        let order = SQLList(table.columns.indices.map { SQLRaw("\($0 + 1)") })
        let rows = try await sql.raw("SELECT \(names) FROM \(ident: table.name) ORDER BY \(order) LIMIT \(literal: limit) OFFSET \(literal: offset)").all()
        return try rows.map { row in try table.columns.map { try Value(row, $0) } }
    }

    /// Row count and an order-independent checksum (the sum of every row's FNV-1a hash).
    func checksum(_ table: Table) async throws -> (rows: Int, checksum: String) {
        var rows = 0
        var sum: UInt64 = 0
        var offset = 0
        let size = table.batch(2000)
        while true {
            let batch = try await read(table, limit: size, offset: offset)
            for row in batch {
                var hash: UInt64 = 0xcbf2_9ce4_8422_2325
                for byte in row.map(\.canonical).joined(separator: "\u{1F}").utf8 {
                    hash ^= UInt64(byte)
                    hash = hash &* 0x0000_0100_0000_01B3
                }
                sum = sum &+ hash
            }
            rows += batch.count
            offset += batch.count
            if batch.count < size { break }
        }
        return (rows, String(sum, radix: 16))
    }

    /// One value, read as its column's kind, whichever database it came from.
    enum Value: Sendable {
        case null, uuid(UUID), date(Date), bool(Bool), int(Int64), double(Double), string(String), data([UInt8])

        init(_ row: any SQLRow, _ column: Column) throws {
            if try row.decodeNil(column: column.name) { self = .null; return }
            switch column.kind {
            case .uuid: self = .uuid(try row.decode(column: column.name, as: UUID.self))
            case .date: self = .date(try row.decode(column: column.name, as: Date.self))
            case .bool: self = .bool(try row.decode(column: column.name, as: Bool.self))
            case .int: self = .int(try row.decode(column: column.name, as: Int64.self))
            case .double: self = .double(try row.decode(column: column.name, as: Double.self))
            case .string: self = .string(try row.decode(column: column.name, as: String.self))
            case .data: self = .data(Array(try row.decode(column: column.name, as: Data.self)))
            }
        }

        var expression: any SQLExpression {
            switch self {
            case .null: SQLLiteral.null
            case .uuid(let value): SQLBind(value)
            case .date(let value): SQLBind(value)
            case .bool(let value): SQLBind(value)
            case .int(let value): SQLBind(value)
            case .double(let value): SQLBind(value)
            case .string(let value): SQLBind(value)
            case .data(let value): SQLBind(Data(value))
            }
        }

        /// The same text on both databases (times to the millisecond: PostgreSQL keeps microseconds).
        var canonical: String {
            switch self {
            case .null: "∅"
            case .uuid(let value): value.uuidString.lowercased()
            case .date(let value): String(Int64((value.timeIntervalSince1970 * 1000).rounded()))
            case .bool(let value): value ? "t" : "f"
            case .int(let value): String(value)
            case .double(let value): String(value)
            case .string(let value): value
            case .data(let value): Data(value).base64EncodedString()
            }
        }
    }
}
