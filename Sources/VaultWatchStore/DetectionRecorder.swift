import VaultWatchCore

/// Saves a detection run's progress to the store so that a restart, even after `kill -9`,
/// gives the alerts of one uninterrupted run: each save holds, in one transaction, the
/// sources' checkpoints after the last processed batch, the alerts the batches since the
/// previous save opened or updated, the open alerts with their folding keys and the
/// detector's event clock.
///
/// Saves happen after a batch when the reader has caught up with its input (a batch smaller
/// than the batch size: the end of a file, or a quiet live source), or when `saveInterval` has
/// passed since the last save, and at the end: at most about one fsync per interval however
/// fast events arrive, and a live source is saved as soon as it pauses.
///
/// Usage, from the one task that feeds the detector:
///
///     var recorder = try DetectionRecorder(store: store, ingestor: ingestor)
///     await recorder.restore(into: detector)            // before the first batch
///     for await batch in ingestor.batches {
///         let touched = await detector.process(batch)
///         try await recorder.processed(batch, touched: touched, by: detector)
///     }
///     try await recorder.finish(released: await detector.finish(), by: detector)
///
/// - Important: the ingestor must be made with `saved.checkpoints` (`Ingestor.Configuration`),
///   and batches must be reported in the order taken, each once.
public struct DetectionRecorder {
    public let store: AlertStore
    /// What the previous run saved; its checkpoints go into the ingestor's configuration.
    public let saved: AlertStore.SavedDetection
    private let batchSize: Int
    private let saveInterval: Duration
    private let clock = ContinuousClock()
    private var ingestor: Ingestor?
    private var batchesProcessed = 0
    private var batchesSaved = 0
    private var lastSave: ContinuousClock.Instant
    /// Alerts touched since the last save, latest state, in first-touched order.
    private var pendingAlerts: [Alert] = []
    private var pendingIndex: [String: Int] = [:]

    /// Reads what the previous run saved.
    /// - Parameters:
    ///   - batchSize: the ingestor's batch size: a smaller batch means the reader caught up.
    ///   - saveInterval: the longest time between saves while batches keep coming full.
    public init(store: AlertStore, batchSize: Int, saveInterval: Duration = .seconds(1)) throws(StoreError) {
        self.store = store
        self.saved = try store.savedDetection()
        self.batchSize = batchSize
        self.saveInterval = saveInterval
        self.lastSave = clock.now
    }

    /// Gives the detector back its open alerts and event clock, and names the ingestor whose
    /// checkpoints are saved. Call before the first batch.
    public mutating func start(detector: Detector, ingestor: Ingestor) async {
        self.ingestor = ingestor
        // The detector's learned state (baselines) is restored here once the detector can
        // import it; `saved.detectorSnapshot` holds the bytes of the last run.
        await detector.restore(openAlerts: saved.openAlerts, eventClock: saved.eventClock)
    }

    /// Notes a processed batch and the alerts it touched; saves when due.
    public mutating func processed(_ batch: EventBatch, touched: [Alert], by detector: Detector) async throws(StoreError) {
        batchesProcessed += 1
        note(touched)
        if batch.events.count < batchSize || clock.now - lastSave >= saveInterval {
            try await save(detector)
        }
    }

    /// Saves what is left, with the alerts the detector released at the end of the input
    /// (`Detector.finish()`); call after the last batch.
    public mutating func finish(released: [Alert], by detector: Detector) async throws(StoreError) {
        note(released)
        if batchesProcessed > batchesSaved || !pendingAlerts.isEmpty { try await save(detector) }
    }

    private mutating func note(_ touched: [Alert]) {
        for alert in touched {
            if let index = pendingIndex[alert.id] {
                pendingAlerts[index] = alert
            } else {
                pendingIndex[alert.id] = pendingAlerts.count
                pendingAlerts.append(alert)
            }
        }
    }

    /// How many saves this run made (for the summary and tests).
    public private(set) var saveCount = 0

    private mutating func save(_ detector: Detector) async throws(StoreError) {
        let checkpoints = ingestor?.checkpoints(throughBatch: batchesProcessed) ?? []
        let progress = DetectionProgress(
            checkpoints: checkpoints, alerts: pendingAlerts, openAlerts: await detector.openAlerts,
            eventClock: await detector.eventClock, detectorSnapshot: nil)
        try store.save(progress)
        pendingAlerts.removeAll(keepingCapacity: true)
        pendingIndex.removeAll(keepingCapacity: true)
        batchesSaved = batchesProcessed
        lastSave = clock.now
        saveCount += 1
    }
}
