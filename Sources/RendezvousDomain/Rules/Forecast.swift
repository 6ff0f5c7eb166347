import Foundation

/// When a long waitlist should become a second evening (issue 15).
public enum OverflowRules {
    public static let defaultThreshold = 20
    /// A chapter may set from 1 to 1,000 people waiting.
    public static let thresholdRange = 1...1000

    /// Whether the organisers should be told to open a second evening: at least `threshold`
    /// people wait and the event is published and has not begun.
    public static func suggestsOverflow(waiting: Int, threshold: Int, published: Bool, startsAt: Date, now: Date) -> Bool {
        published && now < startsAt && waiting >= max(1, threshold)
    }
}

/// One past evening of a chapter, as the forecast sees it: how many held a seat when it began
/// (cancellations before it do not count: cancelling in time is never a no-show) and how many of
/// them were checked in at the door. Walk-ins are not in either number.
public struct AttendanceRecord: Sendable, Equatable {
    public var eventID: Event.ID
    public var venueID: Venue.ID?
    public var startsAt: Date
    public var confirmed: Int
    public var checkedIn: Int

    public init(eventID: Event.ID, venueID: Venue.ID?, startsAt: Date, confirmed: Int, checkedIn: Int) {
        self.eventID = eventID
        self.venueID = venueID
        self.startsAt = startsAt
        self.confirmed = confirmed
        self.checkedIn = checkedIn
    }

    /// An evening of the door's attendance: who held a seat (`expected`), and those of them checked in (`showed`).
    public init(_ attendance: Attendance) {
        self.init(eventID: attendance.eventID, venueID: attendance.venueID, startsAt: attendance.startsAt,
                  confirmed: attendance.expected, checkedIn: attendance.showed)
    }

    /// An evening whose door was not used (nobody checked in) tells nothing about no-shows.
    public var isUsable: Bool { confirmed > 0 && checkedIn > 0 }
    public var noShows: Int { max(0, confirmed - checkedIn) }
}

/// The expected no-show rate of a chapter's next evening, from its own history, with how sure it is.
public struct NoShowForecast: Sendable, Equatable {
    public enum Confidence: String, Sendable, Equatable, Comparable, CaseIterable {
        /// Too little history to say anything: no overbooking.
        case none, low, medium, high
        var rank: Int { Self.allCases.firstIndex(of: self)! }
        public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }
        var lower: Self { Self.allCases[max(0, rank - 1)] }
    }

    /// The most recent evenings looked at.
    public static let maxEvents = 10
    /// Below this many usable evenings, or this many people, nothing is forecast.
    public static let minEvents = 2
    public static let minPeople = 30
    /// Confidence is medium from this many evenings, high from `highEvents` evenings and `highPeople` people.
    public static let mediumEvents = 4, highEvents = 8, highPeople = 300
    /// The same venue's history is used alone when it has at least this many evenings.
    public static let minSameVenueEvents = 3
    /// Overbooking never assumes more than this share of no-shows, whatever the history says.
    public static let maxRate = 0.3

    /// Evenings used.
    public var events: Int
    /// People who held a seat on those evenings, and those of them who did not come.
    public var confirmed: Int
    public var noShows: Int
    /// Pooled no-show rate (0 when nothing is known).
    public var rate: Double
    /// A 90 % interval around the rate (Wilson score).
    public var low: Double
    public var high: Double
    public var confidence: Confidence
    /// Only evenings at the venue asked about were used.
    public var sameVenue: Bool
    /// The venue asked about differs from every evening used: the history is less telling.
    public var venueChanged: Bool

    public static let unknown = NoShowForecast(events: 0, confirmed: 0, noShows: 0, rate: 0, low: 0, high: 0, confidence: .none, sameVenue: false, venueChanged: false)

    public init(events: Int, confirmed: Int, noShows: Int, rate: Double, low: Double, high: Double, confidence: Confidence, sameVenue: Bool, venueChanged: Bool) {
        self.events = events
        self.confirmed = confirmed
        self.noShows = noShows
        self.rate = rate
        self.low = low
        self.high = high
        self.confidence = confidence
        self.sameVenue = sameVenue
        self.venueChanged = venueChanged
    }

    /// The forecast for an evening at `venue` (nil: unknown), from `history` (any order; evenings
    /// not begun before `now` are ignored).
    ///
    /// Rules: only evenings whose door was used count; the `maxEvents` most recent are pooled (their
    /// people summed, so a tiny evening weighs little). When the venue has `minSameVenueEvents` of
    /// its own, only those are used; when the venue is new to the history, confidence drops a step.
    /// Confidence: none under `minEvents` evenings or `minPeople` people; low under `mediumEvents`
    /// evenings; medium under `highEvents` evenings or `highPeople` people; high beyond.
    public static func forecast(history: [AttendanceRecord], venue: Venue.ID?, now: Date) -> NoShowForecast {
        let usable = history.filter { $0.isUsable && $0.startsAt < now }.sorted { $0.startsAt > $1.startsAt }
        var used = Array(usable.prefix(maxEvents))
        var sameVenue = false
        var venueChanged = false
        if let venue {
            let here = usable.filter { $0.venueID == venue }
            if here.count >= minSameVenueEvents {
                used = Array(here.prefix(maxEvents))
                sameVenue = true
            } else if !used.isEmpty, !used.contains(where: { $0.venueID == venue }) {
                venueChanged = true
            }
        }
        let confirmed = used.reduce(0) { $0 + $1.confirmed }
        let noShows = used.reduce(0) { $0 + $1.noShows }
        guard used.count >= minEvents, confirmed >= minPeople else {
            var result = unknown
            result.events = used.count
            result.confirmed = confirmed
            result.noShows = noShows
            result.rate = confirmed > 0 ? Double(noShows) / Double(confirmed) : 0
            result.venueChanged = venueChanged
            return result
        }
        let rate = Double(noShows) / Double(confirmed)
        let (low, high) = wilson(successes: noShows, trials: confirmed, z: 1.645)
        var confidence: Confidence = used.count < mediumEvents ? .low : (used.count < highEvents || confirmed < highPeople) ? .medium : .high
        if venueChanged { confidence = confidence.lower }
        return NoShowForecast(events: used.count, confirmed: confirmed, noShows: noShows, rate: rate, low: low, high: high,
                              confidence: confidence, sameVenue: sameVenue, venueChanged: venueChanged)
    }

    /// The Wilson score interval of a proportion.
    static func wilson(successes: Int, trials: Int, z: Double) -> (Double, Double) {
        guard trials > 0 else { return (0, 0) }
        let n = Double(trials), p = Double(successes) / n, z2 = z * z
        let centre = (p + z2 / (2 * n)) / (1 + z2 / n)
        let half = z * ((p * (1 - p) / n + z2 / (4 * n * n)).squareRoot()) / (1 + z2 / n)
        return (max(0, centre - half), min(1, centre + half))
    }

    /// The rate overbooking may assume: the expected rate when fairly sure, the interval's cautious
    /// end when not, never above `maxRate`; 0 without a forecast.
    public var overbookingRate: Double {
        switch confidence {
        case .none: 0
        case .low: min(Self.maxRate, low)
        case .medium, .high: min(Self.maxRate, rate)
        }
    }
}

/// Confirming more people than seats, because some never come: capacity × (1 + expected no-show
/// rate), never beyond what the room physically holds.
public enum OverbookingRule {
    /// The seats to confirm beyond `capacity`. Zero without a forecast or without the venue's
    /// physical limit (nobody overbooks a room whose size they do not know).
    public static func extraSeats(capacity: Int, forecast: NoShowForecast, venueLimit: Int?) -> Int {
        guard let venueLimit, venueLimit > capacity, capacity > 0 else { return 0 }
        let wanted = Int((Double(capacity) * forecast.overbookingRate).rounded(.down))
        return max(0, min(wanted, venueLimit - capacity))
    }

    /// "We expect about N": how many of `confirmed` people are expected to come, from the chapter's
    /// no-show forecast for the evening's venue (its expected rate, not the cautious end overbooking
    /// sizes seats with). The one figure the organisers' workspace, the public page and the JSON give.
    /// Without a forecast (no history, too little, or a new venue on a thin one) everyone confirmed
    /// is expected.
    public static func expectedAttendance(confirmed: Int, forecast: NoShowForecast) -> Int {
        guard forecast.confidence > .none, confirmed > 0 else { return max(0, confirmed) }
        return Int((Double(confirmed) * (1 - forecast.rate)).rounded())
    }

    /// The room's physical limits an organiser may give: from the capacity to twice the largest one.
    public static func venueLimits(capacity: Int) -> ClosedRange<Int> { capacity...max(capacity, EventInput.maxCapacity * 2) }

    /// The extra seats to keep when the rule changes: never fewer than the people already confirmed
    /// beyond the capacity (nobody loses a seat they were given).
    public static func keptExtraSeats(wanted: Int, capacity: Int, seatsTaken: Int) -> Int {
        max(wanted, seatsTaken - capacity, 0)
    }
}
