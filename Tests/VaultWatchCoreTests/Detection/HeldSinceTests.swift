import Testing
@testable import VaultWatchCore

/// `ReorderBuffer.held(since:)` writes the held events that arrived at a number or later in
/// arrival order (what a restored buffer and the store's rows rely on), whatever order the
/// buffer holds them in: after a release they are held in event-time order.
@Suite("Held events taken by arrival")
struct HeldSinceTests {
    @Test("200 rounds of events out of time order, some released: each row holds exactly those arrived since, in arrival order")
    func rowsInArrivalOrder() throws {
        let fixture = DetectionFixture()
        var random = SeededRandom(seed: 31)
        var sawOutOfOrder = false
        for _ in 0..<200 {
            var buffer = ReorderBuffer(symbols: fixture.symbols)
            var arrived: [(arrival: UInt64, second: Int64)] = []
            for arrival in 0..<UInt64(Int.random(in: 1...60, using: &random)) {
                let second = Int64.random(in: 0...600, using: &random)
                buffer.insert(fixture.event(at: DetectionFixture.start + .seconds(second)))
                arrived.append((arrival, second))
            }
            // A release sorts what stays by time.
            let mark = Int64.random(in: 0...300, using: &random)
            buffer.release(before: DetectionFixture.start + .seconds(mark)) { _ in }
            let held = Set(buffer.pending.map(\.arrival))
            if !buffer.pending.map(\.arrival).elementsEqual(buffer.pending.map(\.arrival).sorted()) { sawOutOfOrder = true }
            let since = UInt64.random(in: 0...UInt64(arrived.count), using: &random)
            let expected = arrived.filter { held.contains($0.arrival) && $0.arrival >= since }
            guard let row = buffer.held(since: since) else {
                #expect(expected.isEmpty)
                continue
            }
            let events = try row.events(format: BaselineSnapshot.currentVersion)
            #expect(events.map(\.arrival) == expected.map(\.arrival))
            #expect(events.map(\.event.time) == expected.map { (DetectionFixture.start + .seconds($0.second)).ticks })
            #expect(row.arrival == expected.last?.arrival)
        }
        #expect(sawOutOfOrder, "some buffers held their events out of arrival order")
    }
}
