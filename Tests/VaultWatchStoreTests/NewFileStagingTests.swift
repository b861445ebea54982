import Foundation
import GRDB
import Testing
import VaultWatchCore
import VaultWatchTestSupport
@testable import VaultWatchStore

/// A state file that did not exist is set up as `FILE.new` and its first write renamed in
/// (`NewFileSetUp`): until then there is no `FILE`, after it `FILE` holds the whole first save
/// and nothing else is left beside it; a failed first save leaves no file; what a crash left
/// under either name is never read as the new file's.
struct NewFileStagingTests {
    /// What a new file's first save leaves: `FILE` appears whole at once, without a log, and later
    /// uses (a second save, an `alerts` command's status change) go to it.
    @Test func aNewFileAppearsWholeAtItsFirstSave() throws {
        let path = try StoreFixture.statePath()
        let alerts = StoreFixture.alerts
        let store = try AlertStore(path: path, access: .detection)
        #expect(try store.alertCount() == 0)
        #expect(!FileManager.default.fileExists(atPath: path), "nothing saved yet: no state file")
        #expect(throws: StoreError.missing(path: path)) { _ = try AlertStore(path: path, access: .readOnly) }

        try store.save(DetectionProgress(alerts: Array(alerts.prefix(2))))
        for leftover in [NewFileSetUp.stagingPath(for: path), path + "-wal", path + "-shm"] {
            #expect(!FileManager.default.fileExists(atPath: leftover), "\(leftover) left beside the file")
        }
        #expect(try StoreFixture.mode(of: path) == 0o600)
        #expect(try AlertStore(path: path, access: .readOnly).alerts().map(\.id).sorted() == alerts.prefix(2).map(\.id).sorted())

        // An `alerts dismiss` from another process while the run goes on, then the run's next save.
        _ = try AlertStore(path: path, access: .readWrite).setStatus(.dismissed, alertID: alerts[0].id)
        try store.save(DetectionProgress(alerts: Array(alerts.prefix(3))))
        let reader = try AlertStore(path: path, access: .readOnly)
        #expect(try reader.alerts().map(\.id).sorted() == alerts.prefix(3).map(\.id).sorted())
        #expect(try reader.alert(id: alerts[0].id).status == .dismissed)
    }

    /// A first save that fails (the "disk" full: the schema fits in the pages allowed, the save
    /// does not) is rolled back, creates no `FILE`, and leaves nothing once the run ends.
    @Test func aFailedFirstSaveLeavesNoFile() throws {
        let path = try StoreFixture.statePath()
        let schemaPages = try Self.schemaPageCount()
        do {
            let store = try AlertStore(
                path: path, access: .detection, options: AlertStore.Options(maximumPageCount: schemaPages))
            let large = DetectorSnapshot(formatVersion: 17, data: Data(repeating: 7, count: 1 << 20))
            for _ in 0..<2 {
                #expect(throws: StoreError.diskFull(path: path)) {
                    try store.save(DetectionProgress(alerts: StoreFixture.alerts, detectorSnapshot: large))
                }
                #expect(!FileManager.default.fileExists(atPath: path), "a failed save made the file")
            }
            #expect(try store.alertCount() == 0)
        }
        #expect(!FileManager.default.fileExists(atPath: NewFileSetUp.stagingPath(for: path)))
        let store = try AlertStore(path: path, access: .detection)
        #expect(store.holdsNothingSaved)
        #expect(try store.alertCount() == 0)
    }

    /// A `FILE-wal` (with its `-shm`) whose file was deleted after a crash holds committed
    /// frames of another database: the file renamed in must not take them as its own.
    @Test func aLogLeftWithoutItsFileIsNotReadAsTheNewFiles() throws {
        let path = try StoreFixture.statePath()
        let alerts = StoreFixture.alerts
        var log = Data()
        var index = Data()
        do {
            let store = try AlertStore(path: path, access: .detection)
            try store.save(DetectionProgress(alerts: Array(alerts.prefix(1))))
            try store.save(DetectionProgress(alerts: Array(alerts.prefix(4))))
            log = try Data(contentsOf: URL(fileURLWithPath: path + "-wal"))
            index = try Data(contentsOf: URL(fileURLWithPath: path + "-shm"))
        }
        #expect(log.count > 32, "the second save's frames in the log")
        try FileManager.default.removeItem(atPath: path)
        try log.write(to: URL(fileURLWithPath: path + "-wal"))
        try index.write(to: URL(fileURLWithPath: path + "-shm"))

        do {
            let store = try AlertStore(path: path, access: .detection)
            #expect(store.holdsNothingSaved)
            try store.save(DetectionProgress(alerts: [alerts[5]]))
        }
        let reader = try AlertStore(path: path, access: .readOnly)
        #expect(try reader.alerts().map(\.id) == [alerts[5].id])
    }

    /// A staged file a crash left before its rename (here not even a database) is replaced.
    @Test func aStagedFileLeftByACrashIsReplaced() throws {
        let path = try StoreFixture.statePath()
        try StateFiles.createDirectory(containing: path)
        try Data("not a database, and long enough to be read as a header by SQLite: ".utf8 + Data(repeating: 0x41, count: 200))
            .write(to: URL(fileURLWithPath: NewFileSetUp.stagingPath(for: path)))
        do {
            let store = try AlertStore(path: path, access: .detection)
            try store.save(DetectionProgress(alerts: StoreFixture.alerts))
        }
        #expect(try AlertStore(path: path, access: .readOnly).alertCount() == StoreFixture.alerts.count)
    }

    /// The pages of a new file's schema, as a staged file is set up.
    private static func schemaPageCount() throws -> Int {
        let path = try StoreFixture.statePath("schema.sqlite")
        let store = try AlertStore(path: path, access: .detection)
        try store.save(DetectionProgress(alerts: []))
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { db in try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0 }
    }
}
