import Foundation
import RendezvousDomain
import Testing

@Suite("No-show forecast and overbooking")
struct ForecastTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let hall = Venue.ID()
    let loft = Venue.ID()

    /// An evening `weeksAgo` weeks before now.
    func evening(_ weeksAgo: Int, confirmed: Int, came: Int, venue: Venue.ID? = nil) -> AttendanceRecord {
        AttendanceRecord(eventID: .init(), venueID: venue, startsAt: now.addingTimeInterval(-Double(weeksAgo) * 7 * 86400), confirmed: confirmed, checkedIn: came)
    }

    @Test func noHistoryForecastsNothingAndNeverOverbooks() {
        let forecast = NoShowForecast.forecast(history: [], venue: nil, now: now)
        #expect(forecast == .unknown)
        #expect(forecast.confidence == .none)
        #expect(forecast.overbookingRate == 0)
        #expect(OverbookingRule.extraSeats(capacity: 70, forecast: forecast, venueLimit: 100) == 0)
        #expect(OverbookingRule.expectedAttendance(confirmed: 70, forecast: forecast) == 70)
    }

    @Test func aTinyHistoryIsNotEnough() {
        // One evening, or two with few people: counted and shown, but no confidence and no overbooking.
        let one = NoShowForecast.forecast(history: [evening(1, confirmed: 70, came: 50)], venue: nil, now: now)
        #expect(one.events == 1 && one.confidence == .none)
        #expect(abs(one.rate - 20.0 / 70.0) < 1e-9)
        let small = NoShowForecast.forecast(history: [evening(1, confirmed: 10, came: 8), evening(2, confirmed: 12, came: 9)], venue: nil, now: now)
        #expect(small.events == 2 && small.confirmed == 22 && small.confidence == .none)
        #expect(OverbookingRule.extraSeats(capacity: 70, forecast: small, venueLimit: 100) == 0)
    }

    @Test func eveningsWithoutCheckInsOrNotYetHeldAreIgnored() {
        let history = [evening(1, confirmed: 70, came: 0), evening(2, confirmed: 60, came: 48), evening(3, confirmed: 60, came: 54),
                       AttendanceRecord(eventID: .init(), venueID: nil, startsAt: now.addingTimeInterval(86400), confirmed: 70, checkedIn: 1)]
        let forecast = NoShowForecast.forecast(history: history, venue: nil, now: now)
        #expect(forecast.events == 2)
        #expect(forecast.confirmed == 120 && forecast.noShows == 18)
        #expect(forecast.confidence == .low)
    }

    @Test func ratesArePooledSoATinyEveningWeighsLittle() {
        // 10 % over 100 people, 50 % over 2 and 2: pooled 11.5 %, not the average of the rates (37 %).
        let forecast = NoShowForecast.forecast(history: [evening(1, confirmed: 100, came: 90), evening(2, confirmed: 2, came: 1),
                                                         evening(3, confirmed: 2, came: 1)], venue: nil, now: now)
        #expect(abs(forecast.rate - 12.0 / 104.0) < 1e-9)
        #expect(forecast.low < forecast.rate && forecast.rate < forecast.high)
    }

    @Test func confidenceGrowsWithEveningsAndPeople() {
        let four = (1...4).map { evening($0, confirmed: 70, came: 60) }
        #expect(NoShowForecast.forecast(history: four, venue: nil, now: now).confidence == .medium)
        let ten = (1...12).map { evening($0, confirmed: 70, came: 60) }
        let many = NoShowForecast.forecast(history: ten, venue: nil, now: now)
        #expect(many.confidence == .high)
        #expect(many.events == NoShowForecast.maxEvents, "only the most recent evenings count")
        // Eight small evenings: many evenings but few people, so only medium.
        let small = (1...8).map { evening($0, confirmed: 20, came: 17) }
        #expect(NoShowForecast.forecast(history: small, venue: nil, now: now).confidence == .medium)
    }

    @Test func onlyTheMostRecentEveningsCount() {
        // Long ago people came; lately a fifth does not.
        let old = (20...30).map { evening($0, confirmed: 70, came: 70) }
        let recent = (1...10).map { evening($0, confirmed: 70, came: 56) }
        let forecast = NoShowForecast.forecast(history: old + recent, venue: nil, now: now)
        #expect(abs(forecast.rate - 0.2) < 1e-9)
    }

    @Test func aVenueWithItsOwnHistoryIsForecastAlone() {
        let atHall = (1...3).map { evening($0, confirmed: 70, came: 63, venue: hall) }   // 10 %
        let atLoft = (4...9).map { evening($0, confirmed: 70, came: 49, venue: loft) }   // 30 %
        let hallForecast = NoShowForecast.forecast(history: atHall + atLoft, venue: hall, now: now)
        #expect(hallForecast.sameVenue && !hallForecast.venueChanged)
        #expect(hallForecast.events == 3 && abs(hallForecast.rate - 0.1) < 1e-9)
        // A venue with fewer than three evenings: the whole history, as is.
        let mixed = NoShowForecast.forecast(history: Array(atHall.prefix(2)) + atLoft, venue: hall, now: now)
        #expect(!mixed.sameVenue && !mixed.venueChanged && mixed.events == 8)
    }

    @Test func aNewVenueLowersConfidence() {
        let history = (1...12).map { evening($0, confirmed: 70, came: 60, venue: hall) }
        let same = NoShowForecast.forecast(history: history, venue: hall, now: now)
        let moved = NoShowForecast.forecast(history: history, venue: loft, now: now)
        #expect(same.confidence == .high)
        #expect(moved.venueChanged && moved.confidence == .medium)
        #expect(moved.rate == same.rate)
        // A low forecast at a new venue falls to none: no overbooking there.
        let few = (1...2).map { evening($0, confirmed: 70, came: 60, venue: hall) }
        let fewMoved = NoShowForecast.forecast(history: few, venue: loft, now: now)
        #expect(fewMoved.confidence == .none && fewMoved.overbookingRate == 0)
    }

    @Test func overbookingIsCapacityTimesOnePlusTheRateWithinTheRoom() {
        let history = (1...10).map { evening($0, confirmed: 70, came: 63) }  // 10 %, high confidence
        let forecast = NoShowForecast.forecast(history: history, venue: nil, now: now)
        #expect(forecast.confidence == .high)
        #expect(OverbookingRule.extraSeats(capacity: 70, forecast: forecast, venueLimit: 100) == 7)
        // Never beyond the room's physical limit, and never without it.
        #expect(OverbookingRule.extraSeats(capacity: 70, forecast: forecast, venueLimit: 73) == 3)
        #expect(OverbookingRule.extraSeats(capacity: 70, forecast: forecast, venueLimit: 70) == 0)
        #expect(OverbookingRule.extraSeats(capacity: 70, forecast: forecast, venueLimit: nil) == 0)
    }

    @Test func lowConfidenceUsesTheCautiousEndAndTheRateIsCapped() {
        let three = (1...3).map { evening($0, confirmed: 70, came: 56) }  // 20 %, low confidence
        let low = NoShowForecast.forecast(history: three, venue: nil, now: now)
        #expect(low.confidence == .low)
        #expect(low.overbookingRate < low.rate && low.overbookingRate == low.low)
        #expect(OverbookingRule.extraSeats(capacity: 70, forecast: low, venueLimit: 200) < 14)
        let awful = (1...10).map { evening($0, confirmed: 70, came: 20) }
        #expect(NoShowForecast.forecast(history: awful, venue: nil, now: now).overbookingRate == NoShowForecast.maxRate)
    }

    @Test func nobodyLosesASeatWhenTheRuleShrinks() {
        #expect(OverbookingRule.keptExtraSeats(wanted: 0, capacity: 70, seatsTaken: 75) == 5)
        #expect(OverbookingRule.keptExtraSeats(wanted: 7, capacity: 70, seatsTaken: 60) == 7)
        #expect(OverbookingRule.keptExtraSeats(wanted: 0, capacity: 70, seatsTaken: 60) == 0)
    }

    /// "We expect about N" is one rule, for the workspace, the public page and the JSON: the
    /// confirmed people less the expected no-show rate; everyone without a forecast.
    @Test func theExpectedAttendanceIsOneRule() {
        // No history, or a tiny one: everyone confirmed is expected.
        #expect(OverbookingRule.expectedAttendance(confirmed: 70, forecast: .unknown) == 70)
        let tiny = NoShowForecast.forecast(history: [evening(1, confirmed: 70, came: 35)], venue: nil, now: now)
        #expect(tiny.confidence == .none && tiny.rate == 0.5)
        #expect(OverbookingRule.expectedAttendance(confirmed: 70, forecast: tiny) == 70, "one evening says nothing")
        #expect(OverbookingRule.expectedAttendance(confirmed: 0, forecast: .unknown) == 0)
        // Ten evenings at 20 %: an overbooked evening (70 seats + 14) full of 84 people expects about 67,
        // with the expected rate (not the cautious end the seats were sized with).
        let ten = (1...10).map { evening($0, confirmed: 70, came: 56, venue: hall) }
        let known = NoShowForecast.forecast(history: ten, venue: hall, now: now)
        #expect(known.confidence == .high)
        #expect(OverbookingRule.expectedAttendance(confirmed: 84, forecast: known) == 67)
        #expect(OverbookingRule.expectedAttendance(confirmed: 50, forecast: known) == 40)
        // A change of venue: the chapter's history still speaks (a step less sure) ...
        let moved = NoShowForecast.forecast(history: ten, venue: loft, now: now)
        #expect(moved.venueChanged && moved.confidence == .medium)
        #expect(OverbookingRule.expectedAttendance(confirmed: 84, forecast: moved) == 67)
        // ... unless it was thin: two evenings elsewhere are no forecast for a new room.
        let two = (1...2).map { evening($0, confirmed: 70, came: 56, venue: hall) }
        let thin = NoShowForecast.forecast(history: two, venue: loft, now: now)
        #expect(thin.venueChanged && thin.confidence == .none)
        #expect(OverbookingRule.expectedAttendance(confirmed: 84, forecast: thin) == 84)
    }

    @Test func aSecondEveningIsSuggestedFromTheThreshold() {
        let later = now.addingTimeInterval(86400)
        #expect(OverflowRules.suggestsOverflow(waiting: 20, threshold: 20, published: true, startsAt: later, now: now))
        #expect(!OverflowRules.suggestsOverflow(waiting: 19, threshold: 20, published: true, startsAt: later, now: now))
        #expect(!OverflowRules.suggestsOverflow(waiting: 40, threshold: 20, published: false, startsAt: later, now: now))
        #expect(!OverflowRules.suggestsOverflow(waiting: 40, threshold: 20, published: true, startsAt: now, now: now))
    }
}
