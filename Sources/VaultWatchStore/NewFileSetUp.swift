import Foundation
import GRDB

/// A new state file's setting up, on a thread of its own while the command goes on, and, for a
/// file that did not exist, its first write written whole under another name and renamed in.
///
/// Why: a short `detect --state` run waited for all of the setting up before reading its first
/// record (the opening, the switch to WAL, the schema: 5 to 6.5 ms, then two `fsync`s: 50 to 110
/// ms of wall time at load 15; issue 11). A new file holds nothing the reading needs (no
/// checkpoint, no clock, no baseline), so the reading starts at once; every use of the file waits
/// for the setting up first (`withConnection`).
///
/// Two ways, by what is at the path when the detection run has taken its lock:
/// - **Nothing** (`staging`): the file is set up as `FILE.new` (no journal on disk, no `fsync`),
///   and the first write goes there whole: written straight into the file's pages, then the
///   header switched to WAL, the connection closed, the file `fsync`ed, renamed over `FILE`, and
///   the directory `fsync`ed, before the write returns. Later uses open `FILE` itself (WAL,
///   `synchronous = FULL`). A short run's end was the save's commit (the log's `fdatasync`,
///   SQLite's `fsync` of the directory) and the close's checkpoint (the log synced again, copied
///   into the file, the file synced, the log unlinked), after the setting up's two `fsync`s: six
///   flushes and the log's copy; now two flushes and no log, and a run that saves once leaves
///   `FILE` alone beside its lock, as before. A power cut or a kill at any moment leaves no `FILE`
///   (nothing saved) or the whole first save: the rename is atomic and comes after the file's
///   `fsync`. Nothing else creates `FILE` meanwhile: a second detector is refused by the lock
///   before it creates anything, and the `alerts` commands open only a file that exists (until
///   the first save they say there is no state file, which is true). A `FILE-wal` or `FILE-shm`
///   left without its file is removed before the rename, so that SQLite never reads it as the
///   new file's log.
/// - **An empty file** (left by a crash before its first save, or made by hand; an `alerts`
///   command may have it open, so it is not replaced): set up in place, then its two `fsync`s
///   (`StateFiles.synchronize`), before anything is written to it.
/// - Important: thread-safe; every use is serialised (SQLite's connection is one anyway).
final class NewFileSetUp: @unchecked Sendable {  // `phase` only under `lock`
    private enum Phase {
        /// The thread is setting the file up.
        case settingUp
        /// `FILE.new` is set up, nothing written yet.
        case staged(DatabaseQueue)
        /// `FILE` holds the first write; its connection is opened at its next use.
        case renamedIn
        case open(DatabaseQueue)
        case failed(StoreError)
    }

    private let lock = NSLock()
    private var phase = Phase.settingUp
    /// Signalled once the setting up is done; each waiter signals it again for the next.
    private let finished = DispatchSemaphore(value: 0)
    /// `FILE.new` while staged, for the rename.
    private let stagingPath: String?
    private let path: String
    private let reopen: @Sendable () throws(StoreError) -> DatabaseQueue

    /// The path a file that did not exist is set up at before its first write is renamed in.
    static func stagingPath(for path: String) -> String { path + ".new" }

    /// Starts `open` on a new thread (not the concurrency pool's, which a blocking `fsync` would
    /// hold): at `stagingPath(for: path)` if `staging`, then renamed in at the first write; else
    /// at `path`, followed by `StateFiles.synchronize(path)`.
    /// - Parameters:
    ///   - open: opens and sets up the file at the path it is given.
    ///   - reopen: opens `path` once the first write is renamed in.
    init(path: String, staging: Bool,
         open: @escaping @Sendable (String) throws(StoreError) -> DatabaseQueue,
         reopen: @escaping @Sendable () throws(StoreError) -> DatabaseQueue) {
        self.path = path
        self.stagingPath = staging ? Self.stagingPath(for: path) : nil
        self.reopen = reopen
        Thread { [self] in
            let result = Result { () throws(StoreError) -> Phase in
                if let stagingPath {
                    return .staged(try open(stagingPath))
                }
                let queue = try open(path)
                try StateFiles.synchronize(path)
                return .open(queue)
            }
            lock.withLock {
                switch result {
                case .success(let ready): phase = ready
                case .failure(let error): phase = .failed(error)
                }
            }
            finished.signal()
        }.start()
    }

    /// Runs `use` with the connection once the file is set up: `FILE.new`'s until the first
    /// write, which is renamed in before this returns when `writing`, `FILE`'s after.
    /// - Throws: the failure of the setting up, the rename or the reopening (at every later call
    ///   too), or `use`'s.
    func withConnection<T>(writing: Bool, _ use: (DatabaseQueue) throws(StoreError) -> T) throws(StoreError) -> T {
        finished.wait()
        finished.signal()
        lock.lock()
        defer { lock.unlock() }
        switch phase {
        case .settingUp:
            preconditionFailure("signalled before the setting up's outcome")
        case .failed(let error):
            throw error
        case .open(let queue):
            return try use(queue)
        case .renamedIn:
            let queue: DatabaseQueue
            do {
                queue = try reopen()
            } catch {
                phase = .failed(error)
                throw error
            }
            phase = .open(queue)
            return try use(queue)
        case .staged(let queue):
            // A failed write is rolled back (the journal in memory); the file stays staged.
            let result = try use(queue)
            guard writing, let stagingPath else { return result }
            do {
                try Self.finishStaging(queue, path: path)
                try StateFiles.renameIn(stagingPath, as: path)
            } catch {
                phase = .failed(error)
                throw error
            }
            phase = .renamedIn
            return result
        }
    }

    /// The staged file's header switched to WAL (as `FILE` is opened), written without `fsync`
    /// like the rest (`StateFiles.renameIn` makes it durable), and its connection closed.
    private static func finishStaging(_ queue: DatabaseQueue, path: String) throws(StoreError) {
        do {
            try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = WAL") }
            try queue.close()
        } catch {
            throw AlertStore.storeError(error, path: path)
        }
    }

    /// At the store's end: closes the connection (a command that ends before writing leaves an
    /// empty file whole, without `-wal` or `-shm`), and removes a staged file nothing was written
    /// to: nothing was saved, so there is no `FILE`.
    func close() {
        finished.wait()
        finished.signal()
        lock.withLock {
            switch phase {
            case .open(let queue):
                try? queue.close()
            case .staged(let queue):
                try? queue.close()
                if let stagingPath { unlink(stagingPath) }
            case .failed:
                // Failed before or in the rename: whatever is left under the staging name.
                if let stagingPath { unlink(stagingPath) }
            case .settingUp, .renamedIn:
                break
            }
        }
    }
}
