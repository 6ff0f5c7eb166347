import Foundation
import Logging

/// `LOG_FORMAT=json`: one JSON object per line on standard error — `ts` (ISO 8601, UTC, ms),
/// `level`, `logger`, `message`, `source`, and every metadata value (`request_id` among them) —
/// for log shippers. Text stays the default for people reading a terminal.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    let label: String
    let write: @Sendable (String) -> Void

    public init(label: String, metadataProvider: Logger.MetadataProvider? = nil, write: @escaping @Sendable (String) -> Void = JSONLogHandler.standardError) {
        self.label = label
        self.metadataProvider = metadataProvider
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public static let standardError: @Sendable (String) -> Void = { line in
        FileHandle.standardError.write(Data(line.utf8))
    }

    public func log(level: Logger.Level, message: Logger.Message, metadata explicit: Logger.Metadata?, source: String,
                    file: String, function: String, line: UInt) {
        var all = metadata
        if let provided = metadataProvider?.get() { all.merge(provided) { $1 } }
        if let explicit { all.merge(explicit) { $1 } }
        var object: [String: Any] = [
            "ts": Self.timestamp(Date()), "level": level.rawValue, "logger": label, "message": message.description, "source": source,
        ]
        for (key, value) in all where object[key] == nil { object[key] = Self.json(value) }
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        write(String(decoding: data, as: UTF8.self) + "\n")
    }

    static func json(_ value: Logger.Metadata.Value) -> Any {
        switch value {
        case .string(let text): text
        case .stringConvertible(let convertible): convertible.description
        case .array(let values): values.map(json)
        case .dictionary(let values): values.mapValues(json)
        }
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }
}

/// Chooses the log format once per process (swift-log allows one bootstrap).
enum LogFormat {
    private static let once: Void = {
        if ProcessInfo.processInfo.environment["LOG_FORMAT"]?.lowercased() == "json" {
            LoggingSystem.bootstrap { label in JSONLogHandler(label: label) }
        }
    }()

    static func bootstrap() { _ = once }
}
