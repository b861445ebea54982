/// A point in event time: 100-nanosecond ticks since 1970-01-01T00:00:00Z.
///
/// Key Vault records carry up to seven fractional digits, so ticks keep them exactly.
/// Rules run on this clock, never on the wall clock, so a replay gives the live run's alerts.
public struct EventTime: Sendable, Hashable, Comparable, Codable {
    public var ticks: Int64

    public static let ticksPerSecond: Int64 = 10_000_000
    public static let ticksPerMinute: Int64 = 60 * ticksPerSecond
    public static let ticksPerHour: Int64 = 60 * ticksPerMinute
    public static let ticksPerDay: Int64 = 24 * ticksPerHour

    public init(ticks: Int64) { self.ticks = ticks }

    public init(secondsSince1970 seconds: Int64, fractionTicks: Int64 = 0) {
        self.ticks = seconds * Self.ticksPerSecond + fractionTicks
    }

    public static func < (lhs: EventTime, rhs: EventTime) -> Bool { lhs.ticks < rhs.ticks }

    public static func + (lhs: EventTime, rhs: Duration) -> EventTime {
        EventTime(ticks: lhs.ticks + rhs.ticks)
    }

    public static func - (lhs: EventTime, rhs: EventTime) -> Duration {
        Duration(ticks: lhs.ticks - rhs.ticks)
    }

    /// Whole seconds since the epoch (floor).
    public var secondsSince1970: Int64 {
        ticks >= 0 ? ticks / Self.ticksPerSecond : (ticks - Self.ticksPerSecond + 1) / Self.ticksPerSecond
    }

    /// A span of event time, in the same ticks.
    public struct Duration: Sendable, Hashable, Comparable {
        public var ticks: Int64
        public init(ticks: Int64) { self.ticks = ticks }
        public static func seconds(_ value: Int64) -> Duration { Duration(ticks: value * EventTime.ticksPerSecond) }
        public static func minutes(_ value: Int64) -> Duration { Duration(ticks: value * EventTime.ticksPerMinute) }
        public static func hours(_ value: Int64) -> Duration { Duration(ticks: value * EventTime.ticksPerHour) }
        public static func days(_ value: Int64) -> Duration { Duration(ticks: value * EventTime.ticksPerDay) }
        public static func < (lhs: Duration, rhs: Duration) -> Bool { lhs.ticks < rhs.ticks }
    }
}

extension EventTime {
    /// Civil date and time in UTC.
    public struct Components: Sendable, Hashable {
        public var year: Int
        public var month: Int
        public var day: Int
        public var hour: Int
        public var minute: Int
        public var second: Int
        public var fractionTicks: Int64
    }

    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0, fractionTicks: Int64 = 0) {
        let days = Self.daysFromCivil(year: year, month: month, day: day)
        let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        self.init(secondsSince1970: seconds, fractionTicks: fractionTicks)
    }

    public var components: Components {
        let seconds = secondsSince1970
        let fraction = ticks - seconds * Self.ticksPerSecond
        var days = seconds / 86_400
        var secondOfDay = seconds % 86_400
        if secondOfDay < 0 { secondOfDay += 86_400; days -= 1 }
        let (year, month, day) = Self.civilFromDays(Int(days))
        return Components(
            year: year, month: month, day: day,
            hour: Int(secondOfDay / 3600), minute: Int(secondOfDay % 3600 / 60), second: Int(secondOfDay % 60),
            fractionTicks: fraction)
    }

    /// Day of the week, 0 = Sunday … 6 = Saturday.
    public var weekday: Int {
        let days = Int((secondsSince1970 >= 0 ? secondsSince1970 : secondsSince1970 - 86_399) / 86_400)
        return ((days % 7) + 11) % 7  // 1970-01-01 was a Thursday (4)
    }

    /// ISO-8601 in UTC, with the fraction trimmed of trailing zeros (none when whole seconds).
    public var iso8601: String {
        let c = components
        var text = "\(Self.pad(c.year, 4))-\(Self.pad(c.month, 2))-\(Self.pad(c.day, 2))T"
        text += "\(Self.pad(c.hour, 2)):\(Self.pad(c.minute, 2)):\(Self.pad(c.second, 2))"
        if c.fractionTicks != 0 {
            var digits = Self.pad(Int(c.fractionTicks), 7)
            while digits.hasSuffix("0") { digits.removeLast() }
            text += "." + digits
        }
        return text + "Z"
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    // Howard Hinnant's days_from_civil / civil_from_days: exact for the proleptic Gregorian calendar.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let monthIndex = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * monthIndex + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civilFromDays(_ days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

extension EventTime {
    /// Parses ISO-8601 date-times as Azure writes them: `YYYY-MM-DDTHH:MM:SS`, an optional
    /// fraction of 0–7 digits (more are truncated), then `Z`, `±HH:MM` or nothing (taken as UTC).
    /// A space may stand for the `T`. Returns nil for anything else.
    public static func parse<Bytes: Collection>(iso8601 bytes: Bytes) -> EventTime? where Bytes.Element == UInt8 {
        parseAnyShape(bytes)
    }

    /// `parse(iso8601:)` for the decoder's bytes: the shape the service writes,
    /// `YYYY-MM-DDTHH:MM:SS.fffffffZ` (28 bytes), is read at fixed offsets (`parseServiceShape`);
    /// any other text, or one of that shape it does not accept (a digit out of range, a day the
    /// month does not have), is read the general way, which decides. Same results as the general
    /// reading for every text (`EventTimeTests`).
    @inline(__always)
    public static func parse(iso8601 bytes: UnsafeRawBufferPointer) -> EventTime? {
        var day = RememberedDay()
        return parse(iso8601: bytes, day: &day)
    }

    /// `parse(iso8601:)` that remembers the day of a time in the service's shape for the next
    /// one (`RememberedDay`): the decoder's, one per decoder. Same results.
    @inline(__always)
    static func parse(iso8601 bytes: UnsafeRawBufferPointer, day: inout RememberedDay) -> EventTime? {
        if bytes.count == 28, let time = parseServiceShape(bytes, day: &day) { return time }
        return parseAnyShape(bytes)
    }

    /// The day of the last time read in the service's shape: its text (`YYYY-MM-` and the day's
    /// two digits, as written) and its midnight. A source's records come in time order, so one
    /// day's records follow each other: the calendar's arithmetic (the month's length,
    /// `daysFromCivil`, ~70 instructions) is done once a day instead of once a record. Only a
    /// day that was read and accepted is remembered, so its text stands for its validity too.
    struct RememberedDay {
        /// Bytes 0-7 of the text (`YYYY-MM-`, digits and dashes: never 0) and bytes 8-9 (`DD`).
        fileprivate var date: UInt64 = 0
        fileprivate var dayDigits: UInt16 = 0
        /// The day's midnight, in seconds since 1970.
        fileprivate var midnight: Int64 = 0
    }

    /// `YYYY-MM-DDTHH:MM:SS.fffffffZ` at fixed offsets, or nil (then the general reading
    /// decides): the text read as four words (bytes 0-7, 8-15, 16-23 and 20-27), its 21 digits
    /// and 7 separators checked eight bytes at a time, the fraction's seven digits made a number
    /// in three steps (pairs, fours, the whole). The general reading costs ~400 instructions a
    /// record (a profile of `detect`), most of them in its closures' end-of-text checks and the
    /// fraction's loop; digit by digit, this one cost ~220 (callgrind, the tenant file).
    private static func parseServiceShape(_ bytes: UnsafeRawBufferPointer, day remembered: inout RememberedDay) -> EventTime? {
        guard let base = bytes.baseAddress else { return nil }
        // Byte i of a word is its bits 8i..<8i+8 (little-endian), whatever the machine's order.
        @inline(__always) func word(_ offset: Int) -> UInt64 {
            UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
        }
        let date = word(0)  // YYYY-MM-
        let clock = word(8)  // DDTHH:MM
        let seconds = word(16)  // :SS.ffff
        let fraction = word(20)  // fffffffZ
        // Per word: `high` is 0xF0 at each digit's byte, `zero` its expected 0x30, `six` 0x06
        // there; `separators` masks the other bytes, `expected` their values. A byte is a digit
        // when its high half is 3, and still is once 6 is added (0x3A-0x3F carry into it). A byte
        // of 0xFA or more carries into the next byte, but its high half is not 3: refused anyway.
        @inline(__always) func mismatch(
            _ word: UInt64, high: UInt64, zero: UInt64, six: UInt64, separators: UInt64, expected: UInt64
        ) -> UInt64 {
            ((word & high) ^ zero) | (((word &+ six) & high) ^ zero) | ((word & separators) ^ expected)
        }
        let refused =
            mismatch(
                date, high: 0x00F0_F000_F0F0_F0F0, zero: 0x0030_3000_3030_3030, six: 0x0006_0600_0606_0606,
                separators: 0xFF00_00FF_0000_0000, expected: 0x2D00_002D_0000_0000)
            | mismatch(
                clock, high: 0xF0F0_00F0_F000_F0F0, zero: 0x3030_0030_3000_3030, six: 0x0606_0006_0600_0606,
                separators: 0x0000_FF00_00FF_0000, expected: 0x0000_3A00_0054_0000)
            | mismatch(
                seconds, high: 0xF0F0_F0F0_00F0_F000, zero: 0x3030_3030_0030_3000, six: 0x0606_0606_0006_0600,
                separators: 0x0000_0000_FF00_00FF, expected: 0x0000_0000_2E00_003A)
            | mismatch(
                fraction, high: 0x00F0_F0F0_F0F0_F0F0, zero: 0x0030_3030_3030_3030, six: 0x0006_0606_0606_0606,
                separators: 0xFF00_0000_0000_0000, expected: 0x5A00_0000_0000_0000)
        guard refused == 0 else { return nil }
        // The two digits at byte `offset` of `word` (its first digit the tens).
        @inline(__always) func pair(_ word: UInt64, _ offset: UInt64) -> Int {
            let digits = word &>> (offset &* 8)
            return Int(digits & 0x0F) &* 10 &+ Int((digits &>> 8) & 0x0F)
        }
        let hour = pair(clock, 3)
        let minute = pair(clock, 6)
        let second = pair(seconds, 1)
        guard hour < 24, minute < 60, second < 61 else { return nil }
        let dayDigits = UInt16(truncatingIfNeeded: clock)
        let midnight: Int64
        if date == remembered.date, dayDigits == remembered.dayDigits {
            midnight = remembered.midnight
        } else {
            let year = pair(date, 0) &* 100 &+ pair(date, 2)
            let month = pair(date, 5)
            let day = pair(clock, 0)
            guard month >= 1, month <= 12, day >= 1, day <= daysInMonth(year: year, month: month) else { return nil }
            midnight = Int64(daysFromCivil(year: year, month: month, day: day)) &* 86_400
            remembered = RememberedDay(date: date, dayDigits: dayDigits, midnight: midnight)
        }
        // The seven digits after a leading 0 (the `Z` shifted out): pairs, then fours, then all.
        var ticks = (fraction &<< 8) & 0x0F0F_0F0F_0F0F_0F0F
        ticks = (ticks &* 10 &+ (ticks &>> 8)) & 0x00FF_00FF_00FF_00FF
        ticks = (ticks &* 100 &+ (ticks &>> 16)) & 0x0000_FFFF_0000_FFFF
        ticks = (ticks &* 10_000 &+ (ticks &>> 32)) & 0xFFFF_FFFF
        return EventTime(
            secondsSince1970: midnight &+ Int64(hour &* 3600 &+ minute &* 60 &+ second), fractionTicks: Int64(ticks))
    }

    /// The general reading of `parse(iso8601:)`: every shape it accepts.
    private static func parseAnyShape<Bytes: Collection>(_ bytes: Bytes) -> EventTime? where Bytes.Element == UInt8 {
        var index = bytes.startIndex
        func digits(_ count: Int) -> Int? {
            var value = 0
            for _ in 0..<count {
                guard index != bytes.endIndex else { return nil }
                let byte = bytes[index]
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
                index = bytes.index(after: index)
            }
            return value
        }
        func expect(_ byte: UInt8) -> Bool {
            guard index != bytes.endIndex, bytes[index] == byte else { return false }
            index = bytes.index(after: index)
            return true
        }
        guard let year = digits(4), expect(45), let month = digits(2), expect(45), let day = digits(2) else { return nil }
        guard index != bytes.endIndex, bytes[index] == 84 || bytes[index] == 116 || bytes[index] == 32 else { return nil }
        index = bytes.index(after: index)
        guard let hour = digits(2), expect(58), let minute = digits(2), expect(58), let second = digits(2) else { return nil }
        guard (1...12).contains(month), (1...daysInMonth(year: year, month: month)).contains(day),
              hour < 24, minute < 60, second < 61 else { return nil }
        var fraction: Int64 = 0
        if index != bytes.endIndex, bytes[index] == 46 {
            index = bytes.index(after: index)
            var count = 0
            while index != bytes.endIndex, bytes[index] >= 48, bytes[index] <= 57 {
                if count < 7 { fraction = fraction * 10 + Int64(bytes[index] - 48) }
                count += 1
                index = bytes.index(after: index)
            }
            guard count > 0 else { return nil }
            for _ in min(count, 7)..<7 { fraction *= 10 }
        }
        var offsetSeconds: Int64 = 0
        if index != bytes.endIndex {
            let byte = bytes[index]
            if byte == 90 || byte == 122 {
                index = bytes.index(after: index)
            } else if byte == 43 || byte == 45 {
                index = bytes.index(after: index)
                guard let offsetHours = digits(2) else { return nil }
                _ = expect(58)
                guard let offsetMinutes = digits(2) else { return nil }
                offsetSeconds = Int64(offsetHours * 3600 + offsetMinutes * 60) * (byte == 45 ? -1 : 1)
            } else {
                return nil
            }
        }
        guard index == bytes.endIndex else { return nil }
        let time = EventTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second, fractionTicks: fraction)
        return EventTime(ticks: time.ticks - offsetSeconds * ticksPerSecond)
    }

    /// The days in `month` of `year` (28–31), so `2023-02-29` or `2024-04-31` is refused rather
    /// than rolled into the next month.
    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public static func parse(iso8601 text: String) -> EventTime? {
        parse(iso8601: Array(text.utf8))
    }
}
