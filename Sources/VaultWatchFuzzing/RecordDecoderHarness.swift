import VaultWatchCore

/// The record decoder as ingestion drives it: a `SourceReader` fed a source's bytes in reads of
/// any size, then told the source has ended.
///
/// An input is a control prefix, then the source's bytes:
/// - byte 0: bits 0–2 = how many piece lengths follow (0–7); bit 3 = repeat those lengths to
///   the end of the source (else the rest is one last read); bit 4 = the source resumes at
///   line 1,000,000 (a restart from a checkpoint).
/// - then one byte per piece: its length minus one (1–256 bytes).
///
/// The property checked is the one tailing relies on: framing does not depend on where reads
/// split the bytes. The fuzzer-chosen pieces, one read of everything, and (for small sources)
/// one byte per read must give the same events and the same problems, every line number must
/// lie inside the source, and nothing may stay held after the end.
enum RecordDecoderHarness {
    static let sourceName = "fuzz.jsonl"
    /// One byte per read is quadratic in the held bytes: only for sources this small.
    static let byteByByteLimit = 1024

    static func run(_ input: UnsafeRawBufferPointer) -> FuzzOutcome {
        guard let control = input.first else { return FuzzOutcome() }
        let pieceCount = Int(control & 0x07)
        let repeatsPieces = control & 0x08 != 0
        let firstLine = control & 0x10 != 0 ? 1_000_000 : 1
        guard input.count >= 1 + pieceCount else { return FuzzOutcome() }
        let lengths = input[1..<(1 + pieceCount)].map { Int($0) + 1 }
        let source = UnsafeRawBufferPointer(rebasing: input[(1 + pieceCount)...])

        // Each read with a symbol table of its own, as a run has: whether a value gets a symbol
        // for good or a transient one depends on what the table has seen (a value seen before is
        // kept), so reads sharing one table give the same strings different symbols the second
        // time (an object name the first read held as transient, the second kept) though they
        // decoded the same (fuzz finding fuzz/regressions/record-decoder/transient-then-kept).
        var outcome = FuzzOutcome()
        let whole = read(source, lengths: [], repeating: false, firstLine: firstLine, symbols: SymbolTable(), outcome: &outcome)
        outcome.messages = whole.problems.map(\.description)
        check(whole, of: source, firstLine: firstLine, outcome: &outcome)
        let pieces = read(
            source, lengths: lengths, repeating: repeatsPieces, firstLine: firstLine, symbols: SymbolTable(), outcome: &outcome)
        compare(pieces, to: whole, reads: "reads of \(lengths)\(repeatsPieces ? " repeated" : "")", outcome: &outcome)
        if source.count <= byteByByteLimit {
            let bytes = read(source, lengths: [1], repeating: true, firstLine: firstLine, symbols: SymbolTable(), outcome: &outcome)
            compare(bytes, to: whole, reads: "one byte per read", outcome: &outcome)
        }
        return outcome
    }

    /// Feeds `source` in pieces of `lengths` (cycled when `repeating`; the rest in one read).
    private static func read(
        _ source: UnsafeRawBufferPointer, lengths: [Int], repeating: Bool, firstLine: Int, symbols: SymbolTable,
        outcome: inout FuzzOutcome
    ) -> EventBatch {
        var reader = SourceReader(sourceName: sourceName, symbols: symbols, firstLine: firstLine)
        var batch = EventBatch()
        var offset = 0
        var index = 0
        while offset < source.count {
            var length = source.count - offset
            if !lengths.isEmpty, repeating || index < lengths.count {
                length = min(lengths[index % lengths.count], length)
            }
            reader.consume(UnsafeRawBufferPointer(rebasing: source[offset..<(offset + length)]), into: &batch)
            offset += length
            index += 1
        }
        reader.finish(into: &batch)
        outcome.require(reader.heldByteCount == 0, "\(reader.heldByteCount) bytes still held after finish")
        return batch
    }

    /// Line numbers inside the source, counts that match the problems.
    private static func check(_ batch: EventBatch, of source: UnsafeRawBufferPointer, firstLine: Int, outcome: inout FuzzOutcome) {
        var newlines = 0
        for byte in source where byte == 0x0A { newlines += 1 }
        let lines = firstLine...(firstLine + newlines)
        for problem in batch.problems {
            outcome.require(problem.source == sourceName, "problem names another source: \(problem)")
            outcome.require(lines.contains(problem.line), "problem line outside \(lines): \(problem)")
            outcome.require(!problem.reason.isEmpty, "problem without a reason at line \(problem.line)")
        }
        for event in batch.events {
            let line = Int(event.location.line)
            outcome.require(lines.contains(line), "event line \(line) outside \(lines)")
        }
        outcome.require(
            batch.malformedCount + batch.skippedCount + batch.lossCount == batch.problems.count,
            "\(batch.malformedCount) malformed + \(batch.skippedCount) skipped + \(batch.lossCount) lost for \(batch.problems.count) problems")
    }

    private static func compare(_ batch: EventBatch, to whole: EventBatch, reads: String, outcome: inout FuzzOutcome) {
        if batch.problems != whole.problems {
            outcome.violations.append(
                "\(reads) report \(batch.problems.map(\.description)); one read reports \(whole.problems.map(\.description))")
        }
        if batch.events != whole.events {
            let lines = { (events: [AuditEvent]) in events.map { Int($0.location.line) } }
            outcome.violations.append(
                "\(reads) give \(batch.events.count) events at lines \(lines(batch.events)); one read gives \(whole.events.count) at \(lines(whole.events))")
        }
    }
}
