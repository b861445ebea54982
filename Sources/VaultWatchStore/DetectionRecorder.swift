import Foundation
import VaultWatchCore

/// Saves a detection run's progress to the store so that a restart, even after `kill -9`,
/// gives the alerts of one uninterrupted run: each save holds, in one transaction, the
/// sources' checkpoints after the last processed batch, the alerts the batches since the
/// previous save opened or updated, the open alerts with their folding keys, the detector's
/// event clock and its state: learned baselines and what is in flight (`Detector.exportProgress()`).
///
/// Saves happen after a batch when the reader has caught up with its input (a batch smaller
/// than the batch size: the end of a file, or a quiet live source; not when the run reads to
/// the end and finishes, `readsToEnd`) or when the save interval has passed, and at the end. The interval is `minimumSaveInterval`, stretched to 20 times the last
/// save's duration, so that saving (baselines grow with entities) costs at most about 5%.
///
/// A save stops the detector only for its export (one cut of its state, with the checkpoints of
/// the batches it processed); the store's transaction is written by a `SaveWriter` on a thread
/// of its own while the next batches are processed, one save at a time and in order (a save
/// due while the previous is still being written waits for a later batch). The end's save is
/// waited for by `finish`. A failed save is thrown by the next call (`processed`, `finish`),
/// and no save after it is written: the file keeps the last save that committed.
///
/// Usage, from the one task that feeds the detector:
///
///     var recorder = try DetectionRecorder(store: store, batchSize: batchSize)
///     let ingestor = try Ingestor(…, configuration: …(checkpoints: recorder.saved.checkpoints))
///     let detector = try recorder.makeDetector(symbols: symbols, configuration: configuration)
///     await recorder.start(detector: detector, ingestor: ingestor)   // before the first batch
///     for await batch in ingestor.batches {
///         try await recorder.beforeProcessing(batch, by: detector)
///         let touched = await detector.process(batch)
///         try await recorder.processed(batch, touched: touched, by: detector)
///     }
///     try await recorder.finish(detector)   // finishes the detector, saves
///
/// - Important: the ingestor must be made with `saved.checkpoints` (`Ingestor.Configuration`),
///   and batches must be reported in the order taken, each once.
public struct DetectionRecorder {
    public let store: AlertStore
    /// What the previous run saved; its checkpoints go into the ingestor's configuration.
    public let saved: AlertStore.SavedDetection
    private let batchSize: Int
    private let minimumSaveInterval: Duration
    private let savesBaselines: Bool
    private let readsToEnd: Bool
    private var saveInterval: Duration
    private let clock = ContinuousClock()
    private var ingestor: Ingestor?
    private var batchesProcessed = 0
    private var batchesSaved = 0
    private var lastSave: ContinuousClock.Instant
    /// Alerts touched since the last save, latest state, in first-touched order.
    private var pendingAlerts: [Alert] = []
    private var pendingIndex: [String: Int] = [:]
    /// The stored state, before this run, of each alert this run touched (nil: not stored).
    private var storedBeforeRun: [String: Alert?] = [:]
    /// The arrival number from which held events are not saved yet (`HeldEventChanges`): saves
    /// write each held event once and delete it once released.
    private var heldSince: UInt64
    /// Each hour of the records taken lately the file holds rows of, and the count of each in
    /// order (`IdentityChanges.layout`): saves write what the rows lack.
    private var savedIdentityHours: [Int32: [Int]]
    /// The state held nothing saved when this run started (`AlertStore.holdsNothingSaved`).
    private let startedEmpty: Bool
    /// The alerts whose stored state before this run a save has read, or will read before it
    /// writes them (`storedBeforeRun`).
    private var storedBeforeRunAsked: Set<String> = []
    /// Writes the saves, beside the detector.
    private let writer = SaveWriter()
    /// What follows (and `heldSince`) is what the file holds once the saves handed to the writer
    /// have committed: each save is written as a difference from the one before it.
    /// The checkpoints as the file holds them, by path: a save writes those that moved.
    private var savedCheckpoints: [String: FileFollower.Checkpoint]
    /// The paths whose saved checkpoint is a row of its own; the others are in the pack.
    private var checkpointRowPaths: Set<String>
    /// The open alerts' folding keys as the file holds them, by alert id: a save writes those
    /// opened since and deletes those closed.
    private var savedOpenAlerts: [String: OpenAlertKey]
    /// The state exported before the first batch the end of the input decided
    /// (`EventBatch.endOfInputDecides`), with when it was taken and the alerts touched until
    /// then: what `finish` saves to resume from, in its first transaction (the alerts touched
    /// since go with the rest, as the finish's do). Nothing is saved after it before `finish`,
    /// unless it lapses (`EventBatch.endOfInputCutLapses`).
    private var endOfInputCut: (progress: DetectionProgress, started: ContinuousClock.Instant, alerts: [Alert])?
    /// The alerts touched since `endOfInputCut`, latest state: those that were open there resume
    /// from their state there.
    private var touchedSinceCut: [Alert] = []
    /// Positions a cut that lapsed took from the ingestor, which hands each over once
    /// (`Ingestor.checkpoints(throughBatch:)`): the next save writes them, unless they moved since.
    private var lapsedCutCheckpoints: [FileFollower.Checkpoint] = []

    /// What the `open_alert` table keeps of an open alert.
    private struct OpenAlertKey: Equatable {
        var principalID: String?
        var callerIP: IPAddress?
        var operation: String?
        var lastTaken: EventTime?

        init(_ open: AlertAggregator.OpenAlert) {
            principalID = open.entityPrincipalID
            callerIP = open.entityCallerIP
            operation = open.entityOperation
            lastTaken = open.lastTaken
        }
    }

    /// Reads what the previous run saved.
    /// - Parameters:
    ///   - batchSize: the ingestor's batch size: a smaller batch means the reader caught up.
    ///   - minimumSaveInterval: the shortest time between saves while batches keep coming; by
    ///     default 1 s, or `readToEndSaveInterval` for a run that `readsToEnd`.
    ///   - savesBaselines: false leaves the detector's baselines out of saves (a restart then
    ///     learns again): only for measuring what the rest of a save costs.
    ///   - readsToEnd: the run reads its input to the end, then calls `finish` (`detect`
    ///     without `--follow`): a batch that catches up with the input is then the end of it,
    ///     and `finish` saves at once, so that batch is not saved on its own as well (a save
    ///     that `finish` replaced a few milliseconds later: its transaction, its `fsync` and an
    ///     export of the detector). Saves on the interval stay; a kill before `finish` resumes
    ///     from the last of them, as from any save.
    public init(
        store: AlertStore, batchSize: Int, minimumSaveInterval: Duration? = nil, savesBaselines: Bool = true,
        readsToEnd: Bool = false
    ) throws(StoreError) {
        let minimumSaveInterval = minimumSaveInterval ?? (readsToEnd ? Self.readToEndSaveInterval : .seconds(1))
        self.store = store
        self.savesBaselines = savesBaselines
        self.readsToEnd = readsToEnd
        // A file this open created holds nothing yet: no read to find that out.
        startedEmpty = store.holdsNothingSaved
        let saved = startedEmpty ? .nothing : try store.savedDetection()
        self.saved = saved
        self.batchSize = batchSize
        self.minimumSaveInterval = minimumSaveInterval
        self.saveInterval = minimumSaveInterval
        self.lastSave = clock.now
        // Rows of a state older than format 12 hold an event each: the first save replaces them
        // with one row of every held event (from arrival 0), so rows of two forms never mix.
        if let format = saved.detectorSnapshot?.formatVersion, format < Detector.heldEventBlockFormat {
            self.heldSince = 0
        } else {
            self.heldSince = saved.heldEvents.map(\.arrival).max().map { $0 + 1 } ?? 0
        }
        self.savedIdentityHours = IdentityChanges.layout(of: saved.identityHours)
        self.savedCheckpoints = Dictionary(saved.checkpoints.map { ($0.path, $0) }, uniquingKeysWith: { $1 })
        self.checkpointRowPaths = saved.checkpointRowPaths
        self.savedOpenAlerts = Dictionary(saved.openAlerts.map { ($0.alert.id, OpenAlertKey($0)) }, uniquingKeysWith: { $1 })
    }

    /// A detector that starts from the baselines the previous run saved, or a new one.
    /// - Throws: `StoreError.detectorState` when the saved baselines are in a format this
    ///   version cannot read.
    public func makeDetector(symbols: SymbolTable, configuration: DetectorConfiguration) throws(StoreError) -> Detector {
        guard let snapshot = saved.detectorSnapshot else { return Detector(symbols: symbols, configuration: configuration) }
        do {
            return try Detector(
                symbols: symbols, configuration: configuration, restoring: snapshot.data, rows: saved.baselineRows,
                held: saved.heldEvents, identityHours: saved.identityHours)
        } catch {
            throw StoreError.detectorState(path: store.displayName, detail: "\(error)")
        }
    }

    /// Gives the detector back its open alerts and event clock, and names the ingestor whose
    /// checkpoints are saved. Call before the first batch. On a file that holds a save, starts
    /// the file's log on the save writer's thread (`AlertStore.startLog`), which `finish`,
    /// `waitForSaves` and `waitForClose` wait for as they wait for saves.
    public mutating func start(detector: Detector, ingestor: Ingestor) async {
        // The file's log started beside the reading, before the first save (`AlertStore.startLog`).
        if !startedEmpty { writer.perform { [store] in store.startLog() } }
        self.ingestor = ingestor
        await detector.restore(openAlerts: saved.openAlerts, eventClock: saved.eventClock)
    }

    /// Call before the detector processes `batch`. When the end of the input decided its records
    /// (`EventBatch.endOfInputDecides`: a step forward no record after it could tell from a clock
    /// set ahead, taken as right), takes the state to resume from now, before them: `finish`
    /// saves it, with this run's alerts, and nothing is saved in between (unless the stream goes
    /// on far past them: the cut lapses, `EventBatch.endOfInputCutLapses`, and saves go on). A run reading on from
    /// the checkpoints then reads those records again, with what the input holds after them, and
    /// decides them as one run over the whole input does; this run's alerts from them stand (it
    /// printed them), as those the end of the input raises do (`finish`).
    public mutating func beforeProcessing(_ batch: EventBatch, by detector: Detector) async throws(StoreError) {
        guard batch.endOfInputDecides, savesBaselines, endOfInputCut == nil else { return }
        let started = clock.now
        endOfInputCut = (try await export(detector), started, pendingAlerts)
        pendingAlerts.removeAll(keepingCapacity: true)
        pendingIndex.removeAll(keepingCapacity: true)
    }

    /// Notes a processed batch and the alerts it touched; saves when due (the store's part on
    /// the writer's thread).
    /// - Throws: the failure of an earlier save, written since the previous call.
    public mutating func processed(_ batch: EventBatch, touched: [Alert], by detector: Detector) async throws(StoreError) {
        batchesProcessed += 1
        note(touched)
        if batch.endOfInputCutLapses, let cut = endOfInputCut {
            // The stream went on far past the cut (`EventBatch.endOfInputCutLapses`): saves go on
            // from the state now, with the alerts and positions the cut had taken.
            endOfInputCut = nil
            touchedSinceCut.removeAll()
            lapsedCutCheckpoints = cut.progress.checkpoints
            let sinceCut = pendingAlerts
            pendingAlerts.removeAll(keepingCapacity: true)
            pendingIndex.removeAll(keepingCapacity: true)
            note(cut.alerts)
            note(sinceCut)
        }
        if endOfInputCut != nil {
            // Saved by `finish`, from the state before the end of the input decided.
            touchedSinceCut += touched
            try absorb(writer.takeWritten())
            return
        }
        // Asked before taking the reports, so that a save that commits in between is reported
        // (its interval known) before the next is due.
        let writing = writer.isWriting
        try absorb(writer.takeWritten())
        // One save at a time: a due save waits for a later batch (a quiet followed input keeps
        // sending empty ones until a save takes its checkpoints: `Ingestor`).
        guard !writing else { return }
        let elapsed = clock.now - lastSave
        let caughtUp = !readsToEnd && batch.events.count < batchSize
        if elapsed >= saveInterval || (caughtUp && elapsed >= saveInterval - minimumSaveInterval) {
            try await save(detector, waiting: false)
        }
    }

    /// Ends the run after the last batch: finishes the detector (`Detector.finish()`: held
    /// events released, the open hour closed, as the end of the input wants) and saves.
    ///
    /// What is saved to resume from is the detector as it was *before* finishing, as a kill at
    /// that point would leave it: the next run, reading on from the checkpoints, finds the held
    /// events still held, the open hour open and the open alerts as they were, so an hour, a
    /// sequence or a reorder window that spans the stop is judged as in one run. The alerts the
    /// finish raised or updated are saved as well (`alerts list` shows what `detect` printed);
    /// an open alert the finish updated resumes from its state before it
    /// (`DetectionProgress.resumeStates`), since the next run folds the same events into it again.
    /// The writer starts that save's transaction as soon as the state is exported, and the finish
    /// runs beside it: what the finish adds reaches the open transaction if it comes in time, else
    /// a second transaction right after that one commits (`SaveRest`).
    /// - Parameter waitingForSave: false returns as soon as the save is handed to the writer, so
    ///   that the caller does beside its transaction what does not need it (`detect` formats its
    ///   alerts); it then calls `waitForSaves()`, which throws the save's failure, before it
    ///   reports anything as saved or asks `isUnchanged`.
    /// - Returns: the alerts the finish published.
    @discardableResult
    public mutating func finish(_ detector: Detector, waitingForSave: Bool = true) async throws(StoreError) -> [Alert] {
        guard savesBaselines else {
            // Without the detector's state nothing resumes exactly anyway: save after the end.
            let released = await detector.finish()
            note(released)
            if batchesProcessed > batchesSaved || !pendingAlerts.isEmpty {
                try await save(detector, waiting: waitingForSave)
            } else if waitingForSave {
                try absorb(writer.waitForAll())
            }
            return released
        }
        // Exported while the previous save may still be being written: it is a difference from it.
        // Taken before the first batch the end of the input decided, when one came.
        let started = endOfInputCut?.started ?? clock.now
        var progress: DetectionProgress
        if let cut = endOfInputCut {
            progress = cut.progress
            // The run read and counted its records past the cut: the next run reads them again
            // without counting them as its own (`Checkpoint.readThrough`).
            progress.checkpoints = Self.readingThrough(
                progress.checkpoints, reached: ingestor?.checkpoints(throughBatch: batchesProcessed) ?? [], saved: savedCheckpoints)
        } else {
            progress = try await export(detector)
        }
        // The writer starts the transaction now; the finish runs beside it and hands it the rest.
        let rest = SaveRest()
        if let cut = endOfInputCut {
            // The alerts as they were at the cut go with its state; those touched since, with the
            // rest (a kill between the two transactions leaves the state of the cut whole).
            let sinceCut = pendingAlerts
            pendingAlerts = cut.alerts
            try write(progress, started: started, waiting: false, rest: rest)
            pendingAlerts = sinceCut
            pendingIndex = Dictionary(sinceCut.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        } else {
            try write(progress, started: started, waiting: false, rest: rest)
        }
        let released = await detector.finish()
        note(released)
        let before = Dictionary(progress.openAlerts.map { ($0.alert.id, $0.alert) }, uniquingKeysWith: { first, _ in first })
        // Each alert open before the finish (or the cut) that changed since, in its latest state
        // (the first met, latest first): it resumes from its state there.
        var resumed = Set<String>()
        let resumeStates = (released + touchedSinceCut.reversed()).compactMap { alert -> Alert? in
            guard let saved = before[alert.id], resumed.insert(alert.id).inserted else { return nil }
            return saved == alert ? nil : saved
        }
        let firstTouched = pendingAlerts.map(\.id).filter { storedBeforeRunAsked.insert($0).inserted }
        rest.fulfil(SaveRest.Contents(alerts: pendingAlerts, resumeStates: resumeStates, firstTouched: firstTouched))
        pendingAlerts.removeAll(keepingCapacity: true)
        pendingIndex.removeAll(keepingCapacity: true)
        if waitingForSave { try absorb(writer.waitForAll()) }
        return released
    }

    /// The positions of a cut (`endOfInputCut`: `cut`, those that moved before it since the last
    /// save; `saved`, what the file holds) with how far the run read past them: each position the
    /// run `reached` after the cut (the ingestor's positions since) goes as `readThrough` with the
    /// position its file resumes from, when of the same file and further (the furthest of it and
    /// one the position already carries: runs cut again and again before reaching it). A file the
    /// run handed nothing of before the cut (a blob opened after it, a vault whose records all
    /// came after it) resumes from its start, read through where the run reached. A file rotated
    /// since its position keeps it as it is (its records past it are counted again).
    static func readingThrough(
        _ cut: [FileFollower.Checkpoint], reached: [FileFollower.Checkpoint], saved: [String: FileFollower.Checkpoint]
    ) -> [FileFollower.Checkpoint] {
        guard !reached.isEmpty else { return cut }
        var positions = Dictionary(cut.map { ($0.path, $0) }, uniquingKeysWith: { $1 })
        for end in reached {
            let through = max(end.readThrough ?? end.offset, end.offset)
            guard var position = positions[end.path] ?? saved[end.path] else {
                guard through > 0 else { continue }
                var start = end
                start.offset = 0
                start.line = 1
                start.skipEvents = 0
                start.clock = nil
                start.precedingBytes = nil
                start.readThrough = through
                positions[end.path] = start
                continue
            }
            guard position.device == end.device, position.inode == end.inode,
                  through > max(position.readThrough ?? position.offset, position.offset) else { continue }
            position.readThrough = through
            positions[end.path] = position
        }
        return Array(positions.values)
    }

    /// Closes the store on the writer's thread, after the saves handed to it, while the caller goes
    /// on: SQLite's copy of the log into the file and the log's removal (3 ms of the demo tenant's
    /// short run on an existing file) run beside what the command still does after its last save
    /// (`detect` prints its alerts and its summary meanwhile), not after it. Call once `finish`
    /// has returned; nothing may use the store afterwards. `waitForClose` waits for it (before the
    /// process ends).
    public func closeStore() {
        let store = store
        writer.perform { store.close() }
    }

    /// Waits for `closeStore`'s close.
    public func waitForClose() {
        writer.waitUntilIdle()
    }

    /// Whether this run published `alert` only in the state the file held before the run (its
    /// status and original records aside): a run over nothing new re-raises at its end what the
    /// previous run's end raised (`finish`), which `detect` need not print again.
    public func isUnchanged(_ alert: Alert) -> Bool {
        guard case let stored?? = storedBeforeRun[alert.id] else { return false }
        return Self.detectionFields(alert) == Self.detectionFields(stored)
    }

    private static func detectionFields(_ alert: Alert) -> Alert {
        var alert = alert
        alert.status = .active
        for index in alert.evidence.indices { alert.evidence[index].record = nil }
        return alert
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

    /// Reads, before a save writes them, the stored state of `ids`, alerts this run touches for
    /// the first time (`isUnchanged`): one read a save, not one an alert (each read is a
    /// transaction of its own: 41 of them were 5 ms of the demo tenant's 0.1 s run). An alert the
    /// file cannot give back counts as changed. On the writer's thread, before the save's
    /// transaction: the saves before it, which it must not see, never wrote these alerts.
    private static func storedBeforeRun(
        of ids: [String], in store: AlertStore, startedEmpty: Bool, timings: inout SaveTimings
    ) -> [String: Alert?] {
        var before: [String: Alert?] = [:]
        guard !ids.isEmpty else { return before }
        // A state that held nothing saved when the run started held none of its alerts (the
        // run is the only writer of alerts: it holds the detection lock, and `alerts` commands
        // only change the status of alerts already there).
        var stored: [String: Alert] = [:]
        if !startedEmpty {
            let clock = ContinuousClock()
            let started = clock.now
            stored = (try? store.storedAlerts(exactIDs: ids)) ?? [:]
            timings.storedAlertsRead += clock.now - started
            timings.storedAlertReads += 1
        }
        for id in ids { before[id] = .some(stored[id]) }
        return before
    }

    /// The shortest time between saves of a run that reads its input to the end (`readsToEnd`):
    /// its input is files that are there, so a save bounds only the reading a crash makes the next
    /// run redo, and the end's save comes soon. A run of a few seconds (the benchmark's 300,000
    /// synthetic records: 1.5 s) then saves once, at the end: with 1 s, its first save, before
    /// the 20-times rule had a duration to go by, was a whole export of the detector and a
    /// transaction for a third of the run's state, some 5% of its time (issue 11). A following
    /// run (`watch`, `detect --follow`) keeps 1 s: what it read lately is what a crash must not lose.
    public static let readToEndSaveInterval = Duration.seconds(10)

    /// Fewest checkpoint rows worth folding into the pack.
    static let checkpointRowsBeforePacking = 256

    /// Whether a save writes every checkpoint as the pack (one row) instead of a row per moved
    /// checkpoint: once the rows would pass both `checkpointRowsBeforePacking` and an eighth of
    /// the checkpoints saved. A tree of thousands of blobs read for the first time is one row,
    /// not thousands (a row cost some 8 µs here); a live source's few moving files stay rows, and
    /// the pack is rewritten at most once per eighth of its size in rows, so each checkpoint
    /// that moves costs at most about eight packed ones, however large the tree.
    static func packsCheckpoints(rows: Int, saved: Int) -> Bool {
        rows > max(checkpointRowsBeforePacking, saved / 8)
    }

    /// How many saves this run made (for the summary and tests).
    public private(set) var saveCount = 0
    /// Time spent exporting the detector's state and writing the store, for the benchmark.
    public private(set) var exportTime = Duration.zero
    public private(set) var writeTime = Duration.zero
    /// The same, part by part, over all the saves of this run, for the benchmark.
    public private(set) var timings = SaveTimings()
    /// The size of the detector's state in the last save, for the benchmark.
    public private(set) var snapshotBytes = 0
    /// The bytes of held events this run wrote (each once), for the benchmark.
    public private(set) var heldBytesWritten = 0

    /// Saves now, whatever the interval (tests); with `waiting`, returns once it has committed,
    /// else as soon as it is handed to the writer (after any save being written).
    mutating func saveNow(_ detector: Detector, waiting: Bool = true) async throws(StoreError) {
        try await save(detector, waiting: waiting)
    }

    /// Waits for the saves handed to the writer to commit: after `finish(_:waitingForSave:)`
    /// without waiting, and in tests that stop a run as `kill -9` would after a save (the store
    /// is then free for the next run's).
    /// - Throws: the failure of a save written since the previous call.
    public mutating func waitForSaves() throws(StoreError) {
        try absorb(writer.waitForAll())
    }

    private mutating func save(_ detector: Detector, waiting: Bool) async throws(StoreError) {
        let started = clock.now
        try write(try await export(detector), started: started, waiting: waiting)
    }

    /// What a save writes, taken from the detector now (alerts: those touched since the last save).
    private mutating func export(_ detector: Detector) async throws(StoreError) -> DetectionProgress {
        let started = clock.now
        // One cut: the checkpoints after the batches processed, and the detector's state, open
        // alerts and clock taken together right after the last of them (this task feeds the
        // detector, so no batch comes between).
        var checkpoints = ingestor?.checkpoints(throughBatch: batchesProcessed) ?? []
        if !lapsedCutCheckpoints.isEmpty {
            var latest = Dictionary(lapsedCutCheckpoints.map { ($0.path, $0) }, uniquingKeysWith: { $1 })
            for checkpoint in checkpoints { latest[checkpoint.path] = checkpoint }
            checkpoints = Array(latest.values)
            lapsedCutCheckpoints.removeAll()
        }
        var snapshot: DetectorSnapshot?
        var held: HeldEventChanges?
        var identities: IdentityChanges?
        let openAlerts: [AlertAggregator.OpenAlert]
        let eventClock: EventTime?
        if savesBaselines {
            do {
                let progress = try await detector.exportProgress(heldSince: heldSince, savedIdentityHours: savedIdentityHours)
                snapshot = DetectorSnapshot(formatVersion: Detector.stateFormatVersion(of: progress.state), data: progress.state)
                held = progress.held
                identities = progress.identities
                (openAlerts, eventClock) = (progress.openAlerts, progress.eventClock)
            } catch {
                throw StoreError.detectorState(path: store.displayName, detail: "\(error)")
            }
        } else {
            (openAlerts, eventClock) = (await detector.openAlerts, await detector.eventClock)
        }
        let exported = clock.now
        exportTime += exported - started
        timings.export += exported - started
        snapshotBytes = snapshot?.data.count ?? 0
        heldBytesWritten += held?.added?.data.count ?? 0
        return DetectionProgress(
            checkpoints: checkpoints, alerts: pendingAlerts, openAlerts: openAlerts, eventClock: eventClock,
            detectorSnapshot: snapshot, heldEvents: held, identities: identities)
    }

    /// Hands `progress` (with the alerts touched since it was exported) to the writer, which
    /// writes it in one transaction after the saves before it; with `waiting`, returns once it
    /// has committed.
    private mutating func write(
        _ progress: DetectionProgress, started: ContinuousClock.Instant, waiting: Bool, rest: SaveRest? = nil
    ) throws(StoreError) {
        var progress = progress
        progress.alerts = pendingAlerts
        let firstTouched = pendingAlerts.map(\.id).filter { storedBeforeRunAsked.insert($0).inserted }
        // Blobs that retention deleted from a tree (its listing no longer lists them): their
        // positions would make the pack grow with the tree's whole history. Forgotten here, so the
        // next save that packs leaves them out; a position that moved since is kept (below).
        // Paths an input under another path took the checkpoint of (moved) are handed over the
        // same way; a row of its own is deleted now (rows are never rewritten whole, as the pack is).
        var forgottenRows: Set<String> = []
        for path in ingestor?.takeBlobsGone() ?? [] {
            savedCheckpoints[path] = nil
            if checkpointRowPaths.contains(path) { forgottenRows.insert(path) }
        }
        // Only what changed since the last save: the checkpoints that moved, the alerts that
        // became open or closed (the alerts written are those touched since, already).
        let checkpoints = progress.checkpoints.filter { savedCheckpoints[$0.path] != $0 }
        for checkpoint in checkpoints { forgottenRows.remove(checkpoint.path) }
        progress.forgottenCheckpointRows = forgottenRows.sorted()
        let rowPaths = checkpointRowPaths.subtracting(forgottenRows).union(checkpoints.lazy.map(\.path))
        let packs = Self.packsCheckpoints(rows: rowPaths.count, saved: savedCheckpoints.count)
        if packs {
            var packed = savedCheckpoints
            for checkpoint in checkpoints { packed[checkpoint.path] = checkpoint }
            progress.checkpointPack = Array(packed.values)
            progress.checkpoints = []
            savedCheckpoints = packed
        } else {
            progress.checkpoints = checkpoints
            for checkpoint in checkpoints { savedCheckpoints[checkpoint.path] = checkpoint }
        }
        checkpointRowPaths = packs ? [] : rowPaths
        var openKeys: [String: OpenAlertKey] = [:]
        openKeys.reserveCapacity(progress.openAlerts.count)
        var opened: [AlertAggregator.OpenAlert] = []
        for open in progress.openAlerts {
            let key = OpenAlertKey(open)
            openKeys[open.alert.id] = key
            if savedOpenAlerts[open.alert.id] != key { opened.append(open) }
        }
        progress.openAlerts = opened
        progress.closedAlertIDs = savedOpenAlerts.keys.filter { openKeys[$0] == nil }
        savedOpenAlerts = openKeys
        if let held = progress.heldEvents { heldSince = held.nextArrival }
        if let identities = progress.identities { savedIdentityHours = identities.layout }
        // The next save is a difference from this one: if this one fails, the writer writes no
        // other, so the file never holds a difference from a save it does not hold.
        let (store, startedEmpty) = (store, startedEmpty)
        let write = progress
        writer.submit { () throws(StoreError) -> SaveWriter.Written in
            let clock = ContinuousClock()
            let writing = clock.now
            var timings = SaveTimings()
            var stored = Self.storedBeforeRun(of: firstTouched, in: store, startedEmpty: startedEmpty, timings: &timings)
            timings += try store.save(write, rest: rest, storedBeforeRest: &stored)
            let committed = clock.now
            return SaveWriter.Written(
                timings: timings, storedBeforeRun: stored, writing: committed - writing, whole: committed - started, committed: committed)
        }
        pendingAlerts.removeAll(keepingCapacity: true)
        pendingIndex.removeAll(keepingCapacity: true)
        batchesSaved = batchesProcessed
        lastSave = clock.now
        saveCount += 1
        if waiting { try absorb(writer.waitForAll()) }
    }

    /// Takes in what the saves that committed report: the stored alerts they read, their times,
    /// and the interval until the next save (20 times the last save's duration, export and
    /// transaction: the transaction no longer stops the detector, but it takes the disk and a
    /// core).
    private mutating func absorb(_ written: [SaveWriter.Written]) {
        for save in written {
            storedBeforeRun.merge(save.storedBeforeRun) { _, new in new }
            timings += save.timings
            writeTime += save.writing
            lastSave = save.committed
            saveInterval = max(minimumSaveInterval, save.whole * 20)
        }
    }
}
