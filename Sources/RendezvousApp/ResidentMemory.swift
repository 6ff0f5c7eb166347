#if canImport(Glibc)
import CMalloc
import Glibc
#endif
import Logging
import ServiceLifecycle

/// Keeps one instance's resident memory near what it actually uses (issue 17: at most 60 MB under
/// the page benchmark; measured in docs/performance.md).
///
/// Two things made the resident set larger than the work: glibc gives busy threads their own
/// malloc arenas (up to eight per core) and memory freed in one is kept there; and start-up
/// (migrations, templates, catalogues, route tables) touches code all over the binary and the Swift
/// libraries, which the kernel maps 64 KB at a time and leaves mapped for the life of the process.
public enum ResidentMemory {
    /// At most `count` malloc arenas. Called first thing, before the server's threads start.
    public static func limitArenas(_ count: Int32 = 2) {
        #if canImport(Glibc)
        _ = mallopt(M_ARENA_MAX, count)
        #endif
    }

    /// Drops this process's mappings of clean, read-only file pages (code and constants of the
    /// binary and its libraries) and gives freed heap back to the system. Only mappings that cannot
    /// be written and hold no private copy (`Anonymous: 0 kB`) are touched, so nothing is lost: a
    /// page needed again is mapped back from the page cache on its next use (a minor fault).
    /// Returns the resident kilobytes released.
    @discardableResult
    public static func releaseIdlePages() -> Int {
        #if canImport(Glibc)
        guard let smaps = fopen("/proc/self/smaps", "r") else { return 0 }
        defer { fclose(smaps) }
        var candidates: [(start: UInt, end: UInt, resident: Int)] = []
        var current: (start: UInt, end: UInt, eligible: Bool, resident: Int)?
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(line) }
        while getline(&line, &capacity, smaps) > 0, let line {
            let text = String(cString: line)
            if let mapping = Mapping(header: text) {
                current = (mapping.start, mapping.end, mapping.isReadOnlyFile, 0)
            } else if text.hasPrefix("Rss:") {
                current?.resident = Self.kilobytes(text)
            } else if text.hasPrefix("Anonymous:"), let mapping = current {
                if mapping.eligible, Self.kilobytes(text) == 0, mapping.resident > 0 {
                    candidates.append((mapping.start, mapping.end, mapping.resident))
                }
                current = nil
            }
        }
        var released = 0
        for mapping in candidates {
            if madvise(UnsafeMutableRawPointer(bitPattern: mapping.start), Int(mapping.end - mapping.start), MADV_DONTNEED) == 0 {
                released += mapping.resident
            }
        }
        _ = malloc_trim(0)
        return released
        #else
        return 0
        #endif
    }

    static func kilobytes(_ line: String) -> Int {
        Int(line.split(whereSeparator: { $0 == " " || $0 == "\n" }).dropFirst().first ?? "") ?? 0
    }

    /// One header line of /proc/self/smaps: `start-end perms offset dev inode [path]`.
    struct Mapping {
        let start: UInt, end: UInt, permissions: Substring, inode: Substring

        init?(header: String) {
            let fields = header.split(maxSplits: 5, omittingEmptySubsequences: true, whereSeparator: { $0 == " " || $0 == "\n" })
            guard fields.count >= 5, let dash = fields[0].firstIndex(of: "-"),
                  let start = UInt(fields[0][..<dash], radix: 16),
                  let end = UInt(fields[0][fields[0].index(after: dash)...], radix: 16),
                  fields[1].count == 4 else { return nil }
            (self.start, self.end, self.permissions, self.inode) = (start, end, fields[1], fields[4])
        }

        /// Backed by a file, readable, and never writable: its pages are the file's own.
        var isReadOnlyFile: Bool {
            inode != "0" && permissions.first == "r" && permissions.dropFirst().first == "-"
        }
    }
}

/// Releases start-up's pages once the server has settled, then every few minutes the pages of
/// work done since (a badge sheet, an import) that the server no longer touches.
public struct ResidentMemoryService: Service {
    let logger: Logger
    let settle: Duration
    let every: Duration

    public init(logger: Logger, settle: Duration = .seconds(3), every: Duration = .seconds(600)) {
        (self.logger, self.settle, self.every) = (logger, settle, every)
    }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            var wait = settle
            while !Task.isCancelled {
                try await Task.sleep(for: wait)
                let released = ResidentMemory.releaseIdlePages()
                logger.debug("Released idle resident pages", metadata: ["kilobytes": "\(released)"])
                wait = every
            }
        }
    }
}
