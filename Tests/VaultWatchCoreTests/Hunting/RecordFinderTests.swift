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
}
