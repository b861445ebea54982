import Foundation
import Testing
import VaultWatchCore
import VaultWatchTestSupport
@testable import VaultWatchStore

/// A run on a file that holds a save starts the file's log as it starts, on the save writer's
/// thread (`AlertStore.startLog`): SQLite's `fsync`s of a new log's header and directory come
/// beside the reading, not before the end's save. What the file holds does not change.
@Suite("The state file's log started beside the run")
struct LogStartTests {
    static func logSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path + "-wal"))?[.size] as? NSNumber)?.intValue ?? -1
    }

    /// `recorder` started as `detect` starts it, over an empty input.
    static func start(_ recorder: inout DetectionRecorder) async throws {
        let input = try TestPaths.temporaryDirectory("vaultwatch-log-start").appendingPathComponent("empty.jsonl").path
        FileManager.default.createFile(atPath: input, contents: Data())
        let symbols = SymbolTable()
        let ingestor = try Ingestor(
            paths: [input], symbols: symbols, configuration: Ingestor.Configuration(checkpoints: recorder.saved.checkpoints))
        let detector = try recorder.makeDetector(symbols: symbols, configuration: DetectorConfiguration())
        await recorder.start(detector: detector, ingestor: ingestor)
    }

    @Test func aFileThatHoldsASaveHasItsLogStartedBeforeTheFirstSaveAndHoldsTheSame() async throws {
        let path = try StoreFixture.statePath()
        do {
            let store = try AlertStore(path: path, access: .detection)
            try store.save(DetectionProgress(eventClock: EventTime(ticks: 7)))
        }
        #expect(Self.logSize(path) == -1, "the close copied the log into the file and removed it")
        var recorder = try DetectionRecorder(store: AlertStore(path: path, access: .detection), batchSize: 100, readsToEnd: true)
        #expect(Self.logSize(path) == 0, "opened and read: the log is there, empty")
        try await Self.start(&recorder)
        // Nothing saved by this run yet: what the writer's thread has done is the log's start.
        recorder.waitForClose()
        #expect(recorder.saveCount == 0)
        #expect(Self.logSize(path) > 0, "the log holds its header and a commit before the run's first save")
        #expect(recorder.saved.eventClock == EventTime(ticks: 7))
        let reader = try AlertStore(path: path, access: .readOnly)
        #expect(try reader.savedDetection().eventClock == EventTime(ticks: 7), "the write changed nothing")
        withExtendedLifetime(recorder) {}
    }

    @Test func aNewFileIsNotWrittenBeforeItsFirstSave() async throws {
        let path = try StoreFixture.statePath()
        var recorder = try DetectionRecorder(store: AlertStore(path: path, access: .detection), batchSize: 100, readsToEnd: true)
        try await Self.start(&recorder)
        recorder.waitForClose()
        #expect(recorder.store.holdsNothingSaved)
        #expect(!FileManager.default.fileExists(atPath: path), "a new file appears at its first save (NewFileSetUp)")
        withExtendedLifetime(recorder) {}
    }
}
