import Testing
@testable import VaultWatchCore

/// A run restored from `--state` reports its own share of the counters (`detect`'s summary
/// line): what the saved state carried is taken off every counter it carries.
struct DetectorCountersTests {
    @Test func aRunsShareTakesOffEveryCounterTheSavedStateCarries() {
        var earlier = DetectorCounters()
        var now = DetectorCounters()
        for (index, field) in DetectorCounters.savedFields.enumerated() {
            earlier[keyPath: field] = 10 + index
            now[keyPath: field] = 100 + 3 * index
        }
        let share = now.subtracting(earlier)
        for (index, field) in DetectorCounters.savedFields.enumerated() {
            #expect(share[keyPath: field] == 90 + 2 * index, "counter \(index) of the saved ones: \(share[keyPath: field])")
        }
        #expect(now.subtracting(now) == DetectorCounters())
    }
}
