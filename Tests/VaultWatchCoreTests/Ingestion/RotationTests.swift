import Foundation
import Testing
@testable import VaultWatchCore
import VaultWatchTestSupport

/// Rotation end to end on real files: a writer (the test) appends numbered lines and rotates
/// as logrotate would, a follower reads whenever the test says "poll now", and every line must
/// be read exactly once, in order, or its loss reported with a count. No sleeps, no timing:
/// a paused reader is one that is not polled.
extension IngestionTests {
    @Suite("Rotation")
    struct RotationTests {
        @Test(arguments: [RotatingLog.Naming.numbered, .dated])
        func aPausedReaderFinishesEveryRenamedGeneration(naming: RotatingLog.Naming) throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            var log = RotatingLog(files: files, naming: naming)
            try log.append(100)
            let follower = FileFollower(path: log.path, chunkSize: 512)
            var lines = FollowedLines()
            _ = follower.poll()  // reads the first chunk, then the reader is paused
            for _ in 0..<4 {
                try log.append(250)
                try log.rotateByRename()
            }
            try log.append(30)
            followToQuiet(follower, into: &lines)
            // `poll()` read a first chunk before `lines` started counting: take it from there.
            let first = try #require(lines.numbers.first)
            #expect(lines.isExactly(Array(first...log.written)))
            #expect(first > 1 && first < 20)
            #expect(lines.losses.isEmpty)
            #expect(lines.openedRotated.count == 3)  // the first file is finished through its descriptor
        }

        @Test func aPausedReaderReadsEveryLineFromTheStart() throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            var log = RotatingLog(files: files)
            try log.append(10)
            let follower = FileFollower(path: log.path, chunkSize: 300)
            var lines = FollowedLines()
            lines.add(follower.poll())
            for _ in 0..<4 {
                try log.append(2_500)
                try log.rotateByRename()
            }
            try log.append(3)
            followToQuiet(follower, into: &lines)
            #expect(lines.isExactly(Array(1...log.written)))
            #expect(log.written == 10_013)
            #expect(lines.losses.isEmpty)
        }

        /// Writes, renames, copytruncates and polls in a seeded random order: whatever the
        /// interleaving, every line is read once, in order; also when the next chunk is read
        /// ahead after each poll (`readsAhead`, as `detect` reads) before the writer goes on.
        @Test(arguments: 0..<12, [false, true])
        func anyInterleavingOfWritesRotationsAndPollsReadsEachLineOnce(seed: Int, readsAhead: Bool) throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            var random = SeededRandom(seed: 0x70_7461_696c, stream: "rotation", seed)
            var log = RotatingLog(files: files, naming: seed % 2 == 0 ? .numbered : .dated, retention: 100)
            try log.append(5)
            let follower = FileFollower(path: log.path, chunkSize: random.number(in: 64...2048))
            var lines = FollowedLines()
            lines.add(follower.poll())  // the follower starts here: older generations are not its
            var copyTruncates = 0
            for _ in 0..<120 {
                switch random.below(10) {
                case 0..<4: try log.append(random.number(in: 1...80))
                case 4: try log.rotateByRename()
                case 5:
                    try log.copyTruncate()
                    copyTruncates += 1
                default:
                    lines.add(follower.poll())
                    if readsAhead {
                        follower.readNextChunkAhead()
                        follower.chunkReadAhead?.wait()
                    }
                }
            }
            followToQuiet(follower, into: &lines)
            #expect(lines.isExactly(Array(1...log.written)))
            // copytruncate's window cannot be observed: each one says so, nothing else does.
            #expect(lines.losses.allSatisfy { if case .copyTruncate = $0.reason { true } else { false } })
            #expect(lines.losses.count <= copyTruncates)
        }

        @Test func copytruncateIsRecoveredFromTheCopyAndTheWindowIsCounted() throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            var log = RotatingLog(files: files)
            try log.append(200)
            let follower = FileFollower(path: log.path, chunkSize: 400)
            var lines = FollowedLines()
            lines.add(follower.poll())  // ten lines read of 200
            try log.append(100)
            var window: ClosedRange<Int>?
            window = try log.copyTruncate(lostBetween: 25) {
                // The reader reads one more chunk between the copy and the truncation, and so
                // sees how long the file has become.
                lines.add(follower.poll())
            }
            try log.append(40)
            followToQuiet(follower, into: &lines)
            let lost = try #require(window)
            #expect(lines.isExactly(Array(1..<lost.lowerBound) + Array((lost.upperBound + 1)...log.written)))
            let loss = try #require(lines.losses.first)
            #expect(lines.losses.count == 1)
            #expect(loss.reason == .copyTruncate(copy: files.path("audit.log.1")))
            #expect(loss.bytes == Int64(log.byteCount(ofLines: lost)))
            // Lines are estimated from the average length read so far: about right.
            let lostLines = try #require(loss.lines)
            #expect(abs(lostLines - 25) <= 2)
            // What the reader saw the file hold before the truncation: the writer may have written
            // more before it was cut, so it is said as a lower bound.
            #expect(!loss.bytesAreExact)
            #expect(loss.description.hasPrefix(
                log.path + ": at least \(log.byteCount(ofLines: lost)) bytes (about \(lostLines) lines) may have been lost (copytruncate"))
        }

        @Test func copytruncateWhilePausedRecoversEveryCopy() throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            var log = RotatingLog(files: files)
            try log.append(50)
            let follower = FileFollower(path: log.path, chunkSize: 256)
            var lines = FollowedLines()
            lines.add(follower.poll())
            for _ in 0..<3 {
                try log.append(400)
                try log.copyTruncate()
            }
            try log.append(7)
            followToQuiet(follower, into: &lines)
            #expect(lines.isExactly(Array(1...log.written)))
            // Each copytruncate's window is reported: the first when the truncation is seen, the
            // others when their copies are found (the file kept its inode: they are copies).
            #expect(lines.losses.map(\.reason) == [
                .copyTruncate(copy: files.path("audit.log.3")), .copyTruncate(copy: files.path("audit.log.2")),
                .copyTruncate(copy: files.path("audit.log.1")),
            ])
        }

        @Test func truncationWithoutACopyReportsTheUnreadBytes() throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            var log = RotatingLog(files: files)
            try log.append(100)
            let follower = FileFollower(path: log.path, chunkSize: 400)
            var lines = FollowedLines()
            lines.add(follower.poll())  // 400 bytes read; the size seen is 100 lines
            let read = try #require(lines.numbers.last)
            try files.truncate(log.name)
            try log.append(5)
            followToQuiet(follower, into: &lines)
            #expect(lines.numbers == Array(1...read) + Array(101...105))
            let loss = try #require(lines.losses.first)
            #expect(loss.reason == .truncatedWithoutCopy)
            #expect(loss.bytes == Int64(log.byteCount(ofLines: 1...100) - 400))
            let lostLines = try #require(loss.lines)
            #expect(abs(lostLines - (100 - read)) <= 2)
            // The size the reader saw: the file may have grown before it was cut, so a lower
            // bound, said as one (the held-out follow pass lost 730 records said as "46995 bytes
            // (about 41 lines)").
            #expect(loss.summary == "at least \(log.byteCount(ofLines: 1...100) - 400) bytes (about \(lostLines) lines) may have been lost (truncated in place, no copy of the unread part found)")
        }

        @Test func rotationOutrunningTheRetentionIsReported() throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            var log = RotatingLog(files: files, retention: 1)
            try log.append(20)
            let follower = FileFollower(path: log.path, chunkSize: 256)
            var lines = FollowedLines()
            lines.add(follower.poll())
            var generations: [ClosedRange<Int>] = []
            for _ in 0..<4 {
                let first = log.written + 1
                try log.append(30)
                generations.append(first...log.written)
                try log.rotateByRename()
            }
            followToQuiet(follower, into: &lines)
            // The first file (lines 1-50) is held open and finished; of the three generations
            // after it, only the newest is still on disk (rotate 1). The ones deleted unread
            // are reported.
            let kept = Array(1...generations[0].upperBound) + Array(generations[3])
            #expect(lines.isExactly(kept))
            #expect(lines.losses.map(\.reason) == [.generationsDeleted])
        }

        @Test func aRestartFinishesTheGenerationsRotatedWhileStopped() throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            var log = RotatingLog(files: files)
            try log.append(40)
            let first = FileFollower(path: log.path, chunkSize: 512)
            var before = FollowedLines()
            before.add(first.poll())
            let checkpoint = try #require(log.checkpoint(of: first, after: before))
            // Stopped: the log is written and rotated twice, and a generation older than the
            // checkpoint's file is there too (it must not be read again).
            try log.append(60)
            try log.rotateByRename()
            try log.append(70)
            try log.rotateByRename()
            try log.append(11)
            let resumed = FileFollower(path: log.path, start: .end, resumingFrom: checkpoint, chunkSize: 512)
            var after = FollowedLines()
            followToQuiet(resumed, into: &after)
            #expect((before.numbers + after.numbers) == Array(1...log.written))
            #expect(after.openedRotated == [files.path("audit.log.2"), files.path("audit.log.1")])
            #expect(after.losses.isEmpty)
        }

        @Test func aRestartAfterCopytruncateResumesInTheCopy() throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            var log = RotatingLog(files: files)
            try log.append(60)
            let first = FileFollower(path: log.path, chunkSize: 1200)
            var before = FollowedLines()
            before.add(first.poll())
            let checkpoint = try #require(log.checkpoint(of: first, after: before))
            #expect(checkpoint.fingerprint.isComplete)
            try log.append(10)
            try log.copyTruncate()
            try log.append(10)
            let resumed = FileFollower(path: log.path, resumingFrom: checkpoint, chunkSize: 1200)
            var after = FollowedLines()
            followToQuiet(resumed, into: &after)
            #expect((before.numbers + after.numbers) == Array(1...log.written))
            #expect(after.losses.map(\.reason) == [.copyTruncate(copy: files.path("audit.log.1"))])
        }

        @Test func aRestartWhoseFileIsGoneSaysSoAndReadsThePathFromTheStart() throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            var log = RotatingLog(files: files, retention: 1)
            try log.append(40)
            // Written an hour ago, so that what is written next is told apart by its time even on
            // a file system whose clock ticks coarsely.
            try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -3600)], ofItemAtPath: log.path)
            let first = FileFollower(path: log.path, chunkSize: 512)
            var before = FollowedLines()
            before.add(first.poll())
            let checkpoint = try #require(log.checkpoint(of: first, after: before))
            #expect(checkpoint.modified != nil)
            try log.rotateByRename()
            try log.append(5)
            try log.rotateByRename()  // deletes the checkpoint's file (rotate 1)
            try log.append(6)
            let resumed = FileFollower(path: log.path, start: .end, resumingFrom: checkpoint, chunkSize: 512)
            var after = FollowedLines()
            followToQuiet(resumed, into: &after)
            // The checkpoint's file and its unread tail are gone (reported); the generation
            // written after it and the new file are read.
            #expect(after.numbers == Array(41...51))
            #expect(after.losses.map(\.reason) == [.checkpointedFileGone])

            // Without the modification time (a checkpoint from an older state file) nothing
            // tells which generations came after it: only the path is read.
            var unknownTime = checkpoint
            unknownTime.modified = nil
            let blind = FileFollower(path: log.path, resumingFrom: unknownTime, chunkSize: 512)
            var blindly = FollowedLines()
            followToQuiet(blind, into: &blindly)
            #expect(blindly.numbers == Array(46...51))
        }

        @Test func generationsPresentAtTheStartAreNotRead() throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            try files.write("line 1 old\n", to: "audit.log.2")
            try files.write("line 2 old\n", to: "audit.log.1")
            try files.write("line 3 old\n", to: "audit.log.1.gz")
            try files.write("line 10\n", to: "audit.log")
            let follower = FileFollower(path: files.path("audit.log"))
            var lines = FollowedLines()
            followToQuiet(follower, into: &lines)
            try files.rename("audit.log.2", to: "audit.log.3")
            try files.rename("audit.log.1", to: "audit.log.2")
            try files.append("line 11\n", to: "audit.log")
            try files.rename("audit.log", to: "audit.log.1")
            try files.write("line 12\n", to: "audit.log")
            followToQuiet(follower, into: &lines)
            #expect(lines.numbers == [10, 11, 12])
        }

        @Test func aBlobThatShrinksOrIsReplacedIsReported() throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            try files.write("line 1\nline 2\n", to: "PT1H.json")
            let follower = FileFollower(path: files.path("PT1H.json"), keepsFileOpen: false)
            var lines = FollowedLines()
            followToQuiet(follower, into: &lines)
            try files.truncate("PT1H.json", to: 7)
            try files.append("line 3 longer\n", to: "PT1H.json")
            followToQuiet(follower, into: &lines)
            try files.write("line 4\n", to: "PT1H.json.new")
            try files.rename("PT1H.json.new", to: "PT1H.json")
            followToQuiet(follower, into: &lines)
            #expect(lines.numbers == [1, 2, 1, 3, 4])
            #expect(lines.losses.map(\.reason) == [.truncatedWithoutCopy, .replaced])
        }

        @Test func rotatedSuffixesAreRecognisedAndCompressedOnesLeftOut() {
            let finder = RotatedFileFinder(path: "/var/log/audit.log")
            for name in ["audit.log.1", "audit.log.0", "audit.log.12", "audit.log-20261201", "audit.log_2026-12-01", "audit-20261201.log"] {
                #expect(finder.suffixRank(of: name) != nil, "\(name)")
            }
            for name in ["audit.log", "audit.log.1.gz", "audit.log-20261201.xz", "audit.log.bak", "audit.log.new", "other.log.1", "audit.logx1"] {
                #expect(finder.suffixRank(of: name) == nil, "\(name)")
            }
            #expect(finder.suffixRank(of: "audit.log.2")! < finder.suffixRank(of: "audit.log.1")!)
            #expect(finder.suffixRank(of: "audit.log-20261201")! < finder.suffixRank(of: "audit.log-20261202")!)
        }
    }
}

/// The same through the `Ingestor`, whose reader pauses for real when nobody takes its batches
/// (back-pressure): the log is rotated four times meanwhile, and every record arrives once.
extension IngestionTests.RotationTests {
    private static func records(_ range: Range<Int>) -> String {
        range.map { RecordBuilder(time: "2024-05-01T10:00:00.0000000Z", objectName: "r\($0)").jsonLine() }.joined()
    }

    @Test func anIngestorHeldUpByItsConsumerLosesNothingToRotation() async throws {
        let files = try TestFiles()
        defer { files.cleanUp() }
        try files.write(Self.records(0..<200), to: "app.log")
        let symbols = SymbolTable()
        let ingestor = try Ingestor(
            paths: [files.path("app.log")], symbols: symbols,
            configuration: .init(pollInterval: .milliseconds(2), batchSize: 16, chunkSize: 1024))
        let run = Task { await ingestor.run(mode: .follow) }
        var iterator = ingestor.batches.makeAsyncIterator()
        var names: [String] = []
        var problems: [InputProblem] = []
        func take(_ batch: EventBatch) {
            names += batch.events.map { symbols.string($0.objectName) ?? "?" }
            problems += batch.problems
        }
        if let first = await iterator.next() { take(first) }
        // The consumer takes nothing now: the reader blocks on its next batch while the log
        // is written and rotated four times (rotate 50: every generation stays on disk).
        var next = 200
        for generation in 1...4 {
            try files.append(Self.records(next..<(next + 300)), to: "app.log")
            next += 300
            for index in stride(from: generation - 1, through: 1, by: -1) {
                try files.rename("app.log.\(index)", to: "app.log.\(index + 1)")
            }
            try files.rename("app.log", to: "app.log.1")
            try files.write("", to: "app.log")
        }
        try files.append(Self.records(next..<(next + 30)), to: "app.log")
        next += 30
        let expected = (0..<next).map { "r\($0)" }
        while names.count < expected.count, let batch = await iterator.next() { take(batch) }
        run.cancel()
        while let batch = await iterator.next() { take(batch) }
        await run.value
        #expect(names == expected)
        #expect(problems.isEmpty, "\(problems)")
    }

    @Test func lossesReachTheDashboardThroughTheBatches() async throws {
        let files = try TestFiles()
        defer { files.cleanUp() }
        try files.write(Self.records(0..<100), to: "app.log")
        let symbols = SymbolTable()
        // Read to the end once, then the file is cut short with no copy: a restart from that
        // checkpoint reports the loss.
        let first = try Ingestor(paths: [files.path("app.log")], symbols: symbols)
        var batches = 0
        async let consumed: Void = { for await _ in first.batches { batches += 1 } }()
        await first.run(mode: .readToEnd)
        await consumed
        let checkpoints = first.checkpoints(throughBatch: batches)
        try files.truncate("app.log")
        try files.append(Self.records(100..<103), to: "app.log")
        let second = try Ingestor(paths: [files.path("app.log")], symbols: symbols, configuration: .init(checkpoints: checkpoints))
        let detector = Detector(symbols: symbols)
        let model = DashboardModel(symbols: symbols)
        var events = 0
        async let read: Void = {
            for await batch in second.batches {
                events += batch.events.count
                model.ingest(batch)
                _ = await detector.process(batch)
            }
        }()
        await second.run(mode: .readToEnd)
        await read
        #expect(events == 3)
        let snapshot = model.currentSnapshot()
        #expect(snapshot.dataLossReports == 1)
        #expect(snapshot.latestDataLoss == DataLoss(path: files.path("app.log"), reason: .checkpointedFileGone).description)
        #expect(model.dataLosses.recent == [DataLoss(path: files.path("app.log"), reason: .checkpointedFileGone).description])
    }
}

extension IngestionTests.RotationTests {
    @Test func aFollowedBlobThatIsRewrittenIsReported() async throws {
        let files = try TestFiles()
        defer { files.cleanUp() }
        let blob = IngestionTests.BlobDirectoryTests.blob(vault: "V1", day: 1, hour: 10)
        try files.write(Self.records(0..<5), to: blob)
        let symbols = SymbolTable()
        let ingestor = try Ingestor(
            paths: [files.directory.path], symbols: symbols,
            configuration: .init(pollInterval: .milliseconds(5), directoryScanInterval: .milliseconds(20)))
        let run = Task { await ingestor.run(mode: .follow) }
        var iterator = ingestor.batches.makeAsyncIterator()
        var names: [String] = []
        var problems: [InputProblem] = []
        while names.count < 5, let batch = await iterator.next() {
            names += batch.events.map { symbols.string($0.objectName) ?? "?" }
            problems += batch.problems
        }
        // Rewritten (another file under the same name): the old one cannot be read any more.
        try files.write(Self.records(5..<7), to: blob + ".new")
        try files.rename(blob + ".new", to: blob)
        while names.count < 7, let batch = await iterator.next() {
            names += batch.events.map { symbols.string($0.objectName) ?? "?" }
            problems += batch.problems
        }
        run.cancel()
        await run.value
        #expect(names == (0..<7).map { "r\($0)" })
        #expect(problems.map(\.description) == [DataLoss(path: files.path(blob), reason: .replaced).description])
    }
}

extension IngestionTests.RotationTests {
    /// A writer without O_APPEND writes on at its own offset after copytruncate: the file starts
    /// with a hole of zeros as long as the file was when it was cut. The hole is skipped (it holds
    /// no records) and its length counts the window exactly.
    @Test func aNonAppendingWritersHoleCountsCopytruncatesWindowExactly() throws {
        let files = try TestFiles()
        defer { files.cleanUp() }
        var log = RotatingLog(files: files)
        try log.append(100)
        let follower = FileFollower(path: log.path, chunkSize: 1000)
        var lines = FollowedLines()
        lines.add(follower.poll())
        var window: ClosedRange<Int>?
        window = try log.copyTruncate(lostBetween: 30)
        // The writer's next lines land where its offset was: after the hole.
        let position = log.byteCount(ofLines: 1...log.written)
        var text = ""
        for number in (log.written + 1)...(log.written + 8) { text += RotatingLog.line(number, padding: log.padding) }
        let descriptor = open(log.path, O_WRONLY)
        #expect(descriptor >= 0)
        let written = Array(text.utf8).withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, off_t(position)) }
        close(descriptor)
        #expect(written == text.utf8.count)
        followToQuiet(follower, into: &lines)
        let lost = try #require(window)
        #expect(lines.isExactly(Array(1..<lost.lowerBound) + Array((lost.upperBound + 1)...(lost.upperBound + 8))))
        #expect(lines.losses.map(\.reason) == [.copyTruncate(copy: files.path("audit.log.1"))])
        #expect(lines.losses.first?.bytes == Int64(log.byteCount(ofLines: lost)))
    }
}

extension IngestionTests.RotationTests {
    @Test func successiveCopytruncatesOfANonAppendingWriterAreEachRecovered() throws {
        let files = try TestFiles()
        defer { files.cleanUp() }
        var writer = NonAppendingWriter(log: RotatingLog(files: files))
        try writer.write(60)
        let follower = FileFollower(path: writer.log.path, chunkSize: 700)
        var lines = FollowedLines()
        lines.add(follower.poll())
        var windows: [ClosedRange<Int>] = []
        for round in 1...3 {
            try writer.write(40)
            // The copy, the lines written before the truncation, the truncation: the writer's
            // offset does not move back, so each generation starts after a longer hole.
            try FileManager.default.copyItem(atPath: writer.log.path, toPath: files.path("audit.log-2026120\(round)"))
            let first = writer.log.written + 1
            try writer.write(12)
            windows.append(first...writer.log.written)
            try files.truncate("audit.log")
            try writer.write(5)
            lines.add(follower.poll())
        }
        followToQuiet(follower, into: &lines)
        let lost = Set(windows.flatMap { Array($0) })
        #expect(lines.isExactly((1...writer.log.written).filter { !lost.contains($0) }))
        #expect(lines.losses.count == 3)
        #expect(lines.losses.map(\.bytes) == windows.map { Int64(writer.log.byteCount(ofLines: $0)) })
    }
}
