#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AsyncAlgorithms
import Synchronization

/// Owns the sources (files, directory trees of blobs, stdin), reads them, decodes their
/// records and hands the events to one consumer in batches, with back-pressure.
///
/// Contract:
/// - `batches` carries every event and input problem exactly once, in source order (a file's
///   records in file order; a directory's blobs in hour order, all of hour 10 across vaults
///   before hour 11); a batch holds up to about `batchSize` events and is sent as soon as that
///   many are pending, and at the end of every poll round that read something. `send` waits
///   until the consumer takes the batch: a slow consumer slows the reader, nothing is dropped,
///   and at most about two batches' worth of events are in memory per reading task.
/// - `run(mode:)` reads; when it returns (all sources read in `.readToEnd`; cancelled in
///   `.follow`, or every source was a stream that ended) `batches` is finished, so the
///   consumer's `for await` loop ends. Call `run` once.
/// - Opening errors are thrown before anything is read, by `init(paths:…)`
///   (`IngestionSource.resolve`). During a run nothing throws: a file that disappears is
///   waited for (`tail -F`), and read errors become `InputProblem`s (line 0) in the batches.
/// - Problems name the source as the user gave it (for a blob: root as given + path in tree).
/// - `checkpoints(throughBatch:)` says where to resume once the consumer has dealt with the
///   first `n` batches.
///
/// - Important: an actor; its blocking reads are on regular files (which do not block for
///   long) and streams are read on a thread of their own (`StreamReader`). Events of a stream
///   and of the polled files are interleaved in follow mode.
public actor Ingestor {
    public enum Mode: Sendable, Hashable {
        /// Read every source once, in the order given, to its current end, then finish (`detect`).
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
        /// Bytes per read.
        public var chunkSize: Int
        /// Positions saved by an earlier run (`checkpoints(throughBatch:)`), by path.
        public var checkpoints: [FileFollower.Checkpoint]
        /// In follow mode, hourly blobs more than this many hours older than the newest blob of
        /// their tree stop being watched once they stop growing.
        public var blobFollowWindowHours: Int

        public init(
            start: FileFollower.StartPosition = .beginning, pollInterval: Duration = .milliseconds(250),
            directoryScanInterval: Duration = .seconds(5), batchSize: Int = 4096, chunkSize: Int = 1 << 20,
            checkpoints: [FileFollower.Checkpoint] = [], blobFollowWindowHours: Int = 2
        ) {
            self.start = start
            self.pollInterval = pollInterval
            self.directoryScanInterval = directoryScanInterval
            self.batchSize = max(batchSize, 1)
            self.chunkSize = max(chunkSize, 1)
            self.checkpoints = checkpoints
            self.blobFollowWindowHours = blobFollowWindowHours
        }
    }

    /// The batches, for one consumer.
    public nonisolated let batches = AsyncChannel<EventBatch>()
    public nonisolated let sources: [IngestionSource]
    private let symbols: SymbolTable
    private let configuration: Configuration
    private let savedCheckpoints: [String: FileFollower.Checkpoint]

    private enum State {
        case idle
        case running
        case finished
    }

    private var state = State.idle
    /// Events and problems read but not sent yet.
    private var pending = EventBatch()
    /// Set while one hour's blobs are read into a single batch (`readHour`).
    private var isMergingHour = false
    private var sentBatchCount = 0
    private var sentEventCount = 0
    private var bytesRead: Int64 = 0
    /// Positions that changed since the last batch was sent.
    private var changedPositions: [String: FileFollower.Checkpoint] = [:]
    /// Files whose first open took its line number from a saved checkpoint.
    private var resumedLines: Set<String> = []
    private let checkpointLog = Mutex(CheckpointLog())
    /// What follow mode polls, in the order given.
    private var followedFiles: [FollowedFile] = []
    private var followedDirectories: [FollowedDirectory] = []

    /// A file (or blob) being read, with the decoder of its current contents.
    private final class FollowedFile {
        let name: String
        let follower: FileFollower
        /// The line number at the checkpoint's offset, kept when the reader is let go.
        var nextLine = 1
        let hour: BlobDirectory.Hour?
        var reader: SourceReader?

        init(name: String, follower: FileFollower, hour: BlobDirectory.Hour? = nil) {
            self.name = name
            self.follower = follower
            self.hour = hour
        }
    }

    /// A directory tree being followed.
    private final class FollowedDirectory {
        var directory: BlobDirectory
        var blobs: [FollowedFile] = []
        var lastScan: ContinuousClock.Instant
        var reportedErrors: Set<IngestionError> = []

        init(root: String, lastScan: ContinuousClock.Instant) {
            directory = BlobDirectory(root: root)
            self.lastScan = lastScan
        }
    }

    /// How many recent batches' positions are kept apart until the consumer acknowledges them.
    private static let retainedCheckpointBatches = 256

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
        self.savedCheckpoints = saved
    }

    /// Counts for the summary and for tests of back-pressure.
    public struct Statistics: Sendable, Hashable {
        public var batchesSent: Int
        public var eventsSent: Int
        /// Bytes read from every source so far (decoded or pending).
        public var bytesRead: Int64
    }

    public var statistics: Statistics {
        Statistics(batchesSent: sentBatchCount, eventsSent: sentEventCount, bytesRead: bytesRead)
    }

    /// Where to resume each file and blob once the consumer has dealt with the first
    /// `batchCount` batches (counting from 1): the offset of the first byte of the first record
    /// not in them (records held partial are read again on resume; line numbers then count
    /// from the resume offset). Streams have no checkpoints. Thread-safe; call it from the
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
        switch mode {
        case .readToEnd: await readToEnd()
        case .follow: await follow()
        }
        await flush()
        state = .finished
        batches.finish()
    }

    // MARK: - Read to end

    private func readToEnd() async {
        for source in sources {
            if Task.isCancelled { return }
            switch source {
            case .file(let path):
                await readWhole(path: path, hour: nil)
            case .directory(let path):
                let directory = BlobDirectory(root: path)
                do {
                    let blobs = try directory.scan()
                    var start = 0
                    while start < blobs.count {
                        if Task.isCancelled { return }
                        var end = start + 1
                        if let hour = blobs[start].hour {
                            while end < blobs.count, blobs[end].hour == hour { end += 1 }
                        }
                        await readHour(blobs[start..<end])
                        start = end
                    }
                } catch {
                    report(error)
                }
            case .stream(let path):
                await pump(stream(for: path), flushingEachChunk: false)
            }
        }
    }

    /// Reads one hour's blobs (one per vault) and sends their events as one batch in record-time
    /// order, so a history replays across vaults in the order it happened (each blob alone is
    /// already in time order). The batch carries every blob's position at its end, so
    /// checkpoints stay exact. An hour of more than `maximumMergedEvents` goes in pieces, each in
    /// time order, to keep memory bounded.
    private func readHour(_ blobs: ArraySlice<BlobDirectory.Blob>) async {
        guard blobs.count > 1 else {
            if let blob = blobs.first { await readWhole(path: blob.path, hour: blob.hour) }
            return
        }
        await flush()  // what came before this hour is sent before it
        isMergingHour = true
        for blob in blobs {
            if Task.isCancelled { break }
            await readWhole(path: blob.path, hour: blob.hour)
        }
        isMergingHour = false
        sortPendingByTime()
        await flush()
    }

    /// Stable: records of the same time keep their blob order (vault path), then file order.
    private func sortPendingByTime() {
        let events = pending.events
        guard events.count > 1 else { return }
        let order = events.indices.sorted { (events[$0].time, $0) < (events[$1].time, $1) }
        pending.events = order.map { events[$0] }
    }

    /// Events held while an hour's blobs are merged before the hour is sent in pieces.
    static let maximumMergedEvents = 1 << 20

    private func readWhole(path: String, hour: BlobDirectory.Hour?) async {
        let file = FollowedFile(
            name: path, follower: FileFollower(path: path, resumingFrom: savedCheckpoints[path], chunkSize: configuration.chunkSize),
            hour: hour)
        _ = await drain(file, reportsMissing: true)
        file.reader?.finish(into: &pending)
        file.reader = nil
        remember(file)
        file.follower.close()
    }

    // MARK: - Follow

    private func follow() async {
        let now = ContinuousClock.now
        var files: [FollowedFile] = []
        var directories: [FollowedDirectory] = []
        var streams: [StreamReader] = []
        for source in sources {
            switch source {
            case .file(let path):
                files.append(FollowedFile(name: path, follower: followerForPath(path, start: configuration.start, keepsFileOpen: true)))
            case .directory(let path):
                let directory = FollowedDirectory(root: path, lastScan: now)
                discoverBlobs(in: directory, start: configuration.start)
                directories.append(directory)
            case .stream(let path):
                streams.append(stream(for: path))
            }
        }
        followedFiles = files
        followedDirectories = directories
        let pollsFiles = !files.isEmpty || !directories.isEmpty
        await withTaskGroup(of: Void.self) { group in
            for stream in streams {
                group.addTask { await self.pump(stream, flushingEachChunk: true) }
            }
            if pollsFiles {
                group.addTask { await self.pollLoop() }
            }
            await group.waitForAll()
        }
    }

    private func pollLoop() async {
        while !Task.isCancelled {
            var readAny = false
            for file in followedFiles where await drain(file, reportsMissing: false) {
                readAny = true
            }
            for directory in followedDirectories where await poll(directory) {
                readAny = true
            }
            await flush()
            if !readAny {
                do { try await Task.sleep(for: configuration.pollInterval) } catch { return }
            }
        }
    }

    /// Lists the tree again when it is time, then reads every followed blob to its end, in order.
    private func poll(_ directory: FollowedDirectory) async -> Bool {
        let now = ContinuousClock.now
        if now - directory.lastScan >= configuration.directoryScanInterval {
            directory.lastScan = now
            discoverBlobs(in: directory, start: .beginning)
        }
        var readAny = false
        var idle: Set<String> = []
        for blob in directory.blobs {
            if Task.isCancelled { return readAny }
            if await drain(blob, reportsMissing: false) { readAny = true } else { idle.insert(blob.name) }
        }
        retireOldBlobs(of: directory, idle: idle)
        return readAny
    }

    private func discoverBlobs(in directory: FollowedDirectory, start: FileFollower.StartPosition) {
        let (fresh, errors) = directory.directory.scanForNewFiles()
        for error in errors where !directory.reportedErrors.contains(error) {
            report(error)
        }
        directory.reportedErrors = Set(errors)
        guard !fresh.isEmpty else { return }
        for blob in fresh {
            directory.blobs.append(FollowedFile(
                name: blob.path, follower: followerForPath(blob.path, start: start, keepsFileOpen: false), hour: blob.hour))
        }
        directory.blobs.sort { BlobDirectory.Blob(path: $0.name, hour: $0.hour) < BlobDirectory.Blob(path: $1.name, hour: $1.hour) }
    }

    /// Stops watching hourly blobs well behind the newest one that did not grow this round:
    /// their hour is over, and polling thousands of them each round would cost more than it
    /// finds. A record appended to one later than that is not read.
    private func retireOldBlobs(of directory: FollowedDirectory, idle: Set<String>) {
        guard let newest = directory.blobs.compactMap({ $0.hour?.hoursSinceEpoch }).max() else { return }
        let oldestFollowed = newest - configuration.blobFollowWindowHours
        directory.blobs.removeAll { blob in
            guard let hour = blob.hour, hour.hoursSinceEpoch < oldestFollowed, idle.contains(blob.name) else { return false }
            blob.reader?.finish(into: &pending)
            blob.reader = nil
            remember(blob)
            blob.follower.close()
            return true
        }
    }

    private func followerForPath(_ path: String, start: FileFollower.StartPosition, keepsFileOpen: Bool) -> FileFollower {
        FileFollower(
            path: path, start: start, resumingFrom: savedCheckpoints[path], chunkSize: configuration.chunkSize,
            keepsFileOpen: keepsFileOpen)
    }

    // MARK: - Reading

    /// Reads `file` to its current end, sending batches as they fill. Returns whether any
    /// bytes were read.
    private func drain(_ file: FollowedFile, reportsMissing: Bool) async -> Bool {
        var readAny = false
        while !Task.isCancelled {
            var readData = false
            let changes = file.follower.poll()
            if changes.isEmpty { break }
            for change in changes {
                switch change {
                case .opened(let offset):
                    file.reader?.finish(into: &pending)
                    file.reader = SourceReader(sourceName: file.name, symbols: symbols, firstLine: firstLine(of: file.name, openedAt: offset))
                case .openedRotated(let rotatedPath, let offset):
                    // A rotated generation's records are reported under its own name.
                    file.reader?.finish(into: &pending)
                    file.reader = SourceReader(sourceName: rotatedPath, symbols: symbols, firstLine: firstLine(of: file.name, openedAt: offset))
                case .data(let bytes):
                    if file.reader == nil { file.reader = SourceReader(sourceName: file.name, symbols: symbols) }
                    bytes.withUnsafeBytes { file.reader?.consume($0, into: &pending) }
                    bytesRead += Int64(bytes.count)
                    readData = true
                case .truncated:
                    file.reader?.restart()
                case .rotated:
                    file.reader?.finish(into: &pending)
                    file.reader = nil
                case .missing:
                    file.reader?.finish(into: &pending)
                    file.reader = nil
                    if reportsMissing { report(.missing(path: file.name)) }
                case .unreadable(let error):
                    report(error, source: file.name)
                case .lost(let loss):
                    pending.report(InputProblem(source: file.name, line: 0, reason: loss.summary, severity: .lost))
                }
            }
            remember(file)
            if isMergingHour {
                if pending.events.count >= Self.maximumMergedEvents {
                    sortPendingByTime()
                    await flush()
                }
            } else if pending.events.count >= configuration.batchSize {
                await flush()
            }
            guard readData else { break }
            readAny = true
        }
        return readAny
    }

    /// Reads a stream to its end. In follow mode each chunk is sent as soon as it is decoded
    /// (a quiet pipe's lines arrive promptly); else batches fill to `batchSize`.
    private func pump(_ stream: StreamReader, flushingEachChunk: Bool) async {
        stream.start()
        defer { stream.stop() }
        var reader = SourceReader(sourceName: stream.name, symbols: symbols)
        do {
            for try await chunk in stream.chunks {
                decode(chunk, with: &reader)
                if flushingEachChunk || pending.events.count >= configuration.batchSize { await flush() }
            }
        } catch let error as IngestionError {
            report(error, source: stream.name)
        } catch {
            report(.unreadable(path: stream.name, reason: "\(error)"), source: stream.name)
        }
        guard !Task.isCancelled else { return }
        reader.finish(into: &pending)
        if flushingEachChunk { await flush() }
    }

    private func decode(_ bytes: [UInt8], with reader: inout SourceReader) {
        bytesRead += Int64(bytes.count)
        bytes.withUnsafeBytes { reader.consume($0, into: &pending) }
    }

    private func stream(for path: String) -> StreamReader {
        path == "-"
            ? StreamReader.standardInput(chunkSize: configuration.chunkSize)
            : StreamReader(name: path, chunkSize: configuration.chunkSize)
    }

    // MARK: - Batches and positions

    /// Sends what is pending (waiting for the consumer to take it) with the positions it reaches.
    private func flush() async {
        guard !pending.isEmpty else { return }
        let batch = pending
        pending = EventBatch()
        sentBatchCount += 1
        sentEventCount += batch.events.count
        let number = sentBatchCount
        let positions = changedPositions
        changedPositions = [:]
        checkpointLog.withLock { log in
            log.deltas.append((number, positions))
            // A consumer that never asks must not make the log grow without end. Batches this
            // far back were taken long ago (one consumer takes them in turn), so their
            // positions count as acknowledged.
            while log.deltas.count > Self.retainedCheckpointBatches {
                log.acknowledged.merge(log.deltas.removeFirst().positions) { _, new in new }
            }
        }
        await batches.send(batch)
    }

    /// The line number to count from in `name` opened at `offset`: the saved checkpoint's line
    /// when the file resumes there (once), else 1.
    private func firstLine(of name: String, openedAt offset: Int64) -> Int {
        guard offset > 0, let saved = savedCheckpoints[name], saved.offset == offset,
              resumedLines.insert(name).inserted else { return 1 }
        return saved.line
    }

    /// Notes where `file` should resume: after its last complete record (bytes held by its
    /// decoder are read again on resume).
    private func remember(_ file: FollowedFile) {
        guard var checkpoint = file.follower.checkpoint else { return }
        checkpoint.offset = max(0, checkpoint.offset - Int64(file.reader?.heldByteCount ?? 0))
        if let reader = file.reader { file.nextLine = reader.nextLineNumber }
        checkpoint.line = file.nextLine
        changedPositions[file.name] = checkpoint
    }

    private func report(_ error: IngestionError, source: String? = nil) {
        pending.problems.append(InputProblem(source: source ?? error.path, line: 0, reason: error.reason))
    }
}
