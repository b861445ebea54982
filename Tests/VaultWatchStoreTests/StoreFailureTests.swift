import Foundation
import GRDB
import Testing
import VaultWatchCore
import VaultWatchTestSupport
@testable import VaultWatchStore

/// Every failure is a `StoreError` naming the file, and leaves what was saved before intact.
struct StoreFailureTests {
    @Test func aCorruptFileIsRefusedByName() throws {
        let path = try StoreFixture.statePath()
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(repeating: 0x5A, count: 8192).write(to: URL(fileURLWithPath: path))
        for access in [AlertStore.Access.detection, .readOnly] {
            #expect {
                _ = try AlertStore(path: path, access: access)
            } throws: { error in
                guard case .corrupt(let errorPath, _)? = error as? StoreError else { return false }
                return errorPath == path && "\(error)".contains("damaged")
            }
        }
    }

    /// A new file's `fsync`s run beside the command (`NewFileSetUp`), or with its first write
    /// when it is staged and renamed in; when they fail, that write and every use after it stop
    /// with an error naming the file and saying so, never silently.
    @Test(arguments: [false, true])
    func aNewFilesFailedFsyncStopsEveryWriteByName(staging: Bool) throws {
        let path = try StoreFixture.statePath("never-created.sqlite")
        let inMemory = { @Sendable () throws(StoreError) -> DatabaseQueue in
            do { return try DatabaseQueue() } catch { throw StoreError.database(path: path, detail: "\(error)") }
        }
        let setUp = NewFileSetUp(path: path, staging: staging, open: { _ throws(StoreError) in try inMemory() }, reopen: inMemory)
        for _ in 0..<2 {
            #expect {
                try setUp.withConnection(writing: true) { (queue) throws(StoreError) in
                    do { try queue.write { db in try db.execute(sql: "CREATE TABLE IF NOT EXISTS t(x)") } } catch {
                        throw StoreError.database(path: path, detail: "\(error)")
                    }
                }
            } throws: { error in
                guard case .cannotOpen(let errorPath, let detail)? = error as? StoreError else { return false }
                return errorPath == path && detail.contains("fsync")
            }
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    /// A new file is set up beside the command (`NewFileSetUp`), which reads its input
    /// meanwhile: when the setting up fails (here the schema does not fit in the pages allowed),
    /// every use of the file throws the failure, naming the file, and nothing is written.
    @Test func aNewFilesFailedSetUpIsThrownByEveryUseByName() throws {
        let path = try StoreFixture.statePath()
        let store = try AlertStore(path: path, access: .detection, options: AlertStore.Options(maximumPageCount: 2))
        #expect(store.holdsNothingSaved)
        for _ in 0..<2 {
            #expect(throws: StoreError.diskFull(path: path)) { try store.save(DetectionProgress(alerts: StoreFixture.alerts)) }
            #expect(throws: StoreError.diskFull(path: path)) { try store.alertCount() }
        }
    }

    @Test func aTruncatedDatabaseIsRefused() throws {
        let path = try StoreFixture.statePath()
        do {
            let store = try AlertStore(path: path, access: .detection)
            try store.save(DetectionProgress(alerts: StoreFixture.alerts))
        }
        // Keep the header page, damage the rest.
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        try handle.seek(toOffset: 100)
        try handle.write(contentsOf: Data(repeating: 0xFF, count: 4096))
        try handle.close()
        try? FileManager.default.removeItem(atPath: path + "-wal")
        #expect {
            let store = try AlertStore(path: path, access: .readOnly)
            _ = try store.alerts()
        } throws: { error in
            guard let error = error as? StoreError else { return false }
            if case .corrupt(let errorPath, _) = error { return errorPath == path }
            return false
        }
    }

    @Test func aNewerSchemaIsRefusedNamingBothVersions() throws {
        let path = try StoreFixture.statePath()
        try AlertStore(path: path, access: .detection).save(DetectionProgress())
        let known = StoreSchema.latestVersion
        let newer = known + 1
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v\(newer)')")
            try db.execute(sql: "PRAGMA user_version = \(newer)")
        }
        try queue.close()
        for access in [AlertStore.Access.detection, .readWrite, .readOnly] {
            #expect(throws: StoreError.newerSchema(path: path, fileVersion: newer, knownVersion: known)) {
                _ = try AlertStore(path: path, access: access)
            }
        }
        let message = StoreError.newerSchema(path: path, fileVersion: newer, knownVersion: known).description
        #expect(message.contains(path) && message.contains("schema version \(newer)") && message.contains("up to \(known)"))
    }

    @Test func aFileFromTheFirstSchemaIsMigratedKeepingItsAlerts() throws {
        let (path, queue) = try StoreFixture.olderStateFile(schemaVersion: 1)
        try queue.write { db in
            try AlertRow.upsert(StoreFixture.alerts[0], in: db)
            try db.execute(sql: """
                INSERT INTO source_checkpoint (path, device, inode, offset, fingerprint_hash, fingerprint_length)
                VALUES ('a.jsonl', 1, 2, 300, -1, 1024)
                """)
        }
        #expect(try queue.read { try $0.tableExists("open_alert") } == false)
        try queue.close()

        let store = try AlertStore(path: path, access: .detection)
        #expect(try store.alerts() == [StoreFixture.alerts[0]])
        let saved = try store.savedDetection()
        #expect(saved.checkpoints.map(\.offset) == [300])
        #expect(saved.checkpoints.map(\.line) == [1])  // v2 added the column; v1 rows count from 1
        #expect(saved.checkpoints.first?.fingerprint == FileFingerprint(hash: UInt64.max, length: 1024))
        #expect(saved.checkpoints.first?.modified == nil)  // v3 added the column: unknown for older rows
        #expect(saved.checkpoints.map(\.skipEvents) == [0])  // v5 added it: older rows are between record texts
        try store.save(DetectionProgress(openAlerts: [StoreFixture.openAlert(StoreFixture.alerts[0])]))
        #expect(try store.savedDetection().openAlerts.count == 1)
        #expect(try store.read { try Int.fetchOne($0, sql: "PRAGMA user_version") } == StoreSchema.latestVersion)
    }

    @Test func aFileFromTheThirdSchemaKeepsItsCheckpointsAndSavesPositionsInsideRecordTexts() throws {
        let (path, queue) = try StoreFixture.olderStateFile(schemaVersion: 3)
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO source_checkpoint (path, device, inode, offset, fingerprint_hash, fingerprint_length, line, modified)
                VALUES ('a.jsonl', 1, 2, 300, 7, 1024, 12, 99)
                """)
        }
        try queue.close()

        let store = try AlertStore(path: path, access: .detection)
        let saved = try store.savedDetection().checkpoints
        #expect(saved == [FileFollower.Checkpoint(
            path: "a.jsonl", device: 1, inode: 2, offset: 300, fingerprint: FileFingerprint(hash: 7, length: 1024), line: 12,
            modified: 99, skipEvents: 0)])
        var inside = try #require(saved.first)
        inside.skipEvents = 3
        try store.save(DetectionProgress(checkpoints: [inside]))
        #expect(try store.savedDetection().checkpoints == [inside])
        #expect(try store.read { try Int.fetchOne($0, sql: "PRAGMA user_version") } == StoreSchema.latestVersion)
    }

    @Test func aReadOnlyFileIsRefusedForWritingAndStillReadable() throws {
        let path = try StoreFixture.statePath()
        do {
            let store = try AlertStore(path: path, access: .detection)
            try store.save(DetectionProgress(alerts: StoreFixture.alerts))
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o400], ofItemAtPath: path)
        for access in [AlertStore.Access.detection, .readWrite] {
            #expect {
                _ = try AlertStore(path: path, access: access)
            } throws: { error in
                guard case .readOnly(let errorPath, _)? = error as? StoreError else { return false }
                return errorPath == path
            }
        }
        #expect(try AlertStore(path: path, access: .readOnly).alertCount() == StoreFixture.alerts.count)
    }

    @Test func aFullDiskFailsLoudlyAndKeepsWhatWasSaved() throws {
        let path = try StoreFixture.statePath()
        let store = try AlertStore(path: path, access: .detection, options: AlertStore.Options(maximumPageCount: 40))
        let first = StoreFixture.alerts
        try store.save(DetectionProgress(alerts: first))
        var many: [Alert] = []
        for index in 0..<2_000 {
            var alert = first[index % first.count]
            alert.id = String(format: "%016x", 0xb000_0000 + index)
            alert.reasons = [String(repeating: "r", count: 500)]
            many.append(alert)
        }
        #expect(throws: StoreError.diskFull(path: path)) {
            try store.save(DetectionProgress(alerts: many))
        }
        #expect(try store.alertCount() == first.count)
    }

    @Test func aSecondDetectorOnTheSameFileIsRefused() throws {
        let path = try StoreFixture.statePath()
        var first: AlertStore? = try AlertStore(path: path, access: .detection)
        // A file that did not exist appears at its first save (`NewFileSetUp`).
        try first?.save(DetectionProgress())
        #expect {
            _ = try AlertStore(path: path, access: .detection)
        } throws: { error in
            guard case .inUse(let errorPath, let holder)? = error as? StoreError else { return false }
            return errorPath == path && holder == String(getpid())
        }
        // Readers and status changes do not need the detection lock.
        #expect(try AlertStore(path: path, access: .readWrite).alertCount() == 0)
        #expect(first != nil)
        first = nil
        _ = try AlertStore(path: path, access: .detection)
    }

    @Test func alertsCommandsNeedAnExistingFile() throws {
        let path = try StoreFixture.statePath()
        #expect(throws: StoreError.missing(path: path)) { _ = try AlertStore(path: path, access: .readOnly) }
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}

/// v4: evidence's original records, a table of their own, written once per evidence position.
@Suite struct EvidenceRecordStoreTests {
    @Test func recordsAreSavedOnceAndComeBackWithTheAlertAndAV3FileGainsTheTable() throws {
        let (path, queue) = try StoreFixture.olderStateFile(schemaVersion: 3)
        try queue.write { db in
            try AlertRow.upsert(StoreFixture.alerts[1], in: db)
        }
        #expect(try queue.read { try $0.tableExists("evidence_record") } == false)
        try queue.close()

        let store = try AlertStore(path: path, access: .detection)
        #expect(try store.read { try Int.fetchOne($0, sql: "PRAGMA user_version") } == StoreSchema.latestVersion)
        #expect(try store.alert(id: StoreFixture.alerts[1].id) == StoreFixture.alerts[1], "an alert saved before v4 has no records")
        var alert = StoreFixture.alerts[0]
        alert.evidence[0].record = #"{"operationName":"SecretGet","properties":{"clientInfo":"\u001b[2J"}}"#
        try store.save(DetectionProgress(alerts: [alert]))
        #expect(try store.alert(id: alert.id) == alert)
        // An update rewrites the alert's row; its evidence's record stays, and a new one is added.
        var updated = alert
        updated.count += 1
        updated.evidence[0].record = nil
        updated.evidence[1].record = "{}"
        try store.save(DetectionProgress(alerts: [updated]))
        let read = try store.alert(id: alert.id)
        #expect(read.count == alert.count + 1)
        #expect(read.evidence.map(\.record) == [alert.evidence[0].record, "{}"])
        #expect(try store.alerts().first { $0.id == alert.id }?.evidence.allSatisfy { $0.record == nil } == true, "lists leave records out")
    }

    /// v12: records of a kilobyte or two share pages (a rowid table), instead of taking an
    /// overflow page each (WITHOUT ROWID, v4 to v11): a new file's first save writes a third less.
    @Test func recordsOfAKilobyteSharePagesAndAV11FileKeepsItsRecords() throws {
        func withRecords(_ alert: Alert, _ salt: Int) -> Alert {
            var alert = alert
            for index in alert.evidence.indices {
                alert.evidence[index].record = #"{"operationName":"SecretGet","n":\#(salt * 10 + index),"pad":""#
                    + String(repeating: "x", count: 1_100) + #""}"#
            }
            return alert
        }
        let alerts = StoreFixture.alerts.enumerated().map { withRecords($0.element, $0.offset) }
        let (path, queue) = try StoreFixture.olderStateFile(schemaVersion: 11)
        try queue.write { db in
            for alert in alerts { try AlertRow.upsert(alert, in: db) }
        }
        try queue.close()

        let store = try AlertStore(path: path, access: .detection)
        #expect(try store.read { try Int.fetchOne($0, sql: "PRAGMA user_version") } == StoreSchema.latestVersion)
        for alert in alerts { #expect(try store.alert(id: alert.id) == alert) }

        let newPath = try StoreFixture.statePath()
        let created = try AlertStore(path: newPath, access: .detection)
        let pages = { try created.read { try Int.fetchOne($0, sql: "PRAGMA page_count") ?? 0 } }
        let before = try pages()
        try created.save(DetectionProgress(alerts: alerts))
        let recordCount = alerts.count * 2
        let pageSize = try created.read { try Int.fetchOne($0, sql: "PRAGMA page_size") ?? 4096 }
        // The alerts' rows themselves take about a page for two; a page per record on top would
        // pass the bound.
        let used = try pages() - before
        #expect(used < recordCount * 1_200 / pageSize + alerts.count / 2 + recordCount / 2,
                "\(used) pages for \(recordCount) records of 1.2 KB and \(alerts.count) alerts")
        for alert in alerts { #expect(try created.alert(id: alert.id) == alert) }
    }
}
