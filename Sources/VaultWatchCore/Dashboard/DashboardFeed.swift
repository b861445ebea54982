import AsyncAlgorithms

/// Carries the ingestor's batches to the detector and the dashboard model, and the
/// detector's alerts to the model: the dashboard's pipeline, with no terminal in it.
///
/// With a `ReplayPacer`, history before its `playbackStart` passes at full speed (reporting
/// progress) and the rest plays at the replay's speed. The detector gets every batch
/// (back-pressure reaches the reader); the model only counts, and the UI takes snapshots on
/// its own schedule, so the UI never slows ingestion.
public struct DashboardFeed: Sendable {
    public var detector: Detector
    public var model: DashboardModel
    public var pacer: ReplayPacer?
    public var loading: LoadingProgress?
    /// Where the history starts, for the progress bar (with `pacer.playbackStart` as its end).
    public var historyStart: EventTime?
    /// Told of each batch processed (`watch` saves its state).
    public var recorder: (any DetectionProgressRecorder)?
    /// Called on the thread that hands on each batch (or each step of one, `eventsPerStep`),
    /// before the detector takes it: `watch` and `demo` lower that thread's scheduling priority
    /// below the dashboard's and step aside there while a frame is drawn (`ThreadPriority`,
    /// `FrameGate`).
    public var beforeEachBatch: (@Sendable () -> Void)?
    /// Called on the thread of each of the feed's own refreshes, before it: a snapshot published,
    /// the baselines or a profile asked for (`watch` and `demo`: as `beforeEachBatch`).
    public var beforeEachRefresh: (@Sendable () -> Void)?
    /// The most events the detector takes at once: a larger batch is handed on in steps of at
    /// most this many, each after `beforeEachBatch`. `watch` and `demo` take small steps so that
    /// their ingestion reaches a boundary often, where it steps aside while the dashboard draws
    /// (`FrameGate`): a whole batch (4,096 events) is several milliseconds of detection, a step
    /// of 512 a fraction of one. The detector's results do not depend on where batches end.
    public var eventsPerStep = Int.max

    /// The batches come from an `Ingestor`, already merged by event time across sources (a
    /// blob tree replays minute by minute across vaults); the detector's reorder buffer absorbs
    /// what disorder remains within a source.
    public init(
        detector: Detector, model: DashboardModel, pacer: ReplayPacer? = nil, loading: LoadingProgress? = nil,
        historyStart: EventTime? = nil, recorder: (any DetectionProgressRecorder)? = nil
    ) {
        self.detector = detector
        self.model = model
        self.pacer = pacer
        self.loading = loading
        self.historyStart = historyStart
        self.recorder = recorder
    }

    /// Runs until `batches` ends or the task is cancelled; then finishes the detector.
    public func run(batches: AsyncChannel<EventBatch>) async {
        let detector = self.detector
        let model = self.model
        let alerts = Task {
            for await alert in detector.alerts { model.upsert(alert) }
        }
        let publisher = Task {
            while !Task.isCancelled {
                beforeEachRefresh?()
                model.publishIfChanged()
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
        // The detector's baselines of every vault, every two seconds, in one call: the chart
        // compares with what the rules compare with (the detector caches each vault's bands
        // until its next hour closes, so a tenant of thousands of vaults costs little).
        let baselines = Task {
            while !Task.isCancelled {
                beforeEachRefresh?()
                let summaries = await detector.baselineSummaries(vaults: model.vaultNames)
                if !summaries.isEmpty { model.updateBaselines(summaries) }
                try? await Task.sleep(for: .seconds(2))
            }
        }
        // A live run frees big buffers for hours: their pages go back to the system (`HeapRelease`).
        let release = Task { await HeapRelease.run() }
        var position = ReplayPacer.Position()
        var historyDone = pacer == nil
        for await batch in batches {
            if Task.isCancelled { break }
            beforeEachBatch?()
            guard await deliver(batch, position: &position, historyDone: &historyDone) else { break }
        }
        loading?.finish()
        if let recorder { _ = await recorder.finish(detector) } else { await detector.finish() }
        await alerts.value
        baselines.cancel()
        release.cancel()
        model.publishIfChanged()
        publisher.cancel()
    }

    /// Keeps the open entity page's profile (what the baselines know) current: asks the
    /// detector when the page changes and every few seconds while it stays open, and
    /// publishes a snapshot with it. Runs until cancelled, after the input has ended too.
    public func followProfiles(refresh: Duration = .seconds(5)) async {
        var asked: EntityReference?
        var askedAt = ContinuousClock.now
        while !Task.isCancelled {
            if let entity = model.focusedEntity, entity != asked || ContinuousClock.now - askedAt >= refresh {
                asked = entity
                askedAt = ContinuousClock.now
                beforeEachRefresh?()
                model.updateProfile(await detector.profile(of: entity))
                model.publishIfChanged()
            } else if model.focusedEntity == nil {
                asked = nil
            }
            try? await Task.sleep(for: .milliseconds(200))
        }
    }

    /// Hands one batch on, paced; false when cancelled.
    private func deliver(_ batch: EventBatch, position: inout ReplayPacer.Position, historyDone: inout Bool) async -> Bool {
        await recorder?.beforeProcessing(batch)
        // The model counts what the detector took: told of the repeats the detector recognised.
        guard let pacer else {
            let touched = await take(batch)
            await recorder?.processed(batch, touched: touched)
            return true
        }
        var touched: [Alert] = []
        for slice in pacer.slices(of: batch) {
            if let last = slice.events.last {
                if last.time < pacer.playbackStart {
                    reportProgress(at: last.time, playbackStart: pacer.playbackStart)
                } else if !historyDone {
                    historyDone = true
                    loading?.finish()
                }
                do {
                    try await pacer.wait(until: last.time, position: &position)
                } catch {
                    return false
                }
            }
            touched += await take(slice)
        }
        await recorder?.processed(batch, touched: touched)
        return !Task.isCancelled
    }

    /// Hands `batch` to the detector and the model, in steps of at most `eventsPerStep` events
    /// (`beforeEachBatch` before each but the first); returns the alerts it touched.
    private func take(_ batch: EventBatch) async -> [Alert] {
        guard batch.events.count > eventsPerStep else {
            let taken = await detector.take(batch)
            model.ingest(batch, repeats: taken.repeats)
            return taken.alerts
        }
        var touched: [Alert] = []
        let starts = Array(stride(from: eventsPerStep, to: batch.events.count, by: eventsPerStep))
        for (index, step) in batch.parts(startingAt: starts).enumerated() {
            if index > 0 { beforeEachBatch?() }
            let taken = await detector.take(step)
            model.ingest(step, repeats: taken.repeats)
            touched += taken.alerts
        }
        return touched
    }

    private func reportProgress(at time: EventTime, playbackStart: EventTime) {
        guard let loading, let start = historyStart else { return }
        let total = Double(playbackStart.ticks - start.ticks)
        guard total > 0 else { return }
        let done = Double(time.ticks - start.ticks)
        let day = Int((time.ticks - start.ticks) / EventTime.ticksPerDay) + 1
        let days = Int((playbackStart.ticks - start.ticks) / EventTime.ticksPerDay)
        loading.update(fraction: done / total, label: "Reading \(days) days of history at full speed: day \(day) of \(days), \(time.iso8601.prefix(10))")
    }
}
