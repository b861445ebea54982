import Testing
@testable import VaultWatchCore

@Suite("EventTime")
struct EventTimeTests {
    private func parse(_ text: String) throws -> EventTime {
        try #require(EventTime.parse(iso8601: text), "\(text) should parse")
    }

    // MARK: Parsing

    @Test func wholeSecondsInUTC() throws {
        let time = try parse("2018-11-01T00:02:01Z")
        #expect(time == EventTime(year: 2018, month: 11, day: 1, hour: 0, minute: 2, second: 1))
        #expect(time.secondsSince1970 == 1_541_030_521)
        #expect(try parse("1970-01-01T00:00:00Z").ticks == 0)
    }

    @Test(arguments: [
        ("2024-05-06T07:08:09Z", 0 as Int64),
        ("2024-05-06T07:08:09.Z", -1),
        ("2024-05-06T07:08:09.1Z", 1_000_000),
        ("2024-05-06T07:08:09.12Z", 1_200_000),
        ("2024-05-06T07:08:09.123Z", 1_230_000),
        ("2024-05-06T07:08:09.1234Z", 1_234_000),
        ("2024-05-06T07:08:09.12345Z", 1_234_500),
        ("2024-05-06T07:08:09.123456Z", 1_234_560),
        ("2024-05-06T07:08:09.1234567Z", 1_234_567),
        ("2024-05-06T07:08:09.12345678Z", 1_234_567),  // beyond ticks: truncated, not rounded
        ("2024-05-06T07:08:09.123456789012Z", 1_234_567),
        ("2024-05-06T07:08:09.9999999Z", 9_999_999),
        ("2024-05-06T07:08:09.0000001Z", 1),
    ])
    func fractionalDigits(text: String, fractionTicks: Int64) {
        let base = EventTime(year: 2024, month: 5, day: 6, hour: 7, minute: 8, second: 9)
        if fractionTicks < 0 {
            #expect(EventTime.parse(iso8601: text) == nil, "a dot needs digits")
        } else {
            #expect(EventTime.parse(iso8601: text) == EventTime(ticks: base.ticks + fractionTicks))
        }
    }

    @Test func zoneDesignators() throws {
        let utc = try parse("2024-05-06T07:08:09.5Z")
        #expect(try parse("2024-05-06T07:08:09.5z") == utc)
        #expect(try parse("2024-05-06T07:08:09.5") == utc, "no designator is UTC")
        #expect(try parse("2024-05-06T07:08:09.5+00:00") == utc)
        #expect(try parse("2024-05-06T07:08:09.5-00:00") == utc)
        #expect(try parse("2024-05-06T09:38:09.5+02:30") == utc)
        #expect(try parse("2024-05-06T09:38:09.5+0230") == utc)
        #expect(try parse("2024-05-06T02:08:09.5-05:00") == utc)
        #expect(try parse("2024-05-05T23:08:09.5-08:00") == utc, "an offset can cross midnight")
        #expect(try parse("2024-05-06 07:08:09.5Z") == utc, "a space may stand for the T")
        #expect(try parse("2024-05-06t07:08:09.5Z") == utc)
    }

    @Test func parsesBytesAsWellAsStrings() throws {
        let bytes = Array("2019-08-23T10:15:30.1234567Z".utf8)
        #expect(EventTime.parse(iso8601: bytes[...]) == (try parse("2019-08-23T10:15:30.1234567Z")))
        let inside = Array("\"time\": \"2019-08-23T10:15:30Z\"".utf8)
        #expect(EventTime.parse(iso8601: inside[9..<29]) == (try parse("2019-08-23T10:15:30Z")))
    }

    @Test(arguments: [
        "", "2024", "2024-05-06", "2024-05-06T", "2024-05-06T07:08", "24-05-06T07:08:09Z", "2024-5-06T07:08:09Z",
        "2024/05/06T07:08:09Z", "2024-05-06X07:08:09Z", "2024-05-06T7:08:09Z", "2024-05-06T07-08-09Z",
        "2024-00-06T07:08:09Z", "2024-13-06T07:08:09Z", "2024-05-00T07:08:09Z", "2024-05-32T07:08:09Z",
        "2024-05-06T24:00:00Z", "2024-05-06T07:60:09Z", "2024-05-06T07:08:61Z",
        "2024-02-30T00:00:00Z", "2023-02-29T00:00:00Z", "2024-04-31T00:00:00Z", "1900-02-29T00:00:00Z",
        "2024-05-06T07:08:09ZZ", "2024-05-06T07:08:09Z ", " 2024-05-06T07:08:09Z", "2024-05-06T07:08:09+",
        "2024-05-06T07:08:09+01", "2024-05-06T07:08:09+1:00", "2024-05-06T07:08:09.12a", "2024-05-06T07:08:09,5Z",
        "２０２４-05-06T07:08:09Z",
    ])
    func invalid(text: String) {
        #expect(EventTime.parse(iso8601: text) == nil)
    }

    /// The decoder's bytes in the shape the service writes (`YYYY-MM-DDTHH:MM:SS.fffffffZ`) are
    /// read at fixed offsets, anything else the general way: both readings must agree on every
    /// text. Each base text, and each with one byte replaced (digits, separators, designators,
    /// bytes beside the digits), as bytes against the same text read as a collection.
    @Test func theServiceShapeReadsAsTheGeneralReadingDoes() {
        let bases = [
            "2024-02-29T23:59:60.9999999Z", "2023-12-31T00:00:00.0000000Z", "1900-02-28T12:34:56.1234567Z",
            "2000-02-29T09:09:09.0900909Z", "0000-01-01T00:00:00.0000001Z", "9999-12-31T23:59:59.9999999Z",
            "2024-04-30T19:29:39.4959697Z",
        ]
        let replacements = Array("0123456789-:T t.Zz+/,".utf8) + [0x00, 0x7F, 0xFF, 0xB0, 0xB9]
        var compared = 0
        var accepted = 0
        for base in bases {
            let bytes = Array(base.utf8)
            var texts = [bytes, bytes + [0x5A], Array(bytes.dropLast())]
            for position in bytes.indices {
                for replacement in replacements where replacement != bytes[position] {
                    var text = bytes
                    text[position] = replacement
                    texts.append(text)
                }
            }
            for text in texts {
                let general = EventTime.parse(iso8601: text)
                let read = text.withUnsafeBytes { EventTime.parse(iso8601: $0) }
                #expect(read == general, "\(String(decoding: text, as: UTF8.self))")
                compared += 1
                if general != nil { accepted += 1 }
            }
        }
        #expect(compared > 4_500)
        #expect(accepted > 1_000, "most one-digit changes are still dates")
    }

    /// Every byte value at every place of texts in the service's shape (the fixed-offset reading
    /// checks eight bytes at a time: a byte just past a digit's range, `:` to `?` and `/`, or one
    /// whose high half carries, must be refused as the general reading refuses it).
    @Test func everyByteAtEveryPlaceOfTheServiceShapeReadsAsTheGeneralReadingDoes() {
        var compared = 0
        for base in ["2024-02-29T23:59:60.9999999Z", "1999-10-01T00:09:19.0000000Z"] {
            let bytes = Array(base.utf8)
            for position in bytes.indices {
                for replacement in UInt8.min...UInt8.max {
                    var text = bytes
                    text[position] = replacement
                    let general = EventTime.parse(iso8601: text)
                    let read = text.withUnsafeBytes { EventTime.parse(iso8601: $0) }
                    #expect(read == general, "\(position): \(replacement)")
                    compared += 1
                }
            }
        }
        #expect(compared == 2 * 28 * 256)
    }

    /// The decoder's reading remembers the day of the last time in the service's shape
    /// (`EventTime.RememberedDay`): read in turn with one memory, times of one day, the next day,
    /// another month or year, a day its month does not have, a bad hour or second on a remembered
    /// day, and a walk of 20,000 times over three years (forward, now and then a day back) read as
    /// the general reading does.
    @Test func aRememberedDayReadsAsTheGeneralReadingDoes() {
        var texts = [
            "2025-06-25T00:00:14.1430000Z", "2025-06-25T23:59:59.9999999Z", "2025-06-26T00:00:00.0000000Z",
            "2025-06-26T24:00:00.0000000Z", "2025-06-26T23:60:00.0000000Z", "2025-06-26T23:59:61.0000000Z",
            "2025-06-31T00:00:00.0000000Z", "2025-06-31T01:00:00.0000000Z", "2025-06-30T12:00:00.0000000Z", "2025-06-31T12:00:00.0000000Z",
            "2025-07-31T12:00:00.0000000Z", "2025-06-25T10:00:00.0000000Z", "2024-02-29T10:00:00.0000000Z",
            "2025-02-29T10:00:00.0000000Z", "2024-02-29T23:59:60.5000000Z", "2026-06-25T10:00:00.0000000Z",
            "2025-06-25T10:00:00.000000Z", "2025-06-25T10:00:00.0000000Z",
        ]
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        var ticks = EventTime(year: 2024, month: 12, day: 30).ticks
        for step in 0..<20_000 {
            ticks += step % 97 == 0 ? -EventTime.ticksPerDay : Int64(step % 13) * 7 * EventTime.ticksPerMinute + 1_234_567
            let c = EventTime(ticks: ticks).components
            texts.append(
                "\(pad(c.year, 4))-\(pad(c.month, 2))-\(pad(c.day, 2))T\(pad(c.hour, 2)):\(pad(c.minute, 2)):\(pad(c.second, 2))."
                    + pad(Int(c.fractionTicks), 7) + "Z")
        }
        var day = EventTime.RememberedDay()
        var accepted = 0
        for text in texts {
            let bytes = Array(text.utf8)
            let general = EventTime.parse(iso8601: bytes)
            let read = bytes.withUnsafeBytes { EventTime.parse(iso8601: $0, day: &day) }
            #expect(read == general, "\(text)")
            if read != nil { accepted += 1 }
        }
        #expect(accepted > 20_000, "the walk's times are dates")
    }

    @Test func leapDaysAreValid() throws {
        #expect(try parse("2024-02-29T12:00:00Z").components.day == 29)
        #expect(try parse("2000-02-29T12:00:00Z").components.month == 2)
        #expect(try parse("2023-12-31T23:59:59Z").components.day == 31)
    }

    // MARK: Output

    @Test(arguments: [
        ("2018-11-01T00:02:01Z", "2018-11-01T00:02:01Z"),
        ("2018-11-01T00:02:01.0000000Z", "2018-11-01T00:02:01Z"),
        ("2018-11-01T00:02:01.5Z", "2018-11-01T00:02:01.5Z"),
        ("2018-11-01T00:02:01.1234567Z", "2018-11-01T00:02:01.1234567Z"),
        ("2018-11-01T00:02:01.0000010Z", "2018-11-01T00:02:01.000001Z"),
        ("2018-11-01T02:02:01.25+02:00", "2018-11-01T00:02:01.25Z"),
        ("0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z"),
        ("9999-12-31T23:59:59.9999999Z", "9999-12-31T23:59:59.9999999Z"),
        ("1969-12-31T23:59:59.9Z", "1969-12-31T23:59:59.9Z"),
    ])
    func iso8601Output(input: String, expected: String) throws {
        let time = try parse(input)
        #expect(time.iso8601 == expected)
        #expect(EventTime.parse(iso8601: time.iso8601) == time, "round trip")
    }

    // MARK: Calendar

    @Test func weekdays() throws {
        #expect(EventTime(ticks: 0).weekday == 4, "1970-01-01 was a Thursday")
        #expect(try parse("2024-02-29T23:59:59Z").weekday == 4)
        #expect(try parse("2024-03-03T00:00:00Z").weekday == 0, "Sunday")
        #expect(try parse("2024-03-09T12:00:00Z").weekday == 6, "Saturday")
        #expect(try parse("2000-01-01T00:00:00Z").weekday == 6)
        #expect(try parse("1969-12-31T23:59:59.9Z").weekday == 3, "before the epoch")
        #expect(try parse("1969-12-26T00:00:00Z").weekday == 5)
        #expect(try parse("1900-01-01T00:00:00Z").weekday == 1, "Monday")
    }

    @Test func weekdayAdvancesOneADay() {
        var time = EventTime(year: 1960, month: 1, day: 1)  // a Friday
        var expected = 5
        for _ in 0..<(366 * 80) {
            #expect(time.weekday == expected)
            time = time + .days(1)
            expected = (expected + 1) % 7
        }
    }

    @Test func componentsRoundTripOverEveryDayOfManyYears() {
        var days = 0
        for year in [1600, 1899, 1900, 1968, 1969, 1970, 1999, 2000, 2023, 2024, 2100, 2400] {
            let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
            let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
            var previous: EventTime?
            for month in 1...12 {
                for day in 1...lengths[month - 1] {
                    let time = EventTime(year: year, month: month, day: day, hour: 23, minute: 59, second: 58, fractionTicks: 1_234_567)
                    let components = time.components
                    #expect(components.year == year && components.month == month && components.day == day)
                    #expect(components.hour == 23 && components.minute == 59 && components.second == 58)
                    #expect(components.fractionTicks == 1_234_567)
                    if let previous { #expect(time - previous == .days(1)) }
                    previous = time
                    days += 1
                }
            }
        }
        #expect(days == 365 * 12 + 5, "1600, 1968, 2000, 2024 and 2400 are leap years")
    }

    @Test func durationsAndArithmetic() {
        let start = EventTime(year: 2024, month: 2, day: 28, hour: 23)
        #expect((start + .hours(25)).components.day == 1)
        #expect((start + .hours(25)).components.month == 3)
        #expect((start + .minutes(90)) - start == .seconds(5_400))
        #expect(EventTime.Duration.days(1) == .hours(24))
        #expect(EventTime.Duration.seconds(1) < .minutes(1))
        #expect(EventTime(ticks: -1).secondsSince1970 == -1)
        #expect(EventTime(ticks: -10_000_000).secondsSince1970 == -1)
        #expect(EventTime(ticks: -10_000_001).secondsSince1970 == -2)
        #expect(EventTime(secondsSince1970: 1, fractionTicks: 5).ticks == 10_000_005)
    }
}
