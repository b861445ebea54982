import VaultWatchCore

/// Reads demo records through the real decoder, as the ingestor would read a blob.
enum DemoDecoding {
    static func decode(_ records: [DemoRecord], symbols: SymbolTable = SymbolTable()) -> EventBatch {
        var reader = SourceReader(sourceName: "demo", symbols: symbols)
        var batch = EventBatch()
        var bytes: [UInt8] = []
        for record in records {
            bytes.append(contentsOf: record.line)
            bytes.append(0x0A)
        }
        bytes.withUnsafeBytes { reader.consume($0, into: &batch) }
        reader.finish(into: &batch)
        return batch
    }
}
