#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Synchronization

/// Frames and decodes the bytes of one source (a file, a blob, stdin) into events.
///
/// Feed it the source's bytes in chunks of any size, in order; it finds record boundaries,
/// holds a partial last record until the rest arrives, and decodes each record. Line numbers
/// count from 1 at the start of the source (and again after `restart()`).
///
/// Framing is detected per source, without flags:
/// - JSON lines (one record, envelope or array per line) is the fast path: split at newlines.
/// - A value that does not end on its line (a pretty-printed `{"records": [` envelope or a
///   Log Analytics array) is followed across lines to its closing bracket, but only until the
///   source has shown itself to be JSON lines: after that, a line that ends early is a
///   truncated record, reported, and the next line is read as the next record.
/// - If a value followed across lines turns out not to be valid JSON, its first line is
///   reported and reading resumes on the line after it, so one bad line never swallows the rest.
/// - Once a source is JSON lines, a line may not exceed `maximumLineBytes`: a longer one (a
///   writer that never writes a newline) is reported as malformed when the cap is reached,
///   its bytes are dropped as they arrive, and framing resumes after its newline, so such a
///   source costs at most the cap in memory.
///
/// Record boundaries: after each record text (a line, or a value spanning lines) the reader
/// notes a `RecordBoundary`: how far the batch had been filled and the stream offset and line
/// number just after it. `takeBoundaries()` hands them to the caller, which can then tell
/// which events came from which record text and where reading resumes after each one (the
/// `Ingestor` merges sources record by record and keeps checkpoints exact that way).
/// - Important: one reader per source; not thread-safe.
public struct SourceReader {
    public let sourceName: String
    private let source: Symbol
    private var decoder: RecordDecoder
    /// Bytes not yet framed: a partial line, or a value still open across lines.
    private var pending: [UInt8] = []
    /// The line number of the first byte not yet framed.
    private var nextLine = 1
    /// Whether a complete record has been read on a single line: the source is JSON lines.
    private var isJSONLines = false
    /// Set while following a value across lines.
    private var openValue: OpenValue?
    /// The stream offset just after the last byte fed (counting from the start, or from the
    /// resume offset given to `init`, again from 0 after `restart()`).
    private var fedOffset: Int64
    /// Set while the bytes of an over-long line are dropped until its newline.
    private var isSkippingLongLine = false
    /// Set while `finishForNow` frames the held bytes.
    private var endsForNow = false
    /// Boundaries noted since the last `takeBoundaries()`.
    private var boundaries: [RecordBoundary] = []
    /// Whether boundaries are noted (the `Ingestor` wants them; plain decoding does not).
    private let notesBoundaries: Bool
    /// The reader of the pieces of large chunks a helper takes (`consume(_:into:inParallel:)`):
    /// made for the first such chunk and kept, so its decoder's caches stay warm.
    private var pieceReader: PieceReader?

    /// Where a record text ends: the batch's fill level after it and where reading resumes.
    public struct RecordBoundary: Sendable, Hashable {
        /// `events.count` of the batch being filled, just after the record's events.
        public var eventEnd: Int
        /// `problems.count` of that batch.
        public var problemEnd: Int
        /// The stream offset just after the record text (its newline included).
        public var offset: Int64
        /// The line number at `offset`.
        public var line: Int
    }

    /// A value followed across lines: where it starts and how far its brackets were matched.
    private struct OpenValue {
        var startLine: Int
        /// Offset (in the buffer being framed) of the value's first byte.
        var start: Int
        var scanned: Int
        var depth = 0
        var inString = false
        var escaped = false
        var newlines = 0

        /// Offsets move when the bytes before the value are dropped from the buffer.
        mutating func rebase(by consumed: Int) {
            start -= consumed
            scanned -= consumed
        }
    }

    /// A value followed across lines that is larger than this is given up on (reported, and
    /// reading resumes on its second line): no record or export page is anywhere near it.
    public static let maximumValueBytes = 512 << 20

    /// The longest line of a JSON-lines source: far above any record (a storage record is a
    /// few KiB, an Event Hubs envelope at most 1 MiB), far below what would hurt memory.
    public static let maximumLineBytes = 16 << 20

    /// Chunks at least this large are decoded in pieces on two threads at once when asked to
    /// (`consume(_:into:inParallel:)`): below it, handing pieces to another thread costs more
    /// than it saves.
    static let parallelChunkBytes = 256 << 10
    /// How many pieces such a chunk is cut into (`frameInPieces`): enough that the two threads
    /// end close together when the helper starts late, few enough that each piece's hand-over
    /// (its events copied after the others, its lines moved on) stays small.
    static let piecesPerChunk = 4

    /// - Parameter firstLine: the line number of the first byte fed, when reading resumes
    ///   mid-source from a checkpoint, so that problems and evidence name the same lines as a
    ///   read from the start.
    ///   - firstOffset: the stream offset of the first byte fed (the resume offset), so that
    ///     boundaries name offsets in the file.
    ///   - notesBoundaries: note a `RecordBoundary` after each record text.
    public init(sourceName: String, symbols: SymbolTable, firstLine: Int = 1, firstOffset: Int64 = 0, notesBoundaries: Bool = false) {
        self.nextLine = max(1, firstLine)
        self.fedOffset = max(0, firstOffset)
        self.notesBoundaries = notesBoundaries
        self.sourceName = sourceName
        self.source = symbols.intern(sourceName)
        self.decoder = RecordDecoder(symbols: symbols)
    }

    /// Reads `bytes`, appending complete records' events and problems to `batch`.
    /// - Parameter inParallel: a large chunk of a JSON-lines source is decoded in pieces on two
    ///   threads at once, this one and a helper (see `frameInPieces`); the caller's thread waits
    ///   for the pieces the helper took. The result is the same as without.
    /// - Parameter helperRunsAtLowerPriority: the helper's thread lowers its priority first
    ///   (`ThreadPriority`; `watch` and `demo`).
    public mutating func consume(
        _ bytes: UnsafeRawBufferPointer, into batch: inout EventBatch, inParallel: Bool = false,
        helperRunsAtLowerPriority: Bool = false
    ) {
        guard !bytes.isEmpty else { return }
        var bytes = bytes
        if isSkippingLongLine {
            guard let newline = Self.newlineOffset(in: bytes, from: 0) else {
                fedOffset += Int64(bytes.count)
                return
            }
            isSkippingLongLine = false
            fedOffset += Int64(newline + 1)
            nextLine += 1
            noteBoundary(at: fedOffset, batch)
            bytes = UnsafeRawBufferPointer(rebasing: bytes[(newline + 1)...])
            guard !bytes.isEmpty else { return }
        }
        if !pending.isEmpty, openValue == nil {
            // Complete the held line from the new bytes, then frame the rest in place rather
            // than copying every chunk behind a held partial line.
            guard let newline = Self.newlineOffset(in: bytes, from: 0) else {
                pending.append(contentsOf: bytes)
                fedOffset += Int64(bytes.count)
                capHeldLine(into: &batch)
                return
            }
            let lineEnd = newline + 1
            pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[..<lineEnd]))
            fedOffset += Int64(lineEnd)
            framePending(isFinal: false, into: &batch)
            bytes = UnsafeRawBufferPointer(rebasing: bytes[lineEnd...])
            guard !bytes.isEmpty else { return }
        }
        if pending.isEmpty {
            // Fast path: frame straight from the caller's buffer, keep only the tail.
            let consumed = inParallel
                ? frameInPieces(bytes, into: &batch, helperRunsAtLowerPriority: helperRunsAtLowerPriority)
                : frame(bytes, base: fedOffset, isFinal: false, into: &batch)
            fedOffset += Int64(bytes.count)
            if consumed < bytes.count {
                pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[consumed...]))
            }
            if openValue != nil { openValue!.rebase(by: consumed) }
        } else {
            pending.append(contentsOf: bytes)
            fedOffset += Int64(bytes.count)
            framePending(isFinal: false, into: &batch)
        }
        capHeldLine(into: &batch)
    }

    /// A held partial line of a JSON-lines source longer than `maximumLineBytes` is reported
    /// and dropped; the rest of it is skipped up to its newline.
    private mutating func capHeldLine(into batch: inout EventBatch) {
        guard openValue == nil, pending.count > (isJSONLines ? Self.maximumLineBytes : Self.maximumValueBytes) else { return }
        let limit = isJSONLines ? Self.maximumLineBytes : Self.maximumValueBytes
        batch.report(InputProblem(
            source: sourceName, line: nextLine, reason: "line longer than \(limit >> 20) MiB without a newline; skipped up to its end",
            severity: .malformed))
        pending.removeAll()
        isSkippingLongLine = true
    }

    /// The boundaries noted since the last call, oldest first.
    public mutating func takeBoundaries() -> [RecordBoundary] {
        defer { boundaries.removeAll(keepingCapacity: true) }
        return boundaries
    }

    /// Notes a boundary at `offset` when the batch changed since the last one.
    @inline(__always)
    private mutating func noteBoundary(at offset: Int64, _ batch: EventBatch) {
        guard notesBoundaries else { return }
        if let last = boundaries.last, last.eventEnd == batch.events.count, last.problemEnd == batch.problems.count {
            boundaries[boundaries.count - 1].offset = offset
            boundaries[boundaries.count - 1].line = nextLine
            return
        }
        boundaries.append(RecordBoundary(eventEnd: batch.events.count, problemEnd: batch.problems.count, offset: offset, line: nextLine))
    }

    /// The source has ended (end of a finished file, or the file was rotated away): a held
    /// final record without its newline is decoded if complete, else reported as truncated.
    public mutating func finish(into batch: inout EventBatch) {
        framePending(isFinal: true, into: &batch)
        pending.removeAll()
        openValue = nil
        isSkippingLongLine = false
    }

    /// The input has ended for now: a file read to its end that its writer may still be
    /// writing (`detect` without `--follow`). As `finish`, except that a held last record that
    /// is not complete (a writer killed or still busy mid-line) is reported as incomplete and
    /// no boundary is noted past it: a checkpoint stays at its start, so a later read takes it
    /// whole once its writer completes it (and reports it again until then).
    public mutating func finishForNow(into batch: inout EventBatch) {
        endsForNow = true
        defer { endsForNow = false }
        finish(into: &batch)
    }

    /// The source was truncated or replaced: drop anything held and count lines from 1 again.
    public mutating func restart() {
        pending.removeAll()
        openValue = nil
        nextLine = 1
        isJSONLines = false
        isSkippingLongLine = false
        fedOffset = 0
    }

    /// Bytes held while waiting for the rest of a record.
    public var heldByteCount: Int { pending.count }

    /// The stream offset of the next byte to feed.
    public var nextOffset: Int64 { fedOffset }

    /// The bytes before `offset` are not part of the source (a hole of zeros a non-appending
    /// writer left, skipped by the follower): the next byte fed is at `offset`, so boundaries
    /// name offsets in the file. Only when nothing is held and `offset` lies ahead.
    public mutating func skip(to offset: Int64) {
        guard pending.isEmpty, openValue == nil, !isSkippingLongLine, offset > fedOffset else { return }
        fedOffset = offset
    }

    /// The line number of the first held byte (of the next byte fed when nothing is held):
    /// what a checkpoint at the held bytes' offset records.
    public var nextLineNumber: Int { nextLine }

    private mutating func framePending(isFinal: Bool, into batch: inout EventBatch) {
        guard !pending.isEmpty else { return }
        let held = pending
        let base = fedOffset - Int64(held.count)
        let consumed = held.withUnsafeBytes { frame($0, base: base, isFinal: isFinal, into: &batch) }
        if consumed > 0 {
            pending.removeFirst(consumed)
            if openValue != nil { openValue!.rebase(by: consumed) }
        }
    }

    /// Frames and decodes what `buffer` holds; returns how many bytes were used up. The rest
    /// (a partial line, or an open value from `openValue.start`) waits for more bytes. `base` is
    /// the stream offset of the buffer's first byte (for boundaries).
    private mutating func frame(_ buffer: UnsafeRawBufferPointer, base: Int64, isFinal: Bool, into batch: inout EventBatch) -> Int {
        var position = openValue?.start ?? 0
        while position < buffer.count || openValue != nil {
            if var value = openValue {
                guard let end = Self.matchBrackets(buffer, &value) else {
                    openValue = value
                    let size = buffer.count - value.start
                    if !isFinal && size <= Self.maximumValueBytes { return value.start }
                    if endsForNow && size <= Self.maximumValueBytes {
                        openValue = nil
                        return holdIncomplete(line: value.startLine, at: base + Int64(value.start), buffer, into: &batch)
                    }
                    let reason = size > Self.maximumValueBytes
                        ? "record larger than \(Self.maximumValueBytes >> 20) MiB; skipped"
                        : "truncated record: the input ends before the JSON value that starts here does"
                    position = giveUp(on: value, reason: reason, buffer, into: &batch)
                    noteBoundary(at: base + Int64(position), batch)
                    continue
                }
                openValue = nil
                let text = UnsafeRawBufferPointer(rebasing: buffer[value.start..<end])
                do throws(JSONSyntaxError) {
                    try decoder.decodeOrThrow(
                        text, source: source, sourceName: sourceName, line: value.startLine, spansLines: true, into: &batch)
                    nextLine = value.startLine + value.newlines
                    position = end
                } catch {
                    let reason = error.description
                    position = giveUp(on: value, reason: reason, buffer, into: &batch)
                }
                noteBoundary(at: base + Int64(position), batch)
                continue
            }
            if isJSONLines {
                // Fast path: decode the line in place; anything unusual is left to the
                // ordinary path below, which then reports it.
                let rest = UnsafeRawBufferPointer(rebasing: buffer[position...])
                do throws(JSONSyntaxError) {
                    position += try decoder.decodeLeadingLine(rest, source: source, sourceName: sourceName, line: nextLine, into: &batch)
                    nextLine += 1
                    noteBoundary(at: base + Int64(position), batch)
                    continue
                } catch {}
            }
            let newline: Int
            if let found = Self.newlineOffset(in: buffer, from: position) {
                newline = found
            } else if isFinal {
                newline = buffer.count
            } else {
                return position
            }
            // A UTF-8 byte order mark (Windows tools write one) starts the source, not a record.
            let lineStart = base + Int64(position) == 0 && Self.startsWithByteOrderMark(buffer, at: position, end: newline)
                ? position + 3 : position
            let line = UnsafeRawBufferPointer(rebasing: buffer[lineStart..<newline])
            guard let first = Self.firstNonWhitespace(line) else {
                position = newline + 1
                nextLine += 1
                continue
            }
            do throws(JSONSyntaxError) {
                try decoder.decodeOrThrow(line, source: source, sourceName: sourceName, line: nextLine, spansLines: false, into: &batch)
                isJSONLines = true
            } catch {
                if endsForNow, newline == buffer.count {
                    return holdIncomplete(line: nextLine, at: base + Int64(position), buffer, into: &batch)
                }
                if error.isTruncation, !isJSONLines, first == 0x7B || first == 0x5B {
                    // Perhaps a value spread over lines: follow it from its first byte.
                    let start = lineStart + (line.firstIndex(of: first) ?? 0)
                    openValue = OpenValue(startLine: nextLine, start: start, scanned: start)
                    position = start
                    continue
                }
                batch.report(InputProblem(source: sourceName, line: nextLine, reason: error.description, severity: .malformed))
            }
            position = newline + 1
            nextLine += 1
            noteBoundary(at: base + Int64(min(position, buffer.count)), batch)
        }
        return min(position, buffer.count)
    }

    /// `frame` of a chunk that starts at `fedOffset`, in pieces on two threads at once when the
    /// source is JSON lines and the chunk is large. The chunk is cut after the first newline past
    /// each quarter (`piecesPerChunk`); this thread frames the pieces from the front, one after
    /// the other as `frame` would the whole chunk, while a helper on another thread takes them
    /// from the back (`ChunkPieces`), decoding each with a reader of its own (`PieceReader`) as
    /// this reader would read it there: JSON lines, nothing held, lines counted from 1, the
    /// vaults' resource ids as at the chunk's start. Whoever is free takes the next piece, so this
    /// thread never waits for a helper that has not started (its core busy with the detector or
    /// another process), only for the pieces the helper took; in two fixed halves the front
    /// waited for the back ~30% of a run. Then the helper's pieces' events, problems and
    /// boundaries follow this thread's in order, their lines moved on by the lines before them.
    /// Returns what `frame` would: the bytes used up (the last piece's partial last line waits).
    ///
    /// One decoder's state shows in its events: a vault's resource id is the one its first
    /// record wrote (`RecordDecoder.resourceIDByVault`). The helper's pieces start from this
    /// decoder's as at the chunk's start; piece by piece in order, a vault first written in an
    /// earlier piece keeps that spelling in a later piece's events, and one first written in a
    /// helper's piece is learned from it.
    private mutating func frameInPieces(
        _ buffer: UnsafeRawBufferPointer, into batch: inout EventBatch, helperRunsAtLowerPriority: Bool
    ) -> Int {
        let base = fedOffset
        guard isJSONLines, openValue == nil, buffer.count >= Self.parallelChunkBytes else {
            return frame(buffer, base: base, isFinal: false, into: &batch)
        }
        var starts = [0]
        for piece in 1..<Self.piecesPerChunk {
            let from = max(buffer.count * piece / Self.piecesPerChunk, starts[starts.count - 1])
            guard let cut = Self.newlineOffset(in: buffer, from: from), cut + 1 < buffer.count else { break }
            if cut + 1 > starts[starts.count - 1] { starts.append(cut + 1) }
        }
        guard starts.count > 1 else { return frame(buffer, base: base, isFinal: false, into: &batch) }
        let helper = pieceReader ?? PieceReader(
            reader: SourceReader(sourceName: sourceName, symbols: decoder.symbols, notesBoundaries: notesBoundaries))
        pieceReader = helper
        let pieces = ChunkPieces(buffer: buffer, starts: starts, base: base, resourceIDByVault: decoder.resourceIDByVault)
        pieces.startHelper(with: helper, runsAtLowerPriority: helperRunsAtLowerPriority)
        // This thread's pieces, from the front: framed in place, as the whole chunk would be.
        var used = 0
        var taken = 0
        while let index = pieces.claimFromTheFront() {
            // Below a dashboard, each piece waits while a frame is drawn (`FrameGate`).
            if helperRunsAtLowerPriority { FrameGate.dashboard.passThrough() }
            taken += 1
            // Every piece but the last ends with a newline, so `frame` uses it all up (a
            // JSON-lines source never holds a value open); should one not, what follows it is not
            // framed here (the rest waits, as after `frame`).
            guard used == starts[index] else { continue }
            used = starts[index] + frame(
                UnsafeRawBufferPointer(rebasing: buffer[starts[index]..<pieces.end(of: index)]), base: base + Int64(starts[index]),
                isFinal: false, into: &batch)
        }
        pieces.waitForTheHelper(afterTaking: taken)
        // The helper's pieces, in order, each after the one before it if that was used up.
        for index in taken..<starts.count where used == starts[index] {
            var piece = pieces.take(index)
            let lineShift = nextLine - 1
            let known = decoder.resourceIDByVault
            let learned = piece.resourceIDByVault
            for slot in learned.indices where !learned[slot].isNone {
                if slot < known.count, !known[slot].isNone {
                    guard known[slot] != learned[slot] else { continue }
                    for event in piece.batch.events.indices
                    where piece.batch.events[event].vault.rawValue == UInt32(slot) && piece.batch.events[event].resourceID == learned[slot] {
                        piece.batch.events[event].resourceID = known[slot]
                    }
                } else {
                    decoder.learnResourceID(learned[slot], forVaultSlot: slot)
                }
            }
            if lineShift != 0 {
                for event in piece.batch.events.indices {
                    piece.batch.events[event].location.line = UInt32(clamping: Int(piece.batch.events[event].location.line) + lineShift)
                }
                for problem in piece.batch.problems.indices where piece.batch.problems[problem].line > 0 {
                    piece.batch.problems[problem].line += lineShift
                }
            }
            let eventBase = batch.events.count
            let problemBase = batch.problems.count
            batch.append(contentsOf: piece.batch)
            for var boundary in piece.boundaries {
                boundary.eventEnd += eventBase
                boundary.problemEnd += problemBase
                boundary.line += lineShift
                // As `noteBoundary`: a record text that added nothing moves the last boundary on.
                if let last = boundaries.last, last.eventEnd == boundary.eventEnd, last.problemEnd == boundary.problemEnd {
                    boundaries[boundaries.count - 1].offset = boundary.offset
                    boundaries[boundaries.count - 1].line = boundary.line
                } else {
                    boundaries.append(boundary)
                }
            }
            nextLine = lineShift + piece.nextLine
            used = starts[index] + piece.consumed
        }
        return used
    }

    /// The reader of the pieces of chunks the helper takes (`frameInPieces`), kept from chunk to
    /// chunk so its decoder's caches stay warm.
    final class PieceReader: @unchecked Sendable {
        /// Where the helper runs: a serial queue of its own, targeting an overcommitting global
        /// queue, so it gets a thread even while the caller's (often one of the cooperative
        /// pool's) is busy.
        static let queue = DispatchQueue(label: "vaultwatch.decode-pieces")

        private var reader: SourceReader

        init(reader: SourceReader) {
            self.reader = reader
        }

        /// Decodes `bytes` (whole lines of a JSON-lines source but perhaps the last) at stream
        /// offset `offset`, from line 1, with the vaults' resource ids `resourceIDByVault`.
        func decode(_ bytes: UnsafeRawBufferPointer, offset: Int64, resourceIDByVault: [Symbol]) -> ChunkPieces.Decoded {
            reader.isJSONLines = true
            reader.nextLine = 1
            reader.fedOffset = offset
            reader.decoder.resourceIDByVault = resourceIDByVault
            var decoded = ChunkPieces.Decoded()
            decoded.batch.events.reserveCapacity(bytes.count / 512)  // as `LaneReadAhead.run`'s batch
            decoded.consumed = reader.frame(bytes, base: offset, isFinal: false, into: &decoded.batch)
            decoded.boundaries = reader.takeBoundaries()
            decoded.nextLine = reader.nextLine
            decoded.resourceIDByVault = reader.decoder.resourceIDByVault
            return decoded
        }
    }

    /// The pieces of one chunk (`frameInPieces`), taken one at a time by two threads: the
    /// caller's from the front, a helper's from the back, until they meet.
    final class ChunkPieces: @unchecked Sendable {
        /// What a piece decoded to, its lines counted from 1 and its boundaries from its batch.
        struct Decoded {
            var batch = EventBatch()
            var boundaries: [RecordBoundary] = []
            var consumed = 0
            var nextLine = 1
            var resourceIDByVault: [Symbol] = []
        }

        private let buffer: UnsafeRawBufferPointer
        /// Where each piece starts in `buffer`.
        let starts: [Int]
        private let base: Int64
        private let resourceIDByVault: [Symbol]
        /// The next piece from the front and from the back: none is left once they cross.
        private let next: Mutex<(front: Int, back: Int)>
        /// The result of each piece the helper took.
        private let decoded: UnsafeMutableBufferPointer<Decoded>
        /// Signalled once for each piece the helper has decoded.
        private let helperDecoded = DispatchSemaphore(value: 0)

        init(buffer: UnsafeRawBufferPointer, starts: [Int], base: Int64, resourceIDByVault: [Symbol]) {
            self.buffer = buffer
            self.starts = starts
            self.base = base
            self.resourceIDByVault = resourceIDByVault
            next = Mutex((front: 0, back: starts.count - 1))
            decoded = .allocate(capacity: starts.count)
            decoded.initialize(repeating: Decoded())
        }

        deinit {
            decoded.deinitialize()
            decoded.deallocate()
        }

        /// Where piece `index` ends in `buffer`.
        func end(of index: Int) -> Int { index + 1 < starts.count ? starts[index + 1] : buffer.count }

        private func claim(fromTheFront: Bool) -> Int? {
            next.withLock { next in
                guard next.front <= next.back else { return nil }
                if fromTheFront {
                    next.front += 1
                    return next.front - 1
                }
                next.back -= 1
                return next.back + 1
            }
        }

        private func decode(_ index: Int, with reader: PieceReader) {
            decoded[index] = reader.decode(
                UnsafeRawBufferPointer(rebasing: buffer[starts[index]..<end(of: index)]), offset: base + Int64(starts[index]),
                resourceIDByVault: resourceIDByVault)
        }

        /// Starts the helper on `PieceReader.queue`: it takes pieces from the back while any are
        /// left. One that starts after the caller took them all takes none (and touches nothing of
        /// the chunk's bytes, which may be gone by then). Its thread settles its priority
        /// first (`ThreadPriority`; below the dashboard's when `runsAtLowerPriority`).
        func startHelper(with reader: PieceReader, runsAtLowerPriority: Bool) {
            PieceReader.queue.async { [self] in
                ThreadPriority.settleCurrentThread(belowDashboard: runsAtLowerPriority)
                while let index = claim(fromTheFront: false) {
                    // Below a dashboard, each piece waits while a frame is drawn (`FrameGate`).
                    if runsAtLowerPriority { FrameGate.dashboard.passThrough() }
                    decode(index, with: reader)
                    helperDecoded.signal()
                }
            }
        }

        /// The next piece from the front, nil once none is left.
        func claimFromTheFront() -> Int? { claim(fromTheFront: true) }

        /// Waits until the helper has decoded every piece the caller did not take (`taken` of
        /// them, the first piece with them): all are decoded when it returns.
        func waitForTheHelper(afterTaking taken: Int) {
            for _ in taken..<starts.count { helperDecoded.wait() }
        }

        /// Piece `index`'s result, as the helper decoded it (once, after `waitForTheHelper`).
        func take(_ index: Int) -> Decoded {
            defer { decoded[index] = Decoded() }
            return decoded[index]
        }
    }

    /// Reports the last record of an input that ended for now (`finishForNow`) as incomplete,
    /// with a boundary at its start (`offset`): reading resumes there. Uses up the buffer.
    private mutating func holdIncomplete(line: Int, at offset: Int64, _ buffer: UnsafeRawBufferPointer, into batch: inout EventBatch) -> Int {
        batch.report(InputProblem(
            source: sourceName, line: line,
            reason: "incomplete last record: the input ends inside it (a writer stopped mid-line?); not read past, a later read takes it once complete",
            severity: .malformed))
        noteBoundary(at: offset, batch)
        return buffer.count
    }

    /// Reports a value followed across lines as malformed at its first line and resumes
    /// framing, as JSON lines, on the line after it. Returns the position to resume at.
    private mutating func giveUp(on value: OpenValue, reason: String, _ buffer: UnsafeRawBufferPointer, into batch: inout EventBatch) -> Int {
        openValue = nil
        isJSONLines = true
        batch.report(InputProblem(source: sourceName, line: value.startLine, reason: reason, severity: .malformed))
        nextLine = value.startLine + 1
        var index = value.start
        while index < buffer.count, buffer[index] != 0x0A { index += 1 }
        return min(index + 1, buffer.count)
    }

    /// Continues matching brackets of an open value; returns the offset just past its close,
    /// or nil when the buffer ends first (the scan state is kept for the next call).
    private static func matchBrackets(_ buffer: UnsafeRawBufferPointer, _ value: inout OpenValue) -> Int? {
        var index = value.scanned
        defer { value.scanned = index }
        while index < buffer.count {
            let byte = buffer[index]
            index += 1
            if value.inString {
                if value.escaped {
                    value.escaped = false
                } else if byte == 0x5C {
                    value.escaped = true
                } else if byte == 0x22 {
                    value.inString = false
                } else if byte == 0x0A {
                    // A raw newline cannot be inside a JSON string: this is not one value.
                    value.newlines += 1
                    return index
                }
                continue
            }
            switch byte {
            case 0x22: value.inString = true
            case 0x7B, 0x5B: value.depth += 1
            case 0x7D, 0x5D:
                value.depth -= 1
                if value.depth == 0 { return index }
            case 0x0A: value.newlines += 1
            default: break
            }
        }
        return nil
    }

    /// The offset of the first newline at or after `start` (`memchr`: vectorised).
    private static func newlineOffset(in buffer: UnsafeRawBufferPointer, from start: Int) -> Int? {
        guard start < buffer.count, let base = buffer.baseAddress,
              let found = memchr(base + start, 0x0A, buffer.count - start) else { return nil }
        return UnsafeRawPointer(found) - base
    }

    private static func startsWithByteOrderMark(_ buffer: UnsafeRawBufferPointer, at start: Int, end: Int) -> Bool {
        end - start >= 3 && buffer[start] == 0xEF && buffer[start + 1] == 0xBB && buffer[start + 2] == 0xBF
    }

    private static func firstNonWhitespace(_ line: UnsafeRawBufferPointer) -> UInt8? {
        for byte in line where byte != 0x20 && byte != 0x09 && byte != 0x0D {
            return byte
        }
        return nil
    }
}
