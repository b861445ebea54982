import Foundation
import Testing
@testable import VaultWatchCore
@testable import VaultWatchStore

/// Saves write what changed since the previous save, in one transaction: the learned entities
/// new, changed or gone (`BaselineRow`), the checkpoints that moved, the open alerts opened or
/// closed. These tests fail when an incremental save loses or duplicates something: the file
/// must hold after every save exactly what a whole save would, and a run restarted many times
/// from it must raise the uninterrupted run's alerts.
@Suite("Saves write what changed")
struct IncrementalSaveTests {
    /// The demo tenant (a week of habits, then the attack day: every alert kind), by name.
    static let tenant: [NamedEvent] = {
        let symbols = SymbolTable()
        var reader = SourceReader(sourceName: "demo", symbols: symbols)
        var batch = EventBatch()
        var bytes: [UInt8] = []
        for record in DemoTenant(days: 8).records {
            bytes.append(contentsOf: record.line)
            bytes.append(0x0A)
        }
        bytes.withUnsafeBytes { reader.consume($0, into: &batch) }
        reader.finish(into: &batch)
        return batch.events.map { NamedEvent($0, symbols: symbols) }
    }()

    static func events(_ range: Range<Int>, symbols: SymbolTable) throws -> [AuditEvent] {
        try tenant[range].map { try $0.event(symbols: symbols) }
    }

    /// What must be equal between two runs' alerts.
    static func signature(_ alert: Alert) -> String {
        "\(alert.id) \(alert.kind.rawValue) \(alert.count) \(alert.firstSeen.ticks) \(alert.lastSeen.ticks) \(alert.reasons) "
            + "\(alert.evidence.map { "\($0.time.ticks) \($0.operation ?? "-") \($0.principalID ?? "-")" })"
    }

    /// The entities of a state, as the digest of each bucket a first save would give them: equal
    /// for the same entities in any order, different when one is lost, doubled or stale.
    static func entityDigests(_ snapshot: BaselineSnapshot) -> [Int64: UInt64] {
        snapshot.rows(previous: nil).changes.digests
    }

    @Test("after every save the file holds exactly the detector's entities, and a quiet save writes none of them")
    func rowsAfterEverySave() async throws {
        let path = try StoreFixture.statePath()
        let symbols = SymbolTable()
        var configuration = DetectorConfiguration(learningDays: 2)
        configuration.baselineRetentionDays = 2  // entities are forgotten: saves delete rows too
        let events = try Self.events(0..<Self.tenant.count, symbols: symbols)
        let store = try AlertStore(path: path, access: .detection)
        var recorder = try DetectionRecorder(store: store, batchSize: 1000, savesEntityRows: true)
        let detector = try recorder.makeDetector(symbols: symbols, configuration: configuration)
        var start = 0
        var saves = 0
        var rowsWritten: [Int] = []
        while start < events.count {
            let end = min(events.count, start + (saves % 2 == 0 ? 60 : 2_900))
            let batch = EventBatch(events: Array(events[start..<end]))
            try await recorder.processed(batch, touched: await detector.process(batch), by: detector)
            start = end
            let before = recorder.timings.baselineRows
            try await recorder.saveNow(detector)
            saves += 1
            rowsWritten.append(recorder.timings.baselineRows - before - 1)  // less the header
            let saved = try AlertStore(path: path, access: .readOnly).savedDetection()
            #expect(saved.detectorSnapshot?.formatVersion == BaselineSnapshot.rowsVersion)
            let header = try #require(saved.detectorSnapshot?.data)
            let fromFile = try BaselineSnapshot.decode(Data(header), rows: saved.baselineRows)
            let live = try BaselineSnapshot.decode(try await detector.exportState())
            #expect(Self.entityDigests(fromFile) == Self.entityDigests(live), "after save \(saves) (\(start) events)")
            #expect(fromFile.entityCount == live.entityCount, "after save \(saves)")
        }
        #expect(saves >= 12)
        // A save with nothing new writes the header and no entity.
        let before = recorder.timings.baselineRows
        try await recorder.saveNow(detector)
        #expect(recorder.timings.baselineRows - before == 1)
        // The first save writes every entity; a save after a minute of events, a small part.
        let total = try AlertStore(path: path, access: .readOnly).savedDetection().baselineRows.count
        #expect(rowsWritten.dropFirst().contains { $0 < total }, "\(rowsWritten) of \(total)")
    }

    @Test("a run restarted eight times from the file, each time in a new process, raises the uninterrupted run's alerts, stored once each")
    func restartsGiveTheUninterruptedRun() async throws {
        let configuration = DetectorConfiguration(learningDays: 2)
        let referenceSymbols = SymbolTable()
        let reference = Detector(symbols: referenceSymbols, configuration: configuration)
        var expected: [String: Alert] = [:]
        let all = try Self.events(0..<Self.tenant.count, symbols: referenceSymbols)
        var start = 0
        while start < all.count {
            let end = min(all.count, start + 500)
            for alert in await reference.process(EventBatch(events: Array(all[start..<end]))) { expected[alert.id] = alert }
            start = end
        }
        for alert in await reference.finish() { expected[alert.id] = alert }
        let kinds = Set(expected.values.map(\.kind))
        #expect(kinds.isSuperset(of: [.listGetAnomaly, .putGetAnomaly, .operationVolumeAnomaly]), "\(kinds)")

        let path = try StoreFixture.statePath()
        let count = Self.tenant.count
        var published: [String: Alert] = [:]
        var position = 0
        // Cuts in the learning days and through the attack day, each in the middle of a batch.
        let cuts = [count / 9, count / 4, count / 2, count * 5 / 8, count * 3 / 4, count * 5 / 6, count * 9 / 10, count * 19 / 20, count]
        for (run, cut) in cuts.enumerated() {
            let symbols = SymbolTable()
            for filler in 0...run { _ = symbols.intern("filler-\(filler)") }  // numbered differently, as a new process
            let store = try AlertStore(path: path, access: .detection)
            var recorder = try DetectionRecorder(store: store, batchSize: 1000, savesEntityRows: true)
            let detector = try recorder.makeDetector(symbols: symbols, configuration: configuration)
            await detector.restore(openAlerts: recorder.saved.openAlerts, eventClock: recorder.saved.eventClock)
            let events = try Self.events(position..<cut, symbols: symbols)
            var offset = 0
            while offset < events.count {
                let end = min(events.count, offset + 333)
                let batch = EventBatch(events: Array(events[offset..<end]))
                let touched = await detector.process(batch)
                for alert in touched { published[alert.id] = alert }
                try await recorder.processed(batch, touched: touched, by: detector)
                try await recorder.saveNow(detector)
                offset = end
            }
            position = cut
            if cut == count {
                for alert in try await recorder.finish(detector) { published[alert.id] = alert }
            }
        }
        #expect(published.count == expected.count)
        #expect(published.values.map(Self.signature).sorted() == expected.values.map(Self.signature).sorted())
        // The file holds each alert once, in its final state.
        let stored = try AlertStore(path: path, access: .readOnly).alerts()
        #expect(stored.map(Self.signature).sorted() == expected.values.map(Self.signature).sorted())
    }

    @Test("a save writes the checkpoints that moved and the open alerts that changed, and the file holds them all")
    func checkpointsAndOpenAlerts() throws {
        let path = try StoreFixture.statePath()
        func checkpoint(_ name: String, _ offset: Int64) -> FileFollower.Checkpoint {
            FileFollower.Checkpoint(
                path: "/logs/\(name).jsonl", device: 1, inode: UInt64(name.count), offset: offset,
                fingerprint: FileFingerprint(hash: 7, length: 1024), line: Int(offset / 100) + 1, modified: 0)
        }
        let store = try AlertStore(path: path, access: .detection)
        let alerts = StoreFixture.alerts
        try store.save(DetectionProgress(
            checkpoints: [checkpoint("a", 100), checkpoint("bb", 200), checkpoint("ccc", 300)], alerts: alerts,
            openAlerts: alerts.map(StoreFixture.openAlert)))
        // Only "bb" moved; the first alert closed, the others stay open untouched.
        let timings = try store.save(DetectionProgress(
            checkpoints: [checkpoint("bb", 250)], openAlerts: [], closedAlertIDs: [alerts[0].id]))
        #expect(timings.checkpointRows == 1)
        #expect(timings.openAlertRows == 1)
        let saved = try store.savedDetection()
        #expect(saved.checkpoints.map(\.offset) == [100, 250, 300])
        #expect(Set(saved.openAlerts.map(\.alert.id)) == Set(alerts.dropFirst().map(\.id)))
    }
}
