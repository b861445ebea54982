extension EventTime {
    /// Whole hours since 1970-01-01T00:00Z, rounded down before 1970 too: the one place that
    /// divides a time into clock hours (the baselines' hours, the dashboard's and the journal's
    /// hourly slots, an hourly blob's hour when a source steps back).
    public var hoursSince1970: Int64 {
        ticks >= 0 ? ticks / Self.ticksPerHour : (ticks &- Self.ticksPerHour &+ 1) / Self.ticksPerHour
    }

    /// `hoursSince1970` in 32 bits: the key of hourly volume counts.
    public var hourNumber: Int32 {
        Int32(truncatingIfNeeded: hoursSince1970)
    }

    /// Whole days since 1970-01-01 (floor), UTC.
    public var dayNumber: Int32 {
        let days = ticks >= 0 ? ticks / Self.ticksPerDay : (ticks - Self.ticksPerDay + 1) / Self.ticksPerDay
        return Int32(truncatingIfNeeded: days)
    }

    /// The start of hour number `hour`.
    public static func startOfHour(_ hour: Int32) -> EventTime {
        EventTime(ticks: Int64(hour) * ticksPerHour)
    }
}

/// Calendar arithmetic on hour numbers, without building dates.
enum HourCalendar {
    /// 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday).
    static func weekday(ofHour hour: Int32) -> Int {
        let day = Int(hour >= 0 ? hour / 24 : (hour - 23) / 24)
        return ((day % 7) + 11) % 7
    }

    static func isWeekend(hour: Int32) -> Bool {
        let day = weekday(ofHour: hour)
        return day == 0 || day == 6
    }

    static func hourOfDay(_ hour: Int32) -> Int { Int(((hour % 24) + 24) % 24) }

    /// A day number as the two bytes compact baselines keep (0 = never; days since 1970 fit until 2149).
    static func stamp(day: Int32) -> UInt16 { UInt16(clamping: max(1, day)) }
}
