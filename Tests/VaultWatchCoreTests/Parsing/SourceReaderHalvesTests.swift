import Foundation
import Testing
import VaultWatchTestSupport
@testable import VaultWatchCore

/// `SourceReader.consume(_:into:inParallel:)` decodes a large chunk in pieces on two threads,
/// each with a decoder of its own (once two fixed halves, hence the name): what it gives must be
/// what one reader gives, field for field, line for line, boundary for boundary, whichever thread
/// took which piece (what `detect` reads ahead with, `LaneReadAhead`).
@Suite struct SourceReaderHalvesTests {
    /// About 1.5 MiB of JSON lines: records over many vaults, and the lines a reader must report
    /// or skip where they fall (bad JSON, a record without a time, a non-AuditEvent category,
    /// blank lines, an envelope with no records); vault `kv-late` is first seen after the first
    /// chunk, its resource id written in upper case first and in lower case later (one reader
    /// keeps the first spelling for all of them), `kv-back` only near the end; the text ends
    /// inside a record.
    static func text() -> [UInt8] {
        var lines: [String] = []
        for index in 0..<4_000 {
            var record = RecordBuilder(
                time: "2024-05-01T10:\(String(format: "%02d", index / 100 % 60)):00.0000000Z", vault: "kv-\(index % 37)",
                principalID: "p-\(index % 101)", objectName: "secret-\(index)")
            if index % 500 == 250 { record.vault = "kv-late" }
            if index == 3_000 || index == 3_500 { record.vault = "kv-back" }
            var line = record.json()
            if record.vault == "kv-late", index > 1_500 { line = line.replacingOccurrences(of: "VAULTS/KV-LATE", with: "vaults/kv-late") }
            // Every 97th line is an odd one, but never a line of kv-late or kv-back.
            let oddLine = record.vault == "kv-late" || record.vault == "kv-back" ? -1 : index % 97
            switch oddLine {
            case 13: line = "{\"time\": \"2024-05-01T10:00:00Z\", \"resourceId\": "  // bad JSON
            case 29: line = line.replacingOccurrences(of: "\"time\":\"2024", with: "\"when\":\"2024")
            case 41: line = line.replacingOccurrences(of: "AuditEvent", with: "AzurePolicyEvaluationDetails")
            case 53: line = ""
            case 71: line = "{\"records\":[]}"
            default: break
            }
            lines.append(line)
        }
        var text = Array((lines.joined(separator: "\n") + "\n").utf8)
        text += Array(RecordBuilder(objectName: "cut").json().utf8.prefix(100))
        return text
    }

    struct Read: Equatable {
        var events: [AuditEvent] = []
        var problems: [InputProblem] = []
        var counts: [Int] = []
        var boundaries: [SourceReader.RecordBoundary] = []
        var nextLine = 0
        var held = 0
    }

    static func read(_ text: [UInt8], chunkSize: Int, inParallel: Bool, symbols: SymbolTable) -> Read {
        var reader = SourceReader(sourceName: "halves.jsonl", symbols: symbols, notesBoundaries: true)
        var read = Read()
        var batch = EventBatch()
        text.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                // A small first chunk: a reader knows a source is JSON lines only after its first line.
                let end = min(buffer.count, offset + (offset == 0 ? 4_096 : chunkSize))
                reader.consume(UnsafeRawBufferPointer(rebasing: buffer[offset..<end]), into: &batch, inParallel: inParallel)
                read.boundaries += reader.takeBoundaries()
                offset = end
            }
        }
        read.nextLine = reader.nextLineNumber
        read.held = reader.heldByteCount
        reader.finish(into: &batch)
        read.boundaries += reader.takeBoundaries()
        read.events = batch.events
        read.problems = batch.problems
        read.counts = [batch.malformedCount, batch.skippedCount, batch.outOfRangeCount]
        return read
    }

    @Test(arguments: [300 << 10, 1 << 20, 3 << 20])
    func twoHalvesReadWhatOneReaderReads(chunkSize: Int) {
        let text = Self.text()
        let symbols = SymbolTable()
        let alone = Self.read(text, chunkSize: chunkSize, inParallel: false, symbols: symbols)
        let halves = Self.read(text, chunkSize: chunkSize, inParallel: true, symbols: symbols)
        #expect(alone.events.count > 3_500)
        #expect(alone.problems.count > 100)
        #expect(alone.held > 0)
        let late = alone.events.filter { symbols.string($0.vault) == "kv-late" }
        #expect(late.count == 8)
        #expect(Set(late.map { symbols.string($0.resourceID) ?? "" }) == [RecordBuilder(vault: "kv-late").resourceID])
        #expect(halves.events.count == alone.events.count)
        for (index, pair) in zip(alone.events, halves.events).enumerated() where pair.0 != pair.1 {
            Issue.record("event \(index) differs: line \(pair.0.location.line) vs \(pair.1.location.line)")
            break
        }
        #expect(halves.problems.map(\.description) == alone.problems.map(\.description))
        // Compared whole (fields, locations, counts, boundaries, lines, held bytes); the
        // arrays are too long to print on a failure, the lines above say where they differ.
        let identical = halves == alone
        #expect(identical)
    }

    /// Where `aChunkIsDecodedWholeWhileTheHelperIsHeldUp` keeps the read its thread made.
    final class ReadBox: @unchecked Sendable {
        var read: Read?
    }

    /// The helper's thread held up (its queue busy with other work, as its core may be with the
    /// detector or another process): the caller's thread decodes every piece itself and the read
    /// is whole, instead of waiting for a helper that has not started.
    @Test func aChunkIsDecodedWholeWhileTheHelperIsHeldUp() {
        let text = Self.text()
        let symbols = SymbolTable()
        let alone = Self.read(text, chunkSize: 1 << 20, inParallel: false, symbols: symbols)
        let release = DispatchSemaphore(value: 0)
        SourceReader.PieceReader.queue.async { release.wait() }
        let box = ReadBox()
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            box.read = Self.read(text, chunkSize: 1 << 20, inParallel: true, symbols: symbols)
            done.signal()
        }
        let finished = done.wait(timeout: .now() + 60) == .success
        release.signal()
        if !finished { done.wait() }
        #expect(finished, "the read waited for the held-up helper")
        let identical = box.read == alone
        #expect(identical)
    }
}
