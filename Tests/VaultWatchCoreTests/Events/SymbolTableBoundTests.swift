import Testing
import VaultWatchCore
import VaultWatchTestSupport

/// Millions of distinct object names or user agents (a hostile or broken writer) must not grow
/// the symbol table without bound: they are interned transiently, the last N of them held.
struct SymbolTableBoundTests {
    @Test func transientStringsAreBoundedAndAForgottenSymbolNamesNothing() {
        let symbols = SymbolTable(transientCapacity: 1_000)
        let vault = symbols.intern("kv-payments")
        let first = symbols.internTransient("secret-0")
        #expect(symbols.internTransient("secret-0") == first)
        #expect(symbols.internTransient("kv-payments") == vault, "a permanent string keeps its permanent symbol")
        var last = first
        for index in 1..<200_000 { last = symbols.internTransient("secret-\(index)") }
        #expect(symbols.transientCount == 1_000)
        #expect(symbols.count == 1)
        #expect(symbols.string(last) == "secret-199999")
        #expect(symbols.isLive(last))
        #expect(symbols.string(first) == nil)
        #expect(!symbols.isLive(first))
        #expect(symbols.isLive(vault) && symbols.string(vault) == "kv-payments")
        // Seen again, a forgotten name gets a new symbol, never the old one.
        let again = symbols.internTransient("secret-0")
        #expect(again != first && symbols.string(again) == "secret-0")
    }

    @Test func decodingHundredsOfThousandsOfDistinctObjectNamesAndUserAgentsKeepsTheTableBounded() {
        let symbols = SymbolTable(transientCapacity: 4_096)
        var reader = SourceReader(sourceName: "flood.jsonl", symbols: symbols)
        var batch = EventBatch()
        var decoded = 0
        for block in 0..<20 {
            var text = ""
            for index in 0..<10_000 {
                let number = block * 10_000 + index
                text += RecordBuilder(objectName: "s\(number)", clientInfo: "agent/\(number)").jsonLine()
            }
            Array(text.utf8).withUnsafeBytes { reader.consume($0, into: &batch) }
            decoded += batch.events.count
            // Names resolve while their events are fresh.
            if let event = batch.events.last { #expect(symbols.string(event.objectName) == "s\(block * 10_000 + 9_999)") }
            batch = EventBatch()
        }
        #expect(decoded == 200_000)
        #expect(symbols.transientCount <= 4_096)
        #expect(symbols.count < 100, "permanent symbols: \(symbols.count)")
    }
}
