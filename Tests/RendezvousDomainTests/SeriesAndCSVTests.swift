import Foundation
import RendezvousDomain
import Testing

@Suite("Series of meetups")
struct SeriesTests {
    let paris = TimeZone(identifier: "Europe/Paris")!
    let from = ISO8601.parse("2027-01-01T00:00:00+01:00")!

    func local(_ dates: [Date], _ zone: TimeZone) -> [String] {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = zone
        formatter.formatOptions = [.withInternetDateTime]
        return dates.map { formatter.string(from: $0) }
    }

    @Test func everyThreeMonthsOnTheThirdWednesdayKeepsLocalTimeAcrossDST() {
        let dates = SeriesRule.monthlyWeekday(interval: 3, ordinal: 3, weekday: 4).occurrences(from: from, count: 4, hour: 18, minute: 30, zone: paris)
        #expect(local(dates, paris) == ["2027-01-20T18:30:00+01:00", "2027-04-21T18:30:00+02:00", "2027-07-21T18:30:00+02:00", "2027-10-20T18:30:00+02:00"])
    }

    @Test func lastThursdayOfEachMonth() {
        let dates = SeriesRule.monthlyWeekday(interval: 1, ordinal: -1, weekday: 5).occurrences(from: from, count: 3, hour: 19, minute: 0, zone: paris)
        #expect(local(dates, paris) == ["2027-01-28T19:00:00+01:00", "2027-02-25T19:00:00+01:00", "2027-03-25T19:00:00+01:00"])
    }

    @Test func weeklyAcrossTheSpringChange() {
        let start = ISO8601.parse("2027-03-24T00:00:00+01:00")!
        let dates = SeriesRule.weekly(interval: 1).occurrences(from: start, count: 2, hour: 18, minute: 30, zone: paris)
        #expect(local(dates, paris) == ["2027-03-24T18:30:00+01:00", "2027-03-31T18:30:00+02:00"])
    }

    @Test func monthlyOnTheThirtyFirstSkipsShortMonths() {
        let start = ISO8601.parse("2027-01-31T00:00:00+01:00")!
        let dates = SeriesRule.monthlyDay(interval: 1).occurrences(from: start, count: 3, hour: 18, minute: 0, zone: paris)
        #expect(local(dates, paris) == ["2027-01-31T18:00:00+01:00", "2027-03-31T18:00:00+02:00", "2027-05-31T18:00:00+02:00"])
    }

    @Test func customDatesAreSortedAndCapped() {
        let days = [DateComponents(year: 2027, month: 6, day: 2), DateComponents(year: 2027, month: 2, day: 3)]
        let dates = SeriesRule.custom(days).occurrences(from: from, count: 10, hour: 18, minute: 30, zone: paris)
        #expect(local(dates, paris) == ["2027-02-03T18:30:00+01:00", "2027-06-02T18:30:00+02:00"])
        #expect(SeriesRule.weekly(interval: 1).occurrences(from: from, count: 1000, hour: 1, minute: 0, zone: paris).count == SeriesRule.maxOccurrences)
    }
}

@Suite("CSV")
struct CSVTests {
    @Test func writesForSpreadsheets() {
        let text = CSV.write([["Prénom", "Note"], ["=1+2", "a, \"b\"\nc"], ["@SUM(A1)", "-3"], ["+33 6", "plain"]])
        #expect(text.hasPrefix("\u{FEFF}Prénom,Note\r\n"))
        #expect(text.contains("'=1+2,\"a, \"\"b\"\"\nc\""))
        #expect(text.contains("'@SUM(A1),'-3"))
        #expect(text.contains("'+33 6,plain"))
    }

    @Test func roundTrips() throws {
        let rows = [["a", "b,c", "d\"e"], ["f\ng", "", "h"]]
        let parsed = try CSV.parse(CSV.write(rows))
        #expect(parsed == rows)
    }

    @Test func detectsSemicolonsAndRefusesBrokenQuotes() throws {
        #expect(try CSV.parse("Nom;Email\r\nDupont;d@example.org\r\n") == [["Nom", "Email"], ["Dupont", "d@example.org"]])
        #expect(throws: CSV.ParseError.unterminatedQuote(line: 3)) { try CSV.parse("a,b\n1,2\n\"open,3\n") }
        #expect(throws: CSV.ParseError.tooLarge) { try CSV.parse(String(repeating: "a\n", count: 20), maxRows: 10) }
    }

    @Test func importRecognisesColumnsInEnglishAndFrench() {
        let read = AttendeeImport.read([["Prénom", "Nom de famille", "Adresse e-mail", "Fonction", "Société", "Statut"],
                                        ["Zoé", "Prinčeva", "zoe@example.org", "Coach", "Atelier", "Yes"],
                                        ["Paul", "Absent", "paul@example.org", "", "", "Annulé"]])
        #expect(read.missingColumns.isEmpty)
        #expect(read.rows.map(\.input.firstName) == ["Zoé"])
        #expect(read.rows.first?.input.company == "Atelier")
        #expect(read.rejected.map(\.line) == [3])
        let full = AttendeeImport.read([["Name", "Email"], ["Jean-Christophe Boussion", "jc@example.org"]])
        #expect(full.rows.first?.input.firstName == "Jean-Christophe")
        #expect(full.rows.first?.input.lastName == "Boussion")
        #expect(AttendeeImport.read([["Foo", "Bar"]]).missingColumns == [.email, .firstName])
    }
}
