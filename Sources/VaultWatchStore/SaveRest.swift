import Dispatch
import Synchronization
import VaultWatchCore

/// What the end's save writes after the detector's finish (`DetectionRecorder.finish`): the alerts
/// the finish raised or updated and the open alerts' states to resume from, handed to the writer
/// while it writes the save.
///
/// Why: at the end of a run the order was export, finish, then the transaction, waited for. Now the
/// writer starts the transaction (the detector's state, checkpoints, held events: the large part)
/// as soon as the export is taken, and the finish (held events released, the open hour closed: 40
/// to 260 ms on the benchmark's synthetic records) runs beside it (issue 11). If the finish has
/// handed its rest over by the time the large part is written, the rest goes into the same
/// transaction: one commit, one `fsync` (a short run, whose finish takes a few milliseconds). If
/// not, the transaction commits without it, as a save of its own (the end of the input before the
/// finish: what a kill just before the finish leaves, from which the next run raises the same
/// alerts), its commit and SQLite's checkpoint of the log (45 to 140 ms there) beside the finish
/// rather than after it, and the rest follows in a small second transaction.
/// - Important: thread-safe. `fulfil` must be called once for every save given one (the writer
///   waits for it before the save returns); `wait` may be called any number of times.
final class SaveRest: Sendable {
    /// The alerts and states, and the ids of the alerts among them no save of this run has
    /// written yet (their stored state is read first: `DetectionRecorder.isUnchanged`).
    struct Contents: Sendable {
        var alerts: [Alert]
        var resumeStates: [Alert]
        var firstTouched: [String]
    }

    private let contents = Mutex<Contents?>(nil)
    private let ready = DispatchSemaphore(value: 0)

    func fulfil(_ value: Contents) {
        contents.withLock { $0 = value }
        ready.signal()
    }

    /// The contents if `fulfil` has been called, without waiting.
    var handedOver: Contents? { contents.withLock { $0 } }

    /// Blocks until `fulfil`.
    func wait() -> Contents {
        ready.wait()
        ready.signal()
        return contents.withLock { $0 } ?? Contents(alerts: [], resumeStates: [], firstTouched: [])
    }
}
