import Foundation
import Synchronization
import Testing
import VaultWatchCore
import VaultWatchTestSupport

/// Azure keeps appending to an hour's blob after the hour: a blob that grows after it went
/// idle, and after it stopped being polled, is still read (re-checked at each directory scan);
/// a record later than the detector's reorder window is counted as late, not dropped.
extension IngestionTests {
    @Suite("Late appends")
    struct LateAppendTests {
        private static func record(_ name: String, hour: Int, minute: Int = 0, vault: String = "v1") -> String {
            RecordBuilder(time: String(format: "2024-05-01T%02d:%02d:00.0000000Z", hour, minute), vault: vault, objectName: name).jsonLine()
        }

        @Test func aRetiredBlobThatGrowsIsReadAgainAndItsRecordCountedLate() async throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            for hour in 10...14 {
                try files.write(Self.record("h\(hour)", hour: hour), to: BlobDirectoryTests.blob(vault: "V1", day: 1, hour: hour))
            }
            let symbols = SymbolTable()
            let ingestor = try Ingestor(
                paths: [files.directory.path], symbols: symbols,
                configuration: .init(
                    pollInterval: .milliseconds(5), directoryScanInterval: .milliseconds(20), blobFollowWindowHours: 2,
                    quietSourceHold: .milliseconds(50)))
            let detector = Detector(symbols: symbols)
            let names = Mutex<[String]>([])
            let consumer = Task {
                for await batch in ingestor.batches {
                    names.withLock { $0 += batch.events.map { symbols.string($0.objectName) ?? "?" } }
                    _ = await detector.process(batch)
                }
            }
            let run = Task { await ingestor.run(mode: .follow) }
            #expect(await eventually { names.withLock { $0 } == ["h10", "h11", "h12", "h13", "h14"] })
            // Hours 10 and 11 are more than two hours behind the newest: no longer polled.
            #expect(await eventually { await ingestor.statistics.sourcesOpen == 3 })

            try files.append(Self.record("h10-late", hour: 10, minute: 30), to: BlobDirectoryTests.blob(vault: "V1", day: 1, hour: 10))
            #expect(await eventually { names.withLock { $0.contains("h10-late") } })
            run.cancel()
            await run.value
            await consumer.value
            #expect(names.withLock { $0 }.filter { $0 == "h10-late" }.count == 1)
            // Four hours behind the stream's time: far past the reorder window.
            #expect(await detector.currentCounters.lateRecords == 1)
            #expect(await detector.currentCounters.eventsSeen == 6)
        }

        /// The paths of old hours whose blobs the caller settled are forgotten (the settled blobs'
        /// checkpoints stand for them); a settled blob that changes is handed back, not returned as
        /// new; a blob never returned is new whatever its hour (before, one that first appeared in a
        /// forgotten hour was skipped until the next run: the fourteenth held-out sweep).
        @Test func aTreeForgetsThePathsOfSettledOldHoursAndReturnsOnlyBlobsNeverReturned() throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            for hour in 0..<24 {
                try files.write(Self.record("h\(hour)", hour: hour), to: BlobDirectoryTests.blob(vault: "V1", day: 1, hour: hour))
            }
            // Every scan a whole listing: between them the forgotten hours wait for the next one
            // (`BlobDirectoryTests.scansBetweenWholeListingsSkipTheForgottenHoursFolders`).
            var directory = BlobDirectory(root: files.directory.path, wholeListingEvery: 1)
            #expect(directory.scanForNewFiles().files.count == 24)
            for hour in 0..<12 {
                directory.settle(BlobDirectoryTests.checkpointAtTheEnd(of: files.path(BlobDirectoryTests.blob(vault: "V1", day: 1, hour: hour))))
            }
            let noon = BlobDirectory.Hour(year: 2024, month: 5, day: 1, hour: 12).hoursSinceEpoch
            directory.forgetHours(before: noon)
            #expect(directory.rememberedCount == 12)
            Thread.sleep(forTimeInterval: 0.02)
            try files.append(Self.record("h3-late", hour: 3, minute: 30), to: BlobDirectoryTests.blob(vault: "V1", day: 1, hour: 3))
            try files.write(Self.record("v2h5", hour: 5, vault: "v2"), to: BlobDirectoryTests.blob(vault: "V2", day: 1, hour: 5))
            try files.write(Self.record("v2h13", hour: 13, vault: "v2"), to: BlobDirectoryTests.blob(vault: "V2", day: 1, hour: 13))
            #expect(directory.scanForNewFiles().files.map(\.hour?.hour) == [5, 13])
            #expect(directory.takeChangedSettledBlobs().map(\.blob.hour?.hour) == [3])
            // Handed back, it is remembered until settled again: not returned as new meanwhile.
            #expect(directory.scanForNewFiles().files.isEmpty)
        }
    }
}
