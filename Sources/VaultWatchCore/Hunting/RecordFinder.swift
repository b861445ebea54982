#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Finds the original record of one event in the file it was read from, while the file is
/// still there: the evidence of an alert when it is raised (kept with the alert, in memory and
/// in the state file), and an event an analyst opens on an entity's page.
///
/// Events are compact and carry only `file:line`; nothing is held while reading. A lookup maps
/// the file (no copy), finds the line through a sparse index of line offsets (one every
/// `indexStride` lines, built as lookups go further and kept per file, so a lookup costs at
/// most `indexStride` lines of scanning however large the file), and takes the record that
/// starts there and decodes to the event (`RawRecordReader`: the element of an envelope or a
/// row array is told apart by decoding). A record that does not decode to the event (the file
/// was truncated and rewritten, rotated away and replaced) is not returned: the index is
/// rebuilt once, then the answer is nil. Stdin has no file to read again.
///
/// The reader of a file tells the finder where lines start as it reads (`noteLineStarts`, a
/// mark every `indexStride` lines of its records, which the `Ingestor` knows from its checkpoints): a lookup counts lines from
/// the nearest such mark before its line instead of from the file's first line, so the first
/// evidence of a run far into a file does not scan the whole file before it (issue 11: ~7 ms of
/// the demo tenant's 0.1 s `detect --state`). A mark is a hint: a record found from one that
/// does not decode to the event is looked up again from the start, without the marks.
///
/// The last files looked up stay mapped (`mappedFileLimit`), each for as long as its device,
/// inode and size are those it was mapped with (checked with one `stat` a lookup): mapping a
/// file, faulting its pages in and unmapping it again for every record cost some 200 µs a
/// record, most of what `detect --state` added to a short run (issue 11).
/// - Important: thread-safe (the indexes and mappings are behind a lock; a mapping in use stays
///   mapped until its lookup is done).
public final class RecordFinder: Sendable {
    public let symbols: SymbolTable
    private let reader: RawRecordReader
    private let files = Mutex<Files>(Files())
    /// Decoders that lookups have finished with, for the next lookups: making a decoder zeroes
    /// its member predictor's tables (`MemberPredictor`), some 130,000 instructions, more than the
    /// rest of a lookup (callgrind, `detect --state` on an existing file, the demo tenant: 7.8
    /// million of the 45 million instructions the state file added, for 59 lookups; issue 11).
    /// A decoder only learns how records are written, as each of the reader's does over a whole
    /// input, so one kept is as good as a new one.
    private let decoders = Mutex(DecoderShelf())

    /// Lines between two indexed offsets.
    static let indexStride = 64
    /// Decoders kept between lookups: as many as there are lookups at once (the detector's, the
    /// dashboard's).
    static let keptDecoderLimit = 4
    /// Files whose index is kept; beyond it the indexes start again.
    static let indexedFileLimit = 512
    /// Files kept mapped between lookups; beyond it the least recently used is unmapped.
    static let mappedFileLimit = 8

    private struct LineIndex {
        var device: UInt64
        var inode: UInt64
        /// `starts[k]`: the offset of line `k × indexStride + 1`, for the blocks of lines found
        /// so far (counting from the start, or from a noted line start).
        var starts: [Int: Int] = [0: 0]
    }

    /// A line start a file's reader noted (`noteLineStart`).
    private struct LineMark {
        var line: Int
        var offset: Int
    }

    private struct Files {
        var indexes: [String: LineIndex] = [:]
        var mappings: [String: Mapping] = [:]
        /// Line starts noted by each file's reader, in line order, at least `indexStride` lines
        /// apart (so they take no more room than the index).
        var marks: [String: [LineMark]] = [:]
        /// Lookups so far, to tell the least recently used mapping.
        var lookups: UInt64 = 0
        /// Lines counted by lookups so far (tests: a noted line start spares the lines before it).
        var linesCounted = 0
        /// Blocks of the index looked at by lookups so far (tests: a mark spares the blocks before it).
        var indexBlocksLookedAt = 0
    }

    /// A file mapped read-only: unmapped when the last reference goes. The memory is never
    /// written, so lookups on several threads may read it at once, and `lastUsed` is changed
    /// only under the finder's lock (hence `@unchecked`).
    private final class Mapping: @unchecked Sendable {
        let bytes: UnsafeRawBufferPointer
        let device: UInt64
        let inode: UInt64
        var lastUsed: UInt64 = 0

        init?(path: String) {
            let descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { return nil }
            defer { _ = close(descriptor) }
            var status = stat()
            guard fstat(descriptor, &status) == 0, status.st_size > 0 else { return nil }
            let size = Int(status.st_size)
            guard let mapping = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), mapping != MAP_FAILED else { return nil }
            bytes = UnsafeRawBufferPointer(start: mapping, count: size)
            device = UInt64(status.st_dev)
            inode = UInt64(status.st_ino)
        }

        deinit {
            if let base = bytes.baseAddress { _ = munmap(UnsafeMutableRawPointer(mutating: base), bytes.count) }
        }
    }

    /// The decoders kept for the next lookups, and how many were made (tests).
    private struct DecoderShelf: ~Copyable {
        var kept: [RecordDecoder] = []
        var made = 0
    }

    /// Records looked up so far (tests: evidence that is not kept reads no record).
    var lookupCount: UInt64 { files.withLock { $0.lookups } }
    /// Decoders made for lookups so far (tests: lookups one after another share one).
    var decodersMade: Int { decoders.withLock { $0.made } }
    /// Lines counted to find records so far (tests).
    var linesCounted: Int { files.withLock { $0.linesCounted } }
    /// Blocks of the index looked at to find records so far (tests).
    var indexBlocksLookedAt: Int { files.withLock { $0.indexBlocksLookedAt } }

    /// Notes that line `line` of the file at `path` starts at byte `offset` (or that `offset` is
    /// on line `line`, inside it): said by the file's reader as it reads, so that a lookup of a
    /// later line counts lines from here. A mark fewer than `indexStride` lines after the last
    /// one is not kept; a mark before it (the file was truncated and read again) starts the
    /// file's marks again.
    /// - Important: thread-safe.
    public func noteLineStart(path: String, line: Int, offset: Int64) {
        noteLineStarts(path: path, [(line, offset)])
    }

    /// `noteLineStart` for each of `starts`, in order, under one lock: a reader's chunk notes a
    /// start every `indexStride` lines of its records, so that a lookup counts fewer than that
    /// many lines from the nearest (from the chunk's start, some 1,000 lines of the demo tenant's
    /// file a lookup, each a page fault or more of the mapping: 0.9 ms of a 0.05 s `detect --state`).
    /// - Important: thread-safe.
    public func noteLineStarts(path: String, _ starts: [(line: Int, offset: Int64)]) {
        guard !starts.isEmpty else { return }
        files.withLock { files in
            if files.marks[path] == nil, files.marks.count >= Self.indexedFileLimit { files.marks.removeAll() }
            for (line, offset) in starts where line > 0 && offset >= 0 {
                let mark = LineMark(line: line, offset: Int(offset))
                guard let last = files.marks[path]?.last else {
                    files.marks[path] = [mark]
                    continue
                }
                if line < last.line || (line == last.line && mark.offset != last.offset) {
                    files.marks[path] = [mark]
                } else if line - last.line >= Self.indexStride {
                    files.marks[path]?.append(mark)
                }
            }
        }
    }

    public init(symbols: SymbolTable, maximumRecordBytes: Int = 1 << 20) {
        self.symbols = symbols
        self.reader = RawRecordReader(symbols: symbols, maximumRecordBytes: maximumRecordBytes)
    }

    /// The record text of `event`, cut to `AlertEvidence.recordLimit` bytes; nil when it cannot
    /// be read again.
    public func record(for event: AuditEvent) -> String? {
        guard let path = symbols.string(event.location.source), path != "-" else { return nil }
        return find(path: path, line: Int(event.location.line), source: event.location.source) { decoded in
            var decoded = decoded
            decoded.location = event.location
            return decoded == event
        }
    }

    /// The record of an event as the screen has it (its strings and `source` as `file:line`):
    /// the record there whose fields read the same.
    public func record(for evidence: AlertEvidence) -> String? {
        guard let source = evidence.source, let colon = source.lastIndex(of: ":"),
              let line = Int(source[source.index(after: colon)...]) else { return nil }
        let path = String(source[..<colon])
        guard path != "-" else { return nil }
        var wanted = evidence
        wanted.source = nil
        wanted.record = nil
        let symbols = self.symbols
        return find(path: path, line: line, source: symbols.intern(path)) { decoded in
            var found = AlertEvidence(event: decoded, symbols: symbols)
            found.source = nil
            return found == wanted
        }
    }

    /// `text` as kept with evidence: whole up to `AlertEvidence.recordLimit` bytes, else cut at
    /// a character boundary, saying how much was left out.
    static func kept(_ text: [UInt8]) -> String {
        guard text.count > AlertEvidence.recordLimit else { return String(decoding: text, as: UTF8.self) }
        var end = AlertEvidence.recordLimit
        while end > 0, text[end] & 0xC0 == 0x80 { end -= 1 }
        return String(decoding: text[..<end], as: UTF8.self) + " … (\(text.count - end) more bytes)"
    }

    private func find(path: String, line: Int, source: Symbol, matches: (AuditEvent) -> Bool) -> String? {
        guard line > 0, let mapping = mapping(of: path) else { return nil }
        // Held to the end: another lookup may evict the mapping meanwhile, and the memory must
        // stay mapped while `bytes` is read (ARC may otherwise release it after its last use).
        return withExtendedLifetime(mapping) { () -> String? in
            let bytes = mapping.bytes
            let identity = (mapping.device, mapping.inode)
            for attempt in 0..<2 {
                guard let start = lineStart(line, path: path, identity: identity, in: bytes, rebuild: attempt > 0) else { return nil }
                var decoder = takeDecoder()
                defer { putBack(decoder) }
                if let text = reader.record(
                    lineStart: start, in: bytes, source: source, path: path, line: line, decoder: &decoder, matches: matches) {
                    return Self.kept(text)
                }
            }
            return nil
        }
    }

    /// A kept decoder, or a new one when every kept one is in use.
    private func takeDecoder() -> RecordDecoder {
        let symbols = self.symbols
        return decoders.withLock { shelf in
            if let decoder = shelf.kept.popLast() { return decoder }
            shelf.made += 1
            return RecordDecoder(symbols: symbols)
        }
    }

    /// Keeps `decoder` for a later lookup, up to `keptDecoderLimit`.
    private func putBack(_ decoder: RecordDecoder) {
        decoders.withLock { shelf in
            if shelf.kept.count < Self.keptDecoderLimit { shelf.kept.append(decoder) }
        }
    }

    /// The file at `path` mapped as it is now: the kept mapping while the file's device, inode
    /// and size are unchanged, else a new one (kept in its place).
    private func mapping(of path: String) -> Mapping? {
        var status = stat()
        guard stat(path, &status) == 0, status.st_size > 0 else { return nil }
        let kept = files.withLock { files -> Mapping? in
            files.lookups += 1
            guard let mapping = files.mappings[path], mapping.device == UInt64(status.st_dev), mapping.inode == UInt64(status.st_ino),
                  mapping.bytes.count == Int(status.st_size) else { return nil }
            mapping.lastUsed = files.lookups
            return mapping
        }
        if let kept { return kept }
        guard let mapping = Mapping(path: path) else { return nil }
        files.withLock { files in
            if files.mappings[path] == nil, files.mappings.count >= Self.mappedFileLimit,
               let oldest = files.mappings.min(by: { $0.value.lastUsed < $1.value.lastUsed })?.key {
                files.mappings[oldest] = nil
            }
            mapping.lastUsed = files.lookups
            files.mappings[path] = mapping
        }
        return mapping
    }

    /// The offset where `line` starts: counted from the nearest line start known before it (a
    /// block of the file's index, or a mark its reader noted, unless `rebuild`), noting in the
    /// index the blocks passed on the way.
    private func lineStart(_ line: Int, path: String, identity: (UInt64, UInt64), in bytes: UnsafeRawBufferPointer, rebuild: Bool) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        /// The offset after the next newline from `offset`, nil at the end of the file.
        func nextLine(after offset: Int) -> Int? {
            guard offset < bytes.count, let newline = memchr(base + offset, 0x0A, bytes.count - offset) else { return nil }
            return UnsafeRawPointer(newline) - base + 1
        }
        return files.withLock { files in
            var index = files.indexes[path] ?? LineIndex(device: identity.0, inode: identity.1)
            if rebuild || index.device != identity.0 || index.inode != identity.1 {
                index = LineIndex(device: identity.0, inode: identity.1)
            }
            // Marks led to a record that does not decode to the event: the file is not the one read.
            if rebuild { files.marks[path] = nil }
            defer {
                if files.indexes[path] == nil, files.indexes.count >= Self.indexedFileLimit { files.indexes.removeAll() }
                files.indexes[path] = index
            }
            // The nearest mark the reader noted before the line, inside the file. Only a mark
            // before the line: its offset may be inside its line (an envelope's element), so at
            // least one newline is counted from it.
            var mark: LineMark?
            if let marks = files.marks[path] {
                var low = 0
                var high = marks.count
                while low < high {
                    let middle = (low + high) / 2
                    if marks[middle].line < line { low = middle + 1 } else { high = middle }
                }
                if low > 0, marks[low - 1].offset < bytes.count { mark = marks[low - 1] }
            }
            // The nearest line start known at or before the line: a block of the index (within
            // the file as it is now), or the mark when it is after the block. The blocks are
            // looked at from the line's down only as far as the mark: a file read with marks has
            // few blocks in its index, and looking at every block down to the first was a look-up
            // for each 64 lines before the record, at every lookup (callgrind: 3.5 million
            // instructions for the demo tenant's 59 lookups; issue 11).
            var block = (line - 1) / Self.indexStride
            var current = 1
            var offset = 0
            while true {
                files.indexBlocksLookedAt += 1
                let blockLine = block * Self.indexStride + 1
                if let mark, mark.line > blockLine {
                    (current, offset) = (mark.line, mark.offset)
                    break
                }
                if let start = index.starts[block] {
                    if start <= bytes.count {
                        (current, offset) = (blockLine, start)
                        break
                    }
                    index.starts[block] = nil  // the file is shorter than when it was counted
                }
                block -= 1
            }
            var counted = 0
            defer { files.linesCounted += counted }
            while current < line {
                guard let next = nextLine(after: offset) else { return nil }
                offset = next
                current += 1
                counted += 1
                if (current - 1) % Self.indexStride == 0 { index.starts[(current - 1) / Self.indexStride] = offset }
            }
            return offset < bytes.count ? offset : nil
        }
    }
}
