import Testing
@testable import VaultWatchCore

/// The callers of the hours closed lately are saved in name order, whatever order the detector
/// holds them in (by symbol), so the same state gives the same bytes (`writeInFlight` sorts
/// them as words of their names' ranks and positions).
@Suite("Closed hours' callers in the saved state")
struct SavedCallerOrderTests {
    @Test("the demo tenant mid-attack: every closed hour's callers in name order, hours of many callers among them")
    func callersInNameOrder() async throws {
        let (_, detector, _, _) = try await BinaryStateTests.midAttack()
        let closed = try #require(try BaselineSnapshot.decode(try await detector.exportState()).inFlight?.baselines.closedHours)
        #expect(closed.contains { $0.callers.count >= 3 }, "\(closed.count) closed hours")
        for hour in closed {
            let names = hour.callers.map(\.principal)
            #expect(names == names.sorted() && Set(names).count == names.count, "\(hour.vault) \(hour.hour): \(names)")
        }
    }
}
