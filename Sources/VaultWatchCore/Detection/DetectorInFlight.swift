/// What a detector holds between two batches besides what it has learned: the baselines' open
/// hour and open sequences, the events waiting in the reorder buffer, and its counters. Saved
/// as the `inFlight` section of the detector's state so that a detector restored at any record
/// boundary gives the alerts of the uninterrupted run (`Detector.exportState()`).
///
/// The open alerts are not here: the state store keeps them beside the alerts they are
/// (`AlertStore.save`, `Detector.restore(openAlerts:eventClock:)`).
struct DetectorInFlight: Codable, Sendable, Equatable {
    var baselines: BaselineInFlight
    var reorder: ReorderBuffer.Snapshot
    var counters: DetectorCounters
    /// The records taken lately (format 18; nil in older states: none known).
    var identities: RecordIdentities.Snapshot? = nil
    /// The ids of the alerts raised and no longer open (`AlertAggregator.issuedIDs`; format 21,
    /// nil in older states: none known, as the detector that saved them knew none).
    var issuedAlertIDs: [AlertAggregator.IssuedID]? = nil
    /// The lines of the late repeats whose runs' reports are not settled yet, by source
    /// (`LateRunRepeats`; format 22, nil in older states: none).
    var lateRepeats: [String: [Int]]? = nil
}
