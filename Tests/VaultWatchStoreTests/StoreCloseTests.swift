import Foundation
import Testing
import VaultWatchCore
@testable import VaultWatchStore

/// A run that has saved for the last time closes its state file on the save writer's thread
/// (`DetectionRecorder.closeStore`), beside what it still does (`detect` prints its alerts and
/// its summary meanwhile): SQLite copies the log into the file and removes it then, not when the
/// store is released at the very end.
@Suite("The state file closed beside the run's end")
struct StoreCloseTests {
    @Test func closingCopiesTheLogIntoTheFileAndRemovesItWhileTheRunGoesOn() async throws {
        let path = try StoreFixture.statePath()
        do {
            // A file that holds a save already: later saves go through its log.
            let store = try AlertStore(path: path, access: .detection)
            try store.save(DetectionProgress(eventClock: EventTime(ticks: 1)))
        }
        var recorder = try DetectionRecorder(store: AlertStore(path: path, access: .detection), batchSize: 100, readsToEnd: true)
        let detector = try recorder.makeDetector(symbols: SymbolTable(), configuration: DetectorConfiguration())
        try await recorder.finish(detector)
        #expect(FileManager.default.fileExists(atPath: path + "-wal"))
        recorder.closeStore()
        recorder.waitForClose()
        // The recorder (and its store) still alive: the log is in the file, and gone.
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
        #expect(!FileManager.default.fileExists(atPath: path + "-shm"))
        let reopened = try AlertStore(path: path, access: .readOnly)
        #expect(try reopened.savedDetection().detectorSnapshot != nil)
        withExtendedLifetime(recorder) {}
    }
}
