#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AsyncAlgorithms
import Synchronization

/// Owns the sources (files, directory trees of blobs, stdin), reads them, decodes their
/// records and hands the events to one consumer in batches, with back-pressure: all the
/// sources as **one timeline**, merged by event time.
///
/// How the merge works: each file, blob and stream is a `SourceLane` that reads ahead a chunk
/// at a time; the merge hands on the record whose time is earliest among the lanes' next
/// records (a k-way merge, ties broken by the order the sources were given in). Blobs of a
/// tree are opened only when the merge reaches the hour their path names, so memory holds the
/// sources that overlap in time (a chunk each), never whole files. Disorder *within* a source
/// is left as it is: the detector's reorder buffer (`ReorderBuffer`, the one reordering
/// mechanism) absorbs it, and records later than its tolerance are counted as late.
///
/// Contract:
/// - `batches` carries every event and input problem exactly once; a batch holds up to about
///   `batchSize` events and is sent as soon as that many are pending, and whenever the merge
///   has to wait. `send` waits until the consumer takes the batch: a slow consumer slows the
///   reader, nothing is dropped.
/// - Records whose time is implausible (`ClockLimits`) are reported as problems
///   (`file:line: time … out of range`), counted in `EventBatch.outOfRangeCount`, and left out.
/// - `.readToEnd` reads every source to its end, then finishes `batches`.
/// - `.follow` keeps following files and trees until cancelled (or until every source, all of
///   them streams, ended). Sources that are still growing are merged by watermark: a source
///   with nothing new holds back the records of the others that are later than its last
///   record for at most `quietSourceHold` of wall-clock time (default 2 s); after that the
///   others go on, and a record it writes later than the detector's reorder tolerance is
///   counted as late. Hourly blobs that went idle are re-checked for late appends
///   (`blobRecheckHours`).
/// - Opening errors are thrown before anything is read, by `init(paths:…)`
///   (`IngestionSource.resolve`). During a run nothing throws: a file that disappears is
///   waited for (`tail -F`), and read errors become `InputProblem`s (line 0) in the batches.
/// - Problems name the source as the user gave it (for a blob: root as given + path in tree).
/// - `checkpoints(throughBatch:)` says where to resume once the consumer has dealt with the
///   first `n` batches: for each file whose position moved since the consumer last asked, the
///   offset (and line) of the first record not yet handed on, however far the merge has read
///   ahead (the consumer keeps the others, as a state file does). In follow mode, while the input is quiet
///   and a batch's positions have not been asked for, an empty batch comes every poll interval
///   (so a consumer that saves after batches can save).
///
/// - Important: an actor; its blocking reads are on regular files (which do not block for
///   long) and streams are read on a thread of their own (`StreamReader`).
public actor Ingestor {
    public enum Mode: Sendable, Hashable {
        /// Read every source to its current end, then finish (`detect`).
        case readToEnd
        /// Keep following files and directories until cancelled (`watch`, `detect --follow`).
        case follow
    }

    public struct Configuration: Sendable {
        /// Where to begin in files and blobs present at the start, in follow mode without a
        /// matching checkpoint (read-to-end always reads from the beginning or the checkpoint).
        public var start: FileFollower.StartPosition
        /// The pause between poll rounds that found nothing new.
        public var pollInterval: Duration
        /// How often a directory tree is listed again for new blobs in follow mode.
        public var directoryScanInterval: Duration
        /// Events pending before a batch is sent.
        public var batchSize: Int
        /// Bytes per read (the most a source reads ahead of the merge at a time; lowered when
        /// many files are merged, so read-ahead stays within `readAheadBudget`).
        public var chunkSize: Int
        /// Positions saved by an earlier run (`checkpoints(throughBatch:)`), by path.
        public var checkpoints: [FileFollower.Checkpoint]
        /// The stream's time where the earlier run saved those positions (the detector's event
        /// clock), so a resumed run judges its first records late and out of range as the
        /// uninterrupted run did; nil for a run from the start.
        public var streamTime: EventTime?
        /// In follow mode, hourly blobs more than this many hours older than the newest blob of
        /// their tree stop being polled each round once they stop growing.
        public var blobFollowWindowHours: Int
        /// In follow mode, how many hours after the newest blob's hour a blob that stopped being
        /// polled is still re-checked (at each directory scan) for records appended late.
        public var blobRecheckHours: Int
        /// Which record times are plausible.
        public var clock: ClockLimits
        /// In follow mode, how long a source with nothing new holds the merge back.
        public var quietSourceHold: Duration
        /// The bytes all files together may read ahead of the merge.
        public var readAheadBudget: Int
        /// The wall clock as event time (for `ClockLimits`); tests inject one.
        public var wallClock: @Sendable () -> EventTime
        /// Told where the lines of the files read start, once a chunk
        /// (`RecordFinder.noteLineStart`): the finder that reads evidence records again (the
        /// detector's, `DetectorConfiguration.recordFinder`) then seeks instead of counting lines
        /// from each file's start. Nil: nobody is told.
        public var lineStarts: RecordFinder? = nil
        /// Whether the consumer asks where to resume (`checkpoints(throughBatch:)`): a run that
        /// keeps a state file. A run without one never asks, so no position is kept (a tree
        /// followed for months would keep one per blob it read, until the end), nor its bytes
        /// before read from the file, nor empty batches sent for it while the input is quiet.
        public var keepsPositions = true
        /// Whether every thread doing the ingestor's work (its own, a file's read-ahead job, the
        /// threads those hand chunks and pieces to, a stream's reader) runs below the process's
        /// priority as it starts (`ThreadPriority`): `watch` and `demo`, so the dashboard's thread
        /// wins a core from the first frame on. False (`detect`): at the process's priority, the
        /// one a user's `nice` gave it.
        public var runsAtLowerPriority = false

        public init(
            start: FileFollower.StartPosition = .beginning, pollInterval: Duration = .milliseconds(250),
            directoryScanInterval: Duration = .seconds(5), batchSize: Int = 4096, chunkSize: Int = 1 << 20,
            checkpoints: [FileFollower.Checkpoint] = [], blobFollowWindowHours: Int = 2, blobRecheckHours: Int = 24,
            clock: ClockLimits = ClockLimits(), quietSourceHold: Duration = .seconds(2), readAheadBudget: Int = 64 << 20,
            wallClock: @escaping @Sendable () -> EventTime = Ingestor.systemWallClock, streamTime: EventTime? = nil
        ) {
            self.start = start
            self.pollInterval = pollInterval
            self.directoryScanInterval = directoryScanInterval
            self.batchSize = max(batchSize, 1)
            self.chunkSize = max(chunkSize, 1)
            self.checkpoints = checkpoints
            self.blobFollowWindowHours = blobFollowWindowHours
            self.blobRecheckHours = max(blobRecheckHours, blobFollowWindowHours)
            self.clock = clock
            self.quietSourceHold = quietSourceHold
            self.readAheadBudget = max(readAheadBudget, 1)
            self.wallClock = wallClock
            self.streamTime = streamTime
        }
    }

    /// The system's real-time clock, as event time.
    public static let systemWallClock: @Sendable () -> EventTime = {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return EventTime(secondsSince1970: Int64(now.tv_sec), fractionTicks: Int64(now.tv_nsec) / 100)
    }

    /// The batches, for one consumer.
    public nonisolated let batches = AsyncChannel<EventBatch>()
    public nonisolated let sources: [IngestionSource]
    let symbols: SymbolTable
    let configuration: Configuration
    var resumePoints: [String: FileFollower.Checkpoint]

    private enum State {
        case idle
        case running
        case finished
    }

    private var state = State.idle
    var mode = Mode.readToEnd
    /// Events and problems handed on but not sent yet. Unchecked as the lanes' state is
    /// (`SourceLane`): the merge passes it `inout` for every record, and the actor serialises it.
    @exclusivity(unchecked) var pending = EventBatch()
    /// While a cut holds (the last batch marked `EventBatch.endOfInputDecides`), the time of the
    /// latest record the end of the input decided since it: the record it was made before, or
    /// one handed on after it (`lapseEndOfInputCutOncePassed`); nil when none holds.
    var endOfInputCut: EventTime?
    var isSending = false
    var sentBatchCount = 0
    var sentEventCount = 0
    /// Bytes read by lanes already closed.
    var closedLaneBytes: Int64 = 0
    var totalBytes: Int64 = 0
    var totalSources = 0
    var finishedSources = 0
    /// Positions that changed since the last batch was sent.
    var changedPositions: [String: FileFollower.Checkpoint] = [:]
    /// Files whose first open took its line number from a checkpoint.
    var resumedLines: Set<String> = []
    let checkpointLog = Mutex(CheckpointLog())
    /// Blobs the trees' whole listings found gone, until the consumer takes them (`takeBlobsGone()`).
    let goneBlobs = Mutex(Set<String>())
    /// Saved checkpoints of paths that are not among the inputs and that no input has taken
    /// (`adoptCheckpoints(of:atStart:)`): a tree's blobs found later may take them. Only shrinks.
    var unclaimedCheckpoints: [String: FileFollower.Checkpoint] = [:]
    /// What `adoptCheckpoints(of:atStart:)` said (`resumedElsewhereNotes`).
    let resumedElsewhere = Mutex([String]())

    /// The lanes being merged, in the order they were opened.
    var lanes: [SourceLane] = []
    var nextLaneOrder = 0
    var directories: [DirectorySource] = []
    var streamReaders: [StreamReader] = []
    /// The latest time handed on: the stream's time, for `ClockLimits.maximumLag`.
    var streamTime: EventTime?
    /// Files read ahead per lane.
    var fileChunkSize: Int
    /// The file lane whose next chunk is being read and decoded on another thread (read to end).
    var readAhead: (lane: SourceLane, job: LaneReadAhead)?

    /// A directory tree: blobs found and not opened yet (opened when the merge reaches the
    /// hour of their path), and in follow mode the blobs that stopped being polled but are
    /// re-checked for late appends.
    final class DirectorySource {
        var directory: BlobDirectory
        var waiting: [(blob: BlobDirectory.Blob, start: FileFollower.StartPosition)] = []
        var nextWaiting = 0
        var lastScan: ContinuousClock.Instant
        var reportedErrors: Set<IngestionError> = []
        var retired: [(blob: BlobDirectory.Blob, checkpoint: FileFollower.Checkpoint?)] = []
        var newestHour = Int.min

        init(root: String, lastScan: ContinuousClock.Instant, readBefore: some Sequence<String>) {
            directory = BlobDirectory(root: root, readBefore: readBefore)
            self.lastScan = lastScan
        }

        /// The time the next waiting blob's records start at (its hour; files that are not
        /// hourly blobs first).
        var nextKey: EventTime? {
            guard nextWaiting < waiting.count else { return nil }
            guard let hour = waiting[nextWaiting].blob.hour else { return EventTime(ticks: .min) }
            return EventTime(ticks: Int64(hour.hoursSinceEpoch) * EventTime.ticksPerHour + Int64(hour.minute) * EventTime.ticksPerMinute)
        }

        func add(_ blobs: [BlobDirectory.Blob], start: FileFollower.StartPosition) {
            guard !blobs.isEmpty else { return }
            if nextWaiting > 0 {
                waiting.removeFirst(nextWaiting)
                nextWaiting = 0
            }
            waiting += blobs.map { ($0, start) }
            waiting.sort { $0.blob < $1.blob }
            for blob in blobs { if let hour = blob.hour { newestHour = max(newestHour, hour.hoursSinceEpoch) } }
        }
    }

    /// How many recent batches' positions are kept apart until the consumer acknowledges them.
    static let retainedCheckpointBatches = 256
    /// A file lane reads at least this much at a time, however many files are merged.
    private static let minimumFileChunk = 64 << 10
    /// Above this many open file lanes, a lane closes its file between reads (descriptors).
    static let openFileLimit = 64

    /// Positions per sent batch, shared with consumers on any thread, until the consumer asks
    /// for them: nothing is kept once handed over, so what a save costs follows what moved since
    /// the last, not how many files and blobs the run has read (a tree followed for months).
    struct CheckpointLog {
        /// Positions of batches the consumer has not asked for yet, merged: of the batches the
        /// consumer dealt with but did not ask about, and of those too far behind to wait for.
        var moved: [String: FileFollower.Checkpoint] = [:]
        var deltas: [(batch: Int, positions: [String: FileFollower.Checkpoint])] = []
    }

    /// Resolves and checks every path (see `IngestionSource.resolve`), in order.
    /// - Throws: `IngestionError` for the first path that cannot be read, naming it.
    public init(paths: [String], symbols: SymbolTable, configuration: Configuration = Configuration()) throws(IngestionError) {
        var sources: [IngestionSource] = []
        for path in paths { sources.append(try IngestionSource.resolve(path)) }
        self.init(sources: sources, symbols: symbols, configuration: configuration)
    }

    /// Sources already resolved.
    public init(sources: [IngestionSource], symbols: SymbolTable, configuration: Configuration = Configuration()) {
        self.sources = sources
        self.symbols = symbols
        self.configuration = configuration
        var saved: [String: FileFollower.Checkpoint] = [:]
        for checkpoint in configuration.checkpoints { saved[checkpoint.path] = checkpoint }
        self.resumePoints = saved
        self.streamTime = configuration.streamTime
        let fileCount = max(1, sources.filter { if case .file = $0 { return true } else { return false } }.count)
        self.fileChunkSize = min(configuration.chunkSize, max(Self.minimumFileChunk, configuration.readAheadBudget / fileCount))
    }

    /// Counts for the summary, the progress line and tests of back-pressure.
    public struct Statistics: Sendable, Hashable {
        public var batchesSent: Int
        public var eventsSent: Int
        /// Bytes read from every source so far (decoded or pending).
        public var bytesRead: Int64
        /// Bytes the files and blobs held when the run started (0 for streams).
        public var bytesTotal: Int64
        /// Files, blobs and streams read to their end, and how many there are (blobs found later
        /// in follow mode are added).
        public var sourcesDone: Int
        public var sourcesTotal: Int
        /// Sources being read or polled now (in follow mode, old blobs leave this count when
        /// they are retired to the late-append re-check).
        public var sourcesOpen: Int
        /// In follow mode, blobs past the re-checked hours, settled: watched by the directory
        /// scans only (read on from their positions if written to again).
        public var sourcesSettled: Int

        public init(
            batchesSent: Int, eventsSent: Int, bytesRead: Int64, bytesTotal: Int64, sourcesDone: Int, sourcesTotal: Int,
            sourcesOpen: Int = 0, sourcesSettled: Int = 0
        ) {
            self.batchesSent = batchesSent
            self.eventsSent = eventsSent
            self.bytesRead = bytesRead
            self.bytesTotal = bytesTotal
            self.sourcesDone = sourcesDone
            self.sourcesTotal = sourcesTotal
            self.sourcesOpen = sourcesOpen
            self.sourcesSettled = sourcesSettled
        }
    }

    public var statistics: Statistics {
        Statistics(
            batchesSent: sentBatchCount, eventsSent: sentEventCount, bytesRead: closedLaneBytes + lanes.reduce(0) { $0 + $1.bytesRead },
            bytesTotal: totalBytes, sourcesDone: finishedSources, sourcesTotal: totalSources, sourcesOpen: lanes.count,
            sourcesSettled: directories.reduce(0) { $0 + $1.directory.settledCount })
    }

    /// Where to resume the files and blobs that moved once the consumer has dealt with the first
    /// `batchCount` batches (counting from 1), since it last asked: the offset of the first byte
    /// of the first record not in them, and its line, by path. A file absent from the answer
    /// resumes where an earlier answer said (or where this run began reading it): the consumer
    /// keeps what it was given, as a state file does. Streams have no checkpoints. Thread-safe;
    /// call it from the consumer after processing a batch. Positions of batches more than 256
    /// behind the newest sent are kept for the next answer even if never asked for.
    public nonisolated func checkpoints(throughBatch batchCount: Int) -> [FileFollower.Checkpoint] {
        checkpointLog.withLock { log in
            while let first = log.deltas.first, first.batch <= batchCount {
                log.moved.merge(first.positions) { _, new in new }
                log.deltas.removeFirst()
            }
            let positions = log.moved.values.sorted { $0.path < $1.path }
            log.moved.removeAll()
            return positions
        }
    }

    /// The blobs gone from a tree this run reads since the last call (retention deleted their
    /// hour): those the tree's whole listing (`BlobDirectory.takeGoneBlobs()`: the first, then
    /// one scan in 12 when following) no longer lists, of the blobs it knew and those an earlier
    /// run saved positions for (`Configuration.checkpoints`). A store forgets their positions, so
    /// that they do not grow with the tree's history.
    ///
    /// Never a file still there: only a listing of the whole tree says a blob is gone, none with
    /// a directory that could not be listed, and none while the tree's root lists nothing
    /// (unmounted, moved, or this run started elsewhere with relative paths): its blobs may come
    /// back. Files named on the command line are never among them (a restart looks for a rotated
    /// one among its generations). Thread-safe; each gone blob is handed over once a listing.
    public nonisolated func takeBlobsGone() -> Set<String> {
        goneBlobs.withLock { gone in
            defer { gone.removeAll() }
            return gone
        }
    }

    /// The inputs that resumed from the checkpoint of another path (moved or copied), and those
    /// that held one but were read from their start (which one could not be told), one line each
    /// (`CheckpointAdoption`): also among the first batch's problems; kept for a dashboard, which
    /// says them once the terminal is restored. Thread-safe.
    public nonisolated var resumedElsewhereNotes: [String] {
        resumedElsewhere.withLock { $0 }
    }

    /// Settles the calling thread's priority (`ThreadPriority`; below the dashboard's when the
    /// configuration asks, `runsAtLowerPriority`): called where the ingestor starts work and
    /// where it resumes after waiting, since the actor may resume on any of the pool's threads.
    nonisolated func settlePriority() {
        ThreadPriority.settleCurrentThread(belowDashboard: configuration.runsAtLowerPriority)
    }

    /// Reads the sources (see the type's contract), then finishes `batches`.
    public func run(mode: Mode) async {
        guard case .idle = state else { return }
        settlePriority()
        state = .running
        self.mode = mode
        open()
        // Checkpoints adopted from other paths go in a batch of their own, before any record: a
        // consumer that saves the state from before a batch the end of the input decided
        // (`EventBatch.endOfInputDecides`) still saves them.
        if !changedPositions.isEmpty { await flush() }
        switch mode {
        case .readToEnd: await readToEnd()
        case .follow: await follow()
        }
        await flush()
        for stream in streamReaders { stream.stop() }
        state = .finished
        batches.finish()
    }
}
