import Foundation
import RendezvousDomain
import Testing

/// Dates given to the API: RFC 3339 with an offset, and nothing else around them.
struct ISO8601Tests {
    @Test func datesWithAnOffsetAreRead() throws {
        let paris = try #require(ISO8601.parse("2027-01-15T18:30:00+01:00"))
        #expect(ISO8601.format(paris) == "2027-01-15T17:30:00Z")
        #expect(ISO8601.parse("2027-01-15T17:30:00Z") == paris)
        #expect(ISO8601.parse("2027-01-15T17:30:00.250Z") == paris.addingTimeInterval(0.25))
        #expect(ISO8601.parse("2027-01-15T12:30:00-05:00") == paris)
    }

    /// Schemathesis found `…-01:43*` accepted as an evening's end: Foundation's parser ignores what follows.
    @Test(arguments: ["2027-01-15T18:30:00+01:00*", "2027-01-15T18:30:00+01:00 ", " 2027-01-15T18:30:00Z", "2027-01-15T18:30:00",
                      "2027-01-15T18:30:00Zx", "2027-01-15 18:30:00Z", "2027-01-15T18:30:00.Z", "2027-01-15T18:30:00+0100",
                      "2027-1-15T18:30:00Z", "2027-01-15T18:30Z", "", "2027-01-15T18:30:00+01:00\n"])
    func anythingElseIsNotADate(_ text: String) {
        #expect(ISO8601.parse(text) == nil)
    }
}
