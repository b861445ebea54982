/// Told of each batch the dashboard's feed had the detector process, in order, with the alerts
/// it opened or updated, and asked to finish the detector at the end: `watch` saves them to its
/// state file (checkpoints, alerts, baselines in one transaction) so a restart resumes where it
/// stopped, from the detector as it was before finishing (`DetectionRecorder.finish`).
///
/// - Important: called from the feed's one task, each call awaited before the next batch, so the
///   detector has processed exactly the batches reported when the recorder exports its state.
///   Used only when the feed hands the ingestor's batches on unchanged (no hour reordering), so
///   that a batch reported is a batch the ingestor can give a checkpoint for.
public protocol DetectionProgressRecorder: Sendable {
    /// Told before the detector processes `batch` (`DetectionRecorder.beforeProcessing`: the state
    /// to resume from is taken before a batch the end of the input decided).
    func beforeProcessing(_ batch: EventBatch) async
    func processed(_ batch: EventBatch, touched: [Alert]) async
    /// Finishes `detector` (`Detector.finish()`) and saves; returns the alerts the finish published.
    func finish(_ detector: Detector) async -> [Alert]
}
