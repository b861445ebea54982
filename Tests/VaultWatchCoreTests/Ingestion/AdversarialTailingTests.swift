import Foundation
import Testing
import VaultWatchCore
import VaultWatchTestSupport

/// A record line named `r<number>` (one event, recognised by its object name).
private func record(_ number: Int, clientInfo: String? = nil, ending: String = "\n") -> String {
    var builder = RecordBuilder(time: "2024-05-01T10:00:00.0000000Z", objectName: "r\(number)")
    builder.clientInfo = clientInfo
    return builder.json() + ending
}

private func records(_ range: Range<Int>) -> String { range.map { record($0) }.joined() }

private func expectedNames(_ range: Range<Int>) -> [String] { range.map { "r\($0)" } }

/// Reads `paths` to their end from `checkpoints`; returns what arrived and where to resume (the
/// positions given, updated with those of the files this run moved, as a state file keeps them).
private func readToEnd(
    _ paths: [String], checkpoints: [FileFollower.Checkpoint] = [], chunkSize: Int = 1 << 20
) async throws -> (names: [String], problems: [InputProblem], checkpoints: [FileFollower.Checkpoint]) {
    let symbols = SymbolTable()
    let ingestor = try Ingestor(paths: paths, symbols: symbols, configuration: .init(chunkSize: chunkSize, checkpoints: checkpoints))
    let collected = Received(symbols: symbols)
    async let consumed: Void = { for await batch in ingestor.batches { collected.add(batch) } }()
    await ingestor.run(mode: .readToEnd)
    await consumed
    var saved = Dictionary(checkpoints.map { ($0.path, $0) }, uniquingKeysWith: { $1 })
    for checkpoint in ingestor.checkpoints(throughBatch: collected.batches) { saved[checkpoint.path] = checkpoint }
    return (collected.names, collected.problems, Array(saved.values))
}

/// A followed ingestor and what it has handed on so far.
private struct Following {
    let ingestor: Ingestor
    let collected: Received
    let consumer: Task<Void, Never>
    let run: Task<Void, Never>

    init(
        _ paths: [String], chunkSize: Int = 1 << 20, checkpoints: [FileFollower.Checkpoint] = [], blobFollowWindowHours: Int = 2,
        blobRecheckHours: Int = 24
    ) throws {
        let symbols = SymbolTable()
        let ingestor = try Ingestor(
            paths: paths, symbols: symbols,
            configuration: .init(
                pollInterval: .milliseconds(5), directoryScanInterval: .milliseconds(20), batchSize: 64, chunkSize: chunkSize,
                checkpoints: checkpoints, blobFollowWindowHours: blobFollowWindowHours, blobRecheckHours: blobRecheckHours))
        let collected = Received(symbols: symbols)
        self.ingestor = ingestor
        self.collected = collected
        consumer = Task { for await batch in ingestor.batches { collected.add(batch) } }
        run = Task { await ingestor.run(mode: .follow) }
    }

    func waitFor(_ name: String) async -> Bool { await eventually { collected.counts[name] != nil } }

    /// Stops and returns the checkpoints through every batch handed on.
    func stop() async -> [FileFollower.Checkpoint] {
        run.cancel()
        await run.value
        await consumer.value
        return ingestor.checkpoints(throughBatch: collected.batches)
    }
}

extension IngestionTests {
    /// What a security engineer tries before trusting `detect --follow`: writers killed
    /// mid-line, files replaced under the reader, encodings from other systems, blobs appended
    /// after they were finished. Each case: every record on disk arrives exactly once, or the
    /// loss is said.
    @Suite("Adversarial tailing")
    struct AdversarialTailingTests {
        @Test func aByteOrderMarkAndCRLFAtTheStartOfEachRotatedFileAreNotRecords() async throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            let bom = "\u{FEFF}"
            try files.write(bom + record(0, ending: "\r\n") + record(1, ending: "\r\n"), to: "app.log")
            let following = try Following([files.path("app.log")])
            #expect(await following.waitFor("r1"))
            try files.rename("app.log", to: "app.log.1")
            try files.write(bom + record(2, ending: "\r\n") + record(3, ending: "\r\n"), to: "app.log")
            #expect(await following.waitFor("r3"))
            _ = await following.stop()
            #expect(following.collected.names == expectedNames(0..<4))
            #expect(following.collected.problems.isEmpty, "\(following.collected.problems)")
            // Read to the end, and through a restart at the start of the file, the same.
            let read = try await readToEnd([files.path("app.log.1")])
            #expect(read.names == expectedNames(0..<2))
            #expect(read.problems.isEmpty, "\(read.problems)")
        }

        @Test func aLineLongerThanTheReadChunkWrittenInPiecesIsReadWholeOnce() async throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            // Several chunks long, written in three pieces that each end inside it.
            let long = record(1, clientInfo: String(repeating: "x", count: 300_000))
            let bytes = Array(long.utf8)
            try files.write(record(0), to: "app.log")
            let following = try Following([files.path("app.log")], chunkSize: 64 << 10)
            #expect(await following.waitFor("r0"))
            for piece in [0..<70_000, 70_000..<250_001, 250_001..<bytes.count] {
                try files.append(bytes: bytes[piece], to: "app.log")
                try await Task.sleep(for: .milliseconds(30))
            }
            try files.append(record(2), to: "app.log")
            #expect(await following.waitFor("r2"))
            _ = await following.stop()
            #expect(following.collected.names == expectedNames(0..<3))
            #expect(following.collected.problems.isEmpty, "\(following.collected.problems)")
        }

        /// `mv tmp app.log` (editors, `sed -i`, a sync tool): the new file holds what was read
        /// and more. Only the more is new.
        @Test(arguments: [false, true])
        func aFileReplacedByAnAtomicRenameIsReadOnFromWhereItWas(partialLine: Bool) async throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            let partial = Array(record(10).utf8).prefix(200)
            try files.write(records(0..<10), to: "app.log")
            if partialLine { try files.append(bytes: partial, to: "app.log") }
            let following = try Following([files.path("app.log")])
            #expect(await following.waitFor("r9"))
            try files.write(records(0..<15), to: "app.log.tmp")
            try files.rename("app.log.tmp", to: "app.log")
            try files.append(records(15..<17), to: "app.log")
            #expect(await following.waitFor("r16"))
            _ = await following.stop()
            #expect(following.collected.names == expectedNames(0..<17))
            #expect(following.collected.problems.isEmpty, "\(following.collected.problems)")
        }

        /// A replacement with other contents is read from its start, and said.
        @Test func aFileReplacedByOtherContentsIsReadFromItsStart() async throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            try files.write(records(0..<10), to: "app.log")
            let following = try Following([files.path("app.log")])
            #expect(await following.waitFor("r9"))
            try files.write(records(20..<23), to: "app.log.tmp")
            try files.rename("app.log.tmp", to: "app.log")
            #expect(await following.waitFor("r22"))
            _ = await following.stop()
            #expect(following.collected.names == expectedNames(0..<10) + expectedNames(20..<23))
        }

        /// Replaced by other contents that repeat some of the lines read (a log cut down and
        /// written again, a file regenerated from the same source): another file, read from its
        /// start, and the lines it repeats are said to be read again, never silently.
        @Test func aFileReplacedByContentsRepeatingLinesReadSaysTheyAreReadAgain() async throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            try files.write(records(0..<10), to: "app.log")
            let following = try Following([files.path("app.log")])
            #expect(await following.waitFor("r9"))
            try files.write(records(0..<5) + records(20..<23), to: "app.log.tmp")
            try files.rename("app.log.tmp", to: "app.log")
            #expect(await following.waitFor("r22"))
            _ = await following.stop()
            #expect(following.collected.names == expectedNames(0..<10) + expectedNames(0..<5) + expectedNames(20..<23))
            let said = following.collected.problems.filter { $0.reason.contains("read again") }
            #expect(said.count == 1, "\(following.collected.problems)")
            #expect(said.first?.reason.contains("starts with 5 lines (") == true, "\(said)")
        }

        /// The same while nothing read: the file at the path starts with the bytes the checkpoint
        /// was taken in, and is long enough, but does not hold what was read just before it. Read
        /// on from the checkpoint's offset it would start inside a record of another file and
        /// skip the lines before it; it is read from its start, and that is said.
        @Test(arguments: [false, true])
        func aFileReplacedWhileNothingReadByOneStartingTheSameIsReadFromItsStart(blob: Bool) async throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            let name = blob ? "tree/" + IngestionTests.BlobDirectoryTests.blob(vault: "V1", day: 1, hour: 10) : "app.log"
            let followed = files.path(blob ? "tree" : "app.log")
            try files.write(records(0..<10), to: name)
            let first = try await readToEnd([followed])
            #expect(first.names == expectedNames(0..<10))
            #expect(first.checkpoints.allSatisfy { $0.precedingBytes != nil })
            try files.write(records(0..<5) + records(50..<60), to: name + ".partial")
            try files.rename(name + ".partial", to: name)
            let resumed = try await readToEnd([followed], checkpoints: first.checkpoints)
            #expect(resumed.names == expectedNames(0..<5) + expectedNames(50..<60))
            #expect(resumed.problems.filter { $0.severity == .lost }.count == 1, "\(resumed.problems)")
            #expect(resumed.problems.contains { $0.reason.contains("read again") }, "\(resumed.problems)")
            #expect(!resumed.problems.contains { $0.severity == .malformed && $0.line > 0 }, "\(resumed.problems)")
        }

        /// A followed blob replaced by another that starts with the same bytes: the blob is closed
        /// between polls, so the hash of the bytes read last is what tells it from a grown copy.
        @Test func aBlobReplacedByOneStartingTheSameIsReadFromItsStartAndSaid() async throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            let blob = "tree/" + IngestionTests.BlobDirectoryTests.blob(vault: "V1", day: 1, hour: 10)
            try files.write(records(0..<10), to: blob)
            let following = try Following([files.path("tree")])
            #expect(await following.waitFor("r9"))
            try files.write(records(0..<5) + records(50..<60), to: blob + ".partial")
            try files.rename(blob + ".partial", to: blob)
            #expect(await following.waitFor("r59"))
            _ = await following.stop()
            #expect(following.collected.names == expectedNames(0..<10) + expectedNames(0..<5) + expectedNames(50..<60))
            #expect(following.collected.problems.contains { $0.reason.contains("read again") }, "\(following.collected.problems)")
        }

        /// A blob tree mirrored by a sync tool that writes each grown blob aside and renames it
        /// over the old one: the blob's records arrive once, nothing is said lost.
        @Test func aBlobReplacedByAGrownCopyIsReadOnFromWhereItWas() async throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            let blob = "tree/" + IngestionTests.BlobDirectoryTests.blob(vault: "V1", day: 1, hour: 10)
            try files.write(records(0..<10), to: blob)
            let following = try Following([files.path("tree")])
            #expect(await following.waitFor("r9"))
            try files.write(records(0..<14), to: blob + ".partial")
            try files.rename(blob + ".partial", to: blob)
            #expect(await following.waitFor("r13"))
            _ = await following.stop()
            #expect(following.collected.names == expectedNames(0..<14))
            #expect(following.collected.problems.isEmpty, "\(following.collected.problems)")
        }

        /// The writer was killed mid-line when `detect` (no `--follow`) read the file: the
        /// partial line is reported, not read past, and a later run reads it once completed.
        @Test func aPartialLastLineAtTheEndOfTheInputIsReadOnceTheWriterCompletesIt() async throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            let third = Array(record(2).utf8)
            try files.write(records(0..<2), to: "app.log")
            try files.append(bytes: third.prefix(150), to: "app.log")
            let first = try await readToEnd([files.path("app.log")])
            #expect(first.names == expectedNames(0..<2))
            #expect(first.problems.count == 1, "the partial line is said")
            #expect(first.problems.first?.line == 3)
            // A second run before the writer resumes: said again, still not read past.
            let again = try await readToEnd([files.path("app.log")], checkpoints: first.checkpoints)
            #expect(again.names.isEmpty)
            #expect(again.problems.count == 1)
            try files.append(bytes: third.dropFirst(150), to: "app.log")
            try files.append(record(3), to: "app.log")
            let second = try await readToEnd([files.path("app.log")], checkpoints: again.checkpoints)
            #expect(second.names == expectedNames(2..<4))
            #expect(second.problems.isEmpty, "\(second.problems)")
            // A last line that is a whole record without its newline is read at once, and once.
            try files.append(record(4, ending: ""), to: "app.log")
            let fourth = try await readToEnd([files.path("app.log")], checkpoints: second.checkpoints)
            #expect(fourth.names == ["r4"])
            try files.append("\n" + record(5), to: "app.log")
            let fifth = try await readToEnd([files.path("app.log")], checkpoints: fourth.checkpoints)
            #expect(fifth.names == ["r5"])
            #expect(fifth.problems.isEmpty, "\(fifth.problems)")
        }

        /// The state saved while a partial line was held, then the reader killed: the restart
        /// reads the line whole once its writer completes it.
        @Test func aCheckpointTakenWhileAPartialLineIsHeldResumesBeforeIt() async throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            let line = Array(record(3).utf8)
            try files.write(records(0..<3), to: "app.log")
            try files.append(bytes: line.prefix(100), to: "app.log")
            let following = try Following([files.path("app.log")])
            #expect(await following.waitFor("r2"))
            let checkpoints = await following.stop()
            try files.append(bytes: line.dropFirst(100), to: "app.log")
            try files.append(record(4), to: "app.log")
            let resumed = try await readToEnd([files.path("app.log")], checkpoints: checkpoints)
            #expect(following.collected.names + resumed.names == expectedNames(0..<5))
            #expect(resumed.problems.isEmpty, "\(resumed.problems)")
        }

        /// A symbolic link moved to each day's file (`current.log -> app-DAY.log`): the old
        /// target is finished, the new one read from its start.
        @Test func aSymbolicLinkMovedToANewFileIsFollowed() async throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            try files.write(records(0..<3), to: "app-1.log")
            try FileManager.default.createSymbolicLink(atPath: files.path("current.log"), withDestinationPath: "app-1.log")
            let following = try Following([files.path("current.log")])
            #expect(await following.waitFor("r2"))
            try files.append(records(3..<5), to: "app-1.log")
            try files.write(records(5..<7), to: "app-2.log")
            try FileManager.default.createSymbolicLink(atPath: files.path("current.tmp"), withDestinationPath: "app-2.log")
            try files.rename("current.tmp", to: "current.log")
            #expect(await following.waitFor("r6"))
            _ = await following.stop()
            #expect(following.collected.names == expectedNames(0..<7))
            #expect(following.collected.problems.isEmpty, "\(following.collected.problems)")
        }

        /// The same, across a restart: the state was saved while the link named the old target,
        /// which was written to and the link moved while nothing read. The old target is found
        /// by its identity wherever it still is beside the link or the new target (here in a
        /// directory of its own), finished from the checkpoint, then the new target read from
        /// its start; only when it is gone is a loss said.
        @Test(arguments: [(targets: "", oldKept: true), (targets: "days/", oldKept: true), (targets: "days/", oldKept: false)])
        func aRestartAfterASymbolicLinkMovedFinishesTheOldTarget(targets: String, oldKept: Bool) async throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            try files.write(records(0..<3), to: targets + "app-1.log")
            try FileManager.default.createSymbolicLink(atPath: files.path("current.log"), withDestinationPath: targets + "app-1.log")
            let following = try Following([files.path("current.log")])
            #expect(await following.waitFor("r2"))
            let checkpoints = await following.stop()
            try files.append(records(3..<5), to: targets + "app-1.log")
            try files.write(records(5..<7), to: targets + "app-2.log")
            try FileManager.default.createSymbolicLink(atPath: files.path("current.tmp"), withDestinationPath: targets + "app-2.log")
            try files.rename("current.tmp", to: "current.log")
            if !oldKept { try files.remove(targets + "app-1.log") }
            let resumed = try await readToEnd([files.path("current.log")], checkpoints: checkpoints)
            if oldKept {
                #expect(following.collected.names + resumed.names == expectedNames(0..<7))
                #expect(resumed.problems.isEmpty, "\(resumed.problems)")
            } else {
                #expect(following.collected.names + resumed.names == expectedNames(0..<3) + expectedNames(5..<7))
                #expect(resumed.problems.map(\.severity) == [.lost], "\(resumed.problems)")
            }
        }

        /// Deleted and made again at once: a file system hands the freed inode number to the
        /// next file, so (device, inode) alone would take the new file for the old one.
        @Test func aBlobDeletedAndMadeAgainUnderTheSameInodeIsReadFromItsStart() async throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            let blob = "tree/" + IngestionTests.BlobDirectoryTests.blob(vault: "V1", day: 1, hour: 10)
            try files.write(records(0..<10), to: blob)
            let first = try await readToEnd([files.path("tree")])
            #expect(first.names == expectedNames(0..<10))
            try files.remove(blob)
            try files.write(records(20..<32), to: blob)
            let second = try await readToEnd([files.path("tree")], checkpoints: first.checkpoints)
            #expect(second.names == expectedNames(20..<32))
        }

        /// Azure appends to the current hour's `PT1H.json` after a reader finished it.
        @Test func aBlobAppendedAfterItWasReadToItsEndIsReadOnAcrossARestart() async throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            let blob = "tree/" + IngestionTests.BlobDirectoryTests.blob(vault: "V1", day: 1, hour: 10)
            try files.write(records(0..<5), to: blob)
            let following = try Following([files.path("tree")])
            #expect(await following.waitFor("r4"))
            try files.append(records(5..<8), to: blob)
            #expect(await following.waitFor("r7"))
            let checkpoints = await following.stop()
            try files.append(records(8..<10), to: blob)
            let resumed = try await readToEnd([files.path("tree")], checkpoints: checkpoints)
            #expect(following.collected.names + resumed.names == expectedNames(0..<10))
            #expect(following.collected.problems.isEmpty && resumed.problems.isEmpty)
        }

        /// A tree followed for months: each save is handed only the positions that moved since
        /// it last asked, so what a save costs follows what was read, not the size of the tree.
        /// Before, every answer held every position of the hours still re-checked, sorted, and
        /// the whole run's positions were filtered by their paths' hours at each save (a quarter
        /// of the reader's CPU while a tree of 14,510 blobs was written, 5 December).
        @Test func aFollowedTreeHandsOnOnlyThePositionsThatMovedSinceItWasLastAsked() async throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            let blobs = (0..<6).map { hour in "tree/" + IngestionTests.BlobDirectoryTests.blob(vault: "V1", day: 1, hour: hour) }
            for (hour, blob) in blobs.enumerated() { try files.write(record(hour), to: blob) }
            let following = try Following([files.path("tree")], blobFollowWindowHours: 0, blobRecheckHours: 2)
            #expect(await following.waitFor("r5"))
            let first = following.ingestor.checkpoints(throughBatch: following.collected.batches)
            #expect(first.map(\.path) == blobs.map(files.path))
            // Scans go by (hours 0 to 2 settle): nothing moved, nothing handed on.
            #expect(await eventually { await following.ingestor.statistics.sourcesSettled == 3 })
            #expect(following.ingestor.checkpoints(throughBatch: following.collected.batches).isEmpty)
            // An append to a re-checked hour's blob: its position alone.
            try files.append(record(6), to: blobs[4])
            #expect(await following.waitFor("r6"))
            let moved = following.ingestor.checkpoints(throughBatch: following.collected.batches)
            #expect(moved.map(\.path) == [files.path(blobs[4])])
            #expect(moved.first?.offset == Int64((record(4) + record(6)).utf8.count))
            _ = await following.stop()
            #expect(following.collected.names == expectedNames(0..<7))
        }

        /// An old hour's blob that is empty when the merge reaches it (Azure creates an append
        /// blob, then appends; a copy tool creates the file, then writes), retired idle before it
        /// handed a record, then written once its hour is past the hours re-checked: read during
        /// the follow. Before, a blob retired without a position of its own was dropped when it
        /// left the re-checked hours instead of settled (watched by the scans), and its records
        /// were read only by the next run (a tree followed while written, stop 29: 29 records).
        @Test func anOldHoursBlobEmptyWhenReachedThenWrittenPastTheRecheckedHoursIsReadDuringTheFollow() async throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            let blobs = (0..<6).map { hour in "tree/" + IngestionTests.BlobDirectoryTests.blob(vault: "V1", day: 1, hour: hour) }
            for (hour, blob) in blobs.enumerated() { try files.write(record(hour), to: blob) }
            let empty = "tree/" + IngestionTests.BlobDirectoryTests.blob(vault: "V2", day: 1, hour: 1)
            try files.write("", to: empty)
            let following = try Following([files.path("tree")], blobFollowWindowHours: 0, blobRecheckHours: 2)
            #expect(await following.waitFor("r5"))
            // Scans go by: the empty blob's hour leaves the re-checked hours.
            try await Task.sleep(for: .milliseconds(300))
            try files.append(records(20..<22), to: empty)
            #expect(await following.waitFor("r21"))
            _ = await following.stop()
            #expect(following.collected.names == expectedNames(0..<6) + expectedNames(20..<22))
        }

        /// Six hourly blobs of one vault (hours 0 to 5), followed re-checking 2 hours, once their
        /// records are read and hours 0 to 2 are settled (watched by the scans only).
        private func followingSixHoursWithTheFirstThreeSettled(in files: TestFiles) async throws -> (Following, [String]) {
            let blobs = (0..<6).map { hour in "tree/" + IngestionTests.BlobDirectoryTests.blob(vault: "V1", day: 1, hour: hour) }
            for (hour, blob) in blobs.enumerated() { try files.write(record(hour), to: blob) }
            let following = try Following([files.path("tree")], blobFollowWindowHours: 0, blobRecheckHours: 2)
            #expect(await following.waitFor("r5"))
            #expect(await eventually { await following.ingestor.statistics.sourcesSettled == 3 })
            return (following, blobs)
        }

        /// Stops `following`, which must have handed on `names` in that order, and nothing lost.
        private func expectStopping(_ following: Following, handedOn names: [String]) async {
            _ = await following.stop()
            #expect(following.collected.names == names)
            #expect(following.collected.problems.filter { $0.severity == .lost || $0.severity == .malformed }.isEmpty,
                    "\(following.collected.problems)")
        }

        /// Azure appends to an hour's blob long after the hour, past the hours re-checked: the
        /// tree's scans (which `stat` the blobs they watch) notice it changed, and the append is read
        /// during the follow, from where reading stopped, not at the next restart.
        @Test func anAppendToABlobOlderThanTheRecheckedHoursIsReadDuringTheFollow() async throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            let (following, blobs) = try await followingSixHoursWithTheFirstThreeSettled(in: files)
            try files.append(records(10..<13), to: blobs[0])
            #expect(await following.waitFor("r12"))
            // Settled again once read: a second append is read too.
            try await Task.sleep(for: .milliseconds(200))
            try files.append(record(13), to: blobs[0])
            #expect(await following.waitFor("r13"))
            await expectStopping(following, handedOn: expectedNames(0..<6) + expectedNames(10..<14))
        }

        /// A blob that first appears when its hour is long past the re-checked hours: a tree copied
        /// in vault by vault (a month of one vault's blobs, then the next vault's), or a follower
        /// whose scans come far apart (a loaded machine, a replay). It is new: read during the
        /// follow (its records late), not left for the next run. Before, the scan returned no blob
        /// of a forgotten hour but settled ones (5 December, the tree follow pass: 405 records of
        /// random seed 337's blobs read only by the run after).
        @Test func aBlobFirstWrittenWhenItsHourIsPastTheRecheckedHoursIsReadDuringTheFollow() async throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            let (following, _) = try await followingSixHoursWithTheFirstThreeSettled(in: files)
            let newcomer = "tree/" + IngestionTests.BlobDirectoryTests.blob(vault: "V2", day: 1, hour: 1)
            try files.write(records(20..<22), to: newcomer)
            #expect(await following.waitFor("r21"))
            // An append to it afterwards is read too, once (it is settled when idle, not listed anew).
            try await Task.sleep(for: .milliseconds(200))
            try files.append(record(22), to: newcomer)
            #expect(await following.waitFor("r22"))
            try await Task.sleep(for: .milliseconds(200))
            await expectStopping(following, handedOn: expectedNames(0..<6) + expectedNames(20..<23))
        }

        /// Unreadable (permissions) then readable: said once, then read from its start. Root
        /// reads whatever the permissions say, so the case cannot be made as root.
        @Test(.enabled(if: getuid() != 0, "root reads files whatever their permissions"))
        func aFileUnreadableThenReadableIsSaidThenRead() async throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            try files.write(records(0..<2), to: "app.log")
            let following = try Following([files.path("app.log")])
            #expect(await following.waitFor("r1"))
            try files.write(records(2..<4), to: "app.log.tmp")
            chmod(files.path("app.log.tmp"), 0)
            try files.rename("app.log.tmp", to: "app.log")
            #expect(await eventually { !following.collected.problems.isEmpty })
            chmod(files.path("app.log"), 0o644)
            #expect(await following.waitFor("r3"))
            _ = await following.stop()
            #expect(following.collected.names == expectedNames(0..<4))
        }
    }
}
