import Foundation
import Synchronization
import Testing
import VaultWatchTestSupport
@testable import VaultWatchCore

/// The dashboard feed tells its recorder (`watch`'s state saving) of every batch, in order, each
/// after the detector processed it, with the alerts it touched, then of the alerts released at
/// the end: what `DetectionRecorder` needs to save checkpoints with the alerts they produced.
struct DashboardFeedRecorderTests {
    actor Recording: DetectionProgressRecorder {
        var batchSizes: [Int] = []
        var touched: [AlertKind] = []
        var finishedCount = 0
        var eventsSeenAtEachBatch: [Int] = []
        let detector: Detector

        init(detector: Detector) { self.detector = detector }

        func beforeProcessing(_ batch: EventBatch) async {}

        func processed(_ batch: EventBatch, touched alerts: [Alert]) async {
            batchSizes.append(batch.events.count)
            touched += alerts.map(\.kind)
            eventsSeenAtEachBatch.append(await detector.currentCounters.eventsSeen)
        }

        func finish(_ detector: Detector) async -> [Alert] {
            finishedCount += 1
            return await detector.finish()
        }
    }

    final class Counter: Sendable {
        private let count = Mutex(0)
        func add() { count.withLock { $0 += 1 } }
        var value: Int { count.withLock { $0 } }
    }

    @Test func everyBatchIsReportedInOrderAfterTheDetectorProcessedIt() async throws {
        let fixture = DetectionFixture()
        let log = try TestPaths.temporaryDirectory("vaultwatch-feed").appendingPathComponent("audit.jsonl")
        var text = ""
        for minute in 0..<5 {
            var record = RecordBuilder(time: String(format: "2025-05-06T10:%02d:00.0000000Z", minute))
            record.callerIPAddress = minute == 2 ? DetectionFixture.torAddress : "10.0.0.1"
            text += record.jsonLine()
        }
        try text.write(to: log, atomically: false, encoding: .utf8)
        let ingestor = try Ingestor(
            paths: [log.path], symbols: fixture.symbols, configuration: Ingestor.Configuration(start: .beginning, batchSize: 2, chunkSize: 256))
        let detector = fixture.detector()
        let recording = Recording(detector: detector)
        var feed = DashboardFeed(detector: detector, model: DashboardModel(symbols: fixture.symbols), recorder: recording)
        let beforeBatches = Counter()
        feed.beforeEachBatch = { beforeBatches.add() }
        let reader = Task { await ingestor.run(mode: .readToEnd) }
        await feed.run(batches: ingestor.batches)
        await reader.value

        let sizes = await recording.batchSizes
        #expect(sizes.reduce(0, +) == 5)
        #expect(sizes.count >= 2, "small chunks give several batches: \(sizes)")
        #expect(beforeBatches.value == sizes.count, "told before each batch (watch lowers that thread's priority)")
        // Each report comes after the detector processed that batch, and no later batch.
        let runningTotals = sizes.reduce(into: [Int]()) { totals, size in totals.append((totals.last ?? 0) + size) }
        #expect(await recording.eventsSeenAtEachBatch == runningTotals)
        #expect(await recording.touched == [.torAccess])
        #expect(await recording.finishedCount == 1)
    }
}
