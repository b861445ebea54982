import Foundation

extension Detector {
    /// The learned baselines as versioned JSON (`BaselineSnapshot`), for the store to keep
    /// between runs; `init(symbols:configuration:restoring:)` reads it back.
    ///
    /// Call `flush()` first to include events still held for reordering; sequences still open
    /// (an access change or a listing less than an hour old) are not kept.
    /// - Complexity: O(entities); encodes names, not symbols, so any process can read it.
    public func exportState() throws -> Data {
        try baseline.snapshot(eventClock: eventClock).encoded()
    }

    /// The vault's learned hourly band per hour of the week and its usual operation mix, for
    /// the dashboard's charts; nil for a vault never seen. Cheap enough to call a few times a second.
    public func baselineSummary(vault: String) -> VaultBaselineSummary? {
        baseline.summary(vault: vault)
    }

    /// The summaries of every vault of `vaults` the detector knows, by name, for the dashboard:
    /// each vault's bands are computed once per closed hour and cached.
    public func baselineSummaries(vaults: [String]) -> [String: VaultBaselineSummary] {
        var result: [String: VaultBaselineSummary] = [:]
        for name in vaults {
            if let summary = baseline.cachedSummary(vault: name) { result[name] = summary }
        }
        return result
    }
}
