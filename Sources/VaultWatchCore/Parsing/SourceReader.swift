/// Frames and decodes the bytes of one source (a file, a blob, stdin) into events.
///
/// Feed it the source's bytes in chunks of any size, in order; it finds record boundaries
/// (JSON lines, envelopes spread over lines, top-level arrays), holds a partial last record
/// until the rest arrives, and decodes each record. Line numbers count from 1 at the start
/// of the source (and again after `restart()`).
/// - Important: one reader per source; not thread-safe.
public struct SourceReader {
    public let sourceName: String

    public init(sourceName: String, symbols: SymbolTable) {
        self.sourceName = sourceName
        fatalError("in progress")
    }

    /// Reads `bytes`, appending complete records' events and problems to `batch`.
    public mutating func consume(_ bytes: UnsafeRawBufferPointer, into batch: inout EventBatch) {}

    /// The source has ended (end of a finished file, or the file was rotated away): a held
    /// final record without its newline is decoded if complete, else reported as truncated.
    public mutating func finish(into batch: inout EventBatch) {}

    /// The source was truncated or replaced: drop anything held and count lines from 1 again.
    public mutating func restart() {}

    /// Bytes held while waiting for the rest of a record.
    public var heldByteCount: Int { 0 }
}
