/// One source in the `Ingestor`'s merge (a file, a blob or a stream) with the records it has
/// read and decoded but not yet handed on, each with the position just after it.
///
/// The merge takes records from the front of the lane whose next record is the earliest;
/// meanwhile the lane may read ahead. Records keep their boundaries (`SourceReader`'s
/// `RecordBoundary`): the checkpoint of a lane is the position after the last record handed
/// on, never after what was only read ahead, so a restart neither loses nor repeats a record.
///
/// The events of one record text (an envelope `{"records":[…]}`, a Log Analytics array) are
/// handed on one at a time, each by its own time, so the stream's clock never jumps to the last
/// of them; a position inside a record text is its start and the events already handed on
/// (`FileFollower.Checkpoint.skipEvents`), which a resume leaves out.
///
/// Each record gets a verdict from `ClockLimits` before it can be handed on: accepted, or a
/// spike (out of range). A record far from its predecessor waits for the next record of the
/// lane to tell a spike from a real gap.
///
/// - Important: not thread-safe; owned by the `Ingestor` actor.
final class SourceLane {
    enum Input {
        case file(FileFollower)
        case stream(StreamReader)
    }

    enum Verdict {
        case undecided
        case accepted
        /// Far from both neighbours, which agree with each other: a broken clock.
        case spike
        /// One of a stretch of records stamped hours ahead of the records before it, after which
        /// the source comes back by about as much: a clock set wrong, then corrected.
        case shifted
    }

    /// One record text decoded: its events and problems in `decoded`, where reading resumes
    /// after it, the time it is merged by (its earliest plausible event; nil when it has none),
    /// and its verdict.
    struct Record {
        var eventEnd: Int
        var problemEnd: Int
        /// Where reading resumes after the record text: the number of the lane's checkpoint
        /// template for the chunk the record was read in (-1: none, a stream's record or a
        /// problem about the source) moved to `endOffset` and `endLine` (`checkpoint(ofRecord:)`).
        /// Numbers only: a checkpoint per record (~190 bytes with a path and a clock) made every
        /// record cost a retain when read and a release when dropped, most of the merge's time.
        var checkpointTemplate = -1
        var endOffset: Int64 = 0
        var endLine = 1
        /// Whether the record has a checkpoint.
        var hasCheckpoint: Bool { checkpointTemplate >= 0 }
        /// Where the record text starts (offset, line) and the events of it a resume left out:
        /// a position inside it is the checkpoint moved there (numbers only, no second copy of
        /// the checkpoint's path per record).
        var startOffset: Int64 = 0
        var startLine = 1
        var skippedEvents = 0
        var time: EventTime?
        var verdict = Verdict.undecided
        /// For a `.shifted` record: how far ahead its stretch was stamped.
        var shift = EventTime.Duration(ticks: 0)
        /// False for a problem about the source itself (missing, unreadable), which is
        /// reported but not counted as a malformed record.
        var countsProblems = true
        /// A step forward of an hour or more to this record that the end of the input left
        /// untold (no record after it yet to tell a quiet spell from a clock set ahead): taken as
        /// right, and said so when the record is handed on (`handFront`).
        var untoldStep: EventTime.Duration?
        /// The verdict of the records from this one on was given because the input ended before
        /// the records after them could tell (a stretch, its end, or a step left untold): a run
        /// reading on from a state file decides them again (`EventBatch.endOfInputDecides`).
        var decidedByTheEndOfTheInput = false
    }

    /// Where a file resumes (a checkpoint's): the line number there, the events of the record
    /// text there already handed on, the source's clock there, and how far the runs before read
    /// and counted it (`Checkpoint.readThrough`).
    struct ResumePoint {
        var line = 1
        var skipEvents = 0
        var clock: SourceClock?
        var readThrough: Int64?
    }

    /// What one `fill` found.
    enum Fill {
        case data
        /// Nothing new for now (follow mode).
        case nothing
        /// The input is over (read to end, or the stream ended).
        case ended
    }

    let name: String
    let input: Input
    /// The hour a blob's path names (nil for other files and streams).
    let hour: BlobDirectory.Hour?
    /// Breaks ties in time: the order the lane was opened in (command line, then tree order).
    let order: Int
    var reader: SourceReader?
    // What the merge touches for every record and event is `@exclusivity(unchecked)`: Swift
    // checks each access to a class's stored property at run time (a few per event here, ~2% of
    // a `detect` run with the thread-local look-ups they make). They have nothing to find: the
    // lane is owned by the `Ingestor` actor, which serialises every access, and no access
    // overlaps another to the same property (`handFront` reads `decoded` and `records` and
    // writes the caller's batch). Keep it so when changing these methods.
    /// Decoded and not yet handed on, from `records[front]` on.
    @exclusivity(unchecked) var decoded = EventBatch()
    @exclusivity(unchecked) var records: [Record] = []
    @exclusivity(unchecked) var front = 0
    /// Where the front record's events and problems start in `decoded`.
    @exclusivity(unchecked) var eventStart = 0
    @exclusivity(unchecked) var problemStart = 0
    /// `records[..<decided]` have a verdict.
    @exclusivity(unchecked) var decided = 0
    /// The time of the last accepted record, in source order: the lane's own clock.
    var lastAcceptedTime: EventTime?
    /// The latest time among the accepted records: how far the source had reached, which
    /// `lastAcceptedTime` goes back from when records delivered late are accepted after it.
    var furthestAcceptedTime: EventTime?

    /// Takes `time` as the lane's clock, a record's taken as right.
    private func accept(_ time: EventTime) {
        lastAcceptedTime = time
        if furthestAcceptedTime.map({ time > $0 }) ?? true { furthestAcceptedTime = time }
    }
    /// The time of the last event handed on (what a quiet lane holds the merge back to).
    @exclusivity(unchecked) var lastHandedTime: EventTime?
    var isAtEnd = false
    /// Since when the lane's source has written nothing (follow mode), nil while it has input:
    /// what the merge holds the others back for it by (`quietSince`).
    var idleSince: ContinuousClock.Instant?

    /// Since when the source has written nothing, once a poll found nothing new: its file's
    /// modification time (its last write), brought to the monotonic clock `now`; `now` for a
    /// stream, or a file modified later than the machine's clock says (another machine's). Not
    /// when the merge reached its end: following files written before the reading started (a
    /// backlog caught up with), each quiet source then held the merge for a hold of its own, in
    /// turn, 2 seconds per source (stop 28's follow pass); a tree's hourly blobs alike (the blobs
    /// of its last hours, still polled, held it in turn: a tenant's last 155 records after 10
    /// seconds). A blob's hold no longer has to hand control back to the poll loop so that it
    /// retires the blobs whose hour is over: the merge retires them as it finds them idle
    /// (`Ingestor.retireIfIdleBlob`).
    func quietSince(now: ContinuousClock.Instant) -> ContinuousClock.Instant {
        guard case .file(let follower) = input, let modified = follower.modified else { return now }
        // The machine's real-time clock (a file's modification time is on it), in nanoseconds.
        let wall = Ingestor.systemWallClock().ticks &* (1_000_000_000 / EventTime.ticksPerSecond)
        let quiet = wall &- modified
        return quiet > 0 ? now - .nanoseconds(quiet) : now
    }
    /// The position after the last record handed on, or inside the front record when only
    /// some of its events were.
    ///
    /// Read once per run of records the merge hands on, but moved by every record: the record
    /// handed last is noted (`handedRecord`), and its checkpoint, with the lane's clock, is
    /// copied out only when read, or before the clock or the records change. Copying it at
    /// each record (a checkpoint of ~190 bytes with a path and a clock, out of a record of
    /// ~270) was most of the merge's time (`memmove`, retain and release, ~3.5% of a run).
    var checkpoint: FileFollower.Checkpoint? {
        get {
            settleCheckpoint()
            return settledCheckpoint
        }
        set {
            handedRecord = nil
            settledCheckpoint = newValue
        }
    }
    @exclusivity(unchecked) private var settledCheckpoint: FileFollower.Checkpoint?

    /// Where reading of the lane stands once it has handed on all it read (closed at its end):
    /// `checkpoint`, or, for a lane that handed on no record in this run (a file resumed at its
    /// end with nothing new), the follower's position with its line and the clock the lane
    /// resumed with. A position saved again keeps its source's clock: before, such a lane saved
    /// the follower's position bare, and the next run judged that source's first records knowing
    /// nothing of its clock (lateness, a stretch stamped ahead).
    var closingCheckpoint: FileFollower.Checkpoint? {
        if let checkpoint { return checkpoint }
        guard var position = follower?.checkpoint else { return nil }
        position.line = reader?.nextLineNumber ?? 1
        position.clock = handedClock.isEmpty ? nil : handedClock
        position.readThrough = readThrough(beyond: position.offset)
        return position
    }
    /// The record whose checkpoint, with `handedClock` as it is now, is `checkpoint`: an index
    /// in `records`, which keeps it until `settleCheckpoint()` (before the records are dropped
    /// or `handedClock` changes).
    @exclusivity(unchecked) private var handedRecord: Int?

    /// Copies the checkpoint of `handedRecord` out, with the clock as it is now.
    private func settleCheckpoint() {
        guard let index = handedRecord else { return }
        handedRecord = nil
        if var after = checkpoint(ofRecord: index) {
            after.clock = handedClock.isEmpty ? nil : handedClock
            after.readThrough = readThrough(beyond: after.offset)
            settledCheckpoint = after
        }
    }

    /// Records of the file resumed that start before this byte were read and counted by the runs
    /// before (`Checkpoint.readThrough`): they are handed on marked read again
    /// (`EventBatch.readAgain`), not reported late again, their own problems not reported again.
    /// Nil without one, and once the lane reads another file (rotated, truncated).
    private var readAgainBelow: Int64?
    /// The run of late records in progress began with records read again (`noteLateness`): the
    /// run before reported those; this run reports only the rest, when it ends: the first of
    /// them, how many, and how far behind.
    private var lateRunAfterReadAgain: (firstLine: Int?, count: Int, mostBehind: Int64)?

    /// How far the runs before read the file, kept in the lane's positions while they are
    /// behind it, so that a save before the lane reads past it (a kill, a cut again) keeps it.
    private func readThrough(beyond offset: Int64) -> Int64? {
        guard let below = readAgainBelow, below > offset else { return nil }
        return below
    }
    /// The checkpoints of the chunks the records were read in (`Record.checkpointTemplate`),
    /// one a chunk, from number `droppedTemplates` on; dropped with the records that use them.
    private var checkpointTemplates: [FileFollower.Checkpoint] = []
    private var droppedTemplates = 0

    /// Where reading resumes after record `index`: its chunk's checkpoint moved after it.
    private func checkpoint(ofRecord index: Int) -> FileFollower.Checkpoint? {
        let number = records[index].checkpointTemplate
        guard number >= 0 else { return nil }
        var after = checkpointTemplates[number - droppedTemplates]
        after.offset = records[index].endOffset
        after.line = records[index].endLine
        after.skipEvents = 0
        return after
    }

    /// Drops the checkpoint templates no record from `records[0]` on uses.
    private func dropUnusedTemplates() {
        let firstUsed = records.first(where: { $0.checkpointTemplate >= 0 })?.checkpointTemplate ?? droppedTemplates + checkpointTemplates.count
        checkpointTemplates.removeFirst(firstUsed - droppedTemplates)
        droppedTemplates = firstUsed
    }

    /// Events of the front record handed on (counting those a resume left out).
    @exclusivity(unchecked) private var frontHanded = 0
    /// Where the reader's last record text ended (its next one starts there): offset and line.
    private var readerPosition: (offset: Int64, line: Int)?
    /// Events of the first record text after a resume that were handed on before the restart.
    private var eventsToSkip = 0
    /// Bytes read from the input.
    var bytesRead: Int64 = 0
    /// The lane's clock as of its checkpoint (the records handed on): what a run resumed there
    /// judges the next records against. `lastAcceptedTime` runs ahead of it (records are given
    /// their verdict when read); the late run is the one in progress.
    @exclusivity(unchecked) private(set) var handedClock = SourceClock()
    /// A stretch stamped ahead that a resumed run is inside (`SourceClock.stretchShift`): the
    /// records read from the checkpoint on belong to it until the source steps back.
    private var resumedStretchShift: EventTime.Duration?
    /// The time of the last record the run that saved the checkpoint took as right, until the
    /// first record after the resume is handed on: a step back from it that makes that record
    /// late is said to be maybe the end of a stretch that run could not tell (`noteLateness`).
    private var resumedLastAccepted: EventTime?
    /// Records from the first undecided one on when `shiftedStretch` last found too few to tell
    /// (compaction keeps the difference): it is not looked through again until more are read.
    private var unknownStretchLength: Int?

    /// Told where the lines of a file lane start as they are read (`RecordFinder.noteLineStart`):
    /// evidence records are then found again without counting lines from the file's start.
    let lineStarts: RecordFinder?
    /// The line of the last start told to `lineStarts` (a line before it: the file was read again).
    private var lastLineStartNoted = Int.min / 2

    init(name: String, input: Input, hour: BlobDirectory.Hour?, order: Int, lineStarts: RecordFinder? = nil) {
        self.name = name
        self.input = input
        self.hour = hour
        self.order = order
        self.lineStarts = lineStarts
    }

    var follower: FileFollower? {
        if case .file(let follower) = input { return follower }
        return nil
    }

    /// The next record to hand on, once it has a verdict.
    var head: Record? { front < decided ? records[front] : nil }

    /// Whether the next record has its verdict (`head` without copying the record: its
    /// checkpoint holds a path, and the merge asks this for every record).
    var hasHead: Bool { front < decided }
    /// The merge time and verdict of `head`; only while `hasHead`.
    var headTime: EventTime? { records[front].time }
    var headVerdict: Verdict { records[front].verdict }

    /// Records read but not handed on.
    var queuedRecordCount: Int { records.count - front }

    /// Whether the next record's verdict is one the end of the input gave
    /// (`Record.decidedByTheEndOfTheInput`).
    var headIsDecidedByTheEndOfTheInput: Bool { front < decided && records[front].decidedByTheEndOfTheInput }

    /// Everything read has been handed on and there is nothing more to read.
    var isDrained: Bool { isAtEnd && front == records.count }

    // MARK: - Reading

    /// Polls the file once (up to one chunk of data) and decodes what it read.
    /// - Parameters:
    ///   - readsToEnd: at the end of the file the lane is over (else it waits for appends).
    ///   - resumePoint: the line number to count from when the file is opened at an offset, and
    ///     the events of the record text there already handed on (a checkpoint's).
    func fill(
        symbols: SymbolTable, readsToEnd: Bool, reportsMissing: Bool, limits: ClockLimits, wallClock: EventTime,
        resumePoint: (Int64) -> ResumePoint
    ) -> Fill {
        guard case .file(let follower) = input else { return isAtEnd ? .ended : .nothing }
        compact()
        while true {
            let before = follower.checkpoint
            let changes = follower.poll()
            if let found = apply(
                changes, before: before, after: follower.checkpoint, decodedAhead: nil, symbols: symbols, readsToEnd: readsToEnd,
                reportsMissing: reportsMissing, limits: limits, wallClock: wallClock, resumePoint: resumePoint)
            {
                return found
            }
        }
    }

    /// `fill`, starting from the polls a `LaneReadAhead` made (and the chunks it decoded), in
    /// order, as if the lane had made them: takes the reader back once the job is over, applies
    /// the polls, then polls on as `fill` does if they found neither data nor the end. While the
    /// job goes on, the polls taken are decoded chunks only, which touch neither the follower nor
    /// the reader (the job's until it is over).
    func fill(
        after taken: LaneReadAhead.Taken, symbols: SymbolTable, readsToEnd: Bool, reportsMissing: Bool, limits: ClockLimits,
        wallClock: EventTime, resumePoint: (Int64) -> ResumePoint
    ) -> Fill {
        if taken.isOver { reader = taken.reader }
        compact()
        var found: Fill?
        for poll in taken.polls {
            if let fill = apply(
                poll.changes, before: poll.before, after: poll.after, decodedAhead: poll.decoded, symbols: symbols,
                readsToEnd: readsToEnd, reportsMissing: reportsMissing, limits: limits, wallClock: wallClock,
                resumePoint: resumePoint)
            {
                found = fill
            }
        }
        if let found { return found }
        // Polling on is the lane's only once the job is over (while it goes on, each poll it
        // hands out is a decoded chunk, so this is not reached then).
        guard taken.isOver else { return .nothing }
        return fill(
            symbols: symbols, readsToEnd: readsToEnd, reportsMissing: reportsMissing, limits: limits, wallClock: wallClock,
            resumePoint: resumePoint)
    }

    /// Starts polling and decoding the lane's next chunks on another thread: the lane gives its
    /// reader to the returned job and must not be filled but from its polls (`fill(after:…)`)
    /// until the job is over and gives the reader back. Nil for a stream, and for a lane at its end.
    /// - Parameter runsAtLowerPriority: the job's threads lower their priority (`ThreadPriority`).
    func readAhead(runsAtLowerPriority: Bool = false) -> LaneReadAhead? {
        guard case .file(let follower) = input, !isAtEnd else { return nil }
        let ahead = LaneReadAhead(follower: follower, reader: reader, runsAtLowerPriority: runsAtLowerPriority)
        reader = nil
        return ahead
    }

    /// Applies what one poll of the follower found: starts, finishes and restarts the decoder,
    /// decodes the data (or takes the chunk `decodedAhead` already decoded, see `LaneReadAhead`),
    /// and reports problems. `before` and `after` are the follower's checkpoints around the poll
    /// (a read-ahead's follower may have polled again since). Nil when it found neither data nor
    /// the end: poll again.
    func apply(
        _ changes: [FileFollower.Change], before: FileFollower.Checkpoint?, after: FileFollower.Checkpoint?,
        decodedAhead: LaneReadAhead.Decoded?,
        symbols: SymbolTable, readsToEnd: Bool, reportsMissing: Bool, limits: ClockLimits, wallClock: EventTime,
        resumePoint: (Int64) -> ResumePoint
    ) -> Fill? {
        guard case .file(let follower) = input else { return isAtEnd ? .ended : .nothing }
        if changes.isEmpty {
            if readsToEnd {
                // The file's writer may still complete its last line: a later run reads it.
                finishReader(template: after, forNow: true, limits: limits, wallClock: wallClock)
                isAtEnd = true
                return .ended
            }
            return .nothing
        }
        // Data read before a rotation or truncation in this poll belongs to the file as it
        // was before the poll; the rest to the file now open.
        let switches = changes.contains { change in
            switch change {
            case .opened, .openedRotated, .rotated, .truncated, .missing: return true
            case .data, .unreadable, .lost, .readAgain: return false
            }
        }
        var switched = false
        var readData = false
        for change in changes {
            let template = !switches || switched ? after : before
            switch change {
            case .opened(let offset):
                finishReader(template: before, limits: limits, wallClock: wallClock)
                startReader(
                    sourceName: name, symbols: symbols, offset: offset,
                    resumePoint: follower.takeResumption() ? resumePoint(offset) : ResumePoint())
                switched = true
            case .openedRotated(let rotatedPath, let offset):
                // A rotated generation's records are reported under its own name.
                finishReader(template: before, limits: limits, wallClock: wallClock)
                startReader(
                    sourceName: rotatedPath, symbols: symbols, offset: offset,
                    resumePoint: follower.takeResumption() ? resumePoint(offset) : ResumePoint())
                switched = true
            case .data(let bytes):
                if let decodedAhead {
                    // Decoded ahead by this lane's reader (`LaneReadAhead`): the poll's only data.
                    let boundaries = append(decodedAhead)
                    bytesRead += Int64(decodedAhead.byteCount)
                    collect(boundaries, template: template, limits: limits, wallClock: wallClock)
                    readData = true
                    continue
                }
                let dataOffset = follower.readOffset - Int64(bytes.count)
                if reader == nil {
                    startReader(sourceName: name, symbols: symbols, offset: dataOffset, resumePoint: ResumePoint())
                } else if let next = reader?.nextOffset, next < dataOffset, reader?.heldByteCount == 0 {
                    // The follower skipped a hole of zeros: the data starts further on.
                    reader?.skip(to: dataOffset)
                    readerPosition = (dataOffset, readerPosition?.line ?? 1)
                }
                bytes.withUnsafeBytes { reader?.consume($0, into: &decoded) }
                bytesRead += Int64(bytes.count)
                collect(template: template, limits: limits, wallClock: wallClock)
                readData = true
            case .truncated:
                reader?.restart()
                readerPosition = (0, 1)
                eventsToSkip = 0
                readAgainBelow = nil
                switched = true
            case .rotated:
                finishReader(template: before, limits: limits, wallClock: wallClock)
                reader = nil
                switched = true
            case .missing:
                finishReader(template: before, limits: limits, wallClock: wallClock)
                reader = nil
                switched = true
                if reportsMissing { report(IngestionError.missing(path: name)) }
                if readsToEnd {
                    isAtEnd = true
                    return .ended
                }
            case .unreadable(let error):
                report(error)
            case .lost(let loss):
                report(InputProblem(source: name, line: 0, reason: loss.summary, severity: .lost))
            case .readAgain(let again):
                report(InputProblem(source: name, line: 0, reason: again.summary))
            }
        }
        if readData {
            idleSince = nil
            return .data
        }
        return nil
    }

    /// A fresh decoder for the file opened at `offset`.
    private func startReader(sourceName: String, symbols: SymbolTable, offset: Int64, resumePoint: ResumePoint) {
        reader = SourceReader(
            sourceName: sourceName, symbols: symbols, firstLine: resumePoint.line, firstOffset: offset, notesBoundaries: true)
        readerPosition = (offset, max(1, resumePoint.line))
        // Where this reader's line numbers start, for the evidence finder: a file read again from
        // a checkpoint has its first chunk's records before that chunk's own mark (at its end),
        // and without this one each of their lookups counted every line before them.
        if let lineStarts, case .file = input {
            lineStarts.noteLineStart(path: name, line: max(1, resumePoint.line), offset: offset)
        }
        eventsToSkip = resumePoint.skipEvents
        readAgainBelow = resumePoint.readThrough
        if let clock = resumePoint.clock { resume(clock) }
    }

    /// Takes back the clock saved with the checkpoint the lane resumes at.
    private func resume(_ clock: SourceClock) {
        settleCheckpoint()
        handedClock = clock
        lastAcceptedTime = clock.lastAccepted.map(EventTime.init(ticks:))
        furthestAcceptedTime = (clock.furthestAccepted ?? clock.lastAccepted).map(EventTime.init(ticks:))
        resumedStretchShift = clock.stretchShift.map(EventTime.Duration.init(ticks:))
        resumedLastAccepted = lastAcceptedTime
        // A run of late records in progress here that the run before read on past (and so went on
        // with, ended and reported): only what this run adds to it is reported.
        if clock.lateRun != nil, readAgainBelow != nil { lateRunAfterReadAgain = (nil, 0, 0) }
    }

    /// Decodes a chunk of a stream.
    func absorb(_ bytes: [UInt8], symbols: SymbolTable, limits: ClockLimits, wallClock: EventTime) {
        compact()
        if reader == nil { reader = SourceReader(sourceName: name, symbols: symbols, notesBoundaries: true) }
        bytes.withUnsafeBytes { reader?.consume($0, into: &decoded) }
        bytesRead += Int64(bytes.count)
        idleSince = nil
        collect(template: nil, limits: limits, wallClock: wallClock)
    }

    /// The input is over: a held final record is decoded (or reported as truncated).
    func end(limits: ClockLimits, wallClock: EventTime) {
        finishReader(template: follower?.checkpoint, limits: limits, wallClock: wallClock)
        isAtEnd = true
    }

    /// Reports a reading problem in order with the records (line 0: it is about the source).
    func report(_ error: IngestionError) {
        report(InputProblem(source: name, line: 0, reason: error.reason))
    }

    /// Reports `problem` in order with the records; it is not counted as a malformed record.
    func report(_ problem: InputProblem) {
        compact()
        decoded.problems.append(problem)
        records.append(Record(eventEnd: decoded.events.count, problemEnd: decoded.problems.count, time: nil, countsProblems: false))
    }

    private func finishReader(template: FileFollower.Checkpoint?, forNow: Bool = false, limits: ClockLimits, wallClock: EventTime) {
        guard reader != nil else { return }
        if forNow { reader?.finishForNow(into: &decoded) } else { reader?.finish(into: &decoded) }
        collect(template: template, limits: limits, wallClock: wallClock)
    }

    /// Turns the reader's boundaries into records.
    private func collect(template: FileFollower.Checkpoint?, limits: ClockLimits, wallClock: EventTime) {
        guard let boundaries = reader?.takeBoundaries() else { return }
        collect(boundaries, template: template, limits: limits, wallClock: wallClock)
    }

    /// Appends a chunk decoded ahead as `consume` into `decoded` would have, and returns its
    /// boundaries moved to count from the start of `decoded` (they count from the chunk's).
    private func append(_ chunk: LaneReadAhead.Decoded) -> [SourceReader.RecordBoundary] {
        let eventBase = decoded.events.count
        let problemBase = decoded.problems.count
        var batch = chunk.batch
        if decoded.events.isEmpty {
            // The usual case (the merge handed everything on before asking for more): take the
            // chunk's events instead of copying them.
            decoded.events = batch.events
            batch.events = []
        }
        decoded.append(contentsOf: batch)
        guard eventBase > 0 || problemBase > 0 else { return chunk.boundaries }
        return chunk.boundaries.map { boundary in
            var moved = boundary
            moved.eventEnd += eventBase
            moved.problemEnd += problemBase
            return moved
        }
    }

    /// Turns boundaries (counting in `decoded`) into records.
    private func collect(
        _ boundaries: [SourceReader.RecordBoundary], template: FileFollower.Checkpoint?, limits: ClockLimits, wallClock: EventTime
    ) {
        guard !boundaries.isEmpty else { return }
        var start = records.last?.eventEnd ?? eventStart
        var problemsStart = records.last?.problemEnd ?? problemStart
        // One checkpoint for the chunk; each record notes its number and where it ends.
        var templateNumber = -1
        if let template {
            templateNumber = droppedTemplates + checkpointTemplates.count
            checkpointTemplates.append(template)
        }
        // Events (and problems) left out of the first record text after a resume.
        var droppedEvents = 0
        var droppedProblems = 0
        // Where records start, one every `RecordFinder.indexStride` lines, for the evidence finder.
        var lineStartsNoted: [(line: Int, offset: Int64)] = []
        let notesLineStarts: Bool = if lineStarts != nil, case .file = input { true } else { false }
        for var boundary in boundaries {
            boundary.eventEnd -= droppedEvents
            boundary.problemEnd -= droppedProblems
            var skipped = 0
            if eventsToSkip > 0 {
                // Handed on before the restart, with the record's problems.
                skipped = min(eventsToSkip, boundary.eventEnd - start)
                decoded.events.removeSubrange(start..<(start + skipped))
                decoded.problems.removeSubrange(problemsStart..<boundary.problemEnd)
                droppedEvents += skipped
                droppedProblems += boundary.problemEnd - problemsStart
                boundary.eventEnd -= skipped
                boundary.problemEnd = problemsStart
                eventsToSkip = 0
            }
            let textStart = readerPosition ?? (boundary.offset, boundary.line)
            readerPosition = (boundary.offset, boundary.line)
            if notesLineStarts, boundary.line < lastLineStartNoted || boundary.line - lastLineStartNoted >= RecordFinder.indexStride {
                lineStartsNoted.append((boundary.line, boundary.offset))
                lastLineStartNoted = boundary.line
            }
            problemsStart = boundary.problemEnd
            var time: EventTime?
            var index = start
            while index < boundary.eventEnd {
                let eventTime = decoded.events[index].time
                if limits.isWithinFixedBounds(eventTime, wallClock: wallClock), time.map({ eventTime < $0 }) ?? true {
                    time = eventTime
                }
                index += 1
            }
            records.append(Record(
                eventEnd: boundary.eventEnd, problemEnd: boundary.problemEnd, checkpointTemplate: templateNumber,
                endOffset: boundary.offset, endLine: boundary.line, startOffset: textStart.offset, startLine: textStart.line,
                skippedEvents: skipped, time: time))
            start = boundary.eventEnd
        }
        // Where the reader is in the file, as its checkpoints say, every `indexStride` lines.
        if let lineStarts, !lineStartsNoted.isEmpty {
            lineStarts.noteLineStarts(path: name, lineStartsNoted)
        }
    }

    /// Drops what was handed on, so a lane that is never fully drained stays small.
    func compact() {
        guard front > 0 else { return }
        settleCheckpoint()
        decoded.events.removeSubrange(0..<eventStart)
        decoded.problems.removeSubrange(0..<problemStart)
        records.removeSubrange(0..<front)
        dropUnusedTemplates()
        for index in records.indices {
            records[index].eventEnd -= eventStart
            records[index].problemEnd -= problemStart
        }
        decided -= front
        front = 0
        eventStart = 0
        problemStart = 0
    }

    // MARK: - Lateness

    /// Notes whether `event` is further behind the stream's time than the reorder tolerance (the
    /// detector will evaluate it late): the first of a run is reported at once, with how far
    /// behind and why that happens; a run of more than one is reported again, with its lines and
    /// count, when the lane's records are back in order or the lane ends (`endLateRun`).
    /// A record read again (`readAgainBelow`) goes on with the run as in one run, saying nothing:
    /// the run before said it.
    private func noteLateness(
        of event: AuditEvent, streamTime: EventTime?, limits: ClockLimits, readAgain: Bool, into output: inout EventBatch
    ) {
        guard let streamTime, event.time.ticks < streamTime.ticks &- limits.reorderTolerance.ticks else {
            if handedClock.lateRun != nil { endLateRun(into: &output) }
            return
        }
        settleCheckpoint()
        let line = Int(event.location.line)
        let behind = streamTime.ticks - event.time.ticks
        let source = name
        if var run = handedClock.lateRun, run.source == source {
            run.lastLine = line
            run.count += 1
            run.mostBehind = max(run.mostBehind, behind)
            handedClock.lateRun = run
            if readAgain {
                if lateRunAfterReadAgain == nil { lateRunAfterReadAgain = (nil, 0, 0) }
            } else if var after = lateRunAfterReadAgain {
                after.firstLine = after.firstLine ?? line
                after.count += 1
                after.mostBehind = max(after.mostBehind, behind)
                lateRunAfterReadAgain = after
            }
            return
        }
        if handedClock.lateRun != nil { endLateRun(into: &output) }
        handedClock.lateRun = SourceClock.LateRun(source: source, firstLine: line, lastLine: line, count: 1, mostBehind: behind)
        guard !readAgain else {
            lateRunAfterReadAgain = (nil, 0, 0)
            return
        }
        var reason = "time \(event.time.iso8601) is \(EventTime.Duration(ticks: behind).behindText) behind the latest record read (\(streamTime.iso8601)), "
            + "more than the reorder tolerance (\(limits.reorderTolerance.hoursText)): the records from here on that are "
            + "this far behind (a clock that went back, records written late) are still read and evaluated, never dropped"
        if let resumed = resumedLastAccepted, resumed.ticks &- event.time.ticks >= limits.maximumStep.ticks {
            // The first record after a resume steps back from where the previous run ended: maybe
            // the end of a stretch stamped ahead that the end of that run's input cut (`handFront`).
            reason += "; the last record the previous run read in \(source) (\(resumed.iso8601)) is "
                + "\(EventTime.Duration(ticks: resumed.ticks &- event.time.ticks).behindText) ahead of it: if that run ended inside "
                + "a stretch stamped ahead (it said so when it took the step as right), one run over the whole log reports that "
                + "stretch out of range instead, and these records in order"
        }
        output.report(InputProblem(source: source, line: line, reason: reason, severity: .late, lateReport: .start))
    }

    /// Reports the run of late records that ended, with its lines and count, when it held more
    /// than the one its first report named.
    func endLateRun(into output: inout EventBatch) {
        guard var run = handedClock.lateRun else { return }
        settleCheckpoint()
        handedClock.lateRun = nil
        // A lane closed or retired after it keeps no run in its checkpoint.
        if checkpoint != nil { checkpoint?.clock = handedClock.isEmpty ? nil : handedClock }
        if let after = lateRunAfterReadAgain {
            // Begun with records read again, which the run before reported: only the rest.
            lateRunAfterReadAgain = nil
            guard let firstLine = after.firstLine else { return }
            run = SourceClock.LateRun(
                source: run.source, firstLine: firstLine, lastLine: run.lastLine, count: after.count, mostBehind: after.mostBehind)
        } else {
            guard run.count > 1 else { return }
        }
        output.report(InputProblem(
            source: run.source, line: run.firstLine, reason: run.reportReason(), severity: .late, lateReport: .end(run)))
    }

    // MARK: - Verdicts

    /// Gives the records read so far their verdict where it can be given. A record far from
    /// the lane's clock needs the next timed record; without one it waits, unless the input is
    /// over or `force` (a quiet live source: it is judged on the fixed bounds alone). A quiet
    /// live source's step ahead of the wall clock (`liveClock`) still waits for its correction.
    func decide(limits: ClockLimits, force: Bool, liveClock: EventTime? = nil) {
        if let shift = resumedStretchShift, let last = lastAcceptedTime {
            // Resumed inside a stretch stamped ahead: it goes on until the source steps back
            // below its first record, as the run that found it decided (`shiftedStretch`).
            let first = last.ticks &+ shift.ticks
            while decided < records.count {
                guard let time = records[decided].time else {
                    records[decided].verdict = .accepted
                    decided += 1
                    continue
                }
                if time.ticks < first &- limits.maximumStep.ticks {
                    resumedStretchShift = nil
                    break
                }
                records[decided].verdict = .shifted
                records[decided].shift = shift
                decided += 1
            }
        }
        while decided < records.count {
            guard let time = records[decided].time else {
                records[decided].verdict = .accepted
                decided += 1
                continue
            }
            if let last = lastAcceptedTime, time.ticks &- last.ticks >= limits.maximumStep.ticks,
                time.ticks &- last.ticks <= limits.maximumJump.ticks,
                liveClock.map({ time.ticks > $0.ticks &+ limits.reorderTolerance.ticks }) ?? true
            {
                // A step forward of an hour or more: a quiet spell, or a clock set ahead? The
                // records after it tell (`shiftedStretch`). Live records near the wall clock are
                // not suspected: a source waking up after a quiet spell is read at once. Live
                // records this far ahead of the wall clock cannot be right (a log does not come
                // from the future): a quiet live source's step is not judged on what it wrote
                // (`force`); it waits for the step back that ends the stretch, for the look-ahead
                // to fill, or for the wall clock to reach it (then it is no longer suspected).
                let final = isAtEnd || (force && liveClock == nil)
                // Looked through already, with nothing read since: still unknown.
                if unknownStretchLength == records.count - decided, !final { return }
                let verdict = shiftedStretch(
                    from: decided, after: last, reached: max(last, furthestAcceptedTime ?? last), limits: limits, final: final,
                    aheadOfTheWallClock: liveClock != nil)
                unknownStretchLength = nil
                switch verdict {
                case .stretch(let end, let shift):
                    for index in decided..<end where records[index].time != nil {
                        records[index].verdict = .shifted
                        records[index].shift = shift
                    }
                    for index in decided..<end where records[index].time == nil { records[index].verdict = .accepted }
                    decided = end
                    continue
                case .right(let end):
                    for index in decided..<end {
                        records[index].verdict = .accepted
                        if let time = records[index].time { accept(time) }
                    }
                    decided = end
                    continue
                case .unknown where !final:
                    unknownStretchLength = records.count - decided
                    return
                case .untold:
                    records[decided].untoldStep = EventTime.Duration(ticks: time.ticks &- last.ticks)
                case .unknown, .gap:
                    break
                }
            }
            if let last = lastAcceptedTime, !limits.areNeighbours(time, last) {
                var next = decided + 1
                while next < records.count, records[next].time == nil { next += 1 }
                if next < records.count, let nextTime = records[next].time {
                    if limits.areNeighbours(nextTime, last) {
                        records[decided].verdict = .spike
                        decided += 1
                        continue
                    }
                } else if !(isAtEnd || force) {
                    return
                }
            }
            records[decided].verdict = .accepted
            accept(time)
            decided += 1
        }
    }

    enum Stretch {
        /// Records `start..<end` are stamped `shift` ahead of the source's clock.
        case stretch(end: Int, shift: EventTime.Duration)
        /// A real step forward (a quiet spell): the records after it agree with it.
        case gap
        /// Records `start..<end` are right, all of them, and the records after them are whole
        /// clock hours delivered late (hourly blobs appended after later ones): no step inside
        /// the stretch is looked at again.
        case right(end: Int)
        /// Not known yet: more records are needed.
        case unknown
        /// Not known, and no more records to tell (the input ended, or a quiet source is
        /// judged now): taken as right, as a quiet spell, and said so.
        case untold
    }

    /// Whether the records from `start` (a step forward of at least `maximumStep` from `last`)
    /// are a stretch stamped ahead by a wrong clock, after which the source comes back. Either
    /// the records of the stretch or those after the step back have wrong times, and from one
    /// source's records alone the two cannot always be told apart: a clock set ahead and then
    /// corrected, and a block of records written late after records stamped right, can give the
    /// very same file (README "Clocks"). Storage exports write a vault's records an hour to a blob
    /// (`PT1H.json`), so blobs delivered after later ones are whole clock hours of records that
    /// the step forward stepped over, after which the source steps over the stretch again (the
    /// blobs delivered in order after it are of later hours): when the records behind the
    /// stretch all lie in such hours and the record that catches up with it is of a later hour
    /// than the stretch's, they are the late ones, however many hours (a clock corrected catches
    /// up with its stretch inside the stretch's own hours: its records run on until they reach
    /// it). Otherwise the stretch is taken as the wrong one when the records
    /// after the step back that taking the stretch as right would make late (further behind its
    /// end than the reorder tolerance) span more of the source's time than the stretch does: of
    /// the two explanations, the one that puts the shorter span of the source's time wrong. This
    /// holds for a quiet source too, whose quiet spells around the jump make the two steps differ.
    /// When the source comes back by about as much as it stepped forward (a clock off by D gives
    /// a step of D plus the quiet before the stretch, and a step back of D minus the quiet after
    /// it; they agree within `maximumStep` when the source is busy around the jump), that
    /// agreement decides only what the spans cannot: the input ends or the look-ahead is spent
    /// before the records behind the stretch catch up with it, or the stretch is ahead of the
    /// wall clock (a live source's: a log does not come from the future). An hourly blob appended
    /// after the next one steps out and back by about an hour too, over the hour that is
    /// missing: the steps agreeing alone took the next hour, in order and right, for a clock set
    /// ahead (the ninth held-out sweep, `LAYOUT=late`; `ClockJumpTests`).
    /// Records behind the stretch that all lie in clock hours before the hour the source had
    /// reached (`reached`: its latest record taken as right, `last` or later when records delivered
    /// late took its clock back) are late whatever the stretch is: a clock corrected resumes after
    /// where it left off, not in an earlier hour, so they tell nothing against the stretch, which
    /// is right (held out, stop 27: a blob of the hour before the source's last record appended
    /// after the next hour's, whose records the spans, seconds against seconds, put out of range).
    /// Either way the source must come back near where it was before the step forward (within
    /// `maximumStep`) and the stretch must hold two records or more: records out of order by days
    /// (unordered exports) step back by other amounts, a quiet spell is followed by records that
    /// never come back, and one record ahead of a block is as likely right as the block.
    /// - Parameters:
    ///   - reached: the latest time of the source's records taken as right, `last` or later.
    ///   - final: no more records will come (the source's end, or a quiet live source): decide on
    ///     those read.
    ///   - aheadOfTheWallClock: the stretch is ahead of a live source's wall clock, so it cannot
    ///     be right: steps that agree decide at once.
    /// - Complexity: O(records read after `start`), at most `maximumStretchRecords` of them (each
    ///   time more are read while it is unknown).
    private func shiftedStretch(
        from start: Int, after last: EventTime, reached: EventTime, limits: ClockLimits, final: Bool, aheadOfTheWallClock: Bool
    ) -> Stretch {
        guard let first = records[start].time else { return .gap }
        let step = limits.maximumStep.ticks
        let forward = first.ticks &- last.ticks
        let shift = EventTime.Duration(ticks: forward)
        var latest = first.ticks
        var timedRecords = 1
        var index = start + 1
        // After the step back: where it is, and how far the records behind the stretch reach.
        var stepBack: (index: Int, time: Int64)?
        var behindLatest = Int64.min
        // The source came back by about as much as it stepped forward: what decides when the
        // spans cannot tell.
        var stepsAgree = false
        var behindEarliest = Int64.max
        // A step back of less than `maximumStep` below the stretch, into a clock hour the step
        // forward stepped over: only blobs delivered late can come of it (below).
        var intoSkippedHourOnly = false
        func spansMoreThanTheStretch() -> Bool {
            guard let found = stepBack, !intoSkippedHourOnly else { return false }
            return behindLatest &- found.time > latest &- first.ticks
        }
        // The records behind the stretch so far all lie in whole clock hours that the step
        // forward stepped over (the source had no record in them before, the stretch starts
        // after them): hourly blobs delivered after later ones, as many as there are, which the
        // spans cannot tell from a clock.
        func inSkippedHours() -> Bool {
            EventTime(ticks: behindEarliest).hoursSince1970 > last.hoursSince1970
                && EventTime(ticks: behindLatest).hoursSince1970 < first.hoursSince1970
        }
        // The records behind the stretch so far all lie in clock hours before the hour the source
        // had reached: late whatever the stretch is (a clock corrected resumes after where it left
        // off, not in an earlier hour), so they tell nothing against it.
        func beforeTheHourReached() -> Bool {
            EventTime(ticks: behindLatest).hoursSince1970 < reached.hoursSince1970
        }
        while index < records.count {
            if index - start > Self.maximumStretchRecords { break }
            guard let time = records[index].time else {
                index += 1
                continue
            }
            if let found = stepBack {
                // Caught up with the stretch: the records behind it are all read. (Not by a
                // record of a skipped hour while those behind are all of such hours: the end of a
                // blob delivered late can come within the reorder tolerance of the stretch's end.)
                let inASkippedHour = time.hoursSince1970 > last.hoursSince1970 && time.hoursSince1970 < first.hoursSince1970
                if time.ticks >= latest &- limits.reorderTolerance.ticks, !(inASkippedHour && inSkippedHours()) {
                    // Blobs delivered in order after the late ones are of later hours than the
                    // stretch's: the source steps over it again. A clock corrected catches up
                    // with its stretch inside the stretch's own hours.
                    if inSkippedHours(), time.hoursSince1970 > EventTime(ticks: latest).hoursSince1970 { return .right(end: found.index) }
                    if beforeTheHourReached() { return .right(end: found.index) }
                    return spansMoreThanTheStretch() ? .stretch(end: found.index, shift: shift) : .gap
                }
                behindLatest = max(behindLatest, time.ticks)
                behindEarliest = min(behindEarliest, time.ticks)
                if spansMoreThanTheStretch(), !inSkippedHours(), !beforeTheHourReached() { return .stretch(end: found.index, shift: shift) }
                index += 1
                continue
            }
            if time.ticks >= first.ticks &- step, timedRecords >= 2, time.ticks < first.ticks &- limits.reorderTolerance.ticks,
                time.hoursSince1970 > last.hoursSince1970, time.hoursSince1970 < first.hoursSince1970
            {
                // Less than an hour behind the stretch, but in an hour the step forward stepped
                // over: a quiet vault's blob delivered after later ones (its records need not
                // be an hour behind the next hour's first), which only the hours can tell.
                stepBack = (index, time.ticks)
                intoSkippedHourOnly = true
                behindLatest = time.ticks
                behindEarliest = time.ticks
                index += 1
                continue
            }
            if time.ticks < first.ticks &- step {
                let back = latest &- time.ticks
                let difference = forward > back ? forward &- back : back &- forward
                guard time.ticks >= last.ticks &- step, timedRecords >= 2 else { return .gap }
                stepsAgree = difference <= step
                if stepsAgree, aheadOfTheWallClock { return .stretch(end: index, shift: shift) }
                stepBack = (index, time.ticks)
                behindLatest = time.ticks
                behindEarliest = time.ticks
                index += 1
                continue
            }
            timedRecords += 1
            latest = max(latest, time.ticks)
            if latest &- first.ticks > Self.maximumStretchSpan.ticks { return .gap }
            index += 1
        }
        // Out of records or of look-ahead before it could tell: those read decide when no more
        // will come or the look-ahead is spent; else wait for more.
        if final || index - start > Self.maximumStretchRecords {
            // What follows is decided by the end of the input unless the look-ahead is spent.
            if index - start <= Self.maximumStretchRecords { records[start].decidedByTheEndOfTheInput = true }
            // Blobs delivered after later ones at the end of the input (a run cut there) are late,
            // as the run that reads on finds them, when they fill the hours up to the stretch's,
            // or when they do not run on from where the source had reached before the step: with
            // no record after them to show the source stepping over the stretch again, a clock
            // corrected whose records have not come up to the stretch's hour is not taken for
            // blobs (`TimelineTests`: a busy source's 20 minutes 3 hours ahead, then an hour of
            // its records, where the input ends), but a clock corrected resumes about where it
            // left off, its first record behind the stretch within the stretch's own span (and the
            // reorder tolerance) of the source's reach; records that start later, in whole hours
            // the step stepped over, are blobs whatever hours are still to come before the
            // stretch's (held out, stop 28: a quiet vault's 16:00 blob after its 18:00 one at the
            // end of its file, nothing at 17:00, its record before the step 21 hours earlier).
            if let found = stepBack, inSkippedHours(),
                EventTime(ticks: behindLatest).hoursSince1970 &+ 1 == first.hoursSince1970
                    || behindEarliest &- reached.ticks > (latest &- first.ticks) &+ limits.reorderTolerance.ticks
            {
                return .right(end: found.index)
            }
            if let found = stepBack, beforeTheHourReached() { return .right(end: found.index) }
            if let found = stepBack, spansMoreThanTheStretch() || stepsAgree { return .stretch(end: found.index, shift: shift) }
            return index - start > Self.maximumStretchRecords ? .gap : .untold
        }
        return .unknown
    }

    /// The most records, and the longest span of time, a stretch stamped ahead is looked
    /// through for its end; a longer one is taken as real (and the records after its end are
    /// reported late). They bound what a quiet spell followed by busy records costs: that many
    /// records read ahead in that source, once.
    static let maximumStretchRecords = 4_096
    static let maximumStretchSpan = EventTime.Duration.hours(6)

    /// The time the front record's next event is merged by: the first of its events left
    /// whose time is plausible (`ClockLimits` fixed bounds). Nil when the front record has no
    /// verdict yet, is a spike, or has no such event left: it is then handed on at once.
    func nextTime(limits: ClockLimits, wallClock: EventTime) -> EventTime? {
        guard hasHead, headVerdict == .accepted, headTime != nil else { return nil }
        let eventEnd = records[front].eventEnd
        var index = eventStart
        while index < eventEnd {
            let time = decoded.events[index].time
            if limits.isWithinFixedBounds(time, wallClock: wallClock) { return time }
            index += 1
        }
        return nil
    }

    /// Hands on the front records into `output` (`handFront`) while `admits` the time of each
    /// next one, until `output` holds `batchSize` events, giving the records read their verdict
    /// as the front moves (`decide`). Returns whether it handed anything on.
    ///
    /// One call for the merge's run of records from this lane, not one per record: each call
    /// from the `Ingestor` retained and released the lane's `admits` closure and checked the
    /// exclusive access to its batch, record by record.
    /// With `stopsBeforeUntold`, it stops before a record whose verdict the end of the input gave
    /// (`headIsDecidedByTheEndOfTheInput`), unless that record is the first it hands.
    func handRun(
        into output: inout EventBatch, limits: ClockLimits, streamTime: inout EventTime?, wallClock: EventTime, batchSize: Int,
        liveClock: EventTime?, stopsBeforeUntold: Bool = false, admits: (EventTime) -> Bool
    ) -> Bool {
        var handed = false
        while hasHead {
            if handed, stopsBeforeUntold, headIsDecidedByTheEndOfTheInput { break }
            if let time = nextTime(limits: limits, wallClock: wallClock), !admits(time) { break }
            handFront(
                into: &output, limits: limits, streamTime: &streamTime, wallClock: wallClock,
                maximumEvents: max(1, batchSize - output.events.count), admits: admits)
            handed = true
            if output.events.count >= batchSize { break }
            if !hasHead { decide(limits: limits, force: false, liveClock: liveClock) }
        }
        return handed
    }

    /// Hands on events of the front record into `output`, in source order: first its
    /// problems, then its events unless their time is out of range (reported instead), while
    /// `admits` the time of each next event whose time is plausible, at least one event and at
    /// most `maximumEvents`. A spike or a record without a time to order by goes whole. Moves
    /// `streamTime` forward to the events, and the lane's checkpoint after the record, or
    /// inside it (its start and the events handed on) when only some went.
    func handFront(
        into output: inout EventBatch, limits: ClockLimits, streamTime: inout EventTime?, wallClock: EventTime,
        maximumEvents: Int = .max, admits: (EventTime) -> Bool = { _ in true }
    ) {
        // The record's fields one by one, not a copy of it (its checkpoints hold a path).
        let problemEnd = records[front].problemEnd
        let eventEnd = records[front].eventEnd
        let verdict = records[front].verdict
        let ordered = verdict == .accepted && records[front].time != nil
        // Read and counted by the runs before (`readAgainBelow`): taken again, not counted again.
        let readAgain = readAgainBelow.map { records[front].startOffset < $0 } ?? false
        if problemStart < problemEnd {
            let countsProblems = records[front].countsProblems
            for index in problemStart..<problemEnd {
                let problem = decoded.problems[index]
                // What the record's bytes are (malformed, skipped) the run before reported.
                if readAgain, problem.line > 0, problem.severity == .malformed || problem.severity == .skipped { continue }
                if countsProblems { output.report(problem) } else { output.problems.append(problem) }
            }
        }
        problemStart = problemEnd
        if readAgain { records[front].untoldStep = nil }
        if let step = records[front].untoldStep, let time = records[front].time {
            // Decided on what was read: said, so that a run reading on that finds the step back
            // (its records then late) does not contradict this one silently. Only when the step
            // takes the stream's time forward too: a quiet vault's file among others that cover
            // those hours steps forward at each quiet spell, and nothing after it would be late.
            records[front].untoldStep = nil
            if let streamTime, time.ticks &- streamTime.ticks >= limits.maximumStep.ticks {
                output.report(InputProblem(
                    source: name, line: records[front].startLine,
                    reason: "time \(time.iso8601) is \(step.behindText) ahead of the record before it in \(name), and no record after it "
                        + "tells yet a quiet spell from a clock set ahead (the input ended, or \(name) went quiet): taken as right for "
                        + "now; a run reading on from a state file reads these again with the records after them and decides as one run "
                        + "over the whole log does; when following, if \(name) later comes back by about as much, the records after the "
                        + "step back are reported late, where one run over the whole log reports these out of range",
                    severity: .late))
            }
        }
        var handed = 0
        while eventStart < eventEnd {
            let event = decoded.events[eventStart]
            if ordered, handed > 0 {
                if handed >= maximumEvents { break }
                if limits.isWithinFixedBounds(event.time, wallClock: wallClock), !admits(event.time) { break }
            }
            eventStart += 1
            handed += 1
            let why: String?
            if verdict == .spike {
                why = "more than \(limits.maximumJump.hoursText) away from the records around it in \(name)"
            } else if verdict == .shifted {
                why = "one of a stretch of records stamped \(records[front].shift.behindText) ahead of the records before it "
                    + "in \(name), after which it comes back by about as much: a clock set wrong, then corrected"
            } else if event.time < ClockLimits.earliest {
                why = "before 2015, when Key Vault began to log"
            } else if !limits.isWithinFixedBounds(event.time, wallClock: wallClock) {
                why = "more than \(limits.maximumAhead.hoursText) ahead of the clock"
            } else if limits.lagsTooFar(event.time, behind: streamTime) {
                why = "more than \(limits.maximumLag.hoursText) behind the stream's time"
            } else {
                why = nil
            }
            if let why {
                output.report(ClockLimits.problem(for: event.time, source: name, line: Int(event.location.line), why: why))
                if readAgain { output.readAgainOutOfRange += 1 }
                continue
            }
            noteLateness(of: event, streamTime: streamTime, limits: limits, readAgain: readAgain, into: &output)
            resumedLastAccepted = nil
            if readAgain { output.readAgain.append(output.events.count) }
            output.events.append(event)
            if streamTime.map({ event.time > $0 }) ?? true { streamTime = event.time }
            if ordered { lastHandedTime = event.time }
        }
        frontHanded += handed
        guard eventStart == eventEnd else {
            // Part of the record text went: a resume starts it again and leaves those out, and
            // judges it against the clock before it.
            if var inside = checkpoint(ofRecord: front) {
                inside.offset = records[front].startOffset
                inside.line = records[front].startLine
                inside.skipEvents = records[front].skippedEvents + frontHanded
                inside.clock = handedClock.isEmpty ? nil : handedClock
                inside.readThrough = readThrough(beyond: inside.offset)
                checkpoint = inside
            }
            return
        }
        // The clock moves on with this record: a checkpoint noted earlier is copied out first
        // when this record has none to take its place.
        if !records[front].hasCheckpoint { settleCheckpoint() }
        switch verdict {
        case .accepted:
            if let time = records[front].time {
                // How far the source had reached, kept when the records delivered late take its clock back.
                let reached = max(handedClock.furthestAccepted ?? handedClock.lastAccepted ?? time.ticks, time.ticks)
                handedClock.furthestAccepted = reached > time.ticks ? reached : nil
                handedClock.lastAccepted = time.ticks
                handedClock.stretchShift = nil
            }
        case .shifted:
            handedClock.stretchShift = records[front].shift.ticks
        case .spike, .undecided:
            break
        }
        front += 1
        frontHanded = 0
        // Noted, not copied (`checkpoint`); a record without one leaves the checkpoint as it was.
        if records[front - 1].hasCheckpoint { handedRecord = front - 1 }
        if front == records.count {
            // Everything handed on: start the buffers again (keeping their capacity).
            settleCheckpoint()
            decoded.events.removeAll(keepingCapacity: true)
            decoded.problems.removeAll(keepingCapacity: true)
            records.removeAll(keepingCapacity: true)
            dropUnusedTemplates()
            front = 0
            decided = 0
            eventStart = 0
            problemStart = 0
        }
    }
}
