import Testing
@testable import VaultWatchCore

/// A batch cut into parts (the replay's slices, the dashboard feed's steps) is the same batch:
/// its events in order, every count once, the end of the input's marks where they hold.
@Suite("A batch cut into parts")
struct EventBatchTests {
    static let start = EventTime(ticks: 1_714_557_600 * EventTime.ticksPerSecond)  // 2024-05-01T10:00:00Z

    static func batch(seconds: [Int64]) -> EventBatch {
        var batch = EventBatch(
            events: seconds.map {
                AuditEvent(time: EventTime(ticks: start.ticks + $0 * EventTime.ticksPerSecond), identity: UInt64($0 + 1))
            })
        batch.report(InputProblem(source: "a.jsonl", line: 3, reason: "not JSON"))
        batch.report(InputProblem(source: "a.jsonl", line: 5, reason: "no time", severity: .skipped))
        batch.report(InputProblem(source: "a.jsonl", line: 8, reason: "year 1601", severity: .outOfRange))
        batch.report(InputProblem(source: "a.jsonl", line: 9, reason: "year 9999", severity: .outOfRange))
        batch.endOfInputDecides = true
        batch.endOfInputCutLapses = true
        return batch
    }

    @Test func itsPartsAreTheBatch() {
        let batch = Self.batch(seconds: Array(0..<10))
        let parts = batch.parts(startingAt: [3, 7])
        #expect(parts.map(\.events.count) == [3, 4, 3])
        #expect(parts.flatMap(\.events).map(\.identity) == batch.events.map(\.identity))
        #expect(parts.map(\.problems.count) == [4, 0, 0])
        #expect(parts.map(\.malformedCount) == [1, 0, 0])
        #expect(parts.map(\.skippedCount) == [1, 0, 0])
        #expect(parts.map(\.outOfRangeCount) == [2, 0, 0])
        #expect(parts.map(\.endOfInputDecides) == [true, false, false])
        #expect(parts.map(\.endOfInputCutLapses) == [false, false, true])
        let whole = batch.parts(startingAt: [])
        #expect(whole.count == 1)
        #expect(whole[0].events.count == 10 && whole[0].outOfRangeCount == 2)
        #expect(whole[0].endOfInputDecides && whole[0].endOfInputCutLapses)
    }

    /// `demo`'s replay cuts each batch into slices of event time: the records out of range that
    /// the batch counted reach the detector's counters (and a saved state's) once, with the
    /// first slice; they were dropped before.
    @Test func theReplaysSlicesKeepEveryCount() {
        let pacer = ReplayPacer(playbackStart: Self.start, control: ReplayControl(speed: 60), sliceWallSeconds: 0.1)
        let batch = Self.batch(seconds: [0, 1, 10, 11, 20, 30])
        let slices = pacer.slices(of: batch)
        #expect(slices.map(\.events.count) == [2, 2, 1, 1])
        #expect(slices.reduce(0) { $0 + $1.outOfRangeCount } == 2)
        #expect(slices.reduce(0) { $0 + $1.malformedCount } == 1)
        #expect(slices.reduce(0) { $0 + $1.skippedCount } == 1)
        #expect(slices.reduce(0) { $0 + $1.problems.count } == 4)
        #expect(pacer.slices(of: EventBatch()).isEmpty)
    }

    /// The records read again (`EventBatch.readAgain`: a resumed run's records the run before
    /// counted) keep their marks through every cut and join: each part marks its own, counted
    /// from its start; a batch appended to another is marked where its events land; a roll back
    /// drops the marks of what it drops. A mark lost here would make the record count again.
    @Test func recordsReadAgainKeepTheirMarks() {
        var batch = Self.batch(seconds: Array(0..<10))
        batch.readAgain = [0, 1, 2, 5, 9]
        let parts = batch.parts(startingAt: [3, 7])
        #expect(parts.map(\.readAgain) == [[0, 1, 2], [2], [2]])
        var joined = EventBatch()
        for part in parts { joined.append(contentsOf: part) }
        #expect(joined.readAgain == batch.readAgain)
        let mark = joined.mark
        var more = Self.batch(seconds: [20, 21])
        more.readAgain = [1]
        joined.append(contentsOf: more)
        #expect(joined.readAgain == [0, 1, 2, 5, 9, 11])
        joined.rollBack(to: mark)
        #expect(joined.readAgain == batch.readAgain && joined.events.count == 10)
    }
}
