/// What makes a record's time plausible, so that one record with a broken clock cannot move
/// the stream's time (which forgets baselines and expires alerts), arm rules early, or stall the
/// merge of its source behind a date decades away.
///
/// A record is out of range (reported as `file:line: time … out of range`, counted, and never
/// handed to the detector) when its time is:
/// - before `earliest` (2015-01-01: Key Vault wrote no logs before), or more than
///   `maximumAhead` after the wall clock (a log cannot come from the future);
/// - more than `maximumJump` away from the previous record of its source while the next record
///   of that source is back within `maximumJump` of the previous one: an isolated spike. A real
///   gap (a quiet month, the next file's days) is followed by records that agree with it, so
///   it is kept;
/// - more than `maximumLag` behind the stream's time (the latest time handed on), as no
///   baseline reaches back that far.
///
/// The checks run in the `Ingestor` as each source is merged; the first record of a source is
/// checked against the fixed bounds only, the last against its predecessor and the fixed bounds.
public struct ClockLimits: Sendable, Hashable {
    /// How far ahead of the wall clock a record may be (default 24 hours: clocks drift, logs do
    /// not come from the future).
    public var maximumAhead: EventTime.Duration
    /// How far a record may stray from its neighbours in its source (default 7 days: real logs
    /// are in time order within minutes; a week away from both neighbours is a broken clock).
    public var maximumJump: EventTime.Duration
    /// How far behind the stream's time a record may be (default 30 days: the baseline window).
    public var maximumLag: EventTime.Duration
    /// How far behind the stream's time a record may be and still be in order: the detector's
    /// reorder tolerance (`reorder_tolerance_minutes`, default 10 minutes). Records further
    /// behind are handed on and reported in runs (`InputProblem.Severity.late`), never silently.
    public var reorderTolerance: EventTime.Duration = .minutes(10)
    /// A step forward in a source of at least this much (default 1 hour) followed, later, by a
    /// step back of about as much marks the records between as stamped by a clock set wrong:
    /// out of range (`SourceLane.shiftedStretch`).
    public var maximumStep: EventTime.Duration = .hours(1)

    /// Nothing before this is a Key Vault record.
    public static let earliest = EventTime(year: 2015, month: 1, day: 1)

    public init(
        maximumAhead: EventTime.Duration = .hours(24), maximumJump: EventTime.Duration = .days(7),
        maximumLag: EventTime.Duration = .days(30)
    ) {
        self.maximumAhead = maximumAhead
        self.maximumJump = maximumJump
        self.maximumLag = maximumLag
    }

    /// Whether `time` is within the fixed bounds (not before 2015, not far after `wallClock`).
    @inline(__always)
    func isWithinFixedBounds(_ time: EventTime, wallClock: EventTime) -> Bool {
        time >= Self.earliest && time.ticks <= wallClock.ticks &+ maximumAhead.ticks
    }

    /// Whether two times are close enough to be neighbours in one source.
    @inline(__always)
    func areNeighbours(_ first: EventTime, _ second: EventTime) -> Bool {
        let distance = first.ticks > second.ticks ? first.ticks &- second.ticks : second.ticks &- first.ticks
        return distance <= maximumJump.ticks
    }

    /// Whether `time` is too far behind `streamTime`.
    @inline(__always)
    func lagsTooFar(_ time: EventTime, behind streamTime: EventTime?) -> Bool {
        guard let streamTime else { return false }
        return time.ticks < streamTime.ticks &- maximumLag.ticks
    }

    /// The problem reported for an out-of-range record.
    static func problem(for time: EventTime, source: String, line: Int, why: String) -> InputProblem {
        InputProblem(source: source, line: line, reason: "time \(time.iso8601) out of range (\(why)); skipped", severity: .outOfRange)
    }
}

extension EventTime.Duration {
    /// "3 hours 12 minutes", "25 minutes", "2 days 1 hour": how far behind, in a report.
    var behindText: String {
        let minutes = ticks / EventTime.ticksPerMinute
        let days = minutes / 1440
        let hours = minutes % 1440 / 60
        let rest = minutes % 60
        var parts: [String] = []
        if days > 0 { parts.append(days == 1 ? "1 day" : "\(days) days") }
        if hours > 0 { parts.append(hours == 1 ? "1 hour" : "\(hours) hours") }
        if rest > 0 && days == 0 { parts.append(rest == 1 ? "1 minute" : "\(rest) minutes") }
        return parts.isEmpty ? "less than a minute" : parts.joined(separator: " ")
    }

    /// "24 hours", "30 days": a limit in the words of a problem report.
    var hoursText: String {
        let hours = ticks / EventTime.ticksPerHour
        if hours >= 48, hours % 24 == 0 { return "\(hours / 24) days" }
        if hours >= 1 { return hours == 1 ? "1 hour" : "\(hours) hours" }
        return "\(ticks / EventTime.ticksPerMinute) minutes"
    }
}
