import Foundation
import GRDB
import Testing
@testable import VaultWatchCore
@testable import VaultWatchStore

/// A state file written by the previous VaultWatch (schema v3, the detector's state as format 2
/// JSON with its held events inline) keeps its baselines and what was in flight when this
/// version opens it, migrates it, and saves over it.
@Suite("State files of the previous version")
struct StateFormatMigrationTests {
    /// Nine days of one user reading a vault every hour, then a user the vault has never seen:
    /// an unusual-user alert still held for reordering when the state is saved.
    static func events(symbols: SymbolTable) -> [AuditEvent] {
        let start = EventTime.parse(iso8601: "2026-03-02T00:30:00Z") ?? EventTime(ticks: 0)
        func call(_ hours: Int64, _ user: String) -> AuditEvent {
            AuditEvent(
                time: start + .hours(hours), vault: symbols.intern("kv-app"), resourceID: symbols.intern("/VAULTS/KV-APP"),
                operation: symbols.intern("SecretGet"), principalID: symbols.intern("\(user)-object-id"),
                upn: symbols.intern("\(user)@contoso.com"), appID: symbols.intern("app-portal"),
                callerIP: IPAddress("198.51.100.7"), httpStatusCode: 200, outcome: .success, objectKind: .secret,
                objectName: symbols.intern("db-password"), location: RecordLocation(source: symbols.intern("a.jsonl"), line: UInt32(hours + 1)))
        }
        return (0..<(9 * 24)).map { call(Int64($0), "alice") } + [call(9 * 24 - 1, "mallory")]
    }

    static func signature(_ alerts: [Alert]) -> [String] {
        alerts.map { "\($0.id) \($0.kind.rawValue) \($0.count) \($0.reasons)" }.sorted()
    }

    @Test func aVersion3FileWithJSONDetectorStateIsRestoredAndMigrated() async throws {
        let symbols = SymbolTable()
        let original = Detector(symbols: symbols)
        await original.process(EventBatch(events: Self.events(symbols: symbols)))
        let binary = try await original.exportState()
        var legacy = try BaselineSnapshot.decode(binary)
        #expect(legacy.inFlight?.reorder.pending.contains { $0.principalID == "mallory-object-id" } == true)
        legacy.version = BaselineSnapshot.jsonVersion
        legacy.inFlight?.reorder.arrivals = nil  // format 2 had no arrival numbers
        legacy.inFlight?.reorder.nextArrival = nil
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = try encoder.encode(legacy)
        let countersAtSave = await original.currentCounters
        let expected = Self.signature(await original.finish())
        #expect(expected.contains { $0.contains("KV_UserAnomaly") }, "\(expected)")

        // The file as the previous version left it: schema v3, the JSON blob, its format version 2.
        let (path, queue) = try StoreFixture.olderStateFile(schemaVersion: 3)
        try await queue.write { db in
            try db.execute(
                sql: "INSERT INTO baseline_snapshot (name, format_version, data, saved_at) VALUES ('detector', 2, ?, '2026-03-11T00:00:00Z')",
                arguments: [json])
        }
        try queue.close()

        let store = try AlertStore(path: path, access: .detection)
        #expect(try store.read { try Int.fetchOne($0, sql: "PRAGMA user_version") } == StoreSchema.latestVersion)
        var recorder = try DetectionRecorder(store: store, batchSize: 100)
        let restored = try recorder.makeDetector(symbols: SymbolTable(), configuration: DetectorConfiguration())
        #expect(await restored.restoredCounters == countersAtSave)
        // Saved over in the new form: the held events move to a row of their own, once.
        try await recorder.saveNow(restored)
        let saved = try store.savedDetection()
        #expect(saved.detectorSnapshot?.formatVersion == BaselineSnapshot.currentVersion)
        #expect(saved.heldEvents.count == 1)
        let heldSaved = try saved.heldEvents.flatMap { try $0.events(format: BaselineSnapshot.currentVersion) }
        #expect(heldSaved.count == legacy.inFlight?.reorder.pending.count)
        #expect(Self.signature(await restored.finish()) == expected)
    }

    /// The file the previous version of this session left: schema v7 (checkpoints without a
    /// source clock) and detector state format 5 (no closed hours' callers). It opens, migrates
    /// to the source clocks' column, restores the detector as it was, and its next save writes
    /// the current format and each checkpoint's clock.
    @Test func aVersion7FileWithoutSourceClocksOrClosedHoursIsRestoredAndMigrated() async throws {
        let symbols = SymbolTable()
        let original = Detector(symbols: symbols)
        await original.process(EventBatch(events: Self.events(symbols: symbols)))
        let current = try BaselineSnapshot.decode(try await original.exportState())
        #expect(current.inFlight?.baselines.closedHours?.isEmpty == false, "the current format keeps closed hours")
        let format5 = await original.exportState(format: 5)
        #expect(Detector.stateFormatVersion(of: format5) == 5)
        #expect(try BaselineSnapshot.decode(format5).inFlight?.baselines.closedHours == nil)
        let countersAtSave = await original.currentCounters
        let expected = Self.signature(await original.finish())

        let (path, queue) = try StoreFixture.olderStateFile(schemaVersion: 7)
        try await queue.write { db in
            try db.execute(
                sql: "INSERT INTO baseline_snapshot (name, format_version, data, saved_at) VALUES ('detector', 5, ?, '2026-03-11T00:00:00Z')",
                arguments: [format5])
            try db.execute(sql: """
                INSERT INTO source_checkpoint (path, device, inode, offset, fingerprint_hash, fingerprint_length, line, skip_events)
                VALUES ('/logs/a.jsonl', 1, 2, 4096, 3, 1024, 17, 0)
                """)
        }
        try queue.close()

        let store = try AlertStore(path: path, access: .detection)
        #expect(try store.read { try Int.fetchOne($0, sql: "PRAGMA user_version") } == StoreSchema.latestVersion)
        let checkpoint = try #require(try store.savedDetection().checkpoints.first)
        #expect(checkpoint.offset == 4096 && checkpoint.line == 17 && checkpoint.clock == nil)
        var recorder = try DetectionRecorder(store: store, batchSize: 100)
        let restored = try recorder.makeDetector(symbols: SymbolTable(), configuration: DetectorConfiguration())
        #expect(await restored.restoredCounters == countersAtSave)
        try await recorder.saveNow(restored)
        #expect(try store.savedDetection().detectorSnapshot?.formatVersion == BaselineSnapshot.currentVersion)
        #expect(Self.signature(await restored.finish()) == expected)

        // A checkpoint's clock is saved and read back whole.
        var withClock = checkpoint
        withClock.clock = SourceClock(
            lastAccepted: 17_000_000_000, stretchShift: 3 * EventTime.ticksPerHour,
            lateRun: SourceClock.LateRun(source: "/logs/a.jsonl", firstLine: 12, lastLine: 16, count: 5, mostBehind: EventTime.ticksPerHour))
        try store.save(DetectionProgress(checkpoints: [withClock]))
        #expect(try store.savedDetection().checkpoints == [withClock])
    }

    /// A detector state of format 8 (a late record was judged at once: no hour left reopened) is
    /// read with nothing reopened and goes on as the detector that saved it; format 9 keeps the
    /// closed hours a late run is adding to (`ReopenedHours`), and reads them back.
    @Test func aFormat8DetectorStateIsRestoredAndFormat9KeepsReopenedHours() async throws {
        let symbols = SymbolTable()
        let events = Self.events(symbols: symbols)
        let original = Detector(symbols: symbols)
        await original.process(EventBatch(events: events))
        #expect(try BaselineSnapshot.decode(try await original.exportState()).inFlight?.baselines.reopenedHours?.isEmpty == true)
        let format8 = await original.exportState(format: 8)
        #expect(Detector.stateFormatVersion(of: format8) == 8)
        #expect(try BaselineSnapshot.decode(format8).inFlight?.baselines.reopenedHours == nil)
        let expected = Self.signature(await original.finish())
        let restored = try Detector(symbols: SymbolTable(), restoring: format8)
        #expect(Self.signature(await restored.finish()) == expected)

        // Two records of an hour closed two hours before: the hour is reopened until the clock
        // moves on, and a save keeps it (the late record's time, its caller).
        var lateEvents = events
        for minute in [5, 6] {
            var late = events[events.count - 4]
            late.time = late.time + .minutes(Int64(minute))
            lateEvents.append(late)
        }
        let late = Detector(symbols: symbols)
        await late.process(EventBatch(events: lateEvents))
        let state = try await late.exportState()
        let saved = try BaselineSnapshot.decode(state)
        #expect(saved.version == BaselineSnapshot.currentVersion)
        let reopened = try #require(saved.inFlight?.baselines.reopenedHours)
        #expect(reopened.count == 1 && reopened.first?.vault == "kv-app" && reopened.first?.attributed == true, "\(reopened)")
        let back = try Detector(symbols: SymbolTable(), restoring: state)
        // Restored, the detector writes them again as it read them.
        #expect(try BaselineSnapshot.decode(try await back.exportState()).inFlight?.baselines.reopenedHours == reopened)
        #expect(Self.signature(await back.finish()) == Self.signature(await late.finish()))
    }
}
