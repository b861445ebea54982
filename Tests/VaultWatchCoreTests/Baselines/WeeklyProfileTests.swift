import Testing
@testable import VaultWatchCore

/// `VaultBaseline.weeklyProfile` sums the ring's hours into the hours of the week in runs that
/// wrap neither the ring nor the week: held to the loop as written (hour by hour, oldest first,
/// alerted hours left out), to the bit, for rings of several sizes, every phase of the ring and
/// the week, a vault first seen inside the ring's span, and histories shorter than the ring.
@Suite("Weekly profile")
struct WeeklyProfileTests {
    static func reference(_ baseline: VaultBaseline) -> [Double] {
        var week = [Double](repeating: 0, count: 168)
        let oldest = max(baseline.firstSeen.hourNumber, baseline.lastHourWritten - Int32(baseline.hourly.count) + 1)
        guard baseline.lastHourWritten >= oldest else { return week }
        for hour in oldest...baseline.lastHourWritten {
            let value = baseline.hourly[baseline.slot(hour)]
            if value != VaultBaseline.alertedHour, value > 0 {
                week[HourCalendar.weekday(ofHour: hour) * 24 + HourCalendar.hourOfDay(hour)] += Double(value)
            }
        }
        return week
    }

    @Test("3,000 rings (1 to 40 days, every phase, alerted and empty hours, large counts) sum as hour by hour does")
    func matchesHourByHour() {
        var random = SeededRandom(seed: 31)
        let start = EventTime(year: 2025, month: 3, day: 1).hourNumber
        for round in 0..<3_000 {
            let ringHours = [24, 168, 169, 24 * 21, 24 * 40, 1 + random.below(500)][round % 6]
            let firstSeen = start + Int32(random.below(24 * 60))
            var baseline = VaultBaseline(
                vault: Symbol(rawValue: 1), firstSeen: EventTime(ticks: Int64(firstSeen) * EventTime.ticksPerHour), ringHours: ringHours)
            for slot in 0..<ringHours {
                switch random.below(10) {
                case 0: baseline.hourly[slot] = VaultBaseline.alertedHour
                case 1, 2: baseline.hourly[slot] = 0
                case 3: baseline.hourly[slot] = UInt32(random.below(4_000_000_000))
                default: baseline.hourly[slot] = UInt32(random.below(5_000))
                }
            }
            // Written up to an hour before, inside or far past the ring's span from the first seen.
            baseline.lastHourWritten = firstSeen - 1 + Int32(random.below(3 * ringHours + 2))
            let expected = Self.reference(baseline)
            let profile = baseline.weeklyProfile()
            #expect(profile.count == 168)
            #expect(profile.map(\.bitPattern) == expected.map(\.bitPattern), "round \(round): ring \(ringHours)")
        }
    }
}
