#if canImport(Glibc)
import Foundation
import Glibc
@testable import RendezvousApp
import Testing

/// Releasing idle pages must never lose a byte: only read-only file pages with no private copy are
/// dropped, and they come back from the file on their next use.
@Suite struct ResidentMemoryTests {
    @Test func aHeaderLineOfSmapsIsRead() throws {
        let code = try #require(ResidentMemory.Mapping(header: "55d0c2a00000-55d0c4a00000 r-xp 00200000 08:01 1234567   /usr/bin/rendezvous\n"))
        #expect(code.start == 0x55d0c2a00000 && code.end == 0x55d0c4a00000)
        #expect(code.isReadOnlyFile)
        #expect(ResidentMemory.Mapping(header: "7f00 rw-p 00000000 00:00 0\n") == nil, "no end address")
        #expect(try #require(ResidentMemory.Mapping(header: "7f0000-7f1000 rw-p 00000000 00:00 0 [heap]\n")).isReadOnlyFile == false)
        #expect(try #require(ResidentMemory.Mapping(header: "7f0000-7f1000 r--p 00000000 00:00 0\n")).isReadOnlyFile == false, "anonymous")
        #expect(try #require(ResidentMemory.Mapping(header: "7f0000-7f1000 rw-p 00000000 08:01 42 /data/x\n")).isReadOnlyFile == false, "writable")
        #expect(ResidentMemory.kilobytes("Anonymous:          12 kB\n") == 12)
    }

    /// A private file mapping written to (as the dynamic linker writes relocations) and then made
    /// read-only holds the only copy of what was written: it must be left alone. A read-only mapping
    /// that was only read is released and reads the same afterwards.
    @Test func writtenPagesAreKeptAndReadPagesComeBack() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("resident-\(UUID().uuidString)").path
        defer { unlink(path) }
        let size = 16 * 4096
        try Data(repeating: 0x41, count: size).write(to: URL(fileURLWithPath: path))
        let descriptor = open(path, O_RDONLY)
        #expect(descriptor >= 0)
        defer { close(descriptor) }

        let written = try #require(mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, descriptor, 0))
        #expect(written != MAP_FAILED)
        defer { munmap(written, size) }
        written.storeBytes(of: 0x5A, toByteOffset: 4096, as: UInt8.self)
        #expect(mprotect(written, size, PROT_READ) == 0)

        let read = try #require(mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0))
        #expect(read != MAP_FAILED)
        defer { munmap(read, size) }
        var sum = 0
        for page in stride(from: 0, to: size, by: 4096) { sum += Int(read.load(fromByteOffset: page, as: UInt8.self)) }
        #expect(sum == 16 * 0x41)
        #expect(Self.residentPages(read, size) == 16)

        let released = ResidentMemory.releaseIdlePages()
        #expect(released >= 64, "the 16 pages only read were released, among others")
        #expect(Self.residentPages(read, size) == 0, "the read-only mapping is no longer resident")
        #expect(read.load(fromByteOffset: 4096, as: UInt8.self) == 0x41, "and reads the file again")
        #expect(written.load(fromByteOffset: 4096, as: UInt8.self) == 0x5A, "what was written is still there")
        #expect(written.load(fromByteOffset: 0, as: UInt8.self) == 0x41)
    }

    /// Pages of `address` mapped into this process, from /proc/self/pagemap (bit 63: present).
    static func residentPages(_ address: UnsafeMutableRawPointer, _ size: Int) -> Int {
        guard let pagemap = fopen("/proc/self/pagemap", "r") else { return -1 }
        defer { fclose(pagemap) }
        var count = 0
        for page in stride(from: UInt(bitPattern: address), to: UInt(bitPattern: address) + UInt(size), by: 4096) {
            var entry: UInt64 = 0
            fseek(pagemap, Int(page / 4096 * 8), SEEK_SET)
            fread(&entry, 8, 1, pagemap)
            if entry >> 63 & 1 == 1 { count += 1 }
        }
        return count
    }
}
#endif
