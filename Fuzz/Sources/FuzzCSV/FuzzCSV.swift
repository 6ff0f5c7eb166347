@testable import RendezvousDomain

/// The attendee import, minus the database: any bytes parse or fail with a ParseError, the rows
/// become registration inputs or rejections, and every input validates without trapping. What the
/// export writes (CSV.write) reads back as the same cells (formula cells with their apostrophe).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let text = String(decoding: bytes, as: UTF8.self)
    guard let rows = try? CSV.parse(text, maxRows: 5000) else { return 0 }
    let read = AttendeeImport.read(rows)
    for row in read.rows {
        _ = row.input.validated(strict: false)
        _ = row.input.validated(strict: true)
    }
    precondition(read.missingColumns.isEmpty ? read.rows.count + read.rejected.count == max(rows.count - 1, 0) : read.rows.isEmpty,
                 "every data row is imported or rejected")
    // Round trip: the export's own format reads back cell for cell.
    let written = CSV.write(rows)
    guard let again = try? CSV.parse(written, maxRows: 10_000) else { fatalError("CSV.write produced unreadable CSV") }
    let expected = rows.map { $0.map(CSV.neutralised) }
    precondition(again == expected, "CSV.write then CSV.parse changed the rows: \(rows) -> \(again)")
    return 0
}
