import Dispatch
import Synchronization
import VaultWatchCore

/// Writes a detection run's saves on a thread of its own, one at a time and in the order given,
/// while the detector goes on with the next batches (`DetectionRecorder`).
///
/// Why: a save is the detector's export, which must stop the detector (it is one cut of its
/// state), and the store's transaction, which waits for the disk more than it uses the CPU (on
/// the benchmark's synthetic records, a 13 MB blob and 4 MB of held events written to the log
/// and `fsync`ed, then copied into the database by SQLite's checkpoint and `fsync`ed: as long
/// as the export, or longer). Only the export need stop detection; the transactions of the
/// saves before the run's last are written beside it (issue 11).
///
/// What stays as before: saves commit in the order they were taken, each in one transaction,
/// so a kill at any point leaves the last committed save whole (the one being written commits
/// or not). A save that fails stops every save after it (each is written as a difference from
/// the one before: written after a save that did not commit, it would leave the file a mix),
/// and `takeWritten` throws the failure from then on, so the run stops loudly as it did when a
/// save failed in line.
/// - Important: thread-safe.
final class SaveWriter: Sendable {
    /// One save: its transaction, and what it reports once committed.
    typealias Save = @Sendable () throws(StoreError) -> Written

    /// What a save that committed reports back.
    struct Written: Sendable {
        var timings: SaveTimings
        /// The stored state, before this run wrote them, of the alerts this save wrote for the
        /// first time (`DetectionRecorder.isUnchanged`).
        var storedBeforeRun: [String: Alert?]
        /// The writer's part: from the start of its work on the save to the commit.
        var writing: Duration
        /// The whole save, from the start of the detector's export to the commit.
        var whole: Duration
        var committed: ContinuousClock.Instant
    }

    private struct State {
        /// Saves submitted and not yet taken by the writer's thread, oldest first.
        var waiting: [Save] = []
        /// Saves submitted and not yet committed (or failed, or skipped).
        var unfinished = 0
        var written: [Written] = []
        var failure: StoreError?
    }

    private let state = Mutex(State())
    private let queue = DispatchQueue(label: "VaultWatchStore.SaveWriter", qos: .userInitiated)
    private let finished = DispatchGroup()

    /// Whether a save is being written or waits to be.
    var isWriting: Bool { state.withLock { $0.unfinished > 0 } }

    /// Writes `save` on the writer's thread after the saves submitted before it, unless one of
    /// them failed.
    func submit(_ save: @escaping Save) {
        state.withLock { state in
            state.waiting.append(save)
            state.unfinished += 1
        }
        finished.enter()
        queue.async { [self] in
            // At the process's priority: dispatch starts this queue's thread at its own.
            ThreadPriority.settleCurrentThread()
            let outcome = writeOldest()
            // The save (and the store it holds) is released by now: whoever waits may open the
            // file again (a new run in the same process takes the detection lock).
            state.withLock { state in
                switch outcome {
                case .success(let written)?: state.written.append(written)
                case .failure(let error)?: state.failure = error
                case nil: break
                }
                state.unfinished -= 1
            }
            finished.leave()
        }
    }

    /// Runs `work` on the writer's thread after the saves submitted before it (`waitForAll` and
    /// `waitUntilIdle` wait for it too); it is no save and reports nothing.
    func perform(_ work: @escaping @Sendable () -> Void) {
        finished.enter()
        queue.async { [finished] in
            ThreadPriority.settleCurrentThread()
            work()
            finished.leave()
        }
    }

    /// Waits until everything submitted has run, without taking what the saves report.
    func waitUntilIdle() {
        finished.wait()
    }

    /// Writes the oldest save waiting; nil when an earlier one failed (it is dropped).
    private func writeOldest() -> Result<Written, StoreError>? {
        let (save, failed) = state.withLock { state in (state.waiting.removeFirst(), state.failure != nil) }
        guard !failed else { return nil }
        return Result { () throws(StoreError) in try save() }
    }

    /// What the saves that committed since the last call report, in order.
    /// - Throws: the failure of a save, at every call once one failed.
    func takeWritten() throws(StoreError) -> [Written] {
        let (written, failure) = state.withLock { state in
            defer { state.written.removeAll() }
            return (state.written, state.failure)
        }
        if let failure { throw failure }
        return written
    }

    /// Waits until every save submitted has committed (or failed), then `takeWritten()`.
    func waitForAll() throws(StoreError) -> [Written] {
        finished.wait()
        return try takeWritten()
    }
}
