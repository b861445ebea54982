import Testing
@testable import VaultWatchCore

/// The reorder buffer against a plain model: every release gives the held events earlier than
/// the mark, in (time, then content) order, each once, however many releases and compactions of
/// its array came before; what it holds and saves is exactly what the model still holds.
@Suite("Reorder buffer")
struct ReorderBufferTests {
    /// An event as the test tells it apart: its time in seconds and its line (the last content
    /// tie-break; everything else is equal), and the arrival number the buffer gave it.
    struct Seen: Equatable, Comparable {
        var second: Int64
        var line: UInt32
        static func < (lhs: Seen, rhs: Seen) -> Bool { (lhs.second, lhs.line) < (rhs.second, rhs.line) }
    }

    static func seen(_ event: AuditEvent) -> Seen {
        Seen(second: (event.time.ticks - DetectionFixture.start.ticks) / EventTime.ticksPerSecond, line: event.location.line)
    }

    @Test("many batches up to ten minutes out of order: each release is in order and the rest is held, across compactions and a restore")
    func releasesInOrderAcrossCompactions() throws {
        let fixture = DetectionFixture()
        var buffer = ReorderBuffer(symbols: fixture.symbols)
        var random = SeededRandom(seed: 17)
        var model: [(seen: Seen, arrival: UInt64)] = []
        var arrival: UInt64 = 0
        var released: [Seen] = []
        var expected: [Seen] = []
        var clock: Int64 = 600
        var largestHeld = 0
        var compactions = 0

        func release(before mark: Int64, from buffer: inout ReorderBuffer) {
            let heldBefore = buffer.pending.count
            buffer.release(before: DetectionFixture.start + .seconds(mark)) { released.append(Self.seen($0)) }
            let releasedNow = model.filter { $0.seen.second < mark }
            // Stable on equal (time, line): those keep their arrival order, as the buffer's last tie-break.
            expected += releasedNow.sorted { ($0.seen, $0.arrival) < ($1.seen, $1.arrival) }.map(\.seen)
            model.removeAll { $0.seen.second < mark }
            // Some released, some held, and the held ones back at the array's start: compacted.
            if heldBefore > buffer.pending.count, !buffer.pending.isEmpty, buffer.pending.startIndex == 0 {
                compactions += 1
            }
        }

        for round in 0..<600 {
            for _ in 0..<(1 + random.below(40)) {
                // Up to ten minutes behind the clock, never behind what was released; five lines
                // and whole seconds, so ties in time and whole duplicates are common.
                let seen = Seen(second: clock - Int64(random.below(600)), line: UInt32(random.below(5)))
                buffer.insert(fixture.event(at: DetectionFixture.start + .seconds(seen.second), line: seen.line))
                model.append((seen, arrival))
                arrival += 1
            }
            largestHeld = max(largestHeld, buffer.pending.count)
            clock += Int64(random.below(30))
            release(before: clock - 600, from: &buffer)
            #expect(buffer.pending.count == model.count)
            // Released events kept before the held ones are fewer than a quarter of them.
            #expect(buffer.pending.startIndex * 4 < max(buffer.pending.count, 1))
            if round == 300 {
                // A restarted buffer holds and releases exactly what this one would.
                let snapshot = buffer.snapshot()
                #expect(snapshot.arrivals.map(Set.init) == Set(model.map(\.arrival)))
                #expect(snapshot.pending.count == model.count)
                buffer = try ReorderBuffer(restoring: snapshot, symbols: fixture.symbols)
            }
        }
        #expect(largestHeld > 500 && compactions > 5, "the test must hold many events and compact often: \(largestHeld) held, \(compactions) compactions")
        release(before: clock + 1, from: &buffer)
        #expect(buffer.isEmpty && model.isEmpty)
        #expect(released.count == Int(arrival))
        #expect(released == expected)
        // Emptied whole, then used again.
        buffer.insert(fixture.event(at: DetectionFixture.start + .seconds(clock + 5), line: 2))
        buffer.insert(fixture.event(at: DetectionFixture.start + .seconds(clock + 3), line: 1))
        var last: [Seen] = []
        buffer.releaseAll { last.append(Self.seen($0)) }
        #expect(last == [Seen(second: clock + 3, line: 1), Seen(second: clock + 5, line: 2)])
    }

    @Test("a full array makes room by dropping released events instead of growing, once they are a sixteenth of the held ones")
    func aSteadyStreamKeepsItsCapacity() {
        let fixture = DetectionFixture()
        var buffer = ReorderBuffer(symbols: fixture.symbols)
        var second: Int64 = 0
        func insert(_ count: Int) {
            for _ in 0..<count {
                buffer.insert(fixture.event(at: DetectionFixture.start + .seconds(second)))
                second += 1
            }
        }
        // A steady stream, one event a second, holding seven eighths of the array: it fills
        // with released events long before they are a quarter of the held ones.
        insert(600)
        let capacity = buffer.capacity
        let held = capacity - capacity / 8
        if held > 600 { insert(held - 600) }
        buffer.release(before: DetectionFixture.start + .seconds(second - Int64(held))) { _ in }
        var released = 0
        for _ in 0..<(capacity * 2) {
            insert(1)
            buffer.release(before: DetectionFixture.start + .seconds(second - Int64(held))) { _ in released += 1 }
        }
        #expect(buffer.pending.count == held)
        #expect(released == capacity * 2)
        #expect(buffer.capacity == capacity, "the array grew from \(capacity) to \(buffer.capacity) while holding \(held) events")
    }
}
