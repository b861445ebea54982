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

    @Test("no save is taken while one is being written; at the end, the end's save comes after it and is what the file holds")
    func theEndsSaveWaitsForTheSaveInFlight() async throws {
        let path = try StoreFixture.statePath()
        let symbols = SymbolTable()
        let batches = Self.batches(IncrementalStateTests.events(symbols: symbols), size: 40)
        // No interval: a save is due after every batch until the first save's duration is known.
        let store = try AlertStore(path: path, access: .detection)
        // A file that did not exist appears at its first save (`NewFileSetUp`): the lock is
        // taken on it once it does.
        try store.save(DetectionProgress())
        var recorder = try DetectionRecorder(store: store, batchSize: 1000, minimumSaveInterval: .zero)
        let detector = try recorder.makeDetector(symbols: symbols, configuration: IncrementalStateTests.configuration)
        // The first batch's save waits for the lock in the middle of its transaction.
        let lock = try WriteLock(path: path)
        var published: [String: Alert] = [:]
        for batch in batches {
            for alert in await detector.process(batch) { published[alert.id] = alert }
            try await recorder.processed(batch, touched: Array(published.values), by: detector)
        }
        #expect(recorder.saveCount == 1, "one save at a time")
        #expect(try AlertStore(path: path, access: .readOnly).savedDetection().eventClock == nil)
        let heldBeforeTheEnd = try IncrementalStateTests.held(try await detector.exportState())
        let clockBeforeTheEnd = await detector.eventClock
        lock.release(after: 0.3)
        for alert in try await recorder.finish(detector) { published[alert.id] = alert }
        #expect(recorder.saveCount == 2)

        // The file holds the end's save, written after the one that was in flight: the held
        // events, clock and alerts of the detector just before its end.
        let saved = try AlertStore(path: path, access: .readOnly).savedDetection()
        #expect(saved.eventClock == clockBeforeTheEnd)
        #expect(!heldBeforeTheEnd.isEmpty)
        #expect(try IncrementalStateTests.heldEvents(of: saved) == heldBeforeTheEnd)
        let stored = try AlertStore(path: path, access: .readOnly).alerts()
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
        let path = try StoreFixture.statePath()
        let symbols = SymbolTable()
        let batches = Self.batches(IncrementalStateTests.events(symbols: symbols), size: 40)
        let store = try AlertStore(path: path, access: .detection)
        try store.save(DetectionProgress())
        var recorder = try DetectionRecorder(store: store, batchSize: 1000, readsToEnd: true)
        let detector = try recorder.makeDetector(symbols: symbols, configuration: IncrementalStateTests.configuration)
        var published: [String: Alert] = [:]
        for batch in batches {
            let touched = await detector.process(batch)
            for alert in touched { published[alert.id] = alert }
            try await recorder.processed(batch, touched: touched, by: detector)
        }
        #expect(recorder.saveCount == 0, "a run that reads to the end saves at its end")
        let clockBeforeTheEnd = await detector.eventClock
        // The end's save waits for the lock in the middle of its transaction.
        let lock = try WriteLock(path: path)
        for alert in try await recorder.finish(detector, waitingForSave: false) { published[alert.id] = alert }
        #expect(recorder.saveCount == 1)
        #expect(try AlertStore(path: path, access: .readOnly).savedDetection().eventClock == nil, "the save is in flight")
        try lock.release()
        try recorder.waitForSaves()
        let saved = try AlertStore(path: path, access: .readOnly).savedDetection()
        #expect(saved.eventClock == clockBeforeTheEnd)
        #expect(Set(try AlertStore(path: path, access: .readOnly).alerts().map(\.id)) == Set(published.keys))
        #expect(!published.isEmpty)
    }

    /// Each save is written as a difference from the one before it (the held events it took,
    /// the checkpoints that moved): written after a save that did not commit, it would leave the
    /// file holding neither. So a failed save stops every save after it, and every later call
    /// throws its failure: seen failing with the writer writing on after a failure (the file
    /// then held the end's clock with the held events of the failed save missing).
    @Test("after a save that failed, no later save is written, and the run stops with the failure")
    func aFailedSaveStopsTheSavesAfterIt() async throws {
        let path = try StoreFixture.statePath()
        let symbols = SymbolTable()
        let batches = Self.batches(IncrementalStateTests.events(symbols: symbols), size: 40)
        // A write lock held longer than the store waits for it fails the save (`busy`).
        let store = try AlertStore(path: path, access: .detection, options: AlertStore.Options(busyTimeout: 0.05))
        var recorder = try DetectionRecorder(store: store, batchSize: 1000)
        let detector = try recorder.makeDetector(symbols: symbols, configuration: IncrementalStateTests.configuration)
        for batch in batches[..<4] {
            try await recorder.processed(batch, touched: await detector.process(batch), by: detector)
        }
        try await recorder.saveNow(detector)
        let committed = try AlertStore(path: path, access: .readOnly).savedDetection()
        let committedHeld = try IncrementalStateTests.heldEvents(of: committed)

        let lock = try WriteLock(path: path)
        try await recorder.processed(batches[4], touched: await detector.process(batches[4]), by: detector)
        try await recorder.saveNow(detector, waiting: false)
        #expect {
            try recorder.waitForSaves()
        } throws: { error in
            guard case .database(let errorPath, let detail)? = error as? StoreError else { return false }
            return errorPath == path && detail.contains("busy")
        }
        try lock.release()
        // The lock is free again, but nothing more is written: the next batch and the end say why.
        await #expect(throws: StoreError.self) {
            try await recorder.processed(batches[5], touched: await detector.process(batches[5]), by: detector)
        }
        await #expect(throws: StoreError.self) { try await recorder.finish(detector) }
        let saved = try AlertStore(path: path, access: .readOnly).savedDetection()
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
