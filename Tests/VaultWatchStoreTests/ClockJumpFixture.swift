import Foundation
import Testing
import VaultWatchCore
import VaultWatchTestSupport

/// What every clock test starts from: the demo's default tenant, a directory of its own
/// (removed with the fixture), the seeded randomness that spreads records over files, and the
/// pipeline that reads them. Deliveries are written one file per vault, in the order asked,
/// so a test's files are the same from run to run.
final class ClockJumpFixture {
    typealias Tenant = DeliveryEquivalenceTests.Tenant

    let tenant: Tenant
    let directory: URL
    var pipeline: DetectionPipeline
    private var random: SeededRandom

    /// - Parameters:
    ///   - name: the directory's prefix (which test left it, if one is ever left behind).
    ///   - seed: the delivery's randomness.
    init(_ name: String, seed: UInt64) throws {
        tenant = try Tenant(seed: DemoTenant.defaultSeed)
        directory = try TestPaths.temporaryDirectory(name)
        random = SeededRandom(seed: seed)
        pipeline = DetectionPipeline(configuration: tenant.configuration)
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Writes `records` one file per vault into the folder `name` and gives the files.
    func write(_ records: [RecordDelivery.Record], as name: String) throws -> [String] {
        try RecordDelivery.write(records, as: .filePerVault, into: directory.appendingPathComponent(name), random: &random)
    }

    /// Writes `records` (as `write`) and reads them in one run.
    func run(_ records: [RecordDelivery.Record], as name: String) async throws -> DetectionPipeline.Outcome {
        try await pipeline.run(try write(records, as: name))
    }

    /// One run over the tenant's records as they are, clocks right: what a test compares with.
    func reference() async throws -> DetectionPipeline.Outcome {
        try await run(tenant.records, as: "right")
    }

    /// `outcome` raised no alert that `reference` does not hold (each one's story if it did).
    static func expectNothingRaised(
        _ outcome: DetectionPipeline.Outcome, beyond reference: DetectionPipeline.Outcome,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let extra = Set(outcome.alerts.keys).subtracting(reference.alerts.keys).compactMap { outcome.alerts[$0] }
        #expect(extra.isEmpty,
            "alerts the clock raised: \(extra.map { "\($0.kind.rawValue) \($0.vault ?? "-") \($0.firstSeen.iso8601) \($0.reasons.first ?? "")" })",
            sourceLocation: sourceLocation)
    }

    /// `outcome`'s alerts are `reference`'s, alert for alert (whatever file each came from).
    static func expectSameAlerts(
        _ outcome: DetectionPipeline.Outcome, as reference: DetectionPipeline.Outcome,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let difference = DetectionPipeline.difference(
            DetectionPipeline.withoutSources(outcome.alerts), DetectionPipeline.withoutSources(reference.alerts))
        #expect(difference == nil, "\(difference ?? "")", sourceLocation: sourceLocation)
    }
}
