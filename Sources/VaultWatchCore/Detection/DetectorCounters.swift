/// What a detector has done so far, for the header and for `detect`'s summary.
public struct DetectorCounters: Sendable, Hashable, Codable {
    /// Events run through the rules.
    public var eventsSeen: Int = 0
    /// Records the ingestor could not use, as reported in the batches.
    public var malformedRecords: Int = 0
    public var skippedRecords: Int = 0
    /// Records whose time was implausible (`ClockLimits`), left out by the ingestor.
    public var outOfRangeRecords: Int = 0
    /// Distinct alerts opened (distinct ids).
    public var alertsRaised: Int = 0
    /// Repeats folded into an open alert.
    public var alertUpdates: Int = 0
    /// Alerts a configured suppression silenced.
    public var suppressedAlerts: Int = 0
    /// Records further behind the records before them than the reorder tolerance (still
    /// evaluated): the records the ingestor's late-run reports name.
    public var lateRecords: Int = 0
    /// SDK challenge requests (401 without identity, `AuditEvent.isChallengeRequest`): counted,
    /// never behaviour.
    public var challengeRequests: Int = 0
    /// Records already taken, delivered again (`RecordIdentities`): counted, never judged nor
    /// learned, and not among `eventsSeen`.
    public var duplicateRecords: Int = 0
    /// Distinct alerts by their current severity (an alert raised from Low to Medium moves).
    public var informationalAlerts: Int = 0
    public var lowAlerts: Int = 0
    public var mediumAlerts: Int = 0
    public var highAlerts: Int = 0

    public init() {}

    public func alerts(of severity: Severity) -> Int {
        switch severity {
        case .informational: informationalAlerts
        case .low: lowAlerts
        case .medium: mediumAlerts
        case .high: highAlerts
        }
    }

    /// What was done since `earlier` (a restarted run's own share of counters carried over).
    public func subtracting(_ earlier: DetectorCounters) -> DetectorCounters {
        // Every counter a saved state carries (`savedFields`): the others start at 0 in each run.
        // A list of its own here left out the records out of range and the challenge requests,
        // which every later run's summary then repeated.
        var result = self
        for field in Self.savedFields + [\.duplicateRecords] { result[keyPath: field] -= earlier[keyPath: field] }
        return result
    }

    mutating func adjustAlerts(of severity: Severity, by delta: Int) {
        switch severity {
        case .informational: informationalAlerts += delta
        case .low: lowAlerts += delta
        case .medium: mediumAlerts += delta
        case .high: highAlerts += delta
        }
    }
}
