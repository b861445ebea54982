import Foundation
import Synchronization
import Testing
import VaultWatchCore
import VaultWatchTestSupport

/// What a consumer received: how many times each object name arrived, in arrival order.
final class Received: Sendable {
    private struct State {
        var names: [String] = []
        var counts: [String: Int] = [:]
        var problems: [InputProblem] = []
        var batches = 0
    }

    private let state = Mutex(State())
    let symbols: SymbolTable

    init(symbols: SymbolTable) { self.symbols = symbols }

    func add(_ batch: EventBatch) {
        let names = batch.events.map { symbols.string($0.objectName) ?? "?" }
        state.withLock { state in
            state.batches += 1
            state.names += names
            for name in names { state.counts[name, default: 0] += 1 }
            state.problems += batch.problems
        }
    }

    var names: [String] { state.withLock { $0.names } }
    var counts: [String: Int] { state.withLock { $0.counts } }
    var problems: [InputProblem] { state.withLock { $0.problems } }
    var batches: Int { state.withLock { $0.batches } }

    func hasAll(_ expected: some Sequence<String>) -> Bool {
        let counts = self.counts
        return expected.allSatisfy { counts[$0] != nil }
    }
}

private func lines(_ names: some Sequence<String>, vault: String = "v1", hour: Int = 10) -> String {
    names.map { name in
        RecordBuilder(time: String(format: "2024-05-01T%02d:00:00.0000000Z", hour), vault: vault, objectName: name).jsonLine()
    }.joined()
}

private func names(_ prefix: String, _ range: Range<Int>) -> [String] { range.map { "\(prefix)\($0)" } }

/// An ingestor following `paths`, its batches received by a consumer task until `stop()`.
private struct Following {
    let received: Received
    private let run: Task<Void, Never>
    private let consumer: Task<Void, Never>

    init(_ paths: [String], configuration: Ingestor.Configuration) throws {
        let symbols = SymbolTable()
        let ingestor = try Ingestor(paths: paths, symbols: symbols, configuration: configuration)
        let received = Received(symbols: symbols)
        self.received = received
        consumer = Task { for await batch in ingestor.batches { received.add(batch) } }
        run = Task { await ingestor.run(mode: .follow) }
    }

    /// Stops following, and waits for the consumer to have received every batch.
    func stop() async {
        run.cancel()
        await run.value
        await consumer.value
    }
}

extension IngestionTests {
    @Suite("Ingestor")
    struct IngestorTests {
        @Test func readsEverySourceOnceInOrderThenFinishes() async throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            try files.write(lines(["f1"]) + "not json\n" + lines(["f2"]), to: "a.log")
            try files.write(lines(["v2h10"], vault: "v2"), to: "tree/\(BlobDirectoryTests.blob(vault: "V2", day: 1, hour: 10))")
            try files.write(lines(["v1h11"], hour: 11), to: "tree/\(BlobDirectoryTests.blob(vault: "V1", day: 1, hour: 11))")
            try files.write(lines(["v1h10"]), to: "tree/\(BlobDirectoryTests.blob(vault: "V1", day: 1, hour: 10))")
            try files.write(lines(["extra"]), to: "tree/other/extra.jsonl")
            let symbols = SymbolTable()
            let ingestor = try Ingestor(paths: [files.path("a.log"), files.path("tree")], symbols: symbols)
            let received = Received(symbols: symbols)
            async let consumed: Void = { for await batch in ingestor.batches { received.add(batch) } }()
            await ingestor.run(mode: .readToEnd)
            await consumed
            // One timeline: by time, ties in the order the sources were given (the file, then the
            // tree: its blobs of that hour, then its other files).
            #expect(received.names == ["f1", "f2", "v1h10", "v2h10", "extra", "v1h11"])
            #expect(received.problems.map(\.source) == [files.path("a.log")])
            #expect(received.problems.map(\.line) == [2])
        }

        @Test func anHoursBlobsAcrossVaultsArriveInRecordTimeOrder() async throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            func record(_ name: String, vault: String, minute: Int) -> String {
                RecordBuilder(time: String(format: "2024-05-01T10:%02d:00.0000000Z", minute), vault: vault, objectName: name).jsonLine()
            }
            // Each vault's blob is in time order; together they interleave.
            try files.write(record("a05", vault: "v1", minute: 5) + record("a40", vault: "v1", minute: 40),
                            to: "tree/\(BlobDirectoryTests.blob(vault: "V1", day: 1, hour: 10))")
            try files.write(record("b00", vault: "v2", minute: 0) + record("b20", vault: "v2", minute: 20) + record("b59", vault: "v2", minute: 59),
                            to: "tree/\(BlobDirectoryTests.blob(vault: "V2", day: 1, hour: 10))")
            try files.write(lines(["a11h"], hour: 11), to: "tree/\(BlobDirectoryTests.blob(vault: "V1", day: 1, hour: 11))")
            let symbols = SymbolTable()
            let ingestor = try Ingestor(paths: [files.path("tree")], symbols: symbols)
            let received = Received(symbols: symbols)
            async let consumed: Void = { for await batch in ingestor.batches { received.add(batch) } }()
            await ingestor.run(mode: .readToEnd)
            await consumed
            #expect(received.names == ["b00", "a05", "b20", "a40", "b59", "a11h"])
            // The first batch reaches the end of both blobs of hour 10 and the one of hour 11.
            let positions = ingestor.checkpoints(throughBatch: 1)
            #expect(positions.count == 3)
        }

        @Test func openingErrorsAreThrownBeforeReadingAndNameThePath() throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            try files.write(lines(["f1"]), to: "a.log")
            let missing = files.path("missing.log")
            #expect(throws: IngestionError.missing(path: missing)) {
                try Ingestor(paths: [files.path("a.log"), missing], symbols: SymbolTable())
            }
        }

        @Test func followDeliversEveryCompleteRecordExactlyOnceThroughRotationTruncationAndRecreation() async throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            try files.write(lines(names("a", 0..<50)), to: "app.log")
            let following = try Following(
                [files.path("app.log")], configuration: .init(pollInterval: .milliseconds(5), batchSize: 64, chunkSize: 4096))
            let received = following.received
            var expected = names("a", 0..<50)
            #expect(await eventually { received.hasAll(expected) })

            // Appends in pieces: a record split across writes arrives once, whole.
            let split = lines(["b0"])
            try files.append(String(split.prefix(40)), to: "app.log")
            try files.append(String(split.dropFirst(40)) + lines(names("b", 1..<30)), to: "app.log")
            expected += names("b", 0..<30)
            #expect(await eventually { received.hasAll(expected) })

            // Rotation by rename: records written just before the rename are read from the old
            // file, then the new file from its start.
            try files.append(lines(names("c", 0..<20)), to: "app.log")
            try files.rename("app.log", to: "app.log.1")
            try files.write(lines(names("d", 0..<20)), to: "app.log")
            expected += names("c", 0..<20) + names("d", 0..<20)
            #expect(await eventually { received.hasAll(expected) })

            // Truncation in place, then new records.
            try files.truncate("app.log")
            try files.append(lines(names("e", 0..<10)), to: "app.log")
            expected += names("e", 0..<10)
            #expect(await eventually { received.hasAll(expected) })

            // copytruncate, with the new content outgrowing the old offset before a poll sees it.
            try files.copyTruncate("app.log", to: "app.log.2")
            try files.append(lines(names("f", 0..<40)), to: "app.log")
            expected += names("f", 0..<40)
            #expect(await eventually { received.hasAll(expected) })

            // Deletion, then re-creation.
            try files.remove("app.log")
            try files.write(lines(names("g", 0..<15)), to: "app.log")
            expected += names("g", 0..<15)
            #expect(await eventually { received.hasAll(expected) })

            // A last burst while the follower is running.
            for index in 0..<10 { try files.append(lines(["h\(index)"]), to: "app.log") }
            expected += names("h", 0..<10)
            #expect(await eventually { received.hasAll(expected) })

            await following.stop()
            let counts = received.counts
            #expect(Set(counts.keys) == Set(expected))
            #expect(counts.values.allSatisfy { $0 == 1 }, "duplicates: \(counts.filter { $0.value != 1 })")
            // Nothing was lost, but a truncation without a copy and a copytruncate each leave a
            // window nothing can see into: both are reported, as files-level problems.
            #expect(received.problems.map(\.description) == [
                DataLoss(path: files.path("app.log"), reason: .truncatedWithoutCopy).description,
                DataLoss(path: files.path("app.log"), reason: .copyTruncate(copy: files.path("app.log.2"))).description,
            ])
            #expect(received.problems.allSatisfy { $0.severity == .lost && $0.line == 0 })
        }

        @Test func followPicksUpNewBlobsAndReadsHoursInOrder() async throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            try files.write(lines(["v2h11"], vault: "v2", hour: 11), to: BlobDirectoryTests.blob(vault: "V2", day: 1, hour: 11))
            try files.write(lines(["v1h10"]), to: BlobDirectoryTests.blob(vault: "V1", day: 1, hour: 10))
            try files.write(lines(["v2h10"], vault: "v2"), to: BlobDirectoryTests.blob(vault: "V2", day: 1, hour: 10))
            let following = try Following(
                [files.directory.path], configuration: .init(pollInterval: .milliseconds(5), directoryScanInterval: .milliseconds(20)))
            let received = following.received
            #expect(await eventually { received.names.count == 3 })
            #expect(received.names == ["v1h10", "v2h10", "v2h11"])

            try files.write(lines(["v1h12"], hour: 12), to: BlobDirectoryTests.blob(vault: "V1", day: 1, hour: 12))
            try files.append(lines(["v2h11b"], vault: "v2", hour: 11), to: BlobDirectoryTests.blob(vault: "V2", day: 1, hour: 11))
            #expect(await eventually { received.hasAll(["v1h12", "v2h11b"]) })
            await following.stop()
            #expect(received.counts.values.allSatisfy { $0 == 1 })
            #expect(received.names.count == 5)
        }

        /// A tree followed before its first blob is written (a new storage container, a vault
        /// whose diagnostic setting was just made) is scanned again and again until one comes:
        /// with no hourly blob yet, nothing is behind the newest. The first rescan trapped on
        /// `Int.min - blobRecheckHours` (5 December, night), ending `watch` and `detect --follow`.
        @Test func followingAnEmptyTreeWaitsForItsFirstBlob() async throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            try FileManager.default.createDirectory(at: files.directory.appendingPathComponent("empty"), withIntermediateDirectories: true)
            let following = try Following(
                [files.directory.path], configuration: .init(pollInterval: .milliseconds(5), directoryScanInterval: .milliseconds(20)))
            // Several scans of the empty tree.
            try await Task.sleep(for: .milliseconds(200))
            try files.write(lines(["first"]), to: BlobDirectoryTests.blob(vault: "V1", day: 1, hour: 10))
            #expect(await eventually { following.received.names == ["first"] })
            await following.stop()
        }

        @Test func aSlowConsumerSlowsTheReaderAndLosesNothing() async throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            let all = names("r", 0..<3000)
            let text = lines(all)
            try files.write(text, to: "big.log")
            let symbols = SymbolTable()
            let ingestor = try Ingestor(
                paths: [files.path("big.log")], symbols: symbols, configuration: .init(batchSize: 10, chunkSize: 2048))
            let run = Task { await ingestor.run(mode: .readToEnd) }
            var iterator = ingestor.batches.makeAsyncIterator()
            let first = try #require(await iterator.next())
            // Give the reader every chance to run ahead while nobody takes batches.
            try await Task.sleep(for: .milliseconds(200))
            let statistics = await ingestor.statistics
            #expect(statistics.batchesSent <= 2)
            #expect(statistics.bytesRead < Int64(text.utf8.count) / 10)
            let received = Received(symbols: symbols)
            received.add(first)
            while let batch = await iterator.next() { received.add(batch) }
            await run.value
            #expect(received.names == all)
            #expect(received.batches > 100)
        }

        @Test func checkpointsResumeAfterTheLastRecordTheConsumerHandled() async throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            try files.write(lines(names("p", 0..<5)) + String(lines(["partial"]).prefix(30)), to: "a.log")
            let symbols = SymbolTable()
            let first = try Ingestor(paths: [files.path("a.log")], symbols: symbols)
            let received = Received(symbols: symbols)
            let run = Task { await first.run(mode: .follow) }
            var iterator = first.batches.makeAsyncIterator()
            var batchCount = 0
            while !received.hasAll(names("p", 0..<5)), let batch = await iterator.next() {
                received.add(batch)
                batchCount += 1
            }
            let checkpoints = first.checkpoints(throughBatch: batchCount)
            run.cancel()
            await run.value
            #expect(checkpoints.count == 1)
            #expect(checkpoints.first?.offset == Int64(lines(names("p", 0..<5)).utf8.count))

            try files.append(String(lines(["partial"]).dropFirst(30)) + lines(["q0"]), to: "a.log")
            let second = try Ingestor(paths: [files.path("a.log")], symbols: symbols, configuration: .init(checkpoints: checkpoints))
            let resumed = Received(symbols: symbols)
            async let consumed: Void = { for await batch in second.batches { resumed.add(batch) } }()
            await second.run(mode: .readToEnd)
            await consumed
            #expect(resumed.names == ["partial", "q0"])
            #expect(resumed.problems.isEmpty)
        }

        @Test func readsANamedPipeToItsEnd() async throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            let fifo = try NamedPipeWriter(path: files.path("pipe"), text: lines(names("p", 0..<200))).path
            let symbols = SymbolTable()
            let ingestor = try Ingestor(paths: [fifo], symbols: symbols)
            #expect(ingestor.sources == [.stream(path: fifo)])
            let received = Received(symbols: symbols)
            async let consumed: Void = { for await batch in ingestor.batches { received.add(batch) } }()
            await ingestor.run(mode: .readToEnd)
            await consumed
            #expect(received.names == names("p", 0..<200))
        }

        @Test func inFollowModeTheEndOfAStreamEndsThatSourceOnly() async throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            let fifo = try NamedPipeWriter(path: files.path("pipe"), text: lines(names("p", 0..<3))).path
            try files.write(lines(["f0"]), to: "a.log")
            let following = try Following([fifo, files.path("a.log")], configuration: .init(pollInterval: .milliseconds(5)))
            let received = following.received
            #expect(await eventually { received.hasAll(names("p", 0..<3) + ["f0"]) })
            try files.append(lines(["f1"]), to: "a.log")
            #expect(await eventually { received.hasAll(["f1"]) })
            await following.stop()
            #expect(received.names.count == 5)
        }

        @Test func streamReaderHandsOverChunksUntilTheEnd() async throws {
            var descriptors: [Int32] = [0, 0]
            #expect(pipe(&descriptors) == 0)
            let reader = StreamReader(name: "-", descriptor: descriptors[0], chunkSize: 8)
            reader.start()
            let writeEnd = descriptors[1]
            Thread.detachNewThread {
                let bytes = Array("hello, stream\n".utf8)
                _ = bytes.withUnsafeBytes { write(writeEnd, $0.baseAddress, $0.count) }
                close(writeEnd)
            }
            var collected: [UInt8] = []
            for try await chunk in reader.chunks {
                #expect(chunk.count <= 8)
                collected += chunk
            }
            close(descriptors[0])
            #expect(String(decoding: collected, as: UTF8.self) == "hello, stream\n")
        }
    }
}
