import Foundation
import Testing
import VaultWatchTestSupport
@testable import VaultWatchCore

/// Evidence's original records: found again in their files by line (through the sparse line
/// index, far into a file), inside envelopes, never the wrong record, cut beyond 32 KiB.
@Suite struct RecordFinderTests {
    @Test func findsRecordsFarIntoAFileAndInsideEnvelopes() throws {
        let records = (0..<2_600).map { RecordBuilder(time: "2024-05-01T10:00:00Z", objectName: "s\($0)").json() }
        let envelope = "{\"records\": [" + RecordBuilder(objectName: "x").json() + ", " + RecordBuilder(objectName: "y").json() + "]}"
        let text = records.joined(separator: "\n") + "\n" + envelope + "\n"
        let path = try TestPaths.temporaryDirectory().appendingPathComponent("audit.jsonl").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let symbols = SymbolTable()
        let events = readAll(text, symbols: symbols, source: path).events
        #expect(events.count == 2_602)
        let finder = RecordFinder(symbols: symbols)
        #expect(finder.record(for: events[2_500]) == records[2_500], "past two index marks")
        #expect(finder.record(for: events[7]) == records[7], "before them, from the index")
        #expect(finder.record(for: events[2_601]) == RecordBuilder(objectName: "y").json(), "the envelope's second element")
        let evidence = AlertEvidence(event: events[1_234], symbols: symbols)
        #expect(evidence.source == "\(path):1235")
        #expect(finder.record(for: evidence) == records[1_234], "an event as the screen has it")
        var other = evidence
        other.operation = "SecretDelete"
        #expect(finder.record(for: other) == nil, "a record that does not read the same is not returned")
    }

    /// A line start noted by the file's reader (`noteLineStart`): a lookup counts lines from it,
    /// not from the file's first line (issue 11: the first evidence of a `detect --state` run far
    /// into a file scanned the whole file before it). A mark that is wrong (the file is not the
    /// one read) costs a second lookup from the start, never a wrong record.
    @Test func aNotedLineStartSparesCountingTheLinesBeforeIt() throws {
        let records = (0..<2_600).map { RecordBuilder(time: "2024-05-01T10:00:00Z", objectName: "s\($0)").json() }
        let text = records.joined(separator: "\n") + "\n"
        let path = try TestPaths.temporaryDirectory().appendingPathComponent("audit.jsonl").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let symbols = SymbolTable()
        let events = readAll(text, symbols: symbols, source: path).events
        let offset = records[..<2_450].reduce(0) { $0 + $1.utf8.count + 1 }

        let finder = RecordFinder(symbols: symbols)
        finder.noteLineStart(path: path, line: 2_451, offset: Int64(offset))
        #expect(finder.record(for: events[2_500]) == records[2_500])
        #expect(finder.linesCounted == 2_501 - 2_451, "from the mark, not from line 1")
        #expect(finder.record(for: events[2_520]) == records[2_520])
        #expect(finder.linesCounted == 50 + (2_521 - 2_497), "from the index block (line 2,497) the first lookup passed")
        #expect(finder.record(for: events[30]) == records[30], "before the mark: from the start")

        // A mark inside its line (an envelope's element ends mid-line) is a line start after one newline.
        let inside = RecordFinder(symbols: symbols)
        inside.noteLineStart(path: path, line: 2_451, offset: Int64(offset + 10))
        #expect(inside.record(for: events[2_451]) == records[2_451])
        #expect(inside.record(for: events[2_450]) == records[2_450], "the mark's own line: counted from before it")

        // A wrong mark: found again from the start.
        let misled = RecordFinder(symbols: symbols)
        misled.noteLineStart(path: path, line: 2_451, offset: Int64(records[0].utf8.count + 1))
        #expect(misled.record(for: events[2_500]) == records[2_500])
        #expect(misled.linesCounted > 2_500, "counted again from line 1")
    }

    /// A lookup after a mark looks at the index's blocks from the record's down only as far as
    /// the mark, not down to the file's first block (a look-up for each 64 lines before the
    /// record, at every lookup far into a file read with marks, whose index has few blocks).
    @Test func aMarkSparesLookingAtTheIndexBlocksBeforeIt() throws {
        let (records, path) = try Self.writeRecords(3_000)
        let symbols = SymbolTable()
        let events = readAll(try String(contentsOfFile: path, encoding: .utf8), symbols: symbols, source: path).events
        let offset = records[..<2_899].reduce(0) { $0 + $1.utf8.count + 1 }
        let finder = RecordFinder(symbols: symbols)
        finder.noteLineStart(path: path, line: 2_900, offset: Int64(offset))
        #expect(finder.record(for: events[2_949]) == records[2_949])
        #expect(finder.linesCounted == 2_950 - 2_900, "from the mark")
        #expect(finder.indexBlocksLookedAt <= 2, "\(finder.indexBlocksLookedAt) blocks looked at")
        #expect(finder.record(for: events[10]) == records[10], "before the mark: from the first block")
    }

    /// `count` records of one line each (objects s0, s1, …), written to a new file: the records
    /// and the file's path.
    private static func writeRecords(_ count: Int) throws -> (records: [String], path: String) {
        let records = (0..<count).map { RecordBuilder(time: "2024-05-01T10:00:00Z", objectName: "s\($0)").json() }
        let path = try TestPaths.temporaryDirectory().appendingPathComponent("audit.jsonl").path
        try (records.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return (records, path)
    }

    /// Reads `path` to its end with `configuration`, telling a new finder where lines start:
    /// the finder and the events read.
    private static func read(
        _ path: String, _ configuration: Ingestor.Configuration
    ) async throws -> (finder: RecordFinder, events: [AuditEvent]) {
        let symbols = SymbolTable()
        let finder = RecordFinder(symbols: symbols)
        var configuration = configuration
        configuration.lineStarts = finder
        let ingestor = try Ingestor(paths: [path], symbols: symbols, configuration: configuration)
        async let reading: Void = ingestor.run(mode: .readToEnd)
        var events: [AuditEvent] = []
        for await batch in ingestor.batches { events += batch.events }
        await reading
        return (finder, events)
    }

    /// The `Ingestor` tells the finder where the lines it reads start, once a chunk, as its
    /// checkpoints say: a record far into the file is found counting less than a chunk of lines.
    @Test func theIngestorTellsTheFinderWhereLinesStart() async throws {
        let (records, path) = try Self.writeRecords(3_000)
        let chunkSize = 64 << 10
        let (finder, events) = try await Self.read(path, Ingestor.Configuration(chunkSize: chunkSize))
        #expect(events.count == 3_000)
        let linesPerChunk = chunkSize / records[0].utf8.count + 1
        #expect(finder.record(for: events[2_990]) == records[2_990])
        #expect(finder.linesCounted <= linesPerChunk, "from the last chunk's mark")
    }

    /// The `Ingestor` tells the finder where records start every `indexStride` lines, not once a
    /// chunk: a record in the middle of a large chunk is found counting fewer lines than that
    /// (before, from the chunk's start: hundreds of lines, each a page of the mapping touched).
    @Test func aRecordInsideAChunkIsFoundCountingFewerLinesThanTheIndexStride() async throws {
        let (records, path) = try Self.writeRecords(3_000)
        let chunkSize = 1 << 20
        let (finder, events) = try await Self.read(path, Ingestor.Configuration(chunkSize: chunkSize))
        #expect(events.count == 3_000)
        let linesPerChunk = chunkSize / (records[0].utf8.count + 1)
        let inside = min(2_999, linesPerChunk * 3 / 4)
        #expect(inside > 4 * RecordFinder.indexStride, "the record far from its chunk's start")
        #expect(finder.record(for: events[inside]) == records[inside])
        #expect(finder.linesCounted <= RecordFinder.indexStride, "\(finder.linesCounted) lines counted")
    }

    /// A run that resumes a file from its checkpoint (`detect --state` over an export that grew)
    /// tells the finder where it starts reading: the evidence of a record it reads before its
    /// first chunk's end is found counting from there, not from the file's first line. Before,
    /// the only mark was at the end of the chunk, after such records, and each lookup counted
    /// every line of the file before them (a resumed run over 13 vaults' files touched all
    /// 418 MB of them to raise alerts on 2,977 new records).
    @Test func aResumedRunTellsTheFinderWhereItStartsReading() async throws {
        let records = (0..<3_000).map { RecordBuilder(time: "2024-05-01T10:00:00Z", objectName: "s\($0)").json() }
        let path = try TestPaths.temporaryDirectory().appendingPathComponent("audit.jsonl").path
        try (records[..<2_950].joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        var checkpoints: [FileFollower.Checkpoint] = []
        do {
            let symbols = SymbolTable()
            let ingestor = try Ingestor(paths: [path], symbols: symbols, configuration: .init(checkpoints: []))
            async let reading: Void = ingestor.run(mode: .readToEnd)
            var batches = 0
            for await _ in ingestor.batches { batches += 1 }
            await reading
            checkpoints = ingestor.checkpoints(throughBatch: batches)
        }
        #expect(checkpoints.first?.line == 2_951)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data((records[2_950...].joined(separator: "\n") + "\n").utf8))
        try handle.close()

        let (finder, events) = try await Self.read(path, Ingestor.Configuration(checkpoints: checkpoints))
        #expect(events.count == 50)
        #expect(finder.record(for: events[10]) == records[2_960])
        #expect(finder.linesCounted <= 11, "from where the run started reading: \(finder.linesCounted) lines counted")
    }

    /// `keepOriginalRecords(symbols:)`, as `detect --state`, `watch` and `demo` use it: the
    /// detector reads its evidence with the finder it returns, the one the `Ingestor` told where
    /// lines start, so the evidence of an alert at the end of a file is found from the last
    /// chunk's mark, not by counting the file's lines from the first.
    @Test func keepingRecordsGivesTheDetectorTheFinderTheIngestorTells() async throws {
        var records = (0..<3_000).map { RecordBuilder(time: "2024-05-01T10:00:00Z", objectName: "s\($0)").json() }
        records.append(RecordBuilder(time: "2024-05-01T10:00:00Z", objectName: "vaultwatch-test-alert").json())
        let path = try TestPaths.temporaryDirectory().appendingPathComponent("audit.jsonl").path
        try (records.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let symbols = SymbolTable()
        var configuration = DetectorConfiguration()
        let finder = configuration.keepOriginalRecords(symbols: symbols)
        #expect(configuration.keepsOriginalRecords)
        let chunkSize = 64 << 10
        var reading = Ingestor.Configuration(chunkSize: chunkSize)
        reading.lineStarts = finder
        let ingestor = try Ingestor(paths: [path], symbols: symbols, configuration: reading)
        let detector = Detector(symbols: symbols, configuration: configuration)
        async let read: Void = ingestor.run(mode: .readToEnd)
        var published: [Alert] = []
        for await batch in ingestor.batches { published += await detector.process(batch) }
        await read
        published += await detector.finish()
        let alert = try #require(published.first { $0.kind == .testAlert })
        #expect(alert.evidence.first?.record == records.last)
        #expect(finder.lookupCount > 0, "the detector looked the record up with this finder")
        #expect(finder.linesCounted <= chunkSize / records[0].utf8.count + 1, "from the last chunk's mark")
    }

    @Test func aRewrittenFileOrStdinGivesNoRecord() throws {
        let path = try TestPaths.temporaryDirectory().appendingPathComponent("audit.jsonl").path
        let text = RecordBuilder(objectName: "before").jsonLine()
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let symbols = SymbolTable()
        let event = readAll(text, symbols: symbols, source: path).events[0]
        let finder = RecordFinder(symbols: symbols)
        #expect(finder.record(for: event) != nil)
        try RecordBuilder(objectName: "after").jsonLine().write(toFile: path, atomically: true, encoding: .utf8)
        #expect(finder.record(for: event) == nil)
        let fromStdin = readAll(text, symbols: symbols, source: "-").events[0]
        #expect(finder.record(for: fromStdin) == nil)
    }

    @Test func aLongRecordIsCutAtACharacterBoundaryAndSaysSo() {
        let long = Array(("{\"a\":\"" + String(repeating: "é", count: 20_000) + "\"}").utf8)
        let kept = RecordFinder.kept(long)
        #expect(kept.utf8.count < AlertEvidence.recordLimit + 40)
        #expect(kept.hasSuffix("more bytes)"))
        #expect(!kept.contains("\u{FFFD}"), "never a broken character")
        #expect(RecordFinder.kept(Array("{}".utf8)) == "{}")
    }

    @Test func aDetectorKeepingRecordsGivesEvidenceItsOriginalRecord() async throws {
        var record = RecordBuilder(objectName: "vaultwatch-test-alert")
        record.clientInfo = "evil\u{1B}[2J"
        let text = RecordBuilder(objectName: "other").jsonLine() + record.jsonLine()
        let path = try TestPaths.temporaryDirectory().appendingPathComponent("audit.jsonl").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        for keeps in [true, false] {
            let symbols = SymbolTable()
            var configuration = DetectorConfiguration()
            configuration.keepsOriginalRecords = keeps
            let detector = Detector(symbols: symbols, configuration: configuration)
            let published = await detector.process(EventBatch(events: readAll(text, symbols: symbols, source: path).events))
            let alert = try #require(published.first { $0.kind == .testAlert })
            #expect(alert.evidence.first?.record == (keeps ? record.json() : nil))
        }
    }

    /// The finder keeps a file mapped between lookups: it must map it again when the file grows
    /// (a record appended after the mapping), when it is truncated and rewritten in place (the
    /// same inode, shorter: reading the old mapping's end would fault), and after being evicted.
    @Test func aFileThatGrowsOrIsRewrittenInPlaceIsMappedAgain() throws {
        let directory = try TestPaths.temporaryDirectory()
        let path = directory.appendingPathComponent("audit.jsonl").path
        let first = RecordBuilder(objectName: "first").jsonLine()
        try first.write(toFile: path, atomically: false, encoding: .utf8)
        let symbols = SymbolTable()
        let finder = RecordFinder(symbols: symbols)
        let firstEvent = readAll(first, symbols: symbols, source: path).events[0]
        #expect(finder.record(for: firstEvent) == RecordBuilder(objectName: "first").json())

        let second = RecordBuilder(objectName: "second").jsonLine()
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data(second.utf8))
        try handle.close()
        let secondEvent = readAll(first + second, symbols: symbols, source: path).events[1]
        #expect(finder.record(for: secondEvent) == RecordBuilder(objectName: "second").json(), "appended after the file was mapped")
        #expect(finder.record(for: firstEvent) == RecordBuilder(objectName: "first").json())

        let rewritten = RecordBuilder(objectName: "x").jsonLine()
        try rewritten.write(toFile: path, atomically: false, encoding: .utf8)
        let rewrittenEvent = readAll(rewritten, symbols: symbols, source: path).events[0]
        #expect(finder.record(for: rewrittenEvent) == RecordBuilder(objectName: "x").json(), "rewritten in place, shorter")
        #expect(finder.record(for: secondEvent) == nil, "its line is gone")

        // More files than stay mapped: the first is mapped again when it is wanted again.
        var others: [AuditEvent] = []
        for number in 0..<(RecordFinder.mappedFileLimit + 2) {
            let other = directory.appendingPathComponent("other-\(number).jsonl").path
            let text = RecordBuilder(objectName: "other-\(number)").jsonLine()
            try text.write(toFile: other, atomically: false, encoding: .utf8)
            others.append(readAll(text, symbols: symbols, source: other).events[0])
        }
        for (number, event) in others.enumerated() {
            #expect(finder.record(for: event) == RecordBuilder(objectName: "other-\(number)").json())
        }
        #expect(finder.record(for: rewrittenEvent) == RecordBuilder(objectName: "x").json(), "after its mapping was evicted")
    }

    /// An alert keeps its `evidenceLimit` earliest events: a repeat past it must not read its
    /// record from the file (it was read for nothing, some 200 µs each, before).
    @Test func repeatsPastTheEvidenceLimitReadNoRecord() throws {
        let lines = (0..<25).map { RecordBuilder(time: "2024-05-01T10:\(String(format: "%02d", $0)):00Z", objectName: "s\($0)").jsonLine() }
        let text = lines.joined()
        let path = try TestPaths.temporaryDirectory().appendingPathComponent("audit.jsonl").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let symbols = SymbolTable()
        let events = readAll(text, symbols: symbols, source: path).events
        #expect(events.count == 25)
        let finder = RecordFinder(symbols: symbols)
        var aggregator = AlertAggregator(symbols: symbols, language: .en, evidenceLimit: 10, records: finder)
        var alert: Alert?
        for event in events {
            let candidate = AlertCandidate(kind: .torAccess, severity: .medium, entity: .caller(of: event), event: event, reasons: ["tor"])
            alert = aggregator.add(candidate).alert
        }
        let folded = try #require(alert)
        #expect(folded.count == 25)
        #expect(folded.evidence.count == 10)
        #expect(folded.evidence.allSatisfy { $0.record != nil })
        #expect(finder.lookupCount == 10, "one record read for each evidence event kept, none for the 15 repeats past the limit")
    }

    /// A lookup's decoder is kept for the next (making one zeroes its member predictor's 127 KB
    /// of tables: 7.8 million of the 45 million instructions a state file added to the demo
    /// tenant's short run), and records found with a kept decoder are the right records.
    @Test func lookupsOneAfterAnotherShareOneDecoder() throws {
        let (records, path) = try Self.writeRecords(300)
        let symbols = SymbolTable()
        let events = readAll(try String(contentsOfFile: path, encoding: .utf8), symbols: symbols, source: path).events
        let finder = RecordFinder(symbols: symbols)
        for index in stride(from: 0, to: 300, by: 7) {
            #expect(finder.record(for: events[index]) == records[index])
        }
        #expect(finder.lookupCount == 43)
        #expect(finder.decodersMade == 1, "\(finder.decodersMade) decoders made for 43 lookups")
    }
}
