import Foundation
import GRDB
import Testing
import VaultWatchCore
import VaultWatchTestSupport
@testable import VaultWatchStore

/// Checkpoints of many files are saved packed in one row (schema v9) instead of a row each; a
/// row per file still says where the files that moved since stand. Whatever the mix, the saved
/// checkpoints are exactly the last ones each file reached.
@Suite("Checkpoints packed in one row")
struct CheckpointPackTests {
    /// `count` blobs of a tree, every field set (half without a modification time, as rows of
    /// an older file have none).
    static func blobs(_ count: Int, offset: Int64 = 100, root: String = "/logs/resourceId=/SUBSCRIPTIONS/S/VAULTS/KV-É") -> [FileFollower.Checkpoint] {
        (0..<count).map { index in
            let day = index / 24 + 1
            let hour = index % 24
            let modified: Int64? = index % 2 == 0 ? nil : -Int64(index) * 1_000_000_007
            let fingerprint = FileFingerprint(hash: UInt64(index) &* 0x9E37_79B9_7F4A_7C15, length: index % 1025)
            let path = "\(root)/y=2026/m=02/d=\(day)/h=\(hour)/m=00/PT1H.json"
            // Every shape of a source's clock: none, empty, a time, a stretch ahead, a late run, a
            // time with the later one the source had reached.
            let clocks: [SourceClock?] = [
                nil, SourceClock(), SourceClock(lastAccepted: Int64(index) * 10_000_000),
                SourceClock(lastAccepted: -1, stretchShift: Int64(index) * 36_000_000_000),
                SourceClock(lastAccepted: 7, lateRun: SourceClock.LateRun(
                    source: path, firstLine: index, lastLine: index + 9, count: 10, mostBehind: 6_000_000_000)),
                SourceClock(lastAccepted: Int64(index) * 10_000_000, furthestAccepted: Int64(index) * 10_000_000 + 72_000_000_000),
            ]
            // Half without the hash of the bytes before the offset, as positions of an older file.
            let preceding = index % 4 < 2 ? nil : FileFingerprint(hash: UInt64(index) &* 0xC2B2_AE3D_27D4_EB4F, length: index % 1025)
            // Two in three read past the offset by the runs that saved them (`readThrough`).
            let readThrough: Int64? = index % 3 == 0 ? nil : offset + Int64(index) + Int64(index % 7) * 40_000 + 1
            return FileFollower.Checkpoint(
                path: path, device: UInt64.max - UInt64(index), inode: UInt64(index) << 40, offset: offset + Int64(index),
                fingerprint: fingerprint, line: index + 1, modified: modified, skipEvents: index % 3, clock: clocks[index % clocks.count],
                precedingBytes: preceding, readThrough: readThrough)
        }
    }

    @Test func packedCheckpointsComeBackExactly() throws {
        let checkpoints = Self.blobs(700) + Self.blobs(5, root: "/other") + [
            FileFollower.Checkpoint(path: "", device: 0, inode: 0, offset: 0, fingerprint: FileFingerprint(hash: 0, length: 0)),
            FileFollower.Checkpoint(path: "a/ü/😀.jsonl", device: 1, inode: 2, offset: Int64.max, fingerprint: FileFingerprint(hash: 3, length: 1024), line: Int.max, modified: Int64.min, skipEvents: 7),
        ]
        let bytes = FileFollower.Checkpoint.packed(checkpoints.shuffled())
        #expect(try FileFollower.Checkpoint.unpacked(from: bytes) == checkpoints.sorted { $0.path < $1.path })
        // Paths share their start: smaller than the paths alone, numbers included (but the
        // hashes of the bytes before the offsets, as long as random: 10 bytes each at most, and how
        // far the runs read: 4 bytes each at most here).
        let hashes = checkpoints.reduce(0) { $0 + ($1.precedingBytes == nil ? 0 : 10) + ($1.readThrough == nil ? 0 : 4) }
        #expect(bytes.count < checkpoints.reduce(0) { $0 + $1.path.utf8.count } + hashes)
        #expect(try FileFollower.Checkpoint.unpacked(from: FileFollower.Checkpoint.packed([])) == [])
    }

    @Test func aDamagedPackThrowsAndNeverTraps() throws {
        let bytes = FileFollower.Checkpoint.packed(Self.blobs(40))
        for length in 0..<bytes.count {
            #expect(throws: BaselineStateError.self) { try FileFollower.Checkpoint.unpacked(from: Array(bytes.prefix(length))) }
        }
        #expect(throws: BaselineStateError.self) { try FileFollower.Checkpoint.unpacked(from: bytes + [0]) }
        #expect(throws: BaselineStateError.self) { try FileFollower.Checkpoint.unpacked(from: [5] + bytes.dropFirst()) }
    }

    /// A pack written before the hash of the bytes before each offset (version 1, as the state
    /// files of 2 December hold) reads as it was, without that hash.
    @Test func aVersionOnePackStillReads() throws {
        // Version 1, one checkpoint: no shared path bytes, 13 bytes of path, device 2049, inode
        // 131, offset 5000, fingerprint 0x1234ABCD over 1024 bytes, line 42, modified 7, no
        // events to skip, no clock.
        let version1: [UInt8] = [
            1, 1, 0, 13, 47, 108, 111, 103, 115, 47, 97, 112, 112, 46, 108, 111, 103, 129, 16, 131, 1, 144, 78, 205, 215, 210, 145,
            1, 128, 16, 84, 1, 14, 0, 0,
        ]
        #expect(try FileFollower.Checkpoint.unpacked(from: version1) == [FileFollower.Checkpoint(
            path: "/logs/app.log", device: 2049, inode: 131, offset: 5000, fingerprint: FileFingerprint(hash: 0x1234_ABCD, length: 1024),
            line: 42, modified: 7)])
        for length in 0..<version1.count {
            #expect(throws: BaselineStateError.self) { try FileFollower.Checkpoint.unpacked(from: Array(version1.prefix(length))) }
        }
    }

    /// A pack written before the clock kept how far the source had reached (version 2, as the
    /// state files of 4 December hold) reads as it was: the clock's last time is that.
    @Test func aVersionTwoPackStillReads() throws {
        let checkpoint = FileFollower.Checkpoint(
            path: "/logs/app.log", device: 2049, inode: 131, offset: 5000, fingerprint: FileFingerprint(hash: 0x1234_ABCD, length: 1024),
            line: 42, modified: 7, clock: SourceClock(lastAccepted: 7))
        let version4 = FileFollower.Checkpoint.packed([checkpoint])
        // Version 4 ends with the clock's late run (none), how far it reached (none), the hash of
        // the bytes before the offset (none) and how far the runs read (none); version 3 has no
        // fourth of these, version 2 no second.
        #expect(version4.first == 4 && version4.suffix(4) == [0, 0, 0, 0])
        let version3 = [3] + version4.dropFirst().dropLast()
        #expect(try FileFollower.Checkpoint.unpacked(from: Array(version3)) == [checkpoint])
        let version2 = [2] + version3.dropFirst().dropLast(2) + [0]
        #expect(try FileFollower.Checkpoint.unpacked(from: Array(version2)) == [checkpoint])
        #expect(throws: BaselineStateError.self) { try FileFollower.Checkpoint.unpacked(from: Array(version2.dropLast())) }
    }

    @Test func whenASaveWritesThePackOrRows() {
        // A tree read for the first time: one pack, not a row per blob.
        #expect(DetectionRecorder.packsCheckpoints(rows: 4_992, saved: 0))
        // A few files, or a few moving in a large tree: rows.
        #expect(!DetectionRecorder.packsCheckpoints(rows: 3, saved: 0))
        #expect(!DetectionRecorder.packsCheckpoints(rows: 256, saved: 0))
        #expect(!DetectionRecorder.packsCheckpoints(rows: 600, saved: 4_992))
        // Rows past an eighth of what is saved are folded into the pack.
        #expect(DetectionRecorder.packsCheckpoints(rows: 625, saved: 4_992))
    }

    static func rowCount(_ store: AlertStore) throws -> (rows: Int, packs: Int) {
        try store.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM source_checkpoint") ?? -1,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM source_checkpoint_pack") ?? -1)
        }
    }

    @Test func rowsWrittenAfterThePackOverrideItAndAPackReplacesTheRows() throws {
        let store = try AlertStore(path: try StoreFixture.statePath(), access: .detection)
        let first = Self.blobs(1_000)
        try store.save(DetectionProgress(checkpointPack: first))
        #expect(try Self.rowCount(store) == (0, 1))
        var saved = try store.savedDetection()
        #expect(saved.checkpoints == first.sorted { $0.path < $1.path })
        #expect(saved.checkpointRowPaths.isEmpty)

        // Two blobs move and one is new: rows, which win over the pack's entries.
        var moved = [first[10], first[500]]
        for index in moved.indices { moved[index].offset += 1_000 }
        let new = Self.blobs(1, root: "/new")[0]
        try store.save(DetectionProgress(checkpoints: moved + [new]))
        #expect(try Self.rowCount(store) == (3, 1))
        saved = try store.savedDetection()
        var expected = Dictionary(first.map { ($0.path, $0) }, uniquingKeysWith: { $1 })
        for checkpoint in moved + [new] { expected[checkpoint.path] = checkpoint }
        #expect(saved.checkpoints == expected.values.sorted { $0.path < $1.path })
        #expect(saved.checkpointRowPaths == Set((moved + [new]).map(\.path)))

        // A new pack holds everything and leaves no row.
        try store.save(DetectionProgress(checkpointPack: Array(expected.values)))
        #expect(try Self.rowCount(store) == (0, 1))
        #expect(try store.savedDetection().checkpoints == expected.values.sorted { $0.path < $1.path })
    }

    @Test func aDamagedPackIsRefusedByName() throws {
        let path = try StoreFixture.statePath()
        let store = try AlertStore(path: path, access: .detection)
        try store.write { try $0.execute(sql: "INSERT INTO source_checkpoint_pack (id, data) VALUES (1, x'0105')") }
        #expect {
            try store.savedDetection()
        } throws: { error in
            guard let error = error as? StoreError else { return false }
            return error.description.contains(path) && error.description.contains("read positions")
        }
    }

    /// A file of schema v7 holds its checkpoints as rows: they come back, and a save that packs
    /// folds them into the pack.
    @Test func aVersion7FileKeepsItsRowsUntilASavePacksThem() throws {
        let (path, queue) = try StoreFixture.olderStateFile(schemaVersion: 7)
        // Rows of v7 had no source clock (v8 added it).
        let old = Self.blobs(300).map { checkpoint in
            var checkpoint = checkpoint
            checkpoint.clock = nil
            checkpoint.precedingBytes = nil
            checkpoint.readThrough = nil
            return checkpoint
        }
        try queue.write { db in
            for checkpoint in old {
                try db.execute(
                    sql: """
                        INSERT INTO source_checkpoint (path, device, inode, offset, fingerprint_hash, fingerprint_length, line, modified, skip_events)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        checkpoint.path, Int64(bitPattern: checkpoint.device), Int64(bitPattern: checkpoint.inode), checkpoint.offset,
                        Int64(bitPattern: checkpoint.fingerprint.hash), checkpoint.fingerprint.length, checkpoint.line, checkpoint.modified,
                        checkpoint.skipEvents,
                    ])
            }
        }
        try queue.close()
        let store = try AlertStore(path: path, access: .detection)
        let saved = try store.savedDetection()
        #expect(saved.checkpoints == old.sorted { $0.path < $1.path })
        #expect(saved.checkpointRowPaths.count == 300)
        try store.save(DetectionProgress(checkpointPack: old))
        #expect(try Self.rowCount(store) == (0, 1))
        #expect(try store.savedDetection().checkpoints == old.sorted { $0.path < $1.path })
    }

    /// A tree of one-record hourly blobs, hours `hours` (from 2024-05-01T00), under `root`.
    static func writeTree(_ root: URL, hours: Range<Int>) throws -> [String] {
        try hours.map { index in
            let (day, hour) = (index / 24 + 1, index % 24)
            let url = root.appendingPathComponent(String(
                format: "resourceId=/SUBSCRIPTIONS/S/VAULTS/KV1/y=2024/m=05/d=%02d/h=%02d/m=00/PT1H.json", day, hour))
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            let time = String(format: "2024-05-%02dT%02d:10:00.0000000Z", day, hour)
            try Data(RecordBuilder(time: time, objectName: "h\(index)").jsonLine().utf8).write(to: url)
            return url.path
        }
    }

    /// A `detect --state` run over `paths` (batches of 64) on the state file at `statePath`,
    /// resuming from what it holds: its batches are to be processed with `process`, in order.
    struct StateRun {
        var recorder: DetectionRecorder
        let ingestor: Ingestor
        let detector: Detector
        let reader: Task<Void, Never>

        init(_ paths: [String], statePath: String, mode: Ingestor.Mode = .readToEnd, configuration: Ingestor.Configuration = .init())
            async throws {
            let symbols = SymbolTable()
            recorder = try DetectionRecorder(store: AlertStore(path: statePath, access: .detection), batchSize: 64)
            var configuration = configuration
            configuration.batchSize = 64
            configuration.checkpoints = recorder.saved.checkpoints
            let ingestor = try Ingestor(paths: paths, symbols: symbols, configuration: configuration)
            self.ingestor = ingestor
            detector = try recorder.makeDetector(symbols: symbols, configuration: DetectorConfiguration())
            await recorder.start(detector: detector, ingestor: ingestor)
            reader = Task { await ingestor.run(mode: mode) }
        }

        mutating func process(_ batch: EventBatch) async throws {
            try await recorder.processed(batch, touched: await detector.process(batch), by: detector)
        }

        /// Once the batches have ended: the end's save.
        mutating func finish() async throws {
            await reader.value
            _ = try await recorder.finish(detector)
        }
    }

    /// One `detect --state` run over `paths` to their end: the events it read.
    static func detect(_ paths: [String], statePath: String) async throws -> Int {
        var run = try await StateRun(paths, statePath: statePath)
        var events = 0
        for await batch in run.ingestor.batches {
            events += batch.events.count
            try await run.process(batch)
        }
        try await run.finish()
        return events
    }

    /// Retention deletes a tree's old hours: the pack forgets their positions when it is next
    /// written, and keeps every blob still there (none is read again).
    @Test func thePackForgetsBlobsGoneFromTheTreeAndKeepsEveryBlobStillThere() async throws {
        let directory = try TestPaths.temporaryDirectory("checkpoint-pack-forgets")
        defer { try? FileManager.default.removeItem(at: directory) }
        let tree = directory.appendingPathComponent("tree")
        let statePath = directory.appendingPathComponent("state.sqlite").path
        let first = try Self.writeTree(tree, hours: 0..<300)
        #expect(try await Self.detect([tree.path], statePath: statePath) == 300)
        var saved = try AlertStore(path: statePath, access: .readOnly).savedDetection()
        #expect(saved.checkpoints.count == 300)
        // Retention deletes the oldest 290 hours; 300 new ones arrive (enough rows to pack).
        for path in first.prefix(290) { try FileManager.default.removeItem(atPath: path) }
        let second = try Self.writeTree(tree, hours: 300..<600)
        #expect(try await Self.detect([tree.path], statePath: statePath) == 300)
        saved = try AlertStore(path: statePath, access: .readOnly).savedDetection()
        #expect(Set(saved.checkpoints.map(\.path)) == Set(first.suffix(10) + second))
        // Nothing still there is read again.
        #expect(try await Self.detect([tree.path], statePath: statePath) == 0)
    }

    /// Following a tree, the blobs retention deletes while the run follows it are forgotten by
    /// the next save that packs, found gone by the tree's listing (no `stat` of each saved blob),
    /// and every blob still there is kept: none is read again.
    @Test func followingATreeThePackForgetsBlobsDeletedMeanwhileAndKeepsTheOthers() async throws {
        let directory = try TestPaths.temporaryDirectory("checkpoint-pack-follow")
        defer { try? FileManager.default.removeItem(at: directory) }
        let tree = directory.appendingPathComponent("tree")
        let statePath = directory.appendingPathComponent("state.sqlite").path
        let first = try Self.writeTree(tree, hours: 0..<300)
        var second: [String] = []
        var events = 0
        do {
            // No hour is forgotten (every blob rechecked): every scan lists the whole tree.
            var run = try await StateRun(
                [tree.path], statePath: statePath, mode: .follow,
                configuration: .init(pollInterval: .milliseconds(5), directoryScanInterval: .milliseconds(20), blobRecheckHours: .max))
            for await batch in run.ingestor.batches {
                events += batch.events.count
                try await run.process(batch)
                if events == 300, second.isEmpty {
                    try await run.recorder.saveNow(run.detector)
                    #expect(try AlertStore(path: statePath, access: .readOnly).savedDetection().checkpoints.count == 300)
                    // Retention deletes the oldest 290 hours; 300 new ones arrive (enough to pack):
                    // the first, then, once it is read (the scans after the one that found it began
                    // after the deletions), the others.
                    for path in first.prefix(290) { try FileManager.default.removeItem(atPath: path) }
                    second = try Self.writeTree(tree, hours: 300..<301)
                } else if events == 301 {
                    second += try Self.writeTree(tree, hours: 301..<600)
                } else if events == 600 {
                    try await run.recorder.saveNow(run.detector)
                    run.reader.cancel()
                }
            }
            try await run.finish()
        }
        #expect(events == 600)
        let saved = Set(try AlertStore(path: statePath, access: .readOnly).savedDetection().checkpoints.map(\.path))
        let expected = Set(first.suffix(10) + second)
        #expect(saved.subtracting(expected).count == 0, "positions of blobs gone kept")
        #expect(expected.subtracting(saved).count == 0, "positions of blobs still there forgotten")
        #expect(try await Self.detect([tree.path], statePath: statePath) == 0)
    }

    /// A tree that is not there as it was (emptied: unmounted, moved) forgets nothing, nor does a
    /// file named on the command line (a restart looks for it among its rotated generations):
    /// only blobs of a tree its listing lists are gone.
    @Test func onlyBlobsOfATreeStillThereAreForgotten() async throws {
        let directory = try TestPaths.temporaryDirectory("checkpoint-pack-keeps")
        defer { try? FileManager.default.removeItem(at: directory) }
        let tree = directory.appendingPathComponent("tree")
        let blobs = try Self.writeTree(tree, hours: 0..<3)
        let log = directory.appendingPathComponent("app.log").path
        let elsewhere = directory.appendingPathComponent("other/PT1H.json").path
        // A file named on the command line inside the tree, which its listing does not list.
        let inside = tree.appendingPathComponent("notes/app.log").path
        try FileManager.default.createDirectory(at: tree.appendingPathComponent("notes"), withIntermediateDirectories: true)
        try Data(RecordBuilder().jsonLine().utf8).write(to: URL(fileURLWithPath: inside))
        let saved = (blobs + [log, elsewhere, inside]).map {
            FileFollower.Checkpoint(path: $0, device: 1, inode: 1, offset: 0, fingerprint: FileFingerprint(hash: 1, length: 0))
        }
        /// What a run over the tree and the log, resuming from `saved`, finds gone.
        func gone(keepsPositions: Bool = true) async throws -> Set<String> {
            try Data(RecordBuilder().jsonLine().utf8).write(to: URL(fileURLWithPath: log))
            var configuration = Ingestor.Configuration(checkpoints: saved)
            configuration.keepsPositions = keepsPositions
            let named = FileManager.default.fileExists(atPath: inside) ? [inside] : []
            let ingestor = try Ingestor(paths: [tree.path, log] + named, symbols: SymbolTable(), configuration: configuration)
            try? FileManager.default.removeItem(atPath: log)  // gone too
            let reader = Task { await ingestor.run(mode: .readToEnd) }
            for await _ in ingestor.batches {}
            await reader.value
            return ingestor.takeBlobsGone()
        }
        try FileManager.default.removeItem(atPath: blobs[0])
        #expect(try await gone() == [blobs[0]])
        // A run nobody asks where to resume (no state file) keeps none, as it keeps no position.
        #expect(try await gone(keepsPositions: false).isEmpty)
        // Emptied: nothing is forgotten.
        try FileManager.default.removeItem(at: tree)
        try FileManager.default.createDirectory(at: tree, withIntermediateDirectories: true)
        #expect(try await gone().isEmpty)
    }
}
