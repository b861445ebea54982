import Foundation

/// How a vault's hours read in the vault's own time: which local hour of which weekday an hour
/// of event time is, so time of day and weekday/weekend are judged where the vault's people
/// and jobs live (a Sydney team's Monday 09:00 is Sunday 23:00 UTC).
///
/// Three sources, in order: a time zone configured for the vault (`timezone`, IANA names, with
/// daylight saving), an offset inferred from the vault's weekly rhythm
/// (`LocalClock.inferred(fromWeek:)`), or UTC.
public struct LocalClock: Sendable, Hashable {
    public enum Source: Sendable, Hashable {
        case utc
        case configured(TimeZone)
        /// A fixed offset from UTC, in hours, inferred from when the vault is busy.
        case inferred(hours: Int)
    }

    public var source: Source

    public static let utc = LocalClock(source: .utc)

    public init(source: Source) {
        self.source = source
    }

    /// Seconds to add to UTC at hour number `hour` to get local time.
    func offsetSeconds(atHour hour: Int32) -> Int {
        switch source {
        case .utc: 0
        case .inferred(let hours): hours * 3600
        case .configured(let zone): zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(hour) * 3600))
        }
    }

    /// The local hour number (hours since 1970-01-01T00:00 local) holding the start of UTC hour `hour`.
    /// The offset in whole hours when it is the same at every hour (UTC, an inferred offset):
    /// then `localHour(h)` is `h` plus it and `utcHour(ofLocal: l)` is `l` less it. Nil for a
    /// configured zone (daylight saving, half-hour zones).
    var fixedOffsetHours: Int32? {
        switch source {
        case .utc: 0
        case .inferred(let hours): Int32(hours)
        case .configured: nil
        }
    }

    func localHour(_ hour: Int32) -> Int32 {
        if case .utc = source { return hour }
        let seconds = Int64(hour) * 3600 + Int64(offsetSeconds(atHour: hour))
        return Int32(truncatingIfNeeded: seconds >= 0 ? seconds / 3600 : (seconds - 3599) / 3600)
    }

    /// The UTC hour whose local hour is `local` (the first, where a daylight-saving change
    /// repeats one).
    func utcHour(ofLocal local: Int32) -> Int32 {
        if case .utc = source { return local }
        var guess = local - Int32(offsetSeconds(atHour: local) / 3600)
        guess = local - Int32(offsetSeconds(atHour: guess) / 3600)
        return guess
    }

    /// 0 = Sunday … 6 = Saturday, in local time.
    func weekday(ofHour hour: Int32) -> Int { HourCalendar.weekday(ofHour: localHour(hour)) }

    func hourOfDay(_ hour: Int32) -> Int { HourCalendar.hourOfDay(localHour(hour)) }

    func isWeekend(hour: Int32) -> Bool { HourCalendar.isWeekend(hour: localHour(hour)) }

    /// "Australia/Sydney", "UTC+10, inferred from the vault's weekly rhythm", "UTC".
    public var label: String {
        switch source {
        case .utc: return "UTC"
        case .configured(let zone): return zone.identifier
        case .inferred(let hours): return "UTC\(hours >= 0 ? "+" : "")\(hours)"
        }
    }

    public var isInferred: Bool {
        if case .inferred = source { return true }
        return false
    }

    /// The offset (in whole hours, −12…+14) that makes a vault's weekly rhythm a working week:
    /// the one that puts the least of its activity on local weekend days. `week[h]` is the
    /// activity at UTC hour-of-week `h` (0 = Sunday 00:00 UTC). A vault without a working
    /// week (its quietest reading still puts `rhythm` or more of its activity on weekends: a
    /// round-the-clock service) stays UTC, and so does one UTC already reads as well (within
    /// `margin`). Among about equally good offsets, the one that puts the centre of the
    /// activity nearest 13:00 local. Nil when there is too little activity to read.
    static func inferredOffset(fromWeek week: [Double], rhythm: Double = 0.15, margin: Double = 0.005) -> Int? {
        guard week.count == 168 else { return nil }
        let total = week.reduce(0, +)
        guard total >= 100 else { return nil }
        // The local weekend (Saturday 00:00 to Monday 00:00, local hours of the week 144..<192)
        // is one 48-hour run of UTC hours, wrapping past the end of the week: summed over that
        // run only, low hours first, which is the order (and so the rounding) of a pass over
        // the whole week. Inferred once a day per vault, so it must stay cheap.
        func weekendShare(_ offset: Int) -> Double {
            let start = ((144 - offset) % 168 + 168) % 168
            let end = start + 48
            var weekend = 0.0
            if end > 168 { for hour in 0..<(end - 168) { weekend += week[hour] } }
            for hour in start..<min(end, 168) { weekend += week[hour] }
            return weekend / total
        }
        let offsets = Array(-12...14)
        let shares = offsets.map(weekendShare)
        let best = shares.min() ?? 0
        let utcShare = shares[12]
        if best >= rhythm || utcShare <= best + margin { return 0 }
        // Offsets about as good form a run (local midnight anywhere in the quiet hours);
        // take the one that puts the centre of the activity nearest 13:00 local.
        var sine = 0.0
        var cosine = 0.0
        for hour in 0..<168 {
            let angle = Double(hour % 24) / 24 * 2 * Double.pi
            sine += week[hour] * sin(angle)
            cosine += week[hour] * cos(angle)
        }
        let centre = (atan2(sine, cosine) / (2 * Double.pi) * 24 + 24).truncatingRemainder(dividingBy: 24)
        var chosen: Int?
        var nearest = Double.infinity
        for (index, offset) in offsets.enumerated() where shares[index] <= best + margin {
            let local = (centre + Double(offset) + 48).truncatingRemainder(dividingBy: 24)
            let distance = min(abs(local - 13), 24 - abs(local - 13))
            if distance < nearest {
                nearest = distance
                chosen = offset
            }
        }
        return chosen
    }
}
