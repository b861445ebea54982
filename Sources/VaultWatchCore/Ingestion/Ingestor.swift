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
///   first `n` batches: for each file, the offset (and line) of the first record not yet
///   handed on, however far the merge has read ahead. In follow mode, while the input is quiet
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

        public init(
            start: FileFollower.StartPosition = .beginning, pollInterval: Duration = .milliseconds(250),
            directoryScanInterval: Duration = .seconds(5), batchSize: Int = 4096, chunkSize: Int = 1 << 20,
            checkpoints: [FileFollower.Checkpoint] = [], blobFollowWindowHours: Int = 2, blobRecheckHours: Int = 24,
            clock: ClockLimits = ClockLimits(), quietSourceHold: Duration = .seconds(2), readAheadBudget: Int = 64 << 20,
            wallClock: @escaping @Sendable () -> EventTime = Ingestor.systemWallClock
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
    private let symbols: SymbolTable
    private let configuration: Configuration
    private var resumePoints: [String: FileFollower.Checkpoint]

    private enum State {
        case idle
        case running
        case finished
    }

    private var state = State.idle
    private var mode = Mode.readToEnd
    /// Events and problems handed on but not sent yet.
    private var pending = EventBatch()
    private var isSending = false
    private var sentBatchCount = 0
    private var sentEventCount = 0
    /// Bytes read by lanes already closed.
    private var closedLaneBytes: Int64 = 0
    private var totalBytes: Int64 = 0
    private var totalSources = 0
    private var finishedSources = 0
    /// Positions that changed since the last batch was sent.
    private var changedPositions: [String: FileFollower.Checkpoint] = [:]
    /// Files whose first open took its line number from a checkpoint.
    private var resumedLines: Set<String> = []
    private let checkpointLog = Mutex(CheckpointLog())

    /// The lanes being merged, in the order they were opened.
    private var lanes: [SourceLane] = []
    private var nextLaneOrder = 0
    private var directories: [DirectorySource] = []
    private var streamReaders: [StreamReader] = []
    /// The latest time handed on: the stream's time, for `ClockLimits.maximumLag`.
    private var streamTime: EventTime?
    /// Files read ahead per lane.
    private var fileChunkSize: Int

    /// A directory tree: blobs found and not opened yet (opened when the merge reaches the
    /// hour of their path), and in follow mode the blobs that stopped being polled but are
    /// re-checked for late appends.
    private final class DirectorySource {
        var directory: BlobDirectory
        var waiting: [(blob: BlobDirectory.Blob, start: FileFollower.StartPosition)] = []
        var nextWaiting = 0
        var lastScan: ContinuousClock.Instant
        var reportedErrors: Set<IngestionError> = []
        var retired: [(blob: BlobDirectory.Blob, checkpoint: FileFollower.Checkpoint?)] = []
        var newestHour = Int.min

        init(root: String, lastScan: ContinuousClock.Instant) {
            directory = BlobDirectory(root: root)
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
    private static let retainedCheckpointBatches = 256
    /// A file lane reads at least this much at a time, however many files are merged.
    private static let minimumFileChunk = 64 << 10
    /// Above this many open file lanes, a lane closes its file between reads (descriptors).
    private static let openFileLimit = 64

    /// Positions per sent batch, shared with consumers on any thread.
    private struct CheckpointLog {
        var acknowledged: [String: FileFollower.Checkpoint] = [:]
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

        public init(
            batchesSent: Int, eventsSent: Int, bytesRead: Int64, bytesTotal: Int64, sourcesDone: Int, sourcesTotal: Int,
            sourcesOpen: Int = 0
        ) {
            self.batchesSent = batchesSent
            self.eventsSent = eventsSent
            self.bytesRead = bytesRead
            self.bytesTotal = bytesTotal
            self.sourcesDone = sourcesDone
            self.sourcesTotal = sourcesTotal
            self.sourcesOpen = sourcesOpen
        }
    }

    public var statistics: Statistics {
        Statistics(
            batchesSent: sentBatchCount, eventsSent: sentEventCount, bytesRead: closedLaneBytes + lanes.reduce(0) { $0 + $1.bytesRead },
            bytesTotal: totalBytes, sourcesDone: finishedSources, sourcesTotal: totalSources, sourcesOpen: lanes.count)
    }

    /// Where to resume each file and blob once the consumer has dealt with the first
    /// `batchCount` batches (counting from 1): the offset of the first byte of the first record
    /// not in them, and its line. Streams have no checkpoints. Thread-safe; call it from the
    /// consumer after processing a batch. Positions of batches more than 256 behind the newest
    /// sent count as acknowledged even if never asked for.
    public nonisolated func checkpoints(throughBatch batchCount: Int) -> [FileFollower.Checkpoint] {
        checkpointLog.withLock { log in
            while let first = log.deltas.first, first.batch <= batchCount {
                log.acknowledged.merge(first.positions) { _, new in new }
                log.deltas.removeFirst()
            }
            return log.acknowledged.values.sorted { $0.path < $1.path }
        }
    }

    /// Reads the sources (see the type's contract), then finishes `batches`.
    public func run(mode: Mode) async {
        guard case .idle = state else { return }
        state = .running
        self.mode = mode
        open()
        switch mode {
        case .readToEnd: await readToEnd()
        case .follow: await follow()
        }
        await flush()
        for stream in streamReaders { stream.stop() }
        state = .finished
        batches.finish()
    }

    // MARK: - Opening

    /// Makes a lane per file and stream and lists each tree (its blobs open lazily).
    private func open() {
        let now = ContinuousClock.now
        let start = mode == .follow ? configuration.start : .beginning
        for source in sources {
            switch source {
            case .file(let path):
                addFileLane(path: path, hour: nil, start: start, keepsFileOpen: true, chunkSize: fileChunkSize)
                totalBytes += Self.size(of: path)
                totalSources += 1
            case .directory(let path):
                let directory = DirectorySource(root: path, lastScan: now)
                let (found, errors) = directory.directory.scanForNewFiles()
                for error in errors { report(error) }
                directory.reportedErrors = Set(errors)
                directory.add(found, start: start)
                totalSources += found.count
                for blob in found { totalBytes += Self.size(of: blob.path) }
                directories.append(directory)
            case .stream(let path):
                let reader = path == "-"
                    ? StreamReader.standardInput(chunkSize: configuration.chunkSize)
                    : StreamReader(name: path, chunkSize: configuration.chunkSize)
                let lane = SourceLane(name: path, input: .stream(reader), hour: nil, order: nextLaneOrder)
                nextLaneOrder += 1
                lanes.append(lane)
                streamReaders.append(reader)
                totalSources += 1
            }
        }
    }

    @discardableResult
    private func addFileLane(
        path: String, hour: BlobDirectory.Hour?, start: FileFollower.StartPosition, keepsFileOpen: Bool, chunkSize: Int
    ) -> SourceLane {
        let follower = FileFollower(
            path: path, start: start, resumingFrom: resumePoints[path], chunkSize: chunkSize, keepsFileOpen: keepsFileOpen)
        let lane = SourceLane(name: path, input: .file(follower), hour: hour, order: nextLaneOrder)
        nextLaneOrder += 1
        lanes.append(lane)
        return lane
    }

    private static func size(of path: String) -> Int64 {
        var status = stat()
        return stat(path, &status) == 0 ? Int64(status.st_size) : 0
    }

    // MARK: - Read to end

    private func readToEnd() async {
        while !Task.isCancelled {
            switch step(now: ContinuousClock.now) {
            case .handed, .opened:
                if pending.events.count >= configuration.batchSize { await flush() }
            case .needs(let lane):
                await fill(lane)
            case .blocked, .finished:
                return
            }
        }
    }

    /// Reads more of `lane` (read-to-end): a chunk of a file, or the next chunk of a stream.
    private func fill(_ lane: SourceLane) async {
        let wallClock = configuration.wallClock()
        switch lane.input {
        case .file(let follower):
            _ = lane.fill(
                symbols: symbols, readsToEnd: true, reportsMissing: true, limits: configuration.clock, wallClock: wallClock,
                resumePoint: { self.resumePoint(of: lane.name, openedAt: $0) })
            if lanes.count > Self.openFileLimit { follower.close() }
        case .stream(let reader):
            reader.start()
            do {
                if let chunk = try await Self.nextChunk(of: reader) {
                    lane.absorb(chunk, symbols: symbols, limits: configuration.clock, wallClock: configuration.wallClock())
                    return
                }
            } catch let error as IngestionError {
                lane.report(error)
            } catch {
                lane.report(.unreadable(path: reader.name, reason: "\(error)"))
            }
            reader.stop()
            lane.end(limits: configuration.clock, wallClock: configuration.wallClock())
        }
    }

    /// The stream's next chunk, nil at its end (the channel hands each chunk to one `next()`).
    private nonisolated static func nextChunk(of reader: StreamReader) async throws -> [UInt8]? {
        var iterator = reader.chunks.makeAsyncIterator()
        return try await iterator.next()
    }

    // MARK: - The merge

    /// Where a lane's next record stands in the merge: its time, then the lane's order.
    private struct MergeKey: Comparable {
        var time: Int64
        var order: Int

        static func < (lhs: MergeKey, rhs: MergeKey) -> Bool { (lhs.time, lhs.order) < (rhs.time, rhs.order) }
        static let last = MergeKey(time: .max, order: .max)
    }

    private enum Step {
        /// Records were handed on.
        case handed
        /// Blobs were opened (their lanes need reading).
        case opened
        /// This lane has no record to compare: read more of it.
        case needs(SourceLane)
        /// Quiet sources hold the merge back (follow mode).
        case blocked
        /// Nothing is left to merge.
        case finished
    }

    /// One step of the k-way merge: hands on the records of the lane whose next record is the
    /// earliest, as long as they stay no later than every other lane's next record; or opens
    /// the blobs whose hour has come; or says which lane must be read first.
    private func step(now: ContinuousClock.Instant) -> Step {
        let limits = configuration.clock
        let wallClock = configuration.wallClock()
        let follows = mode == .follow
        var best: (key: MergeKey, lane: SourceLane)?
        var second: MergeKey?
        var holdLimit: Int64?
        var handedAny = false
        var index = 0
        while index < lanes.count {
            let lane = lanes[index]
            lane.decide(limits: limits, force: false)
            // What has no time to be ordered by (problems, spikes) goes at once.
            while lane.head != nil, lane.nextTime(limits: limits, wallClock: wallClock) == nil {
                lane.handFront(into: &pending, limits: limits, streamTime: &streamTime, wallClock: wallClock)
                if let checkpoint = lane.checkpoint { changedPositions[lane.name] = checkpoint }
                handedAny = true
                if lane.head == nil { lane.decide(limits: limits, force: false) }
            }
            guard lane.head != nil, let time = lane.nextTime(limits: limits, wallClock: wallClock) else {
                if lane.isDrained {
                    close(lane)
                    lanes.remove(at: index)
                    continue
                }
                if !follows { return .needs(lane) }
                guard let idleSince = lane.idleSince else { return .needs(lane) }
                if now - idleSince >= configuration.quietSourceHold {
                    // Quiet for long enough: it no longer holds the others back; a record it
                    // held for a verdict is judged without its successor.
                    lane.decide(limits: limits, force: true)
                    if lane.head != nil { continue }
                } else {
                    holdLimit = min(holdLimit ?? .max, lane.lastHandedTime?.ticks ?? .min)
                }
                index += 1
                continue
            }
            let key = MergeKey(time: time.ticks, order: lane.order)
            if let current = best?.key {
                if key < current {
                    second = second.map { min($0, current) } ?? current
                    best = (key, lane)
                } else {
                    second = second.map { min($0, key) } ?? key
                }
            } else {
                best = (key, lane)
            }
            index += 1
        }
        // Blobs whose hour has come are opened before a lane's record of the same time.
        var blobDirectory: DirectorySource?
        var blobKey: Int64?
        for directory in directories {
            guard let key = directory.nextKey?.ticks else { continue }
            if blobKey.map({ key < $0 }) ?? true {
                blobKey = key
                blobDirectory = directory
            }
        }
        if let blobKey, let blobDirectory, best.map({ blobKey <= $0.key.time }) ?? true {
            openBlobs(of: blobDirectory, at: blobKey)
            return .opened
        }
        guard let best else {
            if handedAny { return .handed }
            return holdLimit != nil ? .blocked : .finished
        }
        if let holdLimit, best.key.time > holdLimit { return handedAny ? .handed : .blocked }
        var bound = second ?? .last
        if let blobKey { bound = min(bound, MergeKey(time: blobKey, order: .min)) }
        if let holdLimit { bound = min(bound, MergeKey(time: holdLimit, order: .max)) }
        let lane = best.lane
        // Event by event (an envelope's events each by their own time), up to a full batch.
        let admits = { (time: EventTime) in MergeKey(time: time.ticks, order: lane.order) <= bound }
        while lane.head != nil {
            if let time = lane.nextTime(limits: limits, wallClock: wallClock), !admits(time) { break }
            lane.handFront(
                into: &pending, limits: limits, streamTime: &streamTime, wallClock: wallClock,
                maximumEvents: max(1, configuration.batchSize - pending.events.count), admits: admits)
            if let checkpoint = lane.checkpoint { changedPositions[lane.name] = checkpoint }
            if pending.events.count >= configuration.batchSize { break }
            if lane.head == nil { lane.decide(limits: limits, force: false) }
        }
        return .handed
    }

    /// Opens the waiting blobs of `directory` whose records start at `key`.
    private func openBlobs(of directory: DirectorySource, at key: Int64) {
        while let next = directory.nextKey, next.ticks == key {
            let (blob, start) = directory.waiting[directory.nextWaiting]
            directory.nextWaiting += 1
            addFileLane(
                path: blob.path, hour: blob.hour, start: start, keepsFileOpen: false,
                chunkSize: min(configuration.chunkSize, 256 << 10))
        }
        if directory.nextWaiting == directory.waiting.count {
            directory.waiting.removeAll()
            directory.nextWaiting = 0
        }
    }

    /// A lane read to its end and handed on whole.
    private func close(_ lane: SourceLane) {
        if var checkpoint = lane.checkpoint ?? lane.follower?.checkpoint {
            if lane.checkpoint == nil { checkpoint.line = lane.reader?.nextLineNumber ?? 1 }
            changedPositions[lane.name] = checkpoint
        }
        closedLaneBytes += lane.bytesRead
        finishedSources += 1
        lane.follower?.close()
    }

    // MARK: - Follow

    private func follow() async {
        let pollsFiles = sources.contains { if case .stream = $0 { return false } else { return true } }
        await withTaskGroup(of: Void.self) { group in
            for lane in lanes {
                guard case .stream(let reader) = lane.input else { continue }
                let order = lane.order
                group.addTask { await self.pump(reader, into: order) }
            }
            if pollsFiles {
                group.addTask { await self.pollLoop() }
            }
            await group.waitForAll()
        }
        // Every source was a stream and all have ended: hand on what is left.
        if !Task.isCancelled {
            while case .handed = step(now: ContinuousClock.now) {
                if pending.events.count >= configuration.batchSize { await flush() }
            }
        }
    }

    /// Feeds a stream to its lane as chunks arrive, and merges what it can at once (a quiet
    /// pipe's lines are handed on promptly).
    private func pump(_ reader: StreamReader, into order: Int) async {
        reader.start()
        do {
            for try await chunk in reader.chunks {
                guard let lane = lanes.first(where: { $0.order == order }) else { return }
                lane.absorb(chunk, symbols: symbols, limits: configuration.clock, wallClock: configuration.wallClock())
                await advance()
            }
        } catch let error as IngestionError {
            lanes.first { $0.order == order }?.report(error)
        } catch {
            lanes.first { $0.order == order }?.report(.unreadable(path: reader.name, reason: "\(error)"))
        }
        guard !Task.isCancelled else { return }
        lanes.first { $0.order == order }?.end(limits: configuration.clock, wallClock: configuration.wallClock())
        await advance()
    }

    /// Merges as far as the lanes allow now, sending full batches, then what is pending.
    /// Returns whether anything was handed on or opened.
    @discardableResult
    private func advance() async -> Bool {
        var progressed = false
        let wallClock = configuration.wallClock()
        merging: while !Task.isCancelled {
            switch step(now: ContinuousClock.now) {
            case .handed, .opened:
                progressed = true
                if pending.events.count >= configuration.batchSize { await flush() }
            case .needs(let lane):
                // A lane without a record to compare: poll it once now.
                let found = lane.fill(
                    symbols: symbols, readsToEnd: false, reportsMissing: false, limits: configuration.clock,
                    wallClock: wallClock, resumePoint: { self.resumePoint(of: lane.name, openedAt: $0) })
                if found == .data {
                    progressed = true
                } else if lane.idleSince == nil {
                    lane.idleSince = ContinuousClock.now
                }
            case .blocked, .finished:
                break merging
            }
        }
        await flush()
        return progressed
    }

    private func pollLoop() async {
        while !Task.isCancelled {
            let now = ContinuousClock.now
            var readAny = false
            for directory in directories where now - directory.lastScan >= configuration.directoryScanInterval {
                directory.lastScan = now
                rescan(directory)
                recheckRetiredBlobs(of: directory)
            }
            // Quiet lanes are polled again for appends.
            for lane in lanes where lane.head == nil && lane.idleSince != nil {
                if case .file = lane.input {
                    let found = lane.fill(
                        symbols: symbols, readsToEnd: false, reportsMissing: false, limits: configuration.clock,
                        wallClock: configuration.wallClock(), resumePoint: { self.resumePoint(of: lane.name, openedAt: $0) })
                    if found == .data { readAny = true }
                }
            }
            if await advance() { readAny = true }
            retireIdleBlobs()
            if !readAny {
                await sendIdleBatchIfUnacknowledged()
                do { try await Task.sleep(for: configuration.pollInterval) } catch { return }
            }
        }
    }

    /// While the input is quiet and the consumer has not yet asked for the checkpoints of
    /// some batch that moved a position, sends it an empty batch every poll round: a consumer
    /// that saves after batches (the state store saves at most so often) then gets the chance to
    /// save what it has processed, instead of waiting for the next record, which may come hours
    /// later. Stops as soon as the consumer has asked (`checkpoints(throughBatch:)`), so a
    /// consumer that saves sees one or a few such batches per quiet period.
    private func sendIdleBatchIfUnacknowledged() async {
        guard !isSending, pending.isEmpty,
            checkpointLog.withLock({ log in log.deltas.contains { !$0.positions.isEmpty } })
        else { return }
        isSending = true
        defer { isSending = false }
        sentBatchCount += 1
        logPositions([:], ofBatch: sentBatchCount)
        await batches.send(EventBatch())
    }

    /// Keeps the positions a sent batch reached until the consumer asks for them.
    private func logPositions(_ positions: [String: FileFollower.Checkpoint], ofBatch number: Int) {
        checkpointLog.withLock { log in
            log.deltas.append((number, positions))
            // A consumer that never asks must not make the log grow without end. Batches this
            // far back were taken long ago (one consumer takes them in turn), so their
            // positions count as acknowledged.
            while log.deltas.count > Self.retainedCheckpointBatches {
                log.acknowledged.merge(log.deltas.removeFirst().positions) { _, new in new }
            }
        }
    }

    private func rescan(_ directory: DirectorySource) {
        let (fresh, errors) = directory.directory.scanForNewFiles()
        for error in errors where !directory.reportedErrors.contains(error) {
            report(error)
        }
        directory.reportedErrors = Set(errors)
        directory.add(fresh, start: .beginning)
        totalSources += fresh.count
    }

    /// Stops polling hourly blobs well behind the newest one once they are idle and handed on
    /// whole: their hour is over, and polling thousands of them each round would cost more
    /// than it finds. They are re-checked at each directory scan for late appends.
    private func retireIdleBlobs() {
        for directory in directories {
            let oldestFollowed = directory.newestHour - configuration.blobFollowWindowHours
            lanes.removeAll { lane in
                guard let hour = lane.hour, hour.hoursSinceEpoch < oldestFollowed, lane.idleSince != nil,
                      lane.queuedRecordCount == 0, lane.name.hasPrefix(directory.directory.root) else { return false }
                closedLaneBytes += lane.bytesRead
                lane.follower?.close()
                directory.retired.append((BlobDirectory.Blob(path: lane.name, hour: hour), lane.checkpoint))
                return true
            }
        }
    }

    /// Re-opens retired blobs that grew (Azure appends to an hour's blob after the hour); forgets
    /// those older than `blobRecheckHours` behind the newest blob, in the tree's list of paths too.
    private func recheckRetiredBlobs(of directory: DirectorySource) {
        let oldestRechecked = directory.newestHour - configuration.blobRecheckHours
        directory.retired.removeAll { blob, checkpoint in
            guard let hour = blob.hour, hour.hoursSinceEpoch >= oldestRechecked else { return true }
            let size = Self.size(of: blob.path)
            guard size > (checkpoint?.offset ?? 0) else { return false }
            if let checkpoint {
                resumePoints[blob.path] = checkpoint
                resumedLines.remove(blob.path)
            }
            addFileLane(
                path: blob.path, hour: hour, start: .beginning, keepsFileOpen: false, chunkSize: min(configuration.chunkSize, 256 << 10))
            return true
        }
        if oldestRechecked > Int.min / 2 { directory.directory.forgetHours(before: oldestRechecked) }
    }

    // MARK: - Batches and positions

    /// Sends what is pending (waiting for the consumer to take it) with the positions it
    /// reaches. One send at a time, so batches arrive in the order their positions are logged.
    private func flush() async {
        guard !isSending else { return }
        isSending = true
        defer { isSending = false }
        while !pending.isEmpty {
            let batch = pending
            pending = EventBatch()
            sentBatchCount += 1
            sentEventCount += batch.events.count
            let number = sentBatchCount
            let positions = changedPositions
            changedPositions = [:]
            logPositions(positions, ofBatch: number)
            await batches.send(batch)
        }
    }

    /// The line number to count from in `name` opened at `offset`, and the events of the
    /// record text there already handed on: the checkpoint's when the file resumes there
    /// (once), else line 1 and none.
    private func resumePoint(of name: String, openedAt offset: Int64) -> (line: Int, skipEvents: Int) {
        guard let saved = resumePoints[name], saved.offset == offset, resumedLines.insert(name).inserted else { return (1, 0) }
        return (saved.line, saved.skipEvents)
    }

    private func report(_ error: IngestionError, source: String? = nil) {
        pending.problems.append(InputProblem(source: source ?? error.path, line: 0, reason: error.reason))
    }
}
