import Dispatch
import Foundation
import GRDB
import Testing
import VaultWatchTestSupport
@testable import VaultWatchCore
@testable import VaultWatchStore

/// Saves written beside the detector (`SaveWriter`): the detector stops for a save's export
/// only, and the store's transaction runs on the writer's thread while the next batches are
/// processed. These tests hold a save in the middle of its transaction (another connection
/// keeps the file's write lock, as an `alerts dismiss` does for a moment) to see what the
/// recorder does meanwhile: no second save while one is being written, the end's save after
/// the one being written, and after a save that failed, no save at all.
@Suite("Saves written beside the detector")
struct BackgroundSaveTests {
    /// Another connection to the state file holding its write lock until `release()`: a save
    /// waits for it (the store's busy timeout), so it is in flight for as long as the test wants.
    final class WriteLock: Sendable {
        private let queue: DatabaseQueue

        init(path: String) throws {
            var configuration = Configuration()
            configuration.allowsUnsafeTransactions = true
            // As `alerts dismiss` does, it waits for a write in progress: the recorder's start of
            // the file's log (`AlertStore.startLog`) on a file that holds a save.
            configuration.busyMode = .timeout(10)
            queue = try DatabaseQueue(path: path, configuration: configuration)
            try queue.inDatabase { db in try db.execute(sql: "BEGIN IMMEDIATE") }
        }

        func release() throws {
            try queue.inDatabase { db in try db.execute(sql: "COMMIT") }
        }

        /// Releases the lock after `delay`, from a thread outside Swift's cooperative pool
        /// (which the recorder's waits may hold).
        func release(after delay: Double) {
            DispatchQueue.global().asyncAfter(deadline: .now() + delay) { try? self.release() }
        }
    }

    static func batches(_ events: [AuditEvent], size: Int) -> [EventBatch] {
        stride(from: 0, to: events.count, by: size).map { EventBatch(events: Array(events[$0..<min(events.count, $0 + size)])) }
    }

    /// What each test starts from: a state file, a detector and its recorder, and
    /// `IncrementalStateTests`' events in batches of 40.
    struct Run {
        let path: String
        let batches: [EventBatch]
        var recorder: DetectionRecorder
        let detector: Detector

        /// - Parameters:
        ///   - createsFile: writes the file before the run: a file that did not exist appears at
        ///     its first save (`NewFileSetUp`), and a test's write lock can only be taken on it
        ///     once it does.
        ///   - makeRecorder: the recorder the test is about, over the opened store.
        init(
            options: AlertStore.Options = AlertStore.Options(), createsFile: Bool = true,
            makeRecorder: (AlertStore) throws -> DetectionRecorder
        ) throws {
            path = try StoreFixture.statePath()
            let symbols = SymbolTable()
            batches = BackgroundSaveTests.batches(IncrementalStateTests.events(symbols: symbols), size: 40)
            let store = try AlertStore(path: path, access: .detection, options: options)
            if createsFile { try store.save(DetectionProgress()) }
            recorder = try makeRecorder(store)
            detector = try recorder.makeDetector(symbols: symbols, configuration: IncrementalStateTests.configuration)
        }

        /// Processes `batches` as `detect` does, the recorder saving when it decides to.
        /// - Returns: the alerts the batches touched, each in its latest state, by id.
        mutating func process(_ batches: ArraySlice<EventBatch>) async throws -> [String: Alert] {
            var touchedAlerts: [String: Alert] = [:]
            for batch in batches {
                let touched = await detector.process(batch)
                for alert in touched { touchedAlerts[alert.id] = alert }
                try await recorder.processed(batch, touched: touched, by: detector)
            }
            return touchedAlerts
        }

        func savedDetection() throws -> AlertStore.SavedDetection {
            try AlertStore(path: path, access: .readOnly).savedDetection()
        }
    }

    @Test("no save is taken while one is being written; at the end, the end's save comes after it and is what the file holds")
    func theEndsSaveWaitsForTheSaveInFlight() async throws {
        // No interval: a save is due after every batch until the first save's duration is known.
        var run = try Run { try DetectionRecorder(store: $0, batchSize: 1000, minimumSaveInterval: .zero) }
        // The first batch's save waits for the lock in the middle of its transaction.
        let lock = try WriteLock(path: run.path)
        var published = try await run.process(run.batches[...])
        #expect(run.recorder.saveCount == 1, "one save at a time")
        #expect(try run.savedDetection().eventClock == nil)
        let heldBeforeTheEnd = try IncrementalStateTests.held(try await run.detector.exportState())
        let clockBeforeTheEnd = await run.detector.eventClock
        lock.release(after: 0.3)
        for alert in try await run.recorder.finish(run.detector) { published[alert.id] = alert }
        #expect(run.recorder.saveCount == 2)

        // The file holds the end's save, written after the one that was in flight: the held
        // events, clock and alerts of the detector just before its end.
        let saved = try run.savedDetection()
        #expect(saved.eventClock == clockBeforeTheEnd)
        #expect(!heldBeforeTheEnd.isEmpty)
        #expect(try IncrementalStateTests.heldEvents(of: saved) == heldBeforeTheEnd)
        let stored = try AlertStore(path: run.path, access: .readOnly).alerts()
        #expect(Set(stored.map(\.id)) == Set(published.keys))
        #expect(Set(published.keys) == (await IncrementalStateTests.uninterruptedRunsAlerts()))
    }

    /// `detect` formats its alerts while the end's save is written (`finish(_:waitingForSave:)`
    /// without waiting), then waits for it (`waitForSaves`) before it prints them: the finish
    /// hands the save over and returns with it in flight, and the wait gives it committed. Seen
    /// failing with the finish waiting for its save whatever it is told (the write lock held: the
    /// finish failed, busy, after the store's timeout).
    @Test("the end's save can be left in flight by the finish, then waited for")
    func theEndsSaveIsWaitedForApart() async throws {
        var run = try Run { try DetectionRecorder(store: $0, batchSize: 1000, readsToEnd: true) }
        var published = try await run.process(run.batches[...])
        #expect(run.recorder.saveCount == 0, "a run that reads to the end saves at its end")
        let clockBeforeTheEnd = await run.detector.eventClock
        // The end's save waits for the lock in the middle of its transaction.
        let lock = try WriteLock(path: run.path)
        for alert in try await run.recorder.finish(run.detector, waitingForSave: false) { published[alert.id] = alert }
        #expect(run.recorder.saveCount == 1)
        #expect(try run.savedDetection().eventClock == nil, "the save is in flight")
        try lock.release()
        try run.recorder.waitForSaves()
        #expect(try run.savedDetection().eventClock == clockBeforeTheEnd)
        #expect(Set(try AlertStore(path: run.path, access: .readOnly).alerts().map(\.id)) == Set(published.keys))
        #expect(!published.isEmpty)
    }

    /// Each save is written as a difference from the one before it (the held events it took,
    /// the checkpoints that moved): written after a save that did not commit, it would leave the
    /// file holding neither. So a failed save stops every save after it, and every later call
    /// throws its failure: seen failing with the writer writing on after a failure (the file
    /// then held the end's clock with the held events of the failed save missing).
    @Test("after a save that failed, no later save is written, and the run stops with the failure")
    func aFailedSaveStopsTheSavesAfterIt() async throws {
        // A write lock held longer than the store waits for it fails the save (`busy`).
        var run = try Run(options: AlertStore.Options(busyTimeout: 0.05), createsFile: false) {
            try DetectionRecorder(store: $0, batchSize: 1000)
        }
        _ = try await run.process(run.batches[..<4])
        try await run.recorder.saveNow(run.detector)
        let committed = try run.savedDetection()
        let committedHeld = try IncrementalStateTests.heldEvents(of: committed)

        let lock = try WriteLock(path: run.path)
        _ = try await run.process(run.batches[4..<5])
        try await run.recorder.saveNow(run.detector, waiting: false)
        #expect {
            try run.recorder.waitForSaves()
        } throws: { error in
            guard case .database(let errorPath, let detail)? = error as? StoreError else { return false }
            return errorPath == run.path && detail.contains("busy")
        }
        try lock.release()
        // The lock is free again, but nothing more is written: the next batch and the end say why.
        await #expect(throws: StoreError.self) { _ = try await run.process(run.batches[5..<6]) }
        await #expect(throws: StoreError.self) { try await run.recorder.finish(run.detector) }
        let saved = try run.savedDetection()
        #expect(saved.eventClock == committed.eventClock)
        #expect(saved.detectorSnapshot == committed.detectorSnapshot)
        #expect(try IncrementalStateTests.heldEvents(of: saved) == committedHeld)
    }

    /// `detect --state`'s loop with a save after every batch, written while the detector
    /// processes the next ones, killed (the saves in flight committed) or stopped at random
    /// batches and started again: the alerts of one run.
    @Test("runs saving beside the detector after every batch, killed or stopped at random batches, give the alerts of one run")
    func savesBesideTheDetectorRestartExactly() async throws {
        let tenant = try DeliveryEquivalenceTests.Tenant(seed: DemoTenant.defaultSeed)
        var random = SeededRandom(seed: 23, stream: "saves beside the detector")
        let directory = try TestPaths.temporaryDirectory("vaultwatch-background-saves")
        defer { try? FileManager.default.removeItem(at: directory) }
        let paths = try RecordDelivery.write(
            tenant.records, as: .dealt(files: 3, within: .minutes(10)), into: directory.appendingPathComponent("logs"), random: &random)
        var pipeline = DetectionPipeline(configuration: tenant.configuration)
        pipeline.batchSize = 307
        let reference = try await pipeline.run(paths, statePath: directory.appendingPathComponent("reference.sqlite").path, stops: [])
        pipeline.savesAfterEveryBatch = true
        let batches = tenant.records.count / pipeline.batchSize + 1
        for round in 0..<2 {
            let stops = DeliveryEquivalenceTests.randomStops(batches: batches, random: &random)
            let outcome = try await pipeline.run(paths, statePath: directory.appendingPathComponent("state-\(round).sqlite").path, stops: stops)
            DeliveryEquivalenceTests.expectOneRun(outcome, reference, "saves after every batch, \(stops), round \(round)")
        }
    }
}
