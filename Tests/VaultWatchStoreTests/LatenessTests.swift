import Foundation
import Testing
import VaultWatchCore
import VaultWatchTestSupport
@testable import VaultWatchStore

/// Late is a property of the records and the reorder tolerance, never of where the reads and the
/// batches happen to end: a record further behind the records before it than the tolerance is
/// late however the same files are chunked and batched, and the late count, the reports of late
/// runs and the alerts are the same. Before, the detector released held events at the end of
/// each batch only, so a record displaced by more than the tolerance was late or in order
/// depending on whether the records ahead of it had been read in an earlier batch.
@Suite("Lateness does not depend on batches", .serialized)
struct LatenessTests {
    typealias Tenant = DeliveryEquivalenceTests.Tenant

    /// How many records the late-run reports say were late: a run's first report, then (for a
    /// run of more than one) its end report starting with its count.
    static func reportedLateCount(_ problems: [InputProblem]) -> Int {
        let late = problems.filter { $0.severity == .late }
        var total = 0
        for (index, report) in late.enumerated() where report.reason.hasPrefix("time ") {
            let end = late[(index + 1)...].first { $0.source == report.source && $0.line == report.line && !$0.reason.hasPrefix("time ") }
            total += end.flatMap { Int($0.reason.prefix { $0.isNumber }) } ?? 1
        }
        return total
    }

    @Test func theSameFilesReadInOtherChunksAndBatchesGiveTheSameLateRecordsAndAlerts() async throws {
        let tenant = try Tenant(seed: DemoTenant.defaultSeed)
        for seed in DeliveryEquivalenceTests.seeds {
            var random = SeededRandom(seed: seed, stream: "lateness")
            let directory = try TestPaths.temporaryDirectory("vaultwatch-lateness")
            defer { try? FileManager.default.removeItem(at: directory) }
            // Records dealt to two files, each shuffled up to 40 minutes: many are further behind
            // the records before them than the 10-minute tolerance.
            let paths = try RecordDelivery.write(
                tenant.records, as: .dealt(files: 2, within: .minutes(40)), into: directory.appendingPathComponent("logs"), random: &random)
            var pipeline = DetectionPipeline(configuration: tenant.configuration)
            pipeline.batchSize = 4096
            pipeline.chunkSize = 1 << 20
            let reference = try await pipeline.run(paths)
            #expect(reference.counters.lateRecords > 100, "seed \(seed): \(reference.counters)")
            #expect(Self.reportedLateCount(reference.problems) == reference.counters.lateRecords,
                "seed \(seed): the reports count \(Self.reportedLateCount(reference.problems)), the summary \(reference.counters.lateRecords)")
            let deliveries = [(1, 1 << 12), (7, 1 << 10), (64 + random.below(512), 1 << 16), (1 + random.below(4096), 1 + random.below(1 << 18))]
            for (batchSize, chunkSize) in deliveries {
                pipeline.batchSize = batchSize
                pipeline.chunkSize = chunkSize
                let outcome = try await pipeline.run(paths)
                let context = "seed \(seed), batches of \(batchSize), reads of \(chunkSize) bytes"
                #expect(outcome.counters == reference.counters, "\(context): \(outcome.counters) != \(reference.counters)")
                #expect(outcome.problems.map(\.description) == reference.problems.map(\.description),
                    "\(context): \(outcome.problems.count) reports against \(reference.problems.count)")
                #expect(DetectionPipeline.difference(outcome.alerts, reference.alerts) == nil,
                    "\(context): \(DetectionPipeline.difference(outcome.alerts, reference.alerts) ?? "")")
            }
        }
    }
}
