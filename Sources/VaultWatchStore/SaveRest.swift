import Dispatch
import Synchronization
import VaultWatchCore

/// What the end's save writes after the detector's finish (`DetectionRecorder.finish`): the alerts
/// the finish raised or updated and the open alerts' states to resume from, handed to the save's
/// transaction while the writer has it open.
///
/// Why: at the end of a run the order was export, finish, then the transaction, waited for. Now the
/// writer starts the transaction (the detector's state, checkpoints, held events: the large part)
/// as soon as the export is taken, and the finish (held events released, the open hour closed: 40
/// to 65 ms on the benchmark's synthetic records) runs beside it; the transaction takes what the
/// finish adds and commits once, with one `fsync`, as before (issue 11).
/// - Important: thread-safe. `fulfil` must be called once for every save given one (the writer's
///   transaction waits for it); `wait` may be called any number of times.
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

    /// Blocks until `fulfil`.
    func wait() -> Contents {
        ready.wait()
        ready.signal()
        return contents.withLock { $0 } ?? Contents(alerts: [], resumeStates: [], firstTouched: [])
    }
}
