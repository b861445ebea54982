import Foundation

/// The detector's state at one point of the input, taken without encoding it
/// (`Detector.stateCut(heldSince:)`), to be encoded later on another thread while the detector
/// goes on: a save stops detection only to take it (`DetectionRecorder`, `SaveWriter`).
///
/// Why it stays exact: the baselines, the reorder buffer and the counters are values whose
/// storage is copy-on-write arrays and dictionaries (no class among them; the compiler checks
/// `Sendable`), so taking them costs a few retains, and the detector's next change to storage
/// the cut shares copies that storage first: the cut keeps what it held when taken. (Memory: while
/// a cut lives, each array or dictionary the detector changed meanwhile is held twice.) The one
/// thing shared is the symbol table, thread-safe: a permanent symbol names the same string for
/// the table's life, but a transient one (an object name) is forgotten once enough newer ones
/// come, which a cut encoded while the detector reads on could see: the cut pins the transient
/// strings held when taken (`SavedNames(pinning:)`), so its names are those of that point. So
/// `encoded()` gives the bytes `Detector.exportState()` would have given at that point
/// (`DetectorStateCutTests`).
public struct DetectorStateCut: Sendable {
    let baseline: BehaviourBaseline
    let reorder: ReorderBuffer
    let counters: DetectorCounters
    let names: SavedNames
    /// nil: the held events are written inside the state; else those that arrived at this
    /// arrival number or later come apart (`HeldEventChanges`).
    let heldSince: UInt64?
    /// The open alerts with their folding keys, and the event clock, at the same point.
    public let openAlerts: [AlertAggregator.OpenAlert]
    public let eventClock: EventTime?

    /// The arrival number the reorder buffer gives its next event (the next save's `heldSince`).
    public var nextArrival: UInt64 { reorder.nextArrival }

    /// The state in the current format and, when taken with `heldSince`, the held events apart.
    /// - Complexity: O(entities + held events since `heldSince`), on the caller's thread.
    public func encoded() -> (state: Data, held: HeldEventChanges?) {
        let state = state(format: BaselineSnapshot.currentVersion)
        guard let heldSince else { return (state, nil) }
        let held = HeldEventChanges(
            added: reorder.held(since: heldSince, names: names), releasedThrough: reorder.releasedThrough.ticks,
            nextArrival: reorder.nextArrival, replacesSaved: heldSince == 0)
        return (state, held)
    }

    /// The state in format `format` (an older one, 5 or later, only for the tests that such
    /// states are still read).
    func state(format: Int) -> Data {
        Data(
            baseline.writeState(
                format: format, eventClock: eventClock, reorder: reorder, heldInline: heldSince == nil, counters: counters, names: names))
    }
}
