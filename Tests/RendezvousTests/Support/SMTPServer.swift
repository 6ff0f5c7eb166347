import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

/// The tests' real SMTP server (Python's aiosmtpd, Tests/smtp/smtp_server.py), one per test.
final class SMTPTestServer: @unchecked Sendable {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static var python: String { root.appendingPathComponent(".build/venv/bin/python").path }

    let process = Process()
    let input = Pipe()
    let spool: URL
    let port: Int
    let certificate: String?

    /// Whether the tools are here; with REQUIRE_SMTP=1 (make test) their absence fails the tests.
    static var available: Bool {
        let ok = FileManager.default.isExecutableFile(atPath: python)
        if !ok, ProcessInfo.processInfo.environment["REQUIRE_SMTP"] == "1" {
            Issue.record("REQUIRE_SMTP=1 but \(python) is missing: run the tests through `make test`")
        }
        return ok
    }

    /// `starttlsReply` answers STARTTLS with that reply instead of starting TLS; `injectAfterSTARTTLS`
    /// sends those plaintext lines (separated by `|`) in the same write as the STARTTLS 220;
    /// `reject` refuses recipients containing it with 550 (empty: nobody).
    init(mode: String = "plain", auth: String? = nil, failFirst: Int = 0, starttlsReply: String? = nil, injectAfterSTARTTLS: String? = nil,
         reject: String = "reject") throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rendezvous-smtp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        spool = directory.appendingPathComponent("spool")
        var arguments = [Self.root.appendingPathComponent("Tests/smtp/smtp_server.py").path, "--spool", spool.path, "--mode", mode, "--fail-first", String(failFirst)]
        if let auth { arguments += ["--auth", auth] }
        if let starttlsReply { arguments += ["--starttls-reply", starttlsReply] }
        if let injectAfterSTARTTLS { arguments += ["--inject-after-starttls", injectAfterSTARTTLS] }
        arguments += ["--reject", reject]
        if mode != "plain" {
            let cert = directory.appendingPathComponent("cert.pem").path, key = directory.appendingPathComponent("key.pem").path
            let openssl = Process()
            openssl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            openssl.arguments = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1",
                                 "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"]
            openssl.standardOutput = FileHandle.nullDevice
            openssl.standardError = FileHandle.nullDevice
            try openssl.run()
            openssl.waitUntilExit()
            arguments += ["--cert", cert, "--key", key]
            certificate = cert
        } else {
            certificate = nil
        }
        process.executableURL = URL(fileURLWithPath: Self.python)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = input
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("READY"), let port = Int(text.split(separator: " ")[1].trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw CancellationError()
        }
        self.port = port
    }

    func stop() {
        try? input.fileHandleForWriting.close()
        process.terminate()
        process.waitUntilExit()
    }

    /// The messages the server accepted, oldest first.
    var messages: [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: spool.path)) ?? []
        return files.filter { $0.hasSuffix(".eml") }.sorted().compactMap { try? String(contentsOf: spool.appendingPathComponent($0), encoding: .utf8) }
    }

    var envelopes: String { (try? String(contentsOf: spool.appendingPathComponent("envelope.log"), encoding: .utf8)) ?? "" }

    /// Every EHLO and AUTH the server received, one a line, with whether the connection was encrypted.
    var commands: [String] {
        ((try? String(contentsOf: spool.appendingPathComponent("commands.log"), encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    /// A loopback port nothing listens on (bound for a moment, then released).
    static func closedPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw CancellationError() }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Runs a Python snippet with the message on standard input (the standard library's email
    /// parser and the icalendar package read what we wrote, independently).
    static func python(_ script: String, input: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", script]
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stdout
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}

extension Trait where Self == ConditionTrait {
    /// Tests that need the Python tools `make test` installs (.build/venv: aiosmtpd, icalendar): a
    /// plain `swift test` on a fresh clone skips them with this message; under REQUIRE_SMTP=1
    /// (`make test`) they always run, so a missing tool is a failure, not a skip.
    static var requiresSMTPTools: Self {
        .enabled(if: FileManager.default.isExecutableFile(atPath: SMTPTestServer.python) || ProcessInfo.processInfo.environment["REQUIRE_SMTP"] == "1",
                 "needs the Python tools in .build/venv: run `make test`")
    }
}
