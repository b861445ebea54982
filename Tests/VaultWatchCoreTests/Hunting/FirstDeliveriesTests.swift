import Testing
@testable import VaultWatchCore

/// `hunt --deliveries`' memory of where records were first read (`FirstDeliveries`): it names a
/// repeat's first delivery for as long as `RecordIdentities` recognises the repeat, and forgets
/// what the window forgets, so a long hunt holds the matches of 48 to 49 hours, not of the file.
struct FirstDeliveriesTests {
    /// A record with an identity at `hour` hours (and `tick` ticks) past 2024-05-01T00:00, read at `line`.
    static func record(hour: Int64, tick: Int64 = 1_234_567, identity: UInt64, line: UInt32) -> AuditEvent {
        let start = EventTime(year: 2024, month: 5, day: 1)
        return AuditEvent(
            time: EventTime(ticks: start.ticks + hour * EventTime.ticksPerHour + tick), identity: identity,
            location: RecordLocation(source: .none, line: line))
    }

    /// A hunt's loop: each record through the window; the first deliveries remembered, each
    /// repeat answered with where its first delivery was read (nil when it is none).
    static func hunt(_ records: [AuditEvent]) -> (repeats: [UInt32?], remembered: Int) {
        var identities = RecordIdentities()
        var firsts = FirstDeliveries()
        var clock = EventTime(ticks: .min)
        var repeats: [UInt32?] = []
        for record in records {
            if identities.isRepeat(record, clock: clock) {
                repeats.append(firsts.firstDelivery(of: record)?.line)
                continue
            }
            if record.time > clock { clock = record.time }
            firsts.remember(record, within: identities)
        }
        return (repeats, firsts.count)
    }

    /// A repeat names its first delivery's line; a record without an identity is never kept.
    @Test func aRepeatNamesItsFirstDelivery() {
        let result = Self.hunt([
            Self.record(hour: 0, identity: 7, line: 1), Self.record(hour: 0, identity: 0, line: 2),
            Self.record(hour: 1, identity: 8, line: 3), Self.record(hour: 0, identity: 7, line: 4),
            Self.record(hour: 1, identity: 8, line: 5),
        ])
        #expect(result.repeats == [1, 3])
        #expect(result.remembered == 2)
    }

    /// Once the clock is 48 hours past the end of a record's hour, the window forgets it and so
    /// does this: 100 hours of a record an hour keep 49 or 50 hours of first deliveries, not 100.
    /// A repeat within the window still finds its first delivery.
    @Test func whatTheWindowForgetsIsForgotten() {
        var records: [AuditEvent] = []
        for hour in 0..<100 {
            records.append(Self.record(hour: Int64(hour), identity: UInt64(1_000 + hour), line: UInt32(hour + 1)))
        }
        records.append(Self.record(hour: 60, identity: 1_060, line: 101))
        let result = Self.hunt(records)
        #expect(result.repeats == [61])
        let remembered = result.remembered
        #expect(remembered >= 49 && remembered <= 50, "\(remembered)")
    }
}
