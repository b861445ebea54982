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
}
