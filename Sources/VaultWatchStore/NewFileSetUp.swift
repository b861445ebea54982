import Foundation
import GRDB
import Synchronization

/// A new (empty) state file's setting up, on a thread of its own while the command goes on: the
/// connection's opening (the switch to WAL, the latest schema, written without SQLite's `fsync`s),
/// then the file's two `fsync`s (`StateFiles.synchronize`: the file, then its directory). Every use
/// of the connection waits for it (`AlertStore.read`, `AlertStore.write`).
///
/// Why: a short `detect --state` run waited for all of it before reading its first record. The
/// `fsync`s first (some 50 to 110 ms of wall time at load 15 on this machine, a quarter of the
/// demo tenant's run; issue 11), then the opening: 5 to 6.5 ms from the state file's first
/// `openat` to the input's, every run. A new file holds nothing the reading needs (no checkpoint,
/// no clock, no baseline), so the reading starts at once; a file that holds something is opened
/// before the reading, which needs what it holds. Nothing is written before both `fsync`s, as
/// before, so a power cut after a save reported as done still finds the file's header and its
/// name durable, and nothing is reported saved that a power cut could lose.
/// - Important: thread-safe; `wait()` may be called any number of times, from any thread.
final class NewFileSetUp: Sendable {
    /// Signalled once the setting up is done; each waiter signals it again for the next.
    private let finished = DispatchSemaphore(value: 0)
    private let outcome = Mutex<Result<DatabaseQueue, StoreError>?>(nil)

    /// Starts `open`, then `StateFiles.synchronize(path)`, on a new thread (not the concurrency
    /// pool's, which a blocking `fsync` would hold).
    init(path: String, open: @escaping @Sendable () throws(StoreError) -> DatabaseQueue) {
        Thread { [self] in
            let result = Result { () throws(StoreError) -> DatabaseQueue in
                let queue = try open()
                try StateFiles.synchronize(path)
                return queue
            }
            outcome.withLock { $0 = result }
            finished.signal()
        }.start()
    }

    /// Returns the connection once the file is set up and durable.
    /// - Throws: the failure of the opening or of the `fsync`s (a `StoreError` naming the file),
    ///   at every call.
    func wait() throws(StoreError) -> DatabaseQueue {
        finished.wait()
        finished.signal()
        // Set before the semaphore is first signalled.
        guard let result = outcome.withLock({ $0 }) else { preconditionFailure("signalled before its outcome") }
        return try result.get()
    }
}
