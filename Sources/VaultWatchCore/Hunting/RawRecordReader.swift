#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds the original bytes of events that were read from a file: `hunt --format raw` prints
/// the records exactly as the log holds them.
///
/// Nothing is kept while reading: events are compact and carry only `file:line`. After the
/// hunt, the file is mapped (not read into memory) and, for each matching event, the JSON value
/// that starts on its line is found by bracket matching; a record that shares its line with
/// others (a `{"records": […]}` envelope, an array of rows) is told apart by decoding each one
/// and comparing it with the event. A record longer than `maximumRecordBytes` is not returned,
/// so one huge line cannot exhaust memory.
/// - Important: stdin cannot be read twice; its events have no raw record.
public struct RawRecordReader: Sendable {
    public let symbols: SymbolTable
    public let maximumRecordBytes: Int

    public init(symbols: SymbolTable, maximumRecordBytes: Int = 1 << 20) {
        self.symbols = symbols
        self.maximumRecordBytes = maximumRecordBytes
    }

    /// The record text of each event (all read from `path`), in the order given; nil where the
    /// record is no longer there (the file changed) or is too long.
    public func records(for events: [AuditEvent], path: String) -> [[UInt8]?] {
        guard !events.isEmpty else { return [] }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return events.map { _ in nil } }
        defer { _ = close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_size > 0 else { return events.map { _ in nil } }
        let size = Int(status.st_size)
        guard let mapping = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), mapping != MAP_FAILED else {
            return events.map { _ in nil }
        }
        defer { _ = munmap(mapping, size) }
        let bytes = UnsafeRawBufferPointer(start: mapping, count: size)
        let lineStarts = Self.lineStarts(Set(events.map { Int($0.location.line) }), in: bytes)
        var decoder = RecordDecoder(symbols: symbols)
        return events.map { event in
            guard let start = lineStarts[Int(event.location.line)] else { return nil }
            return record(of: event, lineStart: start, in: bytes, path: path, decoder: &decoder)
        }
    }

    /// The byte offset where each wanted line (from 1) starts.
    static func lineStarts(_ wanted: Set<Int>, in bytes: UnsafeRawBufferPointer) -> [Int: Int] {
        guard let last = wanted.max(), let base = bytes.baseAddress else { return [:] }
        var starts: [Int: Int] = [:]
        var line = 1
        var offset = 0
        while line <= last, offset <= bytes.count {
            if wanted.contains(line) { starts[line] = offset }
            guard offset < bytes.count,
                  let newline = memchr(base + offset, 0x0A, bytes.count - offset) else { break }
            offset = UnsafeRawPointer(newline) - base + 1
            line += 1
        }
        return starts
    }

    /// The record text of `event` among the values that start at `lineStart` (the record, or
    /// the element of an envelope or row array that decodes to it); `RecordFinder` shares it.
    func record(
        of event: AuditEvent, lineStart: Int, in bytes: UnsafeRawBufferPointer, path: String, decoder: inout RecordDecoder
    ) -> [UInt8]? {
        record(lineStart: lineStart, in: bytes, source: event.location.source, path: path, line: Int(event.location.line), decoder: &decoder) { decoded in
            var decoded = decoded
            decoded.location = event.location
            return decoded == event
        }
    }

    /// The record text starting at `lineStart` for which `matches` holds on its decoded event.
    func record(
        lineStart: Int, in bytes: UnsafeRawBufferPointer, source: Symbol, path: String, line: Int, decoder: inout RecordDecoder,
        matches: (AuditEvent) -> Bool
    ) -> [UInt8]? {
        // The first object on the line: a record, or an envelope or row array holding it.
        var start = lineStart
        while start < bytes.count, bytes[start] != UInt8(ascii: "{") {
            guard [0x20, 0x09, 0x0D, UInt8(ascii: "["), UInt8(ascii: ",")].contains(bytes[start]) else { return nil }
            start += 1
        }
        guard let end = valueEnd(from: start, in: bytes) else { return nil }
        let text = UnsafeRawBufferPointer(rebasing: bytes[start..<end])
        if isRecord(text, source: source, path: path, line: line, decoder: &decoder, matches: matches) { return Array(text) }
        // An envelope: the element of its `records` array that is this event.
        var scanner = JSONScanner(text)
        do throws(JSONSyntaxError) {
            try scanner.expect(UInt8(ascii: "{"))
            if try scanner.consumeClose(UInt8(ascii: "}")) { return nil }
            repeat {
                let key = try scanner.scanString()
                try scanner.expect(UInt8(ascii: ":"))
                let isRecords = key.count == 7 && !key.hasEscapes
                    && String(decoding: UnsafeRawBufferPointer(rebasing: text[key.start..<key.end]), as: UTF8.self) == "records"
                guard isRecords, try scanner.peek() == UInt8(ascii: "[") else {
                    try scanner.skipValue()
                    continue
                }
                scanner.position += 1
                if try scanner.consumeClose(UInt8(ascii: "]")) { continue }
                repeat {
                    _ = try scanner.peek()
                    let elementStart = scanner.position
                    try scanner.skipValue()
                    let element = UnsafeRawBufferPointer(rebasing: text[elementStart..<scanner.position])
                    if isRecord(element, source: source, path: path, line: line, decoder: &decoder, matches: matches) { return Array(element) }
                } while try scanner.continueContainer(close: UInt8(ascii: "]"))
            } while try scanner.continueContainer(close: UInt8(ascii: "}"))
        } catch {
            return nil
        }
        return nil
    }

    /// The end of the JSON value starting at `start`, if it is valid and not too long.
    private func valueEnd(from start: Int, in bytes: UnsafeRawBufferPointer) -> Int? {
        let limit = min(bytes.count, start + maximumRecordBytes + 1)
        var scanner = JSONScanner(UnsafeRawBufferPointer(rebasing: bytes[..<limit]), position: start)
        do throws(JSONSyntaxError) {
            try scanner.skipValue()
        } catch {
            return nil
        }
        return scanner.position
    }

    /// Whether `text` decodes to exactly one event for which `matches` holds.
    private func isRecord(
        _ text: UnsafeRawBufferPointer, source: Symbol, path: String, line: Int, decoder: inout RecordDecoder,
        matches: (AuditEvent) -> Bool
    ) -> Bool {
        var batch = EventBatch()
        do throws(JSONSyntaxError) {
            try decoder.decodeOrThrow(text, source: source, sourceName: path, line: line, spansLines: false, into: &batch)
        } catch {
            return false
        }
        guard batch.events.count == 1, let decoded = batch.events.first else { return false }
        return matches(decoded)
    }
}
