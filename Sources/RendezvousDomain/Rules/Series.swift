import Foundation

/// How a series of meetups repeats. Dates are computed in the chapter's time zone, so
/// "18:30" stays 18:30 across daylight-saving changes.
public enum SeriesRule: Sendable, Equatable {
    /// Every `interval` weeks on the weekday of the first date.
    case weekly(interval: Int)
    /// Every `interval` months on the `ordinal`-th `weekday` (1 = Sunday … 7 = Saturday;
    /// ordinal -1 = the last one): "every 3 months on the third Wednesday".
    case monthlyWeekday(interval: Int, ordinal: Int, weekday: Int)
    /// Every `interval` months on the same day of the month as the first date.
    case monthlyDay(interval: Int)
    /// Exactly these local dates.
    case custom([DateComponents])

    public static let maxOccurrences = 24

    /// The first `count` local start times on or after `from` (which gives the first month or week).
    public func occurrences(from: Date, count: Int, hour: Int, minute: Int, zone: TimeZone) -> [Date] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let limit = min(max(count, 0), Self.maxOccurrences)
        var dates: [Date] = []
        switch self {
        case .weekly(let interval):
            // The first meetup is on `from`'s day, the next ones every `interval` weeks after.
            var day = calendar.startOfDay(for: from)
            while dates.count < limit {
                if let date = calendar.date(bySettingHour: hour, minute: minute, second: 0, of: day) { dates.append(date) }
                day = calendar.date(byAdding: .day, value: 7 * max(1, interval), to: day)!
            }
        case .monthlyWeekday(let interval, let ordinal, let weekday):
            var month = calendar.dateComponents([.year, .month], from: from)
            var guardCount = 0
            while dates.count < limit, guardCount < 1000 {
                guardCount += 1
                if let date = Self.nthWeekday(ordinal: ordinal, weekday: weekday, year: month.year!, month: month.month!, hour: hour, minute: minute, calendar: calendar),
                   date >= calendar.startOfDay(for: from) {
                    dates.append(date)
                    month = Self.adding(months: max(1, interval), to: month, calendar: calendar)
                } else {
                    month = Self.adding(months: 1, to: month, calendar: calendar)
                }
            }
        case .monthlyDay(let interval):
            let day = calendar.component(.day, from: from)
            var month = calendar.dateComponents([.year, .month], from: from)
            var guardCount = 0
            while dates.count < limit, guardCount < 1000 {
                guardCount += 1
                var components = month
                components.day = day
                components.hour = hour
                components.minute = minute
                // Skip months without that day (31 April) rather than spill into the next.
                if let date = calendar.date(from: components), calendar.component(.day, from: date) == day {
                    dates.append(date)
                }
                month = Self.adding(months: max(1, interval), to: month, calendar: calendar)
            }
        case .custom(let days):
            for day in days.prefix(limit) {
                var components = day
                components.hour = hour
                components.minute = minute
                if let date = calendar.date(from: components) { dates.append(date) }
            }
            dates.sort()
        }
        return dates
    }

    static func adding(months: Int, to components: DateComponents, calendar: Calendar) -> DateComponents {
        let first = calendar.date(from: DateComponents(year: components.year, month: components.month, day: 1))!
        return calendar.dateComponents([.year, .month], from: calendar.date(byAdding: .month, value: months, to: first)!)
    }

    static func nthWeekday(ordinal: Int, weekday: Int, year: Int, month: Int, hour: Int, minute: Int, calendar: Calendar) -> Date? {
        guard let first = calendar.date(from: DateComponents(year: year, month: month, day: 1)),
              let days = calendar.range(of: .day, in: .month, for: first) else { return nil }
        let matching = days.filter { day in
            calendar.component(.weekday, from: calendar.date(from: DateComponents(year: year, month: month, day: day))!) == weekday
        }
        let index = ordinal > 0 ? ordinal - 1 : matching.count + ordinal
        guard matching.indices.contains(index) else { return nil }
        return calendar.date(from: DateComponents(year: year, month: month, day: matching[index], hour: hour, minute: minute))
    }
}
