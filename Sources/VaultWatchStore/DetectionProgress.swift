import VaultWatchCore

/// What a detection run saves together, in one transaction, after the batches it has processed:
/// where each source stands, the alerts those batches opened or updated, the alerts still open
/// to repeats and the detector's learned state. A run restarted from it gives the alerts of one
/// uninterrupted run.
public struct DetectionProgress: Sendable {
    /// Where each file and blob resumes (`Ingestor.checkpoints(throughBatch:)`): those given are
    /// written, the others stay as saved (a source that has not moved need not be given).
    public var checkpoints: [FileFollower.Checkpoint]
    /// When set, every checkpoint, written as one row (`source_checkpoint_pack`) that replaces the
    /// saved pack and every saved row; `checkpoints` are then written as rows after it. Nil
    /// leaves the pack as saved.
    public var checkpointPack: [FileFollower.Checkpoint]?
    /// Paths whose checkpoint row is deleted (before `checkpoints` are written): positions the
    /// run was told are gone (`Ingestor.takeBlobsGone()`). A pack written drops every row anyway.
    public var forgottenCheckpointRows: [String] = []
    /// Alerts opened or updated since the last save, in their current state (upserted by id;
    /// an alert's status, set by a person, is kept).
    public var alerts: [Alert]
    /// Every alert that can still take repeats, replacing the saved set; with `closedAlertIDs`,
    /// only those opened since the last save.
    public var openAlerts: [AlertAggregator.OpenAlert]
    /// The detector's event clock.
    public var eventClock: EventTime?
    /// The detector's learned state; nil leaves the saved snapshot as it is.
    public var detectorSnapshot: DetectorSnapshot?
    /// With `closedAlertIDs`, `openAlerts` are only the alerts opened since the last save (or whose
    /// folding key changed), and these the ones no longer open: nil replaces the saved set with
    /// `openAlerts`.
    public var closedAlertIDs: [String]?
    /// The held events the detector took and released since the last save, when its snapshot
    /// leaves them out (`Detector.exportProgress(heldSince:)`). A snapshot saved without them
    /// holds its held events itself, and the saved rows are cleared.
    public var heldEvents: HeldEventChanges?
    /// The records taken lately whose hours changed since the last save, when the snapshot leaves
    /// them out (`Detector.exportProgress(heldSince:savedIdentityHours:)`). A snapshot saved
    /// without them holds its window itself, and the saved rows are cleared.
    public var identities: IdentityChanges?
    /// The state to resume from of open alerts whose row in the `alert` table is newer: a clean
    /// stop saves the alerts the end of its input raised (for `alerts list`) and the detector as
    /// it was before that end (for the next run, which reads on from there); an open alert that
    /// end updated is folded from its state before it. Empty otherwise (open alerts resume from
    /// their rows).
    public var resumeStates: [Alert] = []

    public init(
        checkpoints: [FileFollower.Checkpoint] = [], checkpointPack: [FileFollower.Checkpoint]? = nil, alerts: [Alert] = [], openAlerts: [AlertAggregator.OpenAlert] = [],
        eventClock: EventTime? = nil, detectorSnapshot: DetectorSnapshot? = nil, heldEvents: HeldEventChanges? = nil,
        identities: IdentityChanges? = nil, closedAlertIDs: [String]? = nil
    ) {
        self.identities = identities
        self.closedAlertIDs = closedAlertIDs
        self.heldEvents = heldEvents
        self.checkpoints = checkpoints
        self.checkpointPack = checkpointPack
        self.alerts = alerts
        self.openAlerts = openAlerts
        self.eventClock = eventClock
        self.detectorSnapshot = detectorSnapshot
    }
}
