import Foundation
import Testing
import VaultWatchTestSupport
@testable import VaultWatchCore

/// `hunt --format raw`: the original bytes of matching events, found again in their files, and
/// bounded in size.
@Suite("Raw records")
struct RawRecordReaderTests {
    @Test("records on their own lines, in one-line envelopes and in pretty envelopes come back byte for byte")
    func shapes() throws {
        let first = RecordBuilder(time: "2024-05-01T10:00:00Z", objectName: "a").json()
        let second = RecordBuilder(time: "2024-05-01T10:00:01Z", objectName: "b").json()
        let third = RecordBuilder(time: "2024-05-01T10:00:02Z", objectName: "c").json()
        let pretty = "{\n  \"time\": \"2024-05-01T10:00:03Z\",\n" + String(RecordBuilder(objectName: "d").json().dropFirst().drop { $0 != "," }.dropFirst())
        // A source is JSON lines or spans lines, not both: one file of each.
        let lines = first + "\n{\"records\": [" + second + ", " + third + "]}\n"
        let spanning = "{\"records\": [\n" + pretty + "\n]}\n"
        let directory = try TestPaths.temporaryDirectory()
        let linesPath = directory.appendingPathComponent("lines.jsonl").path
        let spanningPath = directory.appendingPathComponent("pretty.json").path
        try lines.write(toFile: linesPath, atomically: true, encoding: .utf8)
        try spanning.write(toFile: spanningPath, atomically: true, encoding: .utf8)
        let symbols = SymbolTable()
        let fromLines = readAll(lines, symbols: symbols, source: linesPath).events
        let fromSpanning = readAll(spanning, symbols: symbols, source: spanningPath).events
        #expect(fromLines.count == 3 && fromSpanning.count == 1)
        let reader = RawRecordReader(symbols: symbols)
        #expect(reader.records(for: fromLines.reversed(), path: linesPath).map { $0.map { String(decoding: $0, as: UTF8.self) } }
            == [third, second, first])
        #expect(reader.records(for: fromSpanning, path: spanningPath).map { $0.map { String(decoding: $0, as: UTF8.self) } } == [pretty])
    }

    @Test("a record longer than the bound is not returned; a file that changed gives nil, not a wrong record")
    func bounds() throws {
        let record = RecordBuilder(objectName: String(repeating: "x", count: 5000)).json()
        let directory = try TestPaths.temporaryDirectory()
        let path = directory.appendingPathComponent("big.jsonl").path
        try (record + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let symbols = SymbolTable()
        let found = readAll(record + "\n", symbols: symbols, source: path).events
        #expect(RawRecordReader(symbols: symbols, maximumRecordBytes: 1000).records(for: found, path: path) == [nil])
        #expect(RawRecordReader(symbols: symbols).records(for: found, path: path) == [Array(record.utf8)])
        try (RecordBuilder(objectName: "other").json() + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        #expect(RawRecordReader(symbols: symbols).records(for: found, path: path) == [nil])
        #expect(RawRecordReader(symbols: symbols).records(for: found, path: directory.appendingPathComponent("gone").path) == [nil])
    }
}
