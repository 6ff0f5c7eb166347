import SMTPReply

/// What an SMTP server (or anyone between us and it) sends, read as the client reads it: any bytes,
/// in any chunks, give replies or a Problem, never a trap; the same bytes split differently give
/// the same replies; every reply has a code from 200 to 599 and at least one line.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSMTPReply(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let whole = try? SMTPReply.parse(bytes)
    for reply in whole ?? [] {
        precondition((200...599).contains(reply.code) && !reply.lines.isEmpty, "reply \(reply)")
    }
    // The same bytes in chunks cut where the first byte says (as TCP may cut them).
    let step = max(1, Int(bytes.first ?? 1) % 7 + 1)
    var splitter = SMTPReply.LineSplitter()
    var reader = SMTPReply.Reader()
    var chunked: [SMTPReply] = []
    var failed = false
    var offset = 0
    chunks: while offset < bytes.count {
        let end = min(bytes.count, offset + step)
        do {
            for line in try splitter.append(bytes[offset..<end]) {
                if let reply = try reader.read(line) { chunked.append(reply) }
            }
        } catch {
            failed = true
            break chunks
        }
        offset = end
    }
    if !failed, let whole {
        precondition(chunked == whole, "chunks changed the replies")
    }
    return 0
}
