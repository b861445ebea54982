/// What the ingestor hands the detector at once: hundreds to thousands of events, never one
/// at a time, with the problems met while reading them and the counts for the summary.
public struct EventBatch: Sendable {
    public var events: [AuditEvent]
    public var problems: [InputProblem]
    /// Records that were not usable as events (see `InputProblem.Severity`).
    public var malformedCount: Int
    public var skippedCount: Int
    /// Records whose time was implausible (`ClockLimits`), left out of `events`.
    public var outOfRangeCount: Int
    /// The end of the input decided a record of this batch or a later one: a step forward that
    /// no record after it could tell from a clock set ahead (`SourceLane.Stretch.untold`), taken
    /// as right for this run's alerts. A run that saves its state saves it as it was before this
    /// batch (`DetectionRecorder.beforeProcessing`), so that the next run, reading on, reads
    /// these records again and decides them as one run over the whole input does.
    public var endOfInputDecides = false
    /// The stream went further past the record the last `endOfInputDecides` batch began with
    /// than a stretch is looked through (`Ingestor.lapseEndOfInputCutOncePassed`): what the end
    /// of the input decided there stands for this run, and a run that saves its state goes on
    /// saving from the state after this batch. A later batch may be marked `endOfInputDecides`
    /// again.
    public var endOfInputCutLapses = false
    /// The positions in `events`, ascending, of records read again: a run resumed from a state
    /// file reads again what the run before it read and counted after the state it saved (the
    /// records the end of its input decided, `endOfInputDecides`; `FileFollower.Checkpoint.readThrough`).
    /// The detector takes them (its state is from before them: exact alerts need them), but they
    /// are not this run's own: not among its events, late or duplicate records
    /// (`Detector.readAgainCounters`), nor the dashboard's events.
    public var readAgain: [Int] = []
    /// Records read again (as `readAgain`) that are now out of range, counted in
    /// `outOfRangeCount`: the run before took them as right and counted them as events (the end of
    /// its input decided a stretch stamped ahead that the records after it now tell from a quiet
    /// spell). Out of range is this run's verdict; the count says how many events of the run
    /// before it takes back (`Detector.readAgainCounters.outOfRangeRecords`).
    public var readAgainOutOfRange = 0

    public init(
        events: [AuditEvent] = [], problems: [InputProblem] = [], malformedCount: Int = 0, skippedCount: Int = 0,
        outOfRangeCount: Int = 0
    ) {
        self.events = events
        self.problems = problems
        self.malformedCount = malformedCount
        self.skippedCount = skippedCount
        self.outOfRangeCount = outOfRangeCount
    }

    public var isEmpty: Bool {
        events.isEmpty && problems.isEmpty && malformedCount == 0 && skippedCount == 0 && outOfRangeCount == 0
    }

    public mutating func report(_ problem: InputProblem) {
        switch problem.severity {
        case .malformed: malformedCount += 1
        case .skipped: skippedCount += 1
        case .outOfRange: outOfRangeCount += 1
        case .lost: break  // counted from `problems` (`lossCount`): they are never rolled back
        case .late: break  // the detector counts the late records themselves
        }
        problems.append(problem)
    }

    /// The events but those at `positions` (ascending): the records the detector took, when
    /// `positions` are the ones it recognised as already taken (`Detector.TakenBatch.repeats`).
    public func events(skipping positions: [Int]) -> [AuditEvent] {
        guard !positions.isEmpty else { return events }
        var kept: [AuditEvent] = []
        kept.reserveCapacity(events.count - positions.count)
        var next = positions.startIndex
        for (position, event) in events.enumerated() {
            if next < positions.endIndex, positions[next] == position {
                next += 1
                continue
            }
            kept.append(event)
        }
        return kept
    }

    /// The batch cut before each of `starts` (ascending positions in `events`), in order: the
    /// parts' events together are this batch's. The first part carries the problems, every count
    /// and `endOfInputDecides` (the end of the input decided a record of it or a later part); the
    /// last carries `endOfInputCutLapses` (what holds after the whole batch); each, the positions
    /// of its records read again (`readAgain`). The one place a batch is cut: the replay's slices
    /// (`ReplayPacer`) and the dashboard feed's steps.
    public func parts(startingAt starts: [Int]) -> [EventBatch] {
        var first = EventBatch(
            problems: problems, malformedCount: malformedCount, skippedCount: skippedCount,
            outOfRangeCount: outOfRangeCount)
        first.readAgainOutOfRange = readAgainOutOfRange
        first.endOfInputDecides = endOfInputDecides
        var parts: [EventBatch] = []
        parts.reserveCapacity(starts.count + 1)
        var from = 0
        var nextReadAgain = readAgain.startIndex
        for end in starts + [events.count] {
            precondition(end >= from && end <= events.count, "a batch's parts start in ascending order within it")
            var part = parts.isEmpty ? first : EventBatch()
            part.events = Array(events[from..<end])
            while nextReadAgain < readAgain.endIndex, readAgain[nextReadAgain] < end {
                part.readAgain.append(readAgain[nextReadAgain] - from)
                nextReadAgain += 1
            }
            parts.append(part)
            from = end
        }
        parts[parts.count - 1].endOfInputCutLapses = endOfInputCutLapses
        return parts
    }

    /// Reports of data that may have been lost (problems of severity `.lost`).
    public var lossCount: Int { problems.reduce(0) { $0 + ($1.severity == .lost ? 1 : 0) } }

    public mutating func append(contentsOf other: EventBatch) {
        let base = events.count
        readAgain.append(contentsOf: other.readAgain.lazy.map { $0 + base })
        events.append(contentsOf: other.events)
        problems.append(contentsOf: other.problems)
        malformedCount += other.malformedCount
        skippedCount += other.skippedCount
        outOfRangeCount += other.outOfRangeCount
        readAgainOutOfRange += other.readAgainOutOfRange
    }

    /// How far the batch has been filled, to undo what a record text added when the text
    /// turns out not to be valid JSON.
    public struct Mark: Sendable {
        fileprivate var events: Int
        fileprivate var problems: Int
        fileprivate var malformedCount: Int
        fileprivate var skippedCount: Int
        fileprivate var outOfRangeCount: Int
        fileprivate var readAgainOutOfRange: Int
    }

    public var mark: Mark {
        Mark(
            events: events.count, problems: problems.count, malformedCount: malformedCount, skippedCount: skippedCount,
            outOfRangeCount: outOfRangeCount, readAgainOutOfRange: readAgainOutOfRange)
    }

    /// Drops everything added since `mark`.
    public mutating func rollBack(to mark: Mark) {
        while let last = readAgain.last, last >= mark.events { readAgain.removeLast() }
        events.removeSubrange(mark.events...)
        problems.removeSubrange(mark.problems...)
        malformedCount = mark.malformedCount
        skippedCount = mark.skippedCount
        outOfRangeCount = mark.outOfRangeCount
        readAgainOutOfRange = mark.readAgainOutOfRange
    }
}
