import Foundation
import Synchronization
import Testing
import VaultWatchTestSupport
@testable import VaultWatchCore

/// The dashboard counts what the detector took: a record delivered twice (two exports whose
/// periods overlap) is one event in the header's total and events/s, the vault's charts, the live
/// activity and the entity pages' journal, and the repeats are counted as duplicates beside them
/// (README "Records delivered twice"). One place decides: the detector's entry (`Detector.take`).
struct DashboardDuplicateTests {
    /// A read a minute of `minute`, its time to the tick and a correlation id of its own.
    static func read(_ minute: Int) -> RecordBuilder {
        var record = RecordBuilder(time: String(format: "2025-05-06T10:%02d:00.1234567Z", minute), objectName: "s\(minute % 3)")
        record.correlationID = String(format: "0a1b2c3d-0000-4000-8000-%012d", minute)
        return record
    }

    /// Minutes 0-5, then an export of minutes 3-8 (9 records, 3 of them delivered twice), read by
    /// an `Ingestor` in batches of 4 and handed on by `feed`, set up by `configure`.
    static func feedOverlappingExports(
        named name: String, configure: (inout DashboardFeed) -> Void = { _ in }
    ) async throws -> (counters: DetectorCounters, model: DashboardModel) {
        let fixture = DetectionFixture()
        let directory = try TestPaths.temporaryDirectory(name)
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = directory.appendingPathComponent("export-1.jsonl")
        let second = directory.appendingPathComponent("export-2.jsonl")
        try (0..<6).map { Self.read($0).jsonLine() }.joined().write(to: first, atomically: false, encoding: .utf8)
        try (3..<9).map { Self.read($0).jsonLine() }.joined().write(to: second, atomically: false, encoding: .utf8)
        let ingestor = try Ingestor(
            paths: [first.path, second.path], symbols: fixture.symbols,
            configuration: Ingestor.Configuration(start: .beginning, batchSize: 4, chunkSize: 256))
        let detector = fixture.detector()
        let model = DashboardModel(symbols: fixture.symbols)
        let reader = Task { await ingestor.run(mode: .readToEnd) }
        var feed = DashboardFeed(detector: detector, model: model)
        configure(&feed)
        await feed.run(batches: ingestor.batches)
        await reader.value
        return (await detector.currentCounters, model)
    }

    @Test func aRecordDeliveredTwiceIsOneEventOnTheDashboard() async throws {
        let (counters, model) = try await Self.feedOverlappingExports(named: "vaultwatch-feed-duplicates")
        #expect(counters.eventsSeen == 9 && counters.duplicateRecords == 3)
        let snapshot = model.currentSnapshot()
        #expect(snapshot.totalEvents == 9, "the header counts what the detector took")
        #expect(snapshot.duplicateRecords == 3)
        let vault = try #require(snapshot.vaults.first)
        #expect(vault.minuteCounts.reduce(0, +) == 9 && vault.hourlyCounts.reduce(0, +) == 9)
        #expect(vault.operationMixNow.map(\.count) == [9])
        #expect(snapshot.recentEvents.map(\.time) == (0..<9).reversed().map { EventTime.parse(iso8601: Self.read($0).time) })
        #expect(model.journalUsage.events == 9)
    }

    /// `watch` and `demo` hand the detector a batch in steps (`DashboardFeed.eventsPerStep`, each
    /// a boundary where ingestion steps aside for a frame): the same counts, the repeats found
    /// in a step told to the model at their place in it.
    @Test func aBatchTakenInStepsCountsAsTheWholeBatch() async throws {
        let steps = StepCounter()
        let (counters, model) = try await Self.feedOverlappingExports(named: "vaultwatch-feed-steps") { feed in
            feed.eventsPerStep = 1
            feed.beforeEachBatch = { steps.count() }
        }
        #expect(counters.eventsSeen == 9 && counters.duplicateRecords == 3)
        let snapshot = model.currentSnapshot()
        #expect(snapshot.totalEvents == 9 && snapshot.duplicateRecords == 3)
        #expect(snapshot.recentEvents.map(\.time) == (0..<9).reversed().map { EventTime.parse(iso8601: Self.read($0).time) })
        #expect(model.journalUsage.events == 9)
        // 12 records in batches of at most 4 events: 12 steps of one, a call before each.
        #expect(steps.value >= 12, "a batch of more than one event is taken in steps")
    }
}

/// Counts calls from the feed's thread.
final class StepCounter: Sendable {
    private let calls = Mutex(0)
    func count() { calls.withLock { $0 += 1 } }
    var value: Int { calls.withLock { $0 } }
}
