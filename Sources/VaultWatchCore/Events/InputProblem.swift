/// A record that could not be used, with where it is and why, in words a user can act on.
/// Problems are counted and reported as `file:line: reason`; they never stop the stream.
public struct InputProblem: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: Sendable, Hashable {
        /// Not a readable record (bad JSON, truncated, not UTF-8): counted as malformed.
        case malformed
        /// A readable record that is not a Key Vault audit event or lacks what every rule needs:
        /// counted as skipped.
        case skipped
        /// A record whose time is implausible (`ClockLimits`): counted as out of range, and
        /// never seen by the detector.
        case outOfRange
        /// Records further behind the stream's time than the reorder tolerance (a source whose
        /// clock went back, records written late): reported once a run of them begins and when
        /// it ends, with their lines and count; they are still handed on, and the detector
        /// evaluates them late (`DetectorCounters.lateRecords`). Also a step forward the end of
        /// the input left untold (taken as right for now: a run reading on from a state file decides it again).
        case late
        /// Data of the source may have been skipped (rotation, truncation, replacement: see
        /// `DataLoss`): counted as a possible loss. Line 0, the reason says how much.
        case lost
    }

    /// What a `.late` report says of a run of late records, for the one place that decides
    /// what is late once the records are taken (`LateRunRepeats`: a record recognised as a repeat
    /// is not late).
    public enum LateReport: Sendable, Hashable {
        /// The first record of a run, at the report's line.
        case start
        /// The run that ended: its lines, its count as read, how far behind.
        case end(SourceClock.LateRun)
    }

    public var source: String
    public var line: Int
    public var reason: String
    public var severity: Severity
    /// For the reports of a run of late records, which report it is; nil for any other.
    public var lateReport: LateReport?

    public init(source: String, line: Int, reason: String, severity: Severity = .malformed, lateReport: LateReport? = nil) {
        self.source = source
        self.line = line
        self.reason = reason
        self.severity = severity
        self.lateReport = lateReport
    }

    /// `file:line: reason`, or `file: reason` for what concerns the whole source (line 0).
    public var description: String { line > 0 ? "\(source):\(line): \(reason)" : "\(source): \(reason)" }
}
