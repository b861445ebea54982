import Foundation
import GRDB
import Synchronization
import VaultWatchCore

/// The embedded state (DESIGN.md §1): alerts and their status history, the detector's
/// snapshots and per-source read checkpoints, in one SQLite file in WAL mode, or in memory.
///
/// - A detection run (`Access.detection`) holds an advisory lock on `FILE.lock` for its whole
///   life: a second detector on the same file is refused with `StoreError.inUse`, since two
///   readers resuming from one checkpoint would read records twice. The `alerts` commands and
///   the dashboard's dismiss/resolve do not take it: SQLite serialises their short writes with
///   the detector's, and they touch only an alert's status, which detection never overwrites.
/// - Durability: `synchronous = FULL`, so a change reported as saved survives a crash or a
///   power cut. Every failure is thrown as a `StoreError` naming the file.
/// - Important: thread-safe (one serialised SQLite connection); calls block while they run.
public final class AlertStore: Sendable {
    /// What the caller will do with the file.
    public enum Access: Sendable, Hashable {
        /// Read only; the file must exist (`alerts list|show|export`).
        case readOnly
        /// Read and write; the file must exist (`alerts dismiss|resolve`).
        case readWrite
        /// Create the file if needed, and hold the detection lock (`detect --state`, `watch`).
        case detection
    }

    /// Knobs for tests and tuning; the defaults suit every command.
    public struct Options: Sendable {
        /// SQLite's page limit for the file (`PRAGMA max_page_count`); nil for no limit.
        /// Lets a test fill the "disk" without filling a disk.
        public var maximumPageCount: Int?
        /// How long to wait for another connection's write before failing.
        public var busyTimeout: TimeInterval

        public init(maximumPageCount: Int? = nil, busyTimeout: TimeInterval = 10) {
            self.maximumPageCount = maximumPageCount
            self.busyTimeout = busyTimeout
        }
    }

    /// The file, or nil when the state is in memory.
    public let path: String?
    private let connection: Connection
    private let lock: DetectionLock?

    /// The SQLite connection: open, or a new file's, set up beside the command.
    private enum Connection: Sendable {
        case open(DatabaseQueue)
        case new(NewFileSetUp)
    }

    /// Whether nothing was ever saved in the state: the file was empty when opened (created by
    /// this open, or left empty by a crash before its first save), or the state is in memory,
    /// and nothing has been written since. A detection run starting on such a state need not
    /// read back what a previous run saved (`savedDetection()`) nor the stored state of the
    /// alerts it writes (`DetectionRecorder`): 8 queries, some 2 ms of the demo tenant's short
    /// `detect --state` run (issue 11).
    public var holdsNothingSaved: Bool { unwritten.withLock { $0 } }
    private let unwritten: Mutex<Bool>

    /// The name used in messages: the path, or "in-memory state".
    public var displayName: String { path ?? "in-memory state" }

    /// State kept in memory only (`--no-state`): same behaviour, nothing survives the process.
    public init(inMemoryWith options: Options = Options()) throws(StoreError) {
        self.path = nil
        self.lock = nil
        self.unwritten = Mutex(true)
        do {
            let queue = try DatabaseQueue(configuration: Self.configuration(options: options, readOnly: false, setUp: nil))
            try Self.migrate(queue, path: "in-memory state")
            connection = .open(queue)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.database(path: "in-memory state", detail: "\(error)")
        }
    }

    /// Opens (and for `.detection` creates, directory `0700`, file `0600`) the state file at
    /// `path`, migrating an older schema.
    /// - Throws: `StoreError` — missing, read-only, corrupt, newer schema, in use.
    public init(path: String, access: Access, options: Options = Options()) throws(StoreError) {
        self.path = path
        let exists = FileManager.default.fileExists(atPath: path)
        if !exists {
            guard access == .detection else { throw StoreError.missing(path: path) }
            try StateFiles.createDirectory(containing: path)
        } else if access != .readOnly, !StateFiles.isWritable(path) {
            // Honoured even for root, whom the kernel would let write: the mode says read-only.
            throw StoreError.readOnly(path: path, detail: "the file's mode allows no writing")
        }
        // Taken before anything is created: a second detector is refused before it makes a file.
        lock = access == .detection ? try DetectionLock(statePath: path) : nil
        // A new file is set up (the switch to WAL, the schema) without SQLite's `fsync`s beside
        // what the command does next (`NewFileSetUp`): it holds nothing the command needs first.
        // Where nothing was, it is set up under another name and its first write renamed in
        // (two flushes for the set-up, the save and the close together); an empty file is set
        // up in place, then made durable with two `fsync`s. A file that holds something is
        // opened now.
        let staging = !exists && StateFiles.nothingAt(path)
        if staging {
            let stagingPath = NewFileSetUp.stagingPath(for: path)
            for leftover in [stagingPath, stagingPath + "-wal", stagingPath + "-shm"] { unlink(leftover) }
            try StateFiles.createFile(at: stagingPath, named: path)
        } else if !exists {
            try StateFiles.createFile(at: path, named: path)
        }
        let isNew = staging || (access != .readOnly && StateFiles.isEmpty(path))
        unwritten = Mutex(isNew)
        if isNew {
            connection = .new(NewFileSetUp(
                path: path, staging: staging,
                open: { (file: String) throws(StoreError) in
                    try Self.open(file, named: path, options: options, access: access, setUp: staging ? .staged : .inPlace)
                },
                reopen: { () throws(StoreError) in try Self.open(path, named: path, options: options, access: access, setUp: nil) }))
        } else {
            connection = .open(try Self.open(path, named: path, options: options, access: access, setUp: nil))
        }
    }

    /// How a new, empty file is set up (`NewFileSetUp`).
    private enum SetUp {
        /// At its own path: switched to WAL, its schema written, without SQLite's `fsync`s.
        case inPlace
        /// Under the staging name: its journal in memory and no `fsync` until it is renamed in.
        case staged
    }

    /// Opens `file`, then checks its schema (read-only) or brings it up to date; failures name
    /// the state file `path`.
    private static func open(_ file: String, named path: String, options: Options, access: Access, setUp: SetUp?) throws(StoreError) -> DatabaseQueue {
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(
                path: file, configuration: configuration(options: options, readOnly: access == .readOnly, setUp: setUp))
        } catch {
            throw storeError(error, path: path)
        }
        if access == .readOnly {
            try checkVersion(queue, path: path)
        } else {
            try migrate(queue, path: path)
        }
        if setUp == .staged {
            do {
                // `migrate` leaves FULL; the staged file is made durable once, at its rename.
                try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = OFF") }
            } catch {
                throw storeError(error, path: path)
            }
        }
        return queue
    }

    /// A new file's connection is closed (and a staged file nothing was written to removed), so
    /// that a command that ends before writing leaves no file, or an empty one whole, without
    /// `-wal` or `-shm`.
    deinit {
        if case .new(let setUp) = connection { setUp.close() }
    }

    /// Closes the connection now rather than when the store is released: SQLite copies its log
    /// into the file and removes it (for a file saved to through its log: a checkpoint, two
    /// `fsync`s and an unlink, 3 ms of the demo tenant's short run on an existing file), so a
    /// command that has saved for the last time closes the file beside what it still does
    /// (`DetectionRecorder.closeStore`). Nothing uses the store afterwards. A failure here is left
    /// as the release leaves it: every save reported has committed, and the next open recovers
    /// a log left behind.
    public func close() {
        switch connection {
        case .open(let queue): try? queue.close()
        case .new(let setUp): setUp.close()
        }
    }

    /// Starts the file's log (`FILE-wal`) now, with a write that changes nothing (`user_version`
    /// set to itself: an `UPDATE` of a value to itself writes no page). SQLite writes a log's
    /// header at the first commit after the log was emptied, which is every run's first (the last
    /// close copied the log into the file and removed it), and `fsync`s it and, for a log it
    /// created, its directory, before the commit's own `fsync`. A run on a file that holds a save
    /// calls this on its save writer's thread as it starts (`DetectionRecorder.start`): those `fsync`s
    /// then come beside the reading, not before the end's save (three of the five of the demo
    /// tenant's short run on an existing file, 1 to 10 ms each here). Nothing to do on a file that
    /// holds nothing saved (set up beside the run: `NewFileSetUp`). A failure is left to the first
    /// save, which meets it again.
    func startLog() {
        guard !holdsNothingSaved else { return }
        try? write { db in
            let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
            try db.execute(sql: "PRAGMA user_version = \(version)")
        }
    }

    /// Runs `use` with the connection, once a new file is set up; a new file's first write is
    /// renamed in before this returns (`NewFileSetUp`).
    /// - Throws: the new file's setting up failed (at every call), or `use`'s failure.
    private func withQueue<T>(writing: Bool, _ use: (DatabaseQueue) throws(StoreError) -> T) throws(StoreError) -> T {
        switch connection {
        case .open(let queue): return try use(queue)
        case .new(let setUp): return try setUp.withConnection(writing: writing, use)
        }
    }

    /// The page size of a new file. A save rewrites the detector's state, one blob (13 MB on the
    /// benchmark's synthetic records): SQLite writes it to the log a page at a time, reads the
    /// old one's pages to free them and copies the log into the database at the checkpoint, each
    /// a system call per page (in 4 KiB pages, some 40,000 calls for two saves). 16 KiB pages make
    /// a quarter of them; 64 KiB pages a sixteenth, but every small change then writes 64 KiB
    /// (the demo tenant's short run wrote 11 MB instead of 0.7 MB, and cost more CPU than with 4
    /// KiB). In turns on the synthetic records (9 rounds, load 7-8), `--state` cost +22.6% CPU in
    /// 4 KiB pages, +10.8% in 16 KiB; on the demo tenant (31 rounds) +19.2% and +17.9%. An older
    /// file keeps the page size it was made with (SQLite changes it only by rewriting the file).
    static let newFilePageSize = 16_384

    /// How much log SQLite lets grow before it copies it into the database (`wal_autocheckpoint`,
    /// in pages: SQLite's default of 1,000 pages is 4 MiB of 4 KiB pages).
    static let logBytesBeforeCheckpoint = 4 << 20

    /// - Parameter setUp: the file is empty: nothing in it to protect while it is set up, so
    ///   the switch to WAL (a rollback-journal transaction of its own) is written without `fsync`;
    ///   a staged file keeps its journal in memory (what a failed write rolls back) until its
    ///   first write is renamed in.
    private static func configuration(options: Options, readOnly: Bool, setUp: SetUp?) -> Configuration {
        var configuration = Configuration()
        configuration.readonly = readOnly
        configuration.busyMode = .timeout(options.busyTimeout)
        configuration.foreignKeysEnabled = true
        configuration.label = "VaultWatchStore"
        let maximumPageCount = options.maximumPageCount
        configuration.prepareDatabase { db in
            if !readOnly, !db.configuration.readonly {
                // WAL: the dashboard and `alerts` commands read while detection writes.
                if setUp == .staged {
                    try db.execute(sql: "PRAGMA synchronous = OFF")
                    try db.execute(sql: "PRAGMA page_size = \(Self.newFilePageSize)")
                    try db.execute(sql: "PRAGMA journal_mode = MEMORY")
                } else if let mode = try String.fetchOne(db, sql: "PRAGMA journal_mode"), mode != "memory" {
                    if setUp == .inPlace {
                        try db.execute(sql: "PRAGMA synchronous = OFF")
                        // Set before anything is written (the switch to WAL writes the header).
                        try db.execute(sql: "PRAGMA page_size = \(Self.newFilePageSize)")
                    }
                    // A file in WAL mode stays in it (the mode is kept in the file's header).
                    if mode != "wal" { try db.execute(sql: "PRAGMA journal_mode = WAL") }
                    // SQLite's default is 1,000 pages, whatever their size: the same 4 MiB of log.
                    let pageSize = try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 4096
                    try db.execute(sql: "PRAGMA wal_autocheckpoint = \(max(1, Self.logBytesBeforeCheckpoint / pageSize))")
                }
                if setUp != .staged { try db.execute(sql: "PRAGMA synchronous = FULL") }
            }
            if let maximumPageCount { try db.execute(sql: "PRAGMA max_page_count = \(maximumPageCount)") }
        }
        return configuration
    }

    /// Refuses a file written by a newer VaultWatch, then brings its schema up to date: a new,
    /// empty file gets the latest schema in one transaction (`StoreSchema.createLatest`), an
    /// older file the migrations it lacks, one transaction each.
    private static func migrate(_ queue: DatabaseQueue, path: String) throws(StoreError) {
        let schema = try SchemaState(of: queue, path: path)
        try schema.refuseNewer(path: path)
        guard !schema.isCurrent else { return }
        do {
            // Each migration commits on its own; with `synchronous = FULL` each commit would
            // fsync. In WAL mode NORMAL commits stay atomic and the file consistent after a
            // crash or a power cut; a power cut can only undo the last migrations, which the
            // next open applies again. The first save, under FULL, makes them durable with its
            // own fsync (the log is synced whole, up to its last commit). A new file's schema is
            // written without even the `fsync` of the new log's header (OFF): SQLite replays only
            // commits whose checksums hold, so a power cut before the first save leaves the
            // schema or an empty file in WAL mode, which the next open creates again.
            try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = \(schema.isEmpty ? "OFF" : "NORMAL")") }
            if schema.isEmpty {
                // Asked again in the write transaction (SQLite's IMMEDIATE, which waits for any
                // other writer): another connection may have set the file up since, a command
                // opening the file while a run sets it up beside its reading (`NewFileSetUp`).
                try queue.write { db in
                    guard try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") == 0 else { return }
                    try StoreSchema.createLatest(in: db)
                }
            } else {
                try StoreSchema.migrator.migrate(queue)
                try queue.write { db in try db.execute(sql: "PRAGMA user_version = \(StoreSchema.latestVersion)") }
            }
            try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        } catch {
            throw storeError(error, path: path)
        }
    }

    private static func checkVersion(_ queue: DatabaseQueue, path: String) throws(StoreError) {
        try SchemaState(of: queue, path: path).refuseNewer(path: path)
    }

    /// Runs `body` in a write transaction, mapping failures to `StoreError`. On a new file,
    /// once it is set up and its `fsync`s are done (`NewFileSetUp`): nothing is written before
    /// the file's header and name are durable.
    func write<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        try withQueue(writing: true) { (queue) throws(StoreError) -> T in
            unwritten.withLock { $0 = false }
            return try mappingFailures { try queue.write(body) }
        }
    }

    /// Runs `body` reading, mapping failures to `StoreError`.
    func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        try withQueue(writing: false) { (queue) throws(StoreError) -> T in
            try mappingFailures { try queue.read(body) }
        }
    }

    /// Runs `body`: a `StoreError` passes as it is, any other failure becomes the `StoreError`
    /// that names it for this file (`storeError(_:path:)`).
    private func mappingFailures<T>(_ body: () throws -> T) throws(StoreError) -> T {
        do {
            return try body()
        } catch let error as StoreError {
            throw error
        } catch {
            throw Self.storeError(error, path: displayName)
        }
    }

    /// A SQLite failure in the user's words.
    static func storeError(_ error: any Error, path: String) -> StoreError {
        if let error = error as? StoreError { return error }
        guard let databaseError = error as? DatabaseError else {
            return .database(path: path, detail: "\(error)")
        }
        let detail = databaseError.message ?? "SQLite error \(databaseError.resultCode.rawValue)"
        switch databaseError.resultCode {
        case .SQLITE_FULL: return .diskFull(path: path)
        case .SQLITE_READONLY, .SQLITE_PERM: return .readOnly(path: path, detail: detail)
        case .SQLITE_CORRUPT, .SQLITE_NOTADB: return .corrupt(path: path, detail: detail)
        case .SQLITE_CANTOPEN: return .cannotOpen(path: path, detail: detail)
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return .database(path: path, detail: "busy: another process kept it locked (\(detail))")
        default: return .database(path: path, detail: detail)
        }
    }
}
