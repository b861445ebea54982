/// The daylight-saving rule a demo caller's clock follows, so a history can span a change
/// (New York moves an hour on the second Sunday of March, Europe on the last Sunday of March).
///
/// Judged per local day, by its date: a day is in summer time from the change's Sunday on.
/// The change's own night is not modelled to the hour (nobody works at 02:00 local).
public enum DemoDaylightSaving: Sendable, Hashable {
    /// A fixed offset all year (Fabrikam's February weeks; India, Singapore, the Gulf).
    case none
    /// The United States and Canada: the second Sunday of March to the first Sunday of November.
    case unitedStates
    /// The European Union and the United Kingdom: the last Sunday of March to the last Sunday of October.
    case europe
    /// South-east Australia (Sydney, Melbourne, Adelaide): the first Sunday of October to the
    /// first Sunday of April, across the new year (southern summer).
    case australia

    /// Minutes added to the standard offset on day `dayNumber` (days since 1970, local date).
    public func extraMinutes(onDay dayNumber: Int) -> Int {
        switch self {
        case .none:
            return 0
        case .unitedStates:
            let (year, _, _) = EventTime.civilFromDays(dayNumber)
            let start = Self.sunday(year: year, month: 3, ordinal: 2)
            let end = Self.sunday(year: year, month: 11, ordinal: 1)
            return dayNumber >= start && dayNumber < end ? 60 : 0
        case .europe:
            let (year, _, _) = EventTime.civilFromDays(dayNumber)
            let start = Self.sunday(year: year, month: 3, ordinal: -1)
            let end = Self.sunday(year: year, month: 10, ordinal: -1)
            return dayNumber >= start && dayNumber < end ? 60 : 0
        case .australia:
            let (year, _, _) = EventTime.civilFromDays(dayNumber)
            let end = Self.sunday(year: year, month: 4, ordinal: 1)
            let start = Self.sunday(year: year, month: 10, ordinal: 1)
            return dayNumber < end || dayNumber >= start ? 60 : 0
        }
    }

    /// The day number of a month's `ordinal`-th Sunday (1 = first; -1 = last).
    static func sunday(year: Int, month: Int, ordinal: Int) -> Int {
        if ordinal < 0 {
            let nextMonth = month == 12 ? EventTime.daysFromCivil(year: year + 1, month: 1, day: 1)
                : EventTime.daysFromCivil(year: year, month: month + 1, day: 1)
            let last = nextMonth - 1
            return last - Self.weekday(last)
        }
        let first = EventTime.daysFromCivil(year: year, month: month, day: 1)
        return first + (7 - Self.weekday(first)) % 7 + 7 * (ordinal - 1)
    }

    /// 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday).
    static func weekday(_ dayNumber: Int) -> Int { ((dayNumber % 7) + 11) % 7 }
}
