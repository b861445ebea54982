import Foundation

extension Detector {
    /// The detector's state in its versioned binary form (`BaselineSnapshot`, written straight
    /// from the baselines: `BehaviourBaseline+SavedState.swift`), for the store to keep between runs; `init(symbols:configuration:restoring:)` reads it back.
    ///
    /// Holds the learned baselines and everything in flight (`DetectorInFlight`): the events
    /// held for reordering, the open hour's counters, open list→read and change→read sequences,
    /// the counters and the clock. A detector restored from it, given the records after the
    /// last batch processed here, raises exactly the alerts this one would have (with the open
    /// alerts given back through `restore(openAlerts:eventClock:)`). Exporting changes nothing:
    /// no event is released, no hour closed, so a run that saves gives the alerts of one that
    /// does not. Do not `flush()` before exporting: that closes the hour early.
    /// - Complexity: O(entities + held events); encodes names, not symbols, so any process can read it.
    public func exportState() throws -> Data {
        exportState(format: BaselineSnapshot.currentVersion)
    }

    /// The state as `exportState()` writes it, in format `format`: an older one (5 or later)
    /// only for the tests that states of that format are still read.
    func exportState(format: Int, heldInline: Bool = true, identitiesInline: Bool = true) -> Data {
        baseline.writeState(
            format: format, eventClock: eventClock, reorder: reorder, heldInline: heldInline, counters: counters, identities: identities,
            identitiesInline: identitiesInline, issuedAlertIDs: issuedAlertIDs, lateRepeats: lateRepeats.pending)
    }

    /// How many bytes the in-flight section of `state` takes when written alone (held events,
    /// open hours and sequences, counters), for the benchmark: a detector restored from it writes
    /// the section; nil when `state` cannot be read.
    public static func inFlightByteCount(of state: Data, rows: [BaselineRow] = []) async -> Int? {
        guard let restored = try? Detector(symbols: SymbolTable(), restoring: state, rows: rows) else { return nil }
        return await restored.inFlightByteCount
    }

    private var inFlightByteCount: Int {
        baseline.inFlightByteCount(
            reorder: reorder, heldInline: true, counters: counters, identities: identities, issuedAlertIDs: issuedAlertIDs,
            lateRepeats: lateRepeats.pending)
    }

    /// The first state format whose held events saved apart are a row per save (`HeldEventRow`).
    public static let heldEventBlockFormat = HeldEventRow.blockVersion

    /// How many events the reorder buffer holds (what a save of the whole state carries).
    public var heldEventCount: Int { reorder.pending.count }

    /// The format version of a state `exportState()` wrote, for the store to keep beside it;
    /// 0 when `state` is not in the binary form.
    /// - Complexity: O(1): reads the header only (a copy of the whole state, 13 MB on the
    ///   benchmark's synthetic records, was some 5 ms of every save).
    public static func stateFormatVersion(of state: Data) -> Int {
        BaselineSnapshot.formatVersion(of: [UInt8](state.prefix(BaselineSnapshot.magic.count + 10))) ?? 0
    }

    /// Everything a save needs, taken in one step on the actor so that all of it describes the
    /// same point of the input (the last batch processed): the state, the open alerts with their
    /// folding keys, and the event clock.
    /// - Parameters:
    ///   - heldSince: nil for the whole state (`exportState()`). Otherwise the held events
    ///     are left out of `state` and come as `held`: those that arrived at arrival number
    ///     `heldSince` or later (the previous save's `HeldEventChanges.nextArrival`; 0 for all of
    ///     them, replacing every row saved before), and the release mark below which saved ones are gone. A restart then passes the
    ///     saved ones to `init(symbols:configuration:restoring:rows:held:identityHours:)`.
    ///     The records taken lately are left out of `state` too and come as `identities`: rows
    ///     of what the saved rows lack, by `savedIdentityHours` (the previous save's
    ///     `IdentityChanges.layout`, or the layout of the rows restored from; empty: every hour
    ///     whole), `RecordIdentities.changes(since:)`.
    /// - Complexity: O(entities) to encode them (the learned entities are saved whole, format 5:
    ///   docs/state.md says why), plus O(held events since `heldSince`), not the reorder window
    ///   (150,000 events at 250 events/s), plus O(identities taken since the last save, and
    ///   those of the rows they merge with: about log2 of its hour's count times each, over the
    ///   saves), not the duplicate window (up to 2^20 identities over 48 hours).
    public func exportProgress(heldSince: UInt64? = nil, savedIdentityHours: [Int32: [Int]] = [:]) throws -> (
        state: Data, held: HeldEventChanges?, identities: IdentityChanges?, openAlerts: [AlertAggregator.OpenAlert], eventClock: EventTime?
    ) {
        guard let heldSince else { return (try exportState(), nil, nil, openAlerts, eventClock) }
        // The rows the save's identities lack, worked out on a helper beside the state's two
        // sections (`StateSectionWrite`) on a copy, which then replaces the detector's own:
        // `changes(since:)` also notes from where each hour now keeps its order.
        let (current, saved) = (identities, savedIdentityHours)
        let changing = StateSectionWrite(on: StateHelperQueue.identities) { () -> (RecordIdentities, IdentityChanges) in
            var identities = current
            let changes = identities.changes(since: saved)
            return (identities, changes)
        }
        let state = exportState(format: BaselineSnapshot.currentVersion, heldInline: false, identitiesInline: false)
        let held = HeldEventChanges(
            added: reorder.held(since: heldSince), releasedThrough: reorder.releasedThrough.ticks, nextArrival: reorder.nextArrival,
            replacesSaved: heldSince == 0)
        let changes: IdentityChanges
        (identities, changes) = changing.take()
        return (state, held, changes, openAlerts, eventClock)
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
