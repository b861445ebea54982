/// Where a save's time went, part by part, for the benchmark (`vaultwatch-bench --state-only`):
/// the detector's export, then each part of the store's transaction, then the commit (the
/// `fsync` of the write-ahead log).
public struct SaveTimings: Sendable {
    public var export = Duration.zero
    /// Reading the stored state of the alerts about to be written for the first time this run
    /// (`DetectionRecorder.isUnchanged`), and how many reads that took: one a save at most.
    public var storedAlertsRead = Duration.zero
    public var storedAlertReads = 0
    public var alerts = Duration.zero
    public var openAlerts = Duration.zero
    public var checkpoints = Duration.zero
    public var baselines = Duration.zero
    public var heldEvents = Duration.zero
    /// The records taken lately, a row per hour that changed (`IdentityHourRow`).
    public var identities = Duration.zero
    /// From the end of the last statement to the transaction's end: the commit and its `fsync`.
    public var commit = Duration.zero
    /// Rows written (inserted, updated or deleted) by the saves, part by part.
    public var alertRows = 0
    public var openAlertRows = 0
    public var checkpointRows = 0
    public var baselineRows = 0
    public var heldEventRows = 0
    public var identityHourRows = 0
    /// The identities those rows held (`IdentityHourRow.count`).
    public var identitiesWritten = 0

    public init() {}

    /// The store's part: everything but the export.
    public var transaction: Duration { alerts + openAlerts + checkpoints + baselines + heldEvents + identities + commit }

    public static func += (total: inout SaveTimings, part: SaveTimings) {
        total.export += part.export
        total.storedAlertsRead += part.storedAlertsRead
        total.storedAlertReads += part.storedAlertReads
        total.alerts += part.alerts
        total.openAlerts += part.openAlerts
        total.checkpoints += part.checkpoints
        total.baselines += part.baselines
        total.heldEvents += part.heldEvents
        total.identities += part.identities
        total.commit += part.commit
        total.alertRows += part.alertRows
        total.openAlertRows += part.openAlertRows
        total.checkpointRows += part.checkpointRows
        total.baselineRows += part.baselineRows
        total.heldEventRows += part.heldEventRows
        total.identityHourRows += part.identityHourRows
        total.identitiesWritten += part.identitiesWritten
    }
}
