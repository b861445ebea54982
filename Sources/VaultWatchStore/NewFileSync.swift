import Foundation
import Synchronization

/// A new state file's two `fsync`s (`StateFiles.synchronize`: the file, then its directory),
/// run on a thread of their own while the command goes on, and waited for before the file's
/// first write transaction (`AlertStore.write`).
///
/// Why: a short `detect --state` run waited for both before reading its first record (some
/// 50 to 110 ms of wall time at load 15 on this machine, a quarter of the demo tenant's run;
/// issue 11). They still come before anything is written to the file, as before, so a power
/// cut after a save reported as done still finds the file's header and its name durable, and
/// nothing is reported saved that a power cut could lose.
/// - Important: thread-safe; `wait()` may be called any number of times, from any thread.
final class NewFileSync: Sendable {
    /// Signalled once the `fsync`s are done; each waiter signals it again for the next.
    private let finished = DispatchSemaphore(value: 0)
    private let outcome = Mutex<Result<Void, StoreError>?>(nil)

    /// Starts `StateFiles.synchronize(path)` on a new thread (not the concurrency pool's, which
    /// a blocking `fsync` would hold).
    init(path: String) {
        Thread { [self] in
            let result = Result { () throws(StoreError) in try StateFiles.synchronize(path) }
            outcome.withLock { $0 = result }
            finished.signal()
        }.start()
    }

    /// Returns once the `fsync`s are done.
    /// - Throws: their failure (`StoreError.cannotOpen`, naming the file), at every call.
    func wait() throws(StoreError) {
        finished.wait()
        finished.signal()
        guard let result = outcome.withLock({ $0 }) else { return }
        try result.get()
    }
}
