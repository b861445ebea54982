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
/// - Important: thread-safe (the index is behind a lock).
public final class RecordFinder: Sendable {
    public let symbols: SymbolTable
    private let reader: RawRecordReader
    private let indexes = Mutex<[String: LineIndex]>([:])

    /// Lines between two indexed offsets.
    static let indexStride = 1024
    /// Files whose index is kept; beyond it the indexes start again.
    static let indexedFileLimit = 512

    private struct LineIndex {
        var device: UInt64
        var inode: UInt64
        /// `starts[k]`: the offset of line `k × indexStride + 1`.
        var starts: [Int] = [0]
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
        guard line > 0 else { return nil }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { _ = close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_size > 0 else { return nil }
        let size = Int(status.st_size)
        guard let mapping = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), mapping != MAP_FAILED else { return nil }
        defer { _ = munmap(mapping, size) }
        let bytes = UnsafeRawBufferPointer(start: mapping, count: size)
        let identity = (UInt64(status.st_dev), UInt64(status.st_ino))
        for attempt in 0..<2 {
            guard let start = lineStart(line, path: path, identity: identity, in: bytes, rebuild: attempt > 0) else { return nil }
            var decoder = RecordDecoder(symbols: symbols)
            if let text = reader.record(lineStart: start, in: bytes, source: source, path: path, line: line, decoder: &decoder, matches: matches) {
                return Self.kept(text)
            }
        }
        return nil
    }

    /// The offset where `line` starts, from the file's index (extended as far as needed).
    private func lineStart(_ line: Int, path: String, identity: (UInt64, UInt64), in bytes: UnsafeRawBufferPointer, rebuild: Bool) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        /// The offset after the next newline from `offset`, nil at the end of the file.
        func nextLine(after offset: Int) -> Int? {
            guard offset < bytes.count, let newline = memchr(base + offset, 0x0A, bytes.count - offset) else { return nil }
            return UnsafeRawPointer(newline) - base + 1
        }
        return indexes.withLock { indexes in
            var index = indexes[path] ?? LineIndex(device: identity.0, inode: identity.1)
            if rebuild || index.device != identity.0 || index.inode != identity.1 {
                index = LineIndex(device: identity.0, inode: identity.1)
            }
            while index.starts.count > 1, index.starts[index.starts.count - 1] > bytes.count { index.starts.removeLast() }
            defer {
                if indexes[path] == nil, indexes.count >= Self.indexedFileLimit { indexes.removeAll() }
                indexes[path] = index
            }
            let mark = (line - 1) / Self.indexStride
            while index.starts.count <= mark {
                var offset = index.starts[index.starts.count - 1]
                for _ in 0..<Self.indexStride {
                    guard let next = nextLine(after: offset) else { return nil }
                    offset = next
                }
                index.starts.append(offset)
            }
            var offset = index.starts[mark]
            for _ in 0..<((line - 1) % Self.indexStride) {
                guard let next = nextLine(after: offset) else { return nil }
                offset = next
            }
            return offset < bytes.count ? offset : nil
        }
    }
}
