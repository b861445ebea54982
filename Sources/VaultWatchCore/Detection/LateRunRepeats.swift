/// Settles the reports of runs of late records with the records recognised as repeats, so that
/// one place decides what is late: the records the detector counts late
/// (`DetectorCounters.lateRecords`), never a record already taken.
///
/// The reader reports a run of records further behind the stream's time than the reorder
/// tolerance as it hands them on (`SourceLane`: the run's first record at once, its lines and
/// count when it ends), before the detector has looked them up among the records already taken
/// (`RecordIdentities`). A repeat among them (a blob delivered again, an export overlapping the
/// last) is not judged, so not late: its line is noted here when it is taken (`noteRepeat`) and
/// its run's reports are settled once the batch that holds them is taken (`settle`): the end
/// report counts the others and names the repeats' lines (`SourceClock.LateRun.reportReason`), a
/// run's first report whose record is a repeat says so. The summary's late count and the sum
/// of the reports then agree (`LatenessTests`). Used where records are taken: the detector's
/// entry (`Detector.take`) and `hunt`.
///
/// - Important: the lines noted between a repeat and its run's end report are not saved with the
///   detector's state: a run resumed from `--state` between the two counts that repeat in its run's
///   report (not in the summary).
public struct LateRunRepeats: Sendable {
    /// The lines of late repeats whose run's reports are not settled yet, ascending, by source.
    private var pending: [String: [Int]] = [:]

    /// What a run's first report says of its record when it is a repeat.
    public static let repeatNote = "; this record is one already taken (delivered twice): not judged, not counted late"

    public init() {}

    /// Notes `event`, a record recognised as already taken, when it is late: further behind
    /// `clock` (the latest time of the records taken before it; nil before the first) than
    /// `tolerance`, as the reader judged it.
    /// - Complexity: O(1) (amortised) for a late repeat; nothing for the others.
    @inline(__always)
    public mutating func noteRepeat(_ event: AuditEvent, clock: EventTime?, tolerance: EventTime.Duration, symbols: SymbolTable) {
        guard let clock, event.time.ticks < clock.ticks &- tolerance.ticks else { return }
        noteLate(source: symbols.string(event.location.source) ?? "", line: Int(event.location.line))
    }

    @inline(never)
    private mutating func noteLate(source: String, line: Int) {
        pending[source, default: []].append(line)
    }

    /// `problems` (a batch's, once its records are taken) with the reports of late runs settled.
    /// - Complexity: O(problems) when no late repeat is pending (the usual case: nothing to do).
    public mutating func settle(_ problems: [InputProblem]) -> [InputProblem] {
        guard !pending.isEmpty else { return problems }
        var settled = problems
        for index in settled.indices {
            guard let report = settled[index].lateReport, let noted = pending[settled[index].source] else { continue }
            var lines = noted
            switch report {
            case .start:
                // Lines before a run's first belong to runs settled already (or of one record).
                let line = settled[index].line
                lines.removeAll { $0 < line }
                if lines.contains(line) { settled[index].reason += Self.repeatNote }
            case .end(let run):
                let repeats = lines.filter { $0 >= run.firstLine && $0 <= run.lastLine }
                lines.removeAll { $0 <= run.lastLine }
                if !repeats.isEmpty { settled[index].reason = run.reportReason(repeats: repeats) }
            }
            pending[settled[index].source] = lines.isEmpty ? nil : lines
        }
        return settled
    }
}
