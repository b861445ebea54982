import Foundation
import Testing
import VaultWatchCore
import VaultWatchTestSupport
@testable import VaultWatchStore

struct AlertStoreTests {
    @Test func alertsRoundTripExactlyAsAlertJSON() throws {
        let path = try StoreFixture.statePath()
        let alerts = StoreFixture.alerts
        do {
            let store = try AlertStore(path: path, access: .detection)
            try store.save(DetectionProgress(alerts: alerts))
        }
        let store = try AlertStore(path: path, access: .readOnly)
        let stored = try store.alerts()
        let expectedOrder = alerts.sorted { ($0.firstSeen, $0.kind.rawValue, $0.id) < ($1.firstSeen, $1.kind.rawValue, $1.id) }
        #expect(stored == expectedOrder)
        #expect(stored.map(AlertJSON.line(for:)) == expectedOrder.map(AlertJSON.line(for:)))
        #expect(try store.alert(id: alerts[3].id) == alerts[3])
    }

    /// A file this open created (or left empty by a crash before its first save) has nothing
    /// to read back: the recorder starts from nothing without asking; once written to, by this
    /// connection or before a reopen, it is read back whole.
    @Test func onlyAFileThatStartedEmptyIsNotReadBack() throws {
        let path = try StoreFixture.statePath()
        do {
            let store = try AlertStore(path: path, access: .detection)
            #expect(store.holdsNothingSaved)
            let recorder = try DetectionRecorder(store: store, batchSize: 16)
            #expect(recorder.saved.checkpoints.isEmpty && recorder.saved.openAlerts.isEmpty)
            #expect(recorder.saved.detectorSnapshot == nil && recorder.saved.eventClock == nil)
            let alerts = StoreFixture.alerts
            try store.save(DetectionProgress(
                alerts: alerts, openAlerts: [StoreFixture.openAlert(alerts[0])], eventClock: EventTime(ticks: 42)))
            #expect(!store.holdsNothingSaved)
            #expect(try DetectionRecorder(store: store, batchSize: 16).saved.eventClock == EventTime(ticks: 42))
        }
        let reopened = try AlertStore(path: path, access: .detection)
        #expect(!reopened.holdsNothingSaved)
        let recorder = try DetectionRecorder(store: reopened, batchSize: 16)
        #expect(recorder.saved.eventClock == EventTime(ticks: 42))
        #expect(recorder.saved.openAlerts.map(\.alert.id) == [StoreFixture.alerts[0].id])
    }

    @Test func stateDirectoryIsOwnerOnlyAndFileIs0600() throws {
        let path = try StoreFixture.statePath()
        let store = try AlertStore(path: path, access: .detection)
        try store.save(DetectionProgress(alerts: StoreFixture.alerts))
        // The first save is renamed in whole (`NewFileSetUp`); the second goes through the log.
        try store.save(DetectionProgress(alerts: StoreFixture.alerts))
        let directory = (path as NSString).deletingLastPathComponent
        #expect(try StoreFixture.mode(of: directory) == 0o700)
        #expect(try StoreFixture.mode(of: (directory as NSString).deletingLastPathComponent) == 0o700)
        #expect(try StoreFixture.mode(of: path) == 0o600)
        #expect(try StoreFixture.mode(of: path + "-wal") == 0o600)
        #expect(try StoreFixture.mode(of: path + ".lock") == 0o600)
        withExtendedLifetime(store) {}
    }

    @Test func filtersSelectByStatusKindVaultAndTime() throws {
        let store = try AlertStore(inMemoryWith: AlertStore.Options())
        var alerts = StoreFixture.alerts
        alerts[0].vault = "payments-kv"
        alerts[1].lastSeen = EventTime(year: 2030, month: 1, day: 1)
        try store.save(DetectionProgress(alerts: alerts))
        try store.setStatus(.dismissed, alertID: alerts[2].id)
        #expect(try store.alerts(matching: AlertFilter(vault: "PAYMENTS-KV")).map(\.id) == [alerts[0].id])
        #expect(try store.alerts(matching: AlertFilter(status: .dismissed)).map(\.id) == [alerts[2].id])
        #expect(try store.alerts(matching: AlertFilter(kind: alerts[4].kind)).map(\.id) == [alerts[4].id])
        #expect(try store.alerts(matching: AlertFilter(since: EventTime(year: 2029, month: 1, day: 1))).map(\.id) == [alerts[1].id])
        #expect(try store.alerts(matching: AlertFilter(status: .active)).count == alerts.count - 1)
    }

    @Test func statusChangesAreRecordedAndSurviveDetectionUpdates() throws {
        let store = try AlertStore(inMemoryWith: AlertStore.Options())
        var alert = StoreFixture.alerts[0]
        try store.save(DetectionProgress(alerts: [alert]))
        let changed = try store.setStatus(.dismissed, alertID: String(alert.id.prefix(8)), reason: "expected scanner",
                                          now: Date(timeIntervalSince1970: 1_700_000_000))
        #expect(changed.status == .dismissed)
        // A repeat from detection (status active in the detector) keeps the person's decision.
        alert.count = 7
        try store.save(DetectionProgress(alerts: [alert]))
        let stored = try store.alert(id: alert.id)
        #expect(stored.count == 7)
        #expect(stored.status == .dismissed)
        #expect(try store.statusHistory(alertID: alert.id) == [
            AlertStatusChange(alertID: alert.id, previousStatus: .active, status: .dismissed,
                              changedAt: "2023-11-14T22:13:20Z", reason: "expected scanner"),
        ])
        #expect(throws: StoreError.statusUnchanged(id: alert.id, status: "dismissed")) {
            try store.setStatus(.dismissed, alertID: alert.id)
        }
        try store.setStatus(.resolved, alertID: alert.id)
        #expect(try store.statusHistory(alertID: alert.id).map(\.status) == [.dismissed, .resolved])
    }

    @Test func unknownAndAmbiguousIDsAreNamed() throws {
        let store = try AlertStore(inMemoryWith: AlertStore.Options())
        try store.save(DetectionProgress(alerts: StoreFixture.alerts))
        #expect(throws: StoreError.alertNotFound(id: "ffff0000", path: "in-memory state")) { try store.alert(id: "ffff0000") }
        #expect {
            try store.alert(id: "0000")
        } throws: { error in
            guard case .ambiguousAlertID(let prefix, let matches)? = error as? StoreError else { return false }
            return prefix == "0000" && matches.count > 1
        }
    }

    @Test func detectionProgressRoundTrips() throws {
        let path = try StoreFixture.statePath()
        let alerts = StoreFixture.alerts
        let checkpoint = FileFollower.Checkpoint(
            path: "/var/log/kv.jsonl", device: UInt64.max - 3, inode: 1 << 63, offset: 123_456,
            fingerprint: FileFingerprint(hash: UInt64.max, length: 1024), line: 4_321, modified: 1_764_626_400_123_456_789,
            precedingBytes: FileFingerprint(hash: UInt64.max - 1, length: 1024))
        let snapshot = DetectorSnapshot(formatVersion: 3, data: Data([0, 1, 2, 255]))
        do {
            let store = try AlertStore(path: path, access: .detection)
            try store.save(DetectionProgress(
                checkpoints: [checkpoint], alerts: alerts, openAlerts: [StoreFixture.openAlert(alerts[1])],
                eventClock: EventTime(ticks: 42), detectorSnapshot: snapshot))
            // A later save without a snapshot keeps the last one; open alerts are replaced.
            try store.save(DetectionProgress(
                checkpoints: [checkpoint], openAlerts: [StoreFixture.openAlert(alerts[2])], eventClock: EventTime(ticks: 43)))
        }
        let saved = try AlertStore(path: path, access: .detection).savedDetection()
        #expect(saved.checkpoints == [checkpoint])
        #expect(saved.openAlerts == [StoreFixture.openAlert(alerts[2])])
        #expect(saved.eventClock == EventTime(ticks: 43))
        #expect(saved.detectorSnapshot == snapshot)
    }

    @Test func aNewFileHasNothingSaved() throws {
        let saved = try AlertStore(path: try StoreFixture.statePath(), access: .detection).savedDetection()
        #expect(saved.checkpoints.isEmpty)
        #expect(saved.openAlerts.isEmpty)
        #expect(saved.eventClock == nil)
        #expect(saved.detectorSnapshot == nil)
    }
}
