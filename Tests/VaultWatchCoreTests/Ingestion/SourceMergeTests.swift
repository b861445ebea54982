import Foundation
import Synchronization
import Testing
import VaultWatchCore
import VaultWatchTestSupport

/// The merge of many sources into one timeline, record by record: order, exact checkpoints
/// however far the merge reads ahead, clock sanity, and the cap on a line without a newline.
extension IngestionTests {
    @Suite("Source merge")
    struct SourceMergeTests {
        /// A record named `name` at 2024-05-01 `hour`:`minute` (or at `time` when given).
        private static func record(_ name: String, minute: Int, hour: Int = 10, day: Int = 1, vault: String = "v1") -> String {
            RecordBuilder(
                time: String(format: "2024-05-%02dT%02d:%02d:00.0000000Z", day, hour, minute), vault: vault, objectName: name
            ).jsonLine()
        }

        private static func record(_ name: String, time: String) -> String {
            RecordBuilder(time: time, objectName: name).jsonLine()
        }

        /// Every batch of `ingestor` until it finishes: object names in order, and problems.
        private static func collect(_ ingestor: Ingestor, symbols: SymbolTable) async -> (names: [String], problems: [InputProblem], batches: [EventBatch]) {
            async let reading: Void = ingestor.run(mode: .readToEnd)
            var names: [String] = []
            var problems: [InputProblem] = []
            var batches: [EventBatch] = []
            for await batch in ingestor.batches {
                names += batch.events.map { symbols.string($0.objectName) ?? "?" }
                problems += batch.problems
                batches.append(batch)
            }
            await reading
            return (names, problems, batches)
        }

        /// Reads one file whose records are at `times` (days and times of May 2024, "13T02:39:18"),
        /// named r1, r2, … in file order: the names the merge handed on, and the problems reported.
        private static func readOneFile(_ times: [String], named file: String) async throws -> (names: [String], problems: [InputProblem]) {
            let files = try TestFiles()
            defer { files.cleanUp() }
            let text = times.enumerated().map { record("r\($0.offset + 1)", time: "2024-05-\($0.element).0000000Z") }.joined()
            try files.write(text, to: file)
            let symbols = SymbolTable()
            let result = await collect(try Ingestor(paths: [files.path(file)], symbols: symbols), symbols: symbols)
            return (result.names, result.problems)
        }

        /// Reads one file of timed records (`readOneFile`), expects every record handed on and
        /// none out of range, and returns the reports of records behind the stream's time.
        private static func lateReportsReadingEveryRecord(
            _ times: [String], named file: String, sourceLocation: SourceLocation = #_sourceLocation
        ) async throws -> [InputProblem] {
            let result = try await readOneFile(times, named: file)
            #expect(result.names == times.indices.map { "r\($0 + 1)" }, sourceLocation: sourceLocation)
            #expect(!result.problems.contains { $0.severity == .outOfRange }, "\(result.problems.map(\.description))",
                sourceLocation: sourceLocation)
            return result.problems.filter { $0.severity == .late && $0.reason.contains("behind") }
        }

        /// An ingestor following `paths` (`Ingestor.run(mode: .follow)`) and what it has handed on
        /// so far, for the tests that append while it follows.
        private final class Following: Sendable {
            private final class Handed: Sendable {
                let names = Mutex<[String]>([])
                let problems = Mutex<[InputProblem]>([])
                let mostSourcesOpen = Mutex(0)
            }
            private let handed = Handed()
            private let run: Task<Void, Never>
            private let consumer: Task<Void, Never>

            init(_ paths: [String], configuration: Ingestor.Configuration) throws {
                let symbols = SymbolTable()
                let ingestor = try Ingestor(paths: paths, symbols: symbols, configuration: configuration)
                consumer = Task { [handed] in
                    for await batch in ingestor.batches {
                        handed.names.withLock { $0 += batch.events.map { symbols.string($0.objectName) ?? "?" } }
                        handed.problems.withLock { $0 += batch.problems }
                        let open = await ingestor.statistics.sourcesOpen
                        handed.mostSourcesOpen.withLock { $0 = max($0, open) }
                    }
                }
                run = Task { await ingestor.run(mode: .follow) }
            }

            /// The object names of the events handed on, in order.
            var names: [String] { handed.names.withLock { $0 } }
            var problems: [InputProblem] { handed.problems.withLock { $0 } }
            /// The most lanes the ingestor had open when a batch came (`sourcesOpen`).
            var mostSourcesOpen: Int { handed.mostSourcesOpen.withLock { $0 } }

            func stop() async {
                run.cancel()
                await run.value
                await consumer.value
            }
        }

        @Test func filesCoveringTheSameHoursAreMergedByTimeWhateverTheirOrderOnTheCommandLine() async throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            // Each file in time order; together they interleave minute by minute.
            try files.write((0..<30).map { Self.record("a\($0)", minute: $0 * 2) }.joined(), to: "a.jsonl")
            try files.write((0..<30).map { Self.record("b\($0)", minute: $0 * 2 + 1, vault: "v2") }.joined(), to: "b.jsonl")
            let expected = (0..<30).flatMap { ["a\($0)", "b\($0)"] }
            for order in [["a.jsonl", "b.jsonl"], ["b.jsonl", "a.jsonl"]] {
                let symbols = SymbolTable()
                let ingestor = try Ingestor(
                    paths: order.map(files.path), symbols: symbols, configuration: .init(batchSize: 7, chunkSize: 300))
                let result = await Self.collect(ingestor, symbols: symbols)
                #expect(result.names == expected)
                #expect(result.problems.isEmpty)
            }
        }

        @Test func aRestartFromTheCheckpointsOfAnyBatchNeitherLosesNorRepeatsARecord() async throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            // Three files whose records interleave, one with a malformed line; small chunks and
            // batches, so every lane reads ahead of what was handed on.
            try files.write((0..<40).map { Self.record("a\($0)", minute: $0) }.joined(), to: "a.jsonl")
            try files.write((0..<25).map { Self.record("b\($0)", minute: $0 * 2 + 1, vault: "v2") }.joined() + "{oops\n", to: "b.jsonl")
            try files.write((0..<20).map { Self.record("c\($0)", minute: 59 - $0 / 4, hour: 9, vault: "v3") }.joined(), to: "c.jsonl")
            let paths = ["a.jsonl", "b.jsonl", "c.jsonl"].map(files.path)
            let configuration = Ingestor.Configuration(batchSize: 4, chunkSize: 256)
            let allSymbols = SymbolTable()
            let everything = await Self.collect(try Ingestor(paths: paths, symbols: allSymbols, configuration: configuration), symbols: allSymbols)
            #expect(everything.batches.count > 10)

            for stop in [1, 2, 5, 9, everything.batches.count - 1] {
                let symbols = SymbolTable()
                let first = try Ingestor(paths: paths, symbols: symbols, configuration: configuration)
                let run = Task { await first.run(mode: .readToEnd) }
                var iterator = first.batches.makeAsyncIterator()
                var names: [String] = []
                var problems = 0
                for _ in 0..<stop {
                    guard let batch = await iterator.next() else { break }
                    names += batch.events.map { symbols.string($0.objectName) ?? "?" }
                    problems += batch.problems.count
                }
                let checkpoints = first.checkpoints(throughBatch: stop)
                run.cancel()
                await run.value

                var resumed = configuration
                resumed.checkpoints = checkpoints
                let secondSymbols = SymbolTable()
                let rest = await Self.collect(try Ingestor(paths: paths, symbols: secondSymbols, configuration: resumed), symbols: secondSymbols)
                let all = names + rest.names
                #expect(all.count == Set(all).count, "stopped after \(stop) batches: repeated \(all.count - Set(all).count)")
                #expect(Set(all) == Set(everything.names), "stopped after \(stop) batches: lost \(Set(everything.names).subtracting(all))")
                #expect(problems + rest.problems.count == 1, "the malformed line is reported once")
            }
        }

        @Test func anIsolatedRecordWithABrokenClockIsOutOfRangeButARealGapIsKept() async throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            let text = [
                Self.record("before", minute: 0),
                Self.record("spike", minute: 0, day: 12),  // eleven days ahead, then back
                Self.record("after", minute: 1),
                Self.record("future", time: "2099-05-01T10:02:00.0000000Z"),
                Self.record("ancient", time: "1970-01-01T00:00:00.0000000Z"),
                Self.record("again", minute: 3),
                Self.record("near", minute: 0, day: 4),  // three days on: within a week, kept
                Self.record("gap", minute: 0, day: 20),  // a real gap: the next record agrees
                Self.record("last", minute: 5, day: 20),
            ].joined()
            try files.write(text, to: "clock.jsonl")
            let symbols = SymbolTable()
            let ingestor = try Ingestor(paths: [files.path("clock.jsonl")], symbols: symbols)
            let result = await Self.collect(ingestor, symbols: symbols)
            #expect(result.names == ["before", "after", "again", "near", "gap", "last"])
            #expect(result.problems.map(\.line) == [2, 4, 5])
            #expect(result.problems.allSatisfy { $0.severity == .outOfRange && $0.reason.contains("out of range") })
            #expect(result.problems.first?.description.hasPrefix("\(files.path("clock.jsonl")):2: time 2024-05-12T10:00:00") == true)
            #expect(result.batches.reduce(0) { $0 + $1.outOfRangeCount } == 3)
        }

        @Test func aRecordFarBehindTheStreamIsOutOfRange() async throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            // The second file starts two months after the first ends, then one record of it
            // goes back two months: more than the baseline window behind the stream.
            try files.write(Self.record("early", minute: 0), to: "a.jsonl")
            try files.write(
                Self.record("late1", minute: 0, day: 1).replacingOccurrences(of: "2024-05", with: "2024-07")
                    + Self.record("stale", minute: 0, day: 2)
                    + Self.record("stale2", minute: 1, day: 2)
                    + Self.record("late2", minute: 1, day: 1).replacingOccurrences(of: "2024-05", with: "2024-07"),
                to: "b.jsonl")
            let symbols = SymbolTable()
            let result = await Self.collect(try Ingestor(paths: [files.path("a.jsonl"), files.path("b.jsonl")], symbols: symbols), symbols: symbols)
            #expect(result.names == ["early", "late1", "late2"])
            #expect(result.problems.map(\.line) == [2, 3])
            #expect(result.problems.allSatisfy { $0.reason.contains("behind the stream") })
        }

        @Test func followingAWallClockRecordFarInTheFutureIsOutOfRange() async throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            try files.write(Self.record("now", minute: 0) + Self.record("tomorrow", minute: 0, day: 3), to: "live.jsonl")
            let symbols = SymbolTable()
            let wallClock = EventTime(year: 2024, month: 5, day: 1, hour: 10, minute: 30)
            let ingestor = try Ingestor(
                paths: [files.path("live.jsonl")], symbols: symbols,
                configuration: .init(pollInterval: .milliseconds(5), wallClock: { wallClock }))
            let run = Task { await ingestor.run(mode: .follow) }
            var names: [String] = []
            var problems: [InputProblem] = []
            for await batch in ingestor.batches {
                names += batch.events.map { symbols.string($0.objectName) ?? "?" }
                problems += batch.problems
                if names.count + problems.count == 2 { break }
            }
            run.cancel()
            await run.value
            #expect(names == ["now"])
            #expect(problems.map(\.line) == [2])
            #expect(problems.first?.reason.contains("ahead of the clock") == true)
        }

        @Test func followingAQuietSourceHoldsTheOthersBackOnlyForAMoment() async throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            try files.write(Self.record("a0", minute: 0), to: "a.jsonl")
            try files.write(Self.record("b0", minute: 5, vault: "v2"), to: "b.jsonl")
            let following = try Following(
                [files.path("a.jsonl"), files.path("b.jsonl")], configuration: .init(pollInterval: .milliseconds(5), quietSourceHold: .milliseconds(300)))
            #expect(await eventually { following.names == ["a0", "b0"] })
            // b grows past a's last record while a stays quiet: b's record still comes.
            try files.append(Self.record("b1", minute: 10, vault: "v2"), to: "b.jsonl")
            #expect(await eventually { following.names == ["a0", "b0", "b1"] })
            // a writes again, earlier than b's last: merged in as it comes (the detector's
            // reorder window decides whether it is late).
            try files.append(Self.record("a1", minute: 7), to: "a.jsonl")
            #expect(await eventually { following.names == ["a0", "b0", "b1", "a1"] })
            await following.stop()
        }

        /// Following files that were written before the reading started (a backlog caught up
        /// with): a quiet source holds the others back for the hold counted from when it last
        /// wrote (its file's modification time, which the poll that found nothing new shows is
        /// its last write), not from when the merge reached its end. Before, each source that ran
        /// out in turn held the merge for a hold of its own: here ten holds of an hour, for files
        /// last written an hour before; stop 28's follow pass: the last 84 records of a tenant
        /// followed from its 16 export files came after 8 to 40 seconds, 2 seconds per source,
        /// and a truncation while the reader so lagged lost 744 records.
        @Test func followingFilesWrittenBeforeTheHoldDoesNotHoldTheMergeForEachQuietSourceInTurn() async throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            let quiet = (0..<10).map { "q\($0).jsonl" }
            for (index, name) in quiet.enumerated() { try files.write(Self.record("q\(index)", minute: index, vault: "v\(index)"), to: name) }
            try files.write((0..<60).map { Self.record("b\($0)", minute: $0, vault: "busy") }.joined(), to: "busy.jsonl")
            for name in quiet + ["busy.jsonl"] {
                try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-7_200)], ofItemAtPath: files.path(name))
            }
            let following = try Following(
                (quiet + ["busy.jsonl"]).map(files.path), configuration: .init(pollInterval: .milliseconds(5), quietSourceHold: .seconds(3_600)))
            let caughtUp = await eventually { following.names.count == 70 }
            #expect(caughtUp, "\(following.names.count) of 70")
            if caughtUp {
                // A source that writes again: its record comes too.
                try files.append(Self.record("q0-again", minute: 30, hour: 11, vault: "v0"), to: "q0.jsonl")
                #expect(await eventually { following.names.count == 71 })
            }
            await following.stop()
        }

        /// The same for a tree's hourly blobs: a tree followed from its start, written before (a
        /// backlog caught up with). The blobs of its last hours stay polled for late appends, and
        /// each held the others back for the hold counted from when the merge reached its end, in
        /// turn (stop 28's follow pass: a tenant's tree, its last 155 records after 10 seconds);
        /// here the hold of an hour, for blobs last written two hours before.
        @Test func followingATreeWrittenBeforeTheHoldDoesNotHoldTheMergeForEachBlobOfItsLastHours() async throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            var blobs: [String] = []
            for hour in 10...15 {
                for vault in 1...3 {
                    let blob = BlobDirectoryTests.blob(vault: "V\(vault)", day: 1, hour: hour)
                    try files.write(Self.record("v\(vault)h\(hour)", minute: vault, hour: hour, vault: "v\(vault)"), to: blob)
                    blobs.append(blob)
                }
            }
            for blob in blobs {
                try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-7_200)], ofItemAtPath: files.path(blob))
            }
            let following = try Following(
                [files.directory.path],
                configuration: .init(pollInterval: .milliseconds(5), blobFollowWindowHours: 2, quietSourceHold: .seconds(3_600)))
            let expected = (10...15).flatMap { hour in (1...3).map { "v\($0)h\(hour)" } }
            let caughtUp = await eventually { following.names == expected }
            #expect(caughtUp, "\(following.names.count) of \(expected.count)")
            if caughtUp {
                // Its newest blob written again: its record comes too.
                try files.append(Self.record("v1h15-again", minute: 30, hour: 15, vault: "v1"), to: BlobDirectoryTests.blob(vault: "V1", day: 1, hour: 15))
                #expect(await eventually { following.names == expected + ["v1h15-again"] })
            }
            await following.stop()
        }

        /// A tree caught up with keeps as lanes only the blobs still to read and those of its last
        /// hours (polled for late appends): the merge retires each older blob as soon as it finds
        /// it idle. Before, the poll loop retired them between merges, and only the blob's hold
        /// ended a merge: with blobs quiet from their last write (no hold for a blob written
        /// before), one merge went through the whole tree with every blob read still a lane, each
        /// step looking through all of them (a tenant's tree followed from its start: 10,000 of
        /// 52,276 records in 10 seconds, against all).
        @Test func aTreeCaughtUpWithKeepsOnlyTheBlobsOfItsLastHoursOpen() async throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            let hours = 0..<120
            for hour in hours {
                let blob = BlobDirectoryTests.blob(vault: "V1", day: 1 + hour / 24, hour: hour % 24)
                try files.write(Self.record("h\(hour)", minute: 0, hour: hour % 24, day: 1 + hour / 24), to: blob)
                try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-7_200)], ofItemAtPath: files.path(blob))
            }
            let following = try Following(
                [files.directory.path],
                configuration: .init(pollInterval: .milliseconds(5), batchSize: 1, blobFollowWindowHours: 2, quietSourceHold: .milliseconds(300)))
            #expect(await eventually { following.names == hours.map { "h\($0)" } }, "\(following.names.count) of \(hours.count)")
            await following.stop()
            // The last 3 hours' blobs, and the one being read.
            #expect(following.mostSourcesOpen <= 4, "\(following.mostSourcesOpen) lanes open at once")
        }

        /// The hold still holds for a file written just now, as long as its writer may lag: `b`
        /// (written an hour before) waits behind `a`, whose next record comes later and is earlier
        /// than `b`'s; and `b` never holds `a` back. Seen failing with every file taken as quiet at
        /// once (`b`'s records came right after `a0`), and on the main before the hold was
        /// counted from the last write (`a7` waited an hour behind `b`).
        @Test func aFileWrittenJustNowStillHoldsTheOthersBackAndAnOldOneNever() async throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            try files.write(Self.record("b5", minute: 5, vault: "b") + Self.record("b6", minute: 6, vault: "b"), to: "b.jsonl")
            try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-3_600)], ofItemAtPath: files.path("b.jsonl"))
            try files.write(Self.record("a0", minute: 0, vault: "a"), to: "a.jsonl")
            let following = try Following(
                [files.path("a.jsonl"), files.path("b.jsonl")], configuration: .init(pollInterval: .milliseconds(5), quietSourceHold: .seconds(3_600)))
            #expect(await eventually { following.names == ["a0"] }, "\(following.names)")
            try files.append(Self.record("a2", minute: 2, vault: "a"), to: "a.jsonl")
            #expect(await eventually { following.names == ["a0", "a2"] }, "\(following.names)")
            try files.append(Self.record("a7", minute: 7, vault: "a"), to: "a.jsonl")
            #expect(await eventually { following.names == ["a0", "a2", "b5", "b6", "a7"] }, "\(following.names)")
            await following.stop()
        }

        /// A live source that goes quiet right after records stamped hours ahead of the wall
        /// clock: they cannot be right (a log does not come from the future), so they wait for
        /// the source's correction (or for the wall clock to reach them) instead of being taken
        /// as right after the quiet-source hold. The other sources go on meanwhile; when the
        /// correction comes, the stretch is reported out of range and nothing is late. Before,
        /// the stretch was taken as right after the hold: the stream's time jumped 3 hours, and
        /// every record after it, the other source's included, was late.
        @Test func followingAQuietSourceStampedHoursAheadOfTheWallClockWaitsForItsCorrection() async throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            try files.write(
                Self.record("a0", minute: 0) + Self.record("a1", minute: 1) + Self.record("ahead0", minute: 10, hour: 13)
                    + Self.record("ahead1", minute: 11, hour: 13),
                to: "a.jsonl")
            try files.write(Self.record("b0", minute: 2, vault: "v2"), to: "b.jsonl")
            let wallClock = EventTime(year: 2024, month: 5, day: 1, hour: 10, minute: 20)
            let following = try Following(
                [files.path("a.jsonl"), files.path("b.jsonl")],
                configuration: .init(pollInterval: .milliseconds(5), quietSourceHold: .milliseconds(200), wallClock: { wallClock }))
            #expect(await eventually { following.names == ["a0", "a1", "b0"] })
            // a stays quiet well past the hold; b goes on.
            try await Task.sleep(for: .milliseconds(600))
            try files.append(Self.record("b1", minute: 5, vault: "v2"), to: "b.jsonl")
            #expect(await eventually { following.names == ["a0", "a1", "b0", "b1"] })
            // a's clock is corrected: back to about where it was.
            try files.append(Self.record("back0", minute: 6) + Self.record("back1", minute: 7), to: "a.jsonl")
            #expect(await eventually { following.names == ["a0", "a1", "b0", "b1", "back0", "back1"] })
            await following.stop()
            let reported = following.problems
            #expect(reported.map(\.line) == [3, 4], "\(reported.map(\.description))")
            #expect(reported.allSatisfy { $0.severity == .outOfRange && $0.reason.contains("stamped 3 hours") }, "\(reported.map(\.description))")
        }

        @Test func aLineWithoutNewlineIsCappedCountedAndReadingResumesAfterIt() async throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            let long = String(repeating: "x", count: SourceReader.maximumLineBytes + 300_000)
            try files.write(Self.record("first", minute: 0) + long + "\n" + Self.record("second", minute: 1), to: "long.jsonl")
            let symbols = SymbolTable()
            let ingestor = try Ingestor(paths: [files.path("long.jsonl")], symbols: symbols, configuration: .init(chunkSize: 1 << 16))
            let result = await Self.collect(ingestor, symbols: symbols)
            #expect(result.names == ["first", "second"])
            #expect(result.problems.map(\.line) == [2])
            #expect(result.problems.first?.reason.contains("without a newline") == true, "\(result.problems)")
            #expect(result.batches.reduce(0) { $0 + $1.malformedCount } == 1)
        }

        @Test func theHeldBytesOfACappedLineStayWithinTheCap() {
            // Fed a megabyte at a time, the reader never holds more than the cap plus a chunk.
            var reader = SourceReader(sourceName: "stream", symbols: SymbolTable())
            var batch = EventBatch()
            let first = Self.record("first", minute: 0)
            first.utf8.withContiguousStorageIfAvailable { reader.consume(UnsafeRawBufferPointer($0), into: &batch) }
            let chunk = [UInt8](repeating: 0x78, count: 1 << 20)
            var largest = 0
            for _ in 0..<40 {
                chunk.withUnsafeBytes { reader.consume($0, into: &batch) }
                largest = max(largest, reader.heldByteCount)
            }
            #expect(largest <= SourceReader.maximumLineBytes + (1 << 20))
            #expect(batch.malformedCount == 1)
            let next = "\n" + Self.record("second", minute: 1)
            Array(next.utf8).withUnsafeBytes { reader.consume($0, into: &batch) }
            #expect(batch.events.count == 2)
        }

        /// Found held out (the ninth sweep, `LAYOUT=late`, `--habits` 19): a quiet vault (a record
        /// an hour, a burst now and then) whose 23:00 blob was appended after its 00:00 and 01:00
        /// ones. Its 23:00 records are less than an hour behind the 00:00 record, so they did not
        /// count as a step back from the stretch starting there: the 00:00 record was taken as
        /// right alone, and from it the step to 01:07 was judged again, with 23:00 no longer an
        /// hour the step stepped over: the spans (39 minutes behind, 33 of the burst) put the
        /// 01:00 burst, the backup job's nightly run, out of range. Records in a whole clock hour
        /// the step forward stepped over step back into it, and when they are a blob delivered
        /// late, the records before them are right, all of them: the 23:00 records are late.
        @Test func aQuietVaultsHourlyBlobAppendedAfterItsNextTwoIsLate() async throws {
            let times = [
                "01T17:02:06", "01T18:09:54", "01T19:04:04", "01T20:09:53", "01T21:13:06", "01T22:06:59",
                "02T00:00:16", "02T01:07:21", "02T01:40:43", "02T01:40:44", "02T01:40:47", "02T01:40:49", "02T01:40:51",
                "02T01:40:54",
                "01T23:07:59", "01T23:44:47", "01T23:44:48", "01T23:45:39", "01T23:45:51", "01T23:45:56", "01T23:46:14",
                "02T03:01:59", "02T04:08:10", "02T04:31:01", "02T04:31:29", "02T04:32:24", "02T05:00:47", "02T06:00:03",
            ]
            // (The input ends less than the look-ahead after 03:01, so its step from 23:46 is said
            // to be taken as right: not a record behind.)
            let late = try await Self.lateReportsReadingEveryRecord(times, named: "quiet.jsonl")
            #expect(late.map(\.line) == [15, 15], "\(late.map(\.description))")
            #expect(late.last?.reason.hasPrefix("7 records (lines 15 to 21)") == true, "\(late.map(\.description))")
        }

        /// Found held out (the tenth sweep, `LAYOUT=late`, random seed 281): a vault's 20:00 blob
        /// appended after its 21:00 one, whose last record (20:57) comes within the reorder
        /// tolerance of the 21:00 stretch's last (21:05). That record was taken for the source
        /// catching up with the stretch, inside the stretch's hour (a clock's way), so the spans
        /// decided: the two 21:00 records out of range. A record of an hour the step stepped over
        /// does not catch up while the records behind are all of such hours: the blob is read to
        /// its end, and the record after it (00:43, a later hour) tells.
        @Test func theLastRecordOfABlobAppendedLateNearTheStretchsEndIsStillTheBlobs() async throws {
            let times = [
                "10T17:40:40", "10T18:03:24", "10T18:05:47", "10T18:54:36", "10T18:56:40", "10T19:01:29", "10T19:08:52",
                "10T19:23:28", "10T21:00:32", "10T21:05:43", "10T20:00:17", "10T20:06:57", "10T20:07:48", "10T20:25:02",
                "10T20:57:20", "11T00:43:34", "11T00:46:12", "11T01:17:14", "11T02:11:25", "11T03:06:40", "11T03:43:57",
                "11T05:12:35", "11T05:20:31", "11T06:05:22", "11T06:34:33", "11T07:02:10", "11T08:15:00", "11T09:01:00",
            ]
            let late = try await Self.lateReportsReadingEveryRecord(times, named: "ledger.jsonl")
            #expect(late.first?.line == 11 && late.last?.reason.hasPrefix("4 records (lines 11 to 14)") == true,
                "\(late.map(\.description))")
        }

        /// Found held out (stop 27's sweep, `LAYOUT=late`, random seed 304): a quiet vault's 06:00
        /// blob appended after its 08:00 one. Its hour is not one the step forward (07:02 to 08:18)
        /// stepped over: it is before the hour of the source's last record (07:02), so the blob
        /// rule did not apply, and the spans (seconds against seconds) put the 08:00 records out of
        /// range. Records behind a stretch that all lie in hours before the hour the source had
        /// reached are late whatever the stretch is (a clock corrected resumes after where it left,
        /// not in an earlier hour): they tell nothing against it, and it is right.
        @Test func aBlobAppendedLateOfAnHourBeforeTheSourcesLastRecordIsLate() async throws {
            let times = [
                "13T02:39:18", "13T03:54:50", "13T04:31:44", "13T05:51:23", "13T05:51:26", "13T07:00:49", "13T07:00:52",
                "13T07:02:27", "13T07:02:31", "13T08:18:58", "13T08:19:01", "13T08:19:02", "13T08:19:04", "13T06:57:40",
                "13T06:57:44", "13T06:57:46", "13T06:57:48", "13T09:47:05", "13T09:47:08", "13T10:17:18", "13T10:24:18",
                "13T11:02:38", "13T11:39:00",
            ]
            let late = try await Self.lateReportsReadingEveryRecord(times, named: "devops.jsonl")
            #expect(late.first?.line == 14 && late.last?.reason.hasPrefix("4 records (lines 14 to 17)") == true,
                "\(late.map(\.description))")
        }

        /// Found held out (stop 27's sweep, `LAYOUT=late`, random seed 309): a vault's 12:00 blob
        /// appended after its 14:00 one (late, rightly), then its 13:00 blob after its 15:00 one,
        /// where the file ends. The source's clock had gone back to the 12:00 blob's last record,
        /// so from there 13:00 and 14:00 were both hours the step to 15:24 stepped over, and the
        /// 13:00 blob did not reach the hour before the stretch's (the rule at the end of the
        /// input): the spans put 15:00's 4 records out of range. But the source had reached 14:05
        /// before: the 13:00 records lie in an hour before it, late whatever the stretch is.
        @Test func aBlobAppendedLateBehindTheHourTheSourceHadReachedIsLateAtTheEndOfTheInput() async throws {
            let times = [
                "14T08:55:53", "14T08:56:06", "14T11:01:21", "14T11:35:03", "14T11:50:48", "14T11:51:03", "14T14:04:54",
                "14T14:05:07", "14T12:27:12", "14T12:30:23", "14T12:44:44", "14T12:44:55", "14T15:24:17", "14T15:28:14",
                "14T15:51:50", "14T15:52:05", "14T13:01:42", "14T13:15:52", "14T13:51:41", "14T13:51:55",
            ]
            let late = try await Self.lateReportsReadingEveryRecord(times, named: "ci.jsonl")
            #expect(late.map(\.line) == [9, 9, 17, 17], "\(late.map(\.description))")
        }

        /// Found held out (stop 28's sweep, `LAYOUT=late`, random seed 320): a quiet vault's 16:00
        /// blob appended after its 18:00 one, where its file ends, with nothing at 17:00, and the
        /// source's record before the step 21 hours earlier. With no record after the blob, its
        /// hours not reaching the stretch's, the spans decided (56 seconds behind against 35 of
        /// the stretch): the three 18:00 records out of range. A clock corrected resumes about
        /// where the source had reached before the step (its records run on from there); records
        /// behind the stretch that start far later, in whole hours the step stepped over, are
        /// blobs delivered late, whatever hours are still to come before the stretch's.
        @Test func aQuietVaultsBlobAppendedLateAtTheEndOfTheInputWithAnEmptyHourBeforeTheStretchIsLate() async throws {
            let times = [
                "13T04:08:53", "13T14:14:01", "13T14:14:01", "13T17:39:03", "13T17:39:03", "14T20:40:48", "14T20:40:48",
                "14T20:44:50", "14T20:44:50", "14T20:44:58", "15T14:39:18", "15T14:39:18", "15T14:40:00", "16T14:47:54",
                "16T14:47:54", "19T18:20:59", "19T18:20:59", "19T19:25:08", "19T19:25:08", "19T19:25:31", "20T03:01:06",
                "20T03:01:06", "20T03:01:09", "20T03:01:13", "20T03:01:18", "20T03:01:26", "20T03:01:33", "20T03:01:37",
                "20T03:01:38", "20T03:01:46", "20T03:01:49", "20T03:01:55", "20T21:48:30", "20T21:48:30", "20T21:49:10",
                "21T18:42:28", "21T18:42:28", "21T18:43:03", "21T16:46:13", "21T16:46:14", "21T16:47:09",
            ]
            let late = try await Self.lateReportsReadingEveryRecord(times, named: "quiet.jsonl")
            #expect(late.map(\.line) == [39, 39], "\(late.map(\.description))")
            #expect(late.last?.reason.hasPrefix("3 records (lines 39 to 41)") == true, "\(late.map(\.description))")
        }

        /// The near miss of the rule above: a busy vault's clock set 3 hours ahead for 20 minutes
        /// right after its 12:00 blob came late (after its 13:00 and 14:00 ones), then corrected,
        /// where the input ends. Its records behind the stretch lie in hours the step stepped over
        /// from the late blob's 12:58, and do not fill them up to the stretch's, but they start 24
        /// minutes after the 14:58 the source had reached: a clock corrected resuming where it left
        /// off, not blobs. Measured from the clock the late blob took back (12:58), they started 2
        /// hours 24 minutes after it, and were taken for blobs: the stretch right, 35 records late.
        @Test func aClockSetAheadRightAfterABlobDeliveredLateIsMeasuredFromWhereTheSourceHadReached() async throws {
            func times(_ hour: Int, from start: Int, to end: Int) -> [String] {
                stride(from: start, through: end, by: 2).map { String(format: "14T%02d:%02d:00", hour + $0 / 60, $0 % 60) }
            }
            let inOrder = times(11, from: 0, to: 58) + times(13, from: 0, to: 118)  // 11:00-11:58, 13:00-14:58
            let lateBlob = times(12, from: 0, to: 58)  // 12:00-12:58, after 14:58
            let stretch = times(18, from: 0, to: 20)  // stamped 3 hours ahead: 15:00-15:20
            let corrected = times(15, from: 22, to: 90)  // 15:22-16:30, where the input ends
            let result = try await Self.readOneFile(inOrder + lateBlob + stretch + corrected, named: "orders.jsonl")
            let outOfRange = result.problems.filter { $0.severity == .outOfRange }
            #expect(outOfRange.map(\.line) == Array(121...131), "\(outOfRange.map(\.description))")
            let late = result.problems.filter { $0.severity == .late && $0.reason.contains("behind") }
            #expect(late.map(\.line) == [91, 91], "\(late.map(\.description))")
        }
    }
}
