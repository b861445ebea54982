import VaultWatchCore

/// The benchmarks' one decode loop: `log` through a `SourceReader` in 1 MiB pieces, as the
/// ingestor reads a file, each piece's batch handed to `body`, then the batch of the held tail
/// (`finish`). Every benchmark that decodes the same bytes decodes them this way, so their
/// figures stay comparable.
enum ChunkedDecode {
    static let chunkSize = 1 << 20

    /// - Parameter inParallel: each chunk in pieces on two threads at once, as `detect`'s
    ///   read-ahead decodes a file (`SourceReader.consume(_:into:inParallel:)`).
    /// - Returns: how many events were decoded.
    @discardableResult
    static func decode(
        _ log: [UInt8], sourceName: String = "bench.jsonl", symbols: SymbolTable = SymbolTable(), inParallel: Bool = false,
        _ body: (EventBatch) -> Void = { _ in }
    ) -> Int {
        var reader = SourceReader(sourceName: sourceName, symbols: symbols)
        var total = 0
        log.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                var batch = EventBatch()
                batch.events.reserveCapacity(8192)
                let end = min(buffer.count, offset + chunkSize)
                reader.consume(UnsafeRawBufferPointer(rebasing: buffer[offset..<end]), into: &batch, inParallel: inParallel)
                total += batch.events.count
                body(batch)
                offset = end
            }
        }
        var last = EventBatch()
        reader.finish(into: &last)
        total += last.events.count
        body(last)
        return total
    }
}
