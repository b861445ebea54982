import Testing
@testable import VaultWatchCore

/// The window of records taken lately (`RecordIdentities`): its tables keep every identity
/// however they grew, its snapshot brings back what it held, and a record's identity is the
/// same digest in every process and every version that saved a window of format 18.
@Suite("Records taken lately: the window")
struct RecordWindowTests {
    static let start = EventTime(ticks: 1_714_557_600 * EventTime.ticksPerSecond)  // 2024-05-01T10:00:00Z

    static func event(second: Int64, tick: Int64 = 1_234, identity: UInt64) -> AuditEvent {
        AuditEvent(time: EventTime(ticks: start.ticks + second * EventTime.ticksPerSecond + tick), identity: identity)
    }

    /// Thousands of identities in one hour (the table starts at sixteen slots and doubles many
    /// times), with digests that differ in their low bits only and pairs that differ in the time
    /// only: each is new once, then a repeat, and none is lost by a growth.
    @Test func anHourThatGrowsKeepsEveryIdentity() {
        var identities = RecordIdentities()
        var events: [AuditEvent] = []
        for index in 0..<5_000 {
            let second = Int64(index % 3_000)
            events.append(Self.event(second: second, identity: UInt64(index + 1)))
            events.append(Self.event(second: second, tick: 5_678, identity: UInt64(index + 1)))
        }
        let clock = Self.start
        var firstTime = 0
        var secondTime = 0
        for event in events where identities.isRepeat(event, clock: clock) { firstTime += 1 }
        for event in events where identities.isRepeat(event, clock: clock) { secondTime += 1 }
        #expect(firstTime == 0)
        #expect(secondTime == events.count)
        #expect(identities.count == events.count)
        // An event without an identity is never a repeat and is not kept.
        let anonymous = Self.event(second: 1, identity: 0)
        let first = identities.isRepeat(anonymous, clock: clock)
        let again = identities.isRepeat(anonymous, clock: clock)
        #expect(!first && !again)
        #expect(identities.count == events.count)
    }

    /// A window over three hours, part forgotten behind the clock: the restored window recognises
    /// exactly what the first held, and saves the same snapshot again.
    @Test func aRestoredWindowRecognisesWhatItHeld() throws {
        var identities = RecordIdentities()
        let events = (0..<900).map { Self.event(second: Int64($0) * 12, identity: UInt64($0) &* 0x9E37_79B9_7F4A_7C15 | 1) }
        var repeats = 0
        for event in events where identities.isRepeat(event, clock: event.time) { repeats += 1 }
        #expect(repeats == 0)
        // The first hour leaves the window (the clock 48 hours past its end).
        identities.forget(behind: EventTime(ticks: Self.start.ticks + 49 * EventTime.ticksPerHour))
        let held = events.filter { $0.time.ticks >= Self.start.ticks + EventTime.ticksPerHour }
        #expect(identities.count == held.count)

        let snapshot = identities.snapshot()
        var restored = try RecordIdentities(restoring: snapshot)
        #expect(restored.count == held.count)
        #expect(restored.snapshot() == snapshot)
        let clock = EventTime(ticks: Self.start.ticks + 49 * EventTime.ticksPerHour)
        var recognised = 0
        for event in held where restored.isRepeat(event, clock: clock) { recognised += 1 }
        #expect(recognised == held.count)
        // What was forgotten is judged as new, and taken again: remembered from now on.
        let forgotten = restored.isRepeat(events[0], clock: clock)
        #expect(!forgotten)
        #expect(restored.count == held.count + 1)
        let again = restored.isRepeat(events[0], clock: clock)
        #expect(again)
    }

    /// A record of an hour far behind the clock is remembered for `span` of the clock after it
    /// is taken, by the hour the clock was in: its table outlives the in-order hours taken before
    /// it, is forgotten when the clock is 48 hours past the end of that hour, and a restored
    /// window (the snapshot keeps each table's last-taken hour) forgets it at the same clock.
    /// Before (main e9a3563) a record more than 48 hours behind the clock was not taken at all.
    @Test func aRecordFarBehindTheClockIsRememberedFor48HoursAfterItIsTaken() throws {
        let hour = EventTime.ticksPerHour
        var identities = RecordIdentities()
        // The clock at 10:00 four days later; a read of that hour taken in order.
        let clock = EventTime(ticks: Self.start.ticks + 96 * hour)
        let read = AuditEvent(time: EventTime(ticks: clock.ticks + 1_234), identity: 7)
        let late = Self.event(second: 1_800, identity: 42)
        let taken = [identities.isRepeat(read, clock: clock), identities.isRepeat(late, clock: read.time), identities.isRepeat(late, clock: read.time)]
        #expect(taken == [false, false, true])
        // 47 hours and 59 minutes of the clock later, both are remembered, in a restored window too.
        let within = EventTime(ticks: clock.ticks + 47 * hour + 59 * 60 * EventTime.ticksPerSecond)
        var restored = try RecordIdentities(restoring: identities.snapshot())
        let remembered = [identities.isRepeat(late, clock: within), restored.isRepeat(late, clock: within), identities.isRepeat(read, clock: within)]
        #expect(remembered == [true, true, true])
        // 48 hours past the end of the clock's hour when it was taken: forgotten, in both.
        let past = EventTime(ticks: clock.ticks + 49 * hour)
        let forgotten = [identities.isRepeat(late, clock: past), restored.isRepeat(late, clock: past)]
        #expect(forgotten == [false, false])
        #expect(identities.snapshot() == restored.snapshot())
    }

    /// Past the capacity, the table that last took a record the longest ago goes first, not the
    /// oldest hour: a record of hour 0 taken when the clock is in hour 101 stays, while hour 100,
    /// taken in order before it, goes. (By hour, hour 0 would go first and its record, taken last,
    /// be forgotten at once.)
    @Test func pastTheCapacityTheTableThatTookARecordLongestAgoGoesFirst() {
        let hour = EventTime.ticksPerHour
        var identities = RecordIdentities()
        var next: UInt64 = 1
        var repeats = 0
        func take(hour number: Int64, clock: EventTime) {
            let event = AuditEvent(time: EventTime(ticks: Self.start.ticks + number * hour + Int64(next % 3_000_000) * 1_000 + 1), identity: next)
            next += 1
            if identities.isRepeat(event, clock: clock) { repeats += 1 }
        }
        take(hour: 100, clock: EventTime(ticks: Self.start.ticks + 100 * hour))
        let clock = EventTime(ticks: Self.start.ticks + 101 * hour)
        take(hour: 0, clock: clock)
        while identities.count < RecordIdentities.capacity { take(hour: 101, clock: clock) }
        let keptAtTheCap = [0, 100, 101].map { identities.keeps(hour: Self.start.hourNumber + $0) }
        #expect(keptAtTheCap == [true, true, true])
        take(hour: 101, clock: clock)
        let (count, kept) = (identities.count, [0, 100, 101].map { identities.keeps(hour: Self.start.hourNumber + $0) })
        #expect(repeats == 0)
        #expect(count == RecordIdentities.capacity)
        #expect(kept == [true, false, true])
    }

    /// A dense hour past the capacity (more than 2^20 records in one hour: 292 a second, the
    /// soak's 400 a second): the window never holds more than its capacity, and every identity it
    /// forgets for lack of room is counted (`forgottenPastCapacity`, what `detect`'s summary says),
    /// none silently.
    @Test func aDenseHourPastTheCapacityStaysUnderItAndCountsWhatItForgets() {
        var identities = RecordIdentities()
        let taken = RecordIdentities.capacity + 1_000
        var most = 0
        for index in 0..<taken {
            // 0.3 ms apart: 315 seconds of one hour.
            let event = AuditEvent(time: EventTime(ticks: Self.start.ticks + Int64(index) * 3_000 + 1), identity: UInt64(index + 1))
            _ = identities.isRepeat(event, clock: Self.start)
            most = max(most, identities.count)
        }
        #expect(most <= RecordIdentities.capacity)
        #expect(identities.forgottenPastCapacity > 0)
        #expect(identities.forgottenPastCapacity + identities.count == taken)
    }

    /// The identity the decoder gives a record, against the digest of main 5591e54 (format 18's
    /// windows hold it) computed apart from this code (FNV-1a and MurmurHash3's finaliser for the
    /// names, SplitMix64's finaliser for the folds): a resumed run must recognise what a run of
    /// that version saved. Another status is another identity; a time to the millisecond only,
    /// or no correlation id, is none.
    @Test func aDecodedRecordHasTheIdentityFormat18Saved() throws {
        func identity(time: String = "2024-05-01T10:10:00.1234567Z", status: Int = 200, correlation: String = "0A1B2C3D-EEEE-4000-8000-00000000ABCD") throws -> UInt64 {
            let line = #"{"time":"\#(time)","resourceId":"/SUBSCRIPTIONS/X/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/CONTOSO-PROD","operationName":"SecretGet","category":"AuditEvent","resultType":"Success","correlationId":"\#(correlation)","callerIpAddress":"203.0.113.7","identity":{"claim":{"oid":"7F3C1E2A-5B6D-4E8F-9A0B-1C2D3E4F5A6B","appid":"04b07795-8ddb-461a-bbee-02f9e1bf7b46"}},"properties":{"httpStatusCode":\#(status)},"durationMs":"78"}"#
            let symbols = SymbolTable()
            var decoder = RecordDecoder(symbols: symbols)
            var batch = EventBatch()
            Array((line + "\n").utf8).withUnsafeBytes { text in
                _ = try? decoder.decodeLeadingLine(text, source: .none, sourceName: "t", line: 1, into: &batch)
            }
            return try #require(batch.events.first).identity
        }
        #expect(try identity() == 0x73e1_1611_0187_f961)
        #expect(try identity(status: 403) == 0xf772_e811_6359_ede7)
        #expect(try identity(time: "2024-05-01T10:10:00.123Z") == 0)
        #expect(try identity(correlation: "") == 0)
    }
}
