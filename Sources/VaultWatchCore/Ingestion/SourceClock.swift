/// What a source's next records are judged against, as of a checkpoint: the time of its last
/// record taken as right, whether it is inside a stretch stamped ahead by a wrong clock
/// (`SourceLane.Verdict.shifted`), and the run of late records it is in. Saved with the
/// checkpoint (`FileFollower.Checkpoint.clock`), so that a run resumed there reports the
/// rest of a stretch out of range and the rest of a late run as one run would: same records,
/// same reports, same alerts.
public struct SourceClock: Sendable, Hashable, Codable {
    /// The time of the last record handed on whose time was taken as right (nil: none yet).
    public var lastAccepted: Int64?
    /// The latest time among the records handed on whose time was taken as right, when it is
    /// later than `lastAccepted` (records delivered late take the source's clock back): how far
    /// the source had reached, which a step back into an earlier hour cannot be a clock's
    /// correction of (`SourceLane.shiftedStretch`). Nil: `lastAccepted` (and in a state saved
    /// before it was kept).
    public var furthestAccepted: Int64?
    /// Inside a stretch stamped ahead: by how much (ticks). It goes on until a record steps
    /// back below its first record (`lastAccepted + shift`) by more than `maximumStep`.
    public var stretchShift: Int64?
    /// The run of late records the source is in (`SourceLane.LateRun`).
    public var lateRun: LateRun?

    /// A run of records handed on further behind the stream's time than the reorder tolerance:
    /// where it began, where it is, how many, how far behind at most (ticks).
    public struct LateRun: Sendable, Hashable, Codable {
        public var source: String
        public var firstLine: Int
        public var lastLine: Int
        public var count: Int
        public var mostBehind: Int64

        public init(source: String, firstLine: Int, lastLine: Int, count: Int, mostBehind: Int64) {
            self.source = source
            self.firstLine = firstLine
            self.lastLine = lastLine
            self.count = count
            self.mostBehind = mostBehind
        }

        /// The report of the ended run (`InputProblem.LateReport.end`): how many of its records
        /// are late, its lines, how far behind; and the lines of `repeats`, its records that were
        /// recognised as records already taken (delivered twice: not judged, so not late), which
        /// its count leaves out (`LateRunRepeats`).
        public func reportReason(repeats: [Int] = []) -> String {
            let late = count - repeats.count
            let lines = firstLine == lastLine ? "line \(firstLine)" : "lines \(firstLine) to \(lastLine)"
            var reason = "\(late) \(late == 1 ? "record" : "records") (\(lines)) up to \(EventTime.Duration(ticks: mostBehind).behindText) behind "
                + "the stream's time, still evaluated"
            if !repeats.isEmpty {
                reason += "; not counted: \(repeats.count == 1 ? "line" : "lines") \(Self.ranges(of: repeats)), "
                    + "\(repeats.count == 1 ? "a record" : "records") already taken (delivered twice), not judged"
            }
            return reason
        }

        /// Ascending lines as ranges: `7`, `7 and 9`, `7, 9 to 12 and 15`; past five ranges, how
        /// many more lines.
        static func ranges(of lines: [Int]) -> String {
            var ranges: [(first: Int, last: Int)] = []
            for line in lines.sorted() {
                if let last = ranges.last, line <= last.last + 1 {
                    ranges[ranges.count - 1].last = max(last.last, line)
                } else {
                    ranges.append((line, line))
                }
            }
            var parts = ranges.prefix(5).map { $0.first == $0.last ? "\($0.first)" : "\($0.first) to \($0.last)" }
            if ranges.count > 5 {
                let more = ranges.dropFirst(5).reduce(0) { $0 + $1.last - $1.first + 1 }
                parts.append("\(more) more")
            }
            guard parts.count > 1 else { return parts.first ?? "" }
            return parts.dropLast().joined(separator: ", ") + " and " + (parts.last ?? "")
        }
    }

    public init(lastAccepted: Int64? = nil, furthestAccepted: Int64? = nil, stretchShift: Int64? = nil, lateRun: LateRun? = nil) {
        self.lastAccepted = lastAccepted
        self.furthestAccepted = furthestAccepted
        self.stretchShift = stretchShift
        self.lateRun = lateRun
    }

    /// Nothing known: a source read from its start.
    public var isEmpty: Bool { lastAccepted == nil && stretchShift == nil && lateRun == nil }
}
