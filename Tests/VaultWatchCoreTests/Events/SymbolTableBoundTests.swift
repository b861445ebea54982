import Testing
@testable import VaultWatchCore
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

    /// Every run makes a table with room for 2¹⁸ transient strings; most see a few thousand. The
    /// ring is allocated as strings come (filled up front, it was 5 MiB written at each start).
    @Test func theTransientRingGrowsAsStringsComeAndNeverPastItsCapacity() {
        var strings = TransientStrings(capacity: 1 << 18)
        #expect(strings.allocatedSlots == 0)
        for index in 0..<3 { _ = strings.sequence(of: "secret-\(index)") }
        #expect(strings.allocatedSlots < 300, "slots for 3 strings: \(strings.allocatedSlots)")
        #expect(strings.string(2) == "secret-2" && strings.string(3) == nil)

        // Past its capacity it wraps as the eager ring did: the oldest are forgotten.
        var small = TransientStrings(capacity: 1_000)
        for index in 0..<2_500 { #expect(small.sequence(of: "name-\(index)") == UInt32(index)) }
        #expect((1_000..<1_024).contains(small.allocatedSlots), "slots: \(small.allocatedSlots)")
        #expect(small.count == 1_000)
        #expect(small.string(1_499) == nil && small.string(1_500) == "name-1500" && small.string(2_499) == "name-2499")
        #expect(small.string(2_500) == nil)
        #expect(small.sequence(of: "name-2000") == 2_000, "a held string keeps its number")
        #expect(small.sequence(of: "name-0") == 2_500, "a forgotten one gets a new number")
    }

    /// A name held transient keeps its symbol while it is held, even when the same string is
    /// interned permanently meanwhile (a secret named like a vault, principal or application that
    /// turns up later): otherwise one secret would have two symbols, and an hour's distinct
    /// objects (a set of symbols) would count it twice.
    @Test func aNameHeldTransientKeepsItsSymbolWhenTheSameStringIsInternedPermanentlyMeanwhile() {
        let symbols = SymbolTable(transientCapacity: 1_000)
        let secret = symbols.internTransient("kv-billing")
        let vault = symbols.intern("kv-billing")
        #expect(symbols.internTransient("kv-billing") == secret, "held transient: the same symbol")
        #expect(symbols.intern("kv-billing") == vault && vault != secret)
        for index in 0..<1_000 { _ = symbols.internTransient("secret-\(index)") }
        #expect(!symbols.isLive(secret))
        #expect(symbols.internTransient("kv-billing") == vault, "forgotten: the permanent symbol, as for any name first seen permanent")
    }

    /// The same through the decoders: two readers (two lanes, or a chunk's two halves) share the
    /// table, each with its own cache. The first reads a secret named like a vault not yet seen;
    /// the second then reads that vault's first record and the same secret again.
    @Test func twoReadersGiveOneSecretOneSymbolAcrossAVaultOfTheSameNameFirstSeenBetween() {
        let symbols = SymbolTable()
        var first = SourceReader(sourceName: "a.jsonl", symbols: symbols)
        var second = SourceReader(sourceName: "b.jsonl", symbols: symbols)
        var batch = EventBatch()
        let secretRead = RecordBuilder(vault: "kv-payments", objectName: "kv-billing").jsonLine()
        Array(secretRead.utf8).withUnsafeBytes { first.consume($0, into: &batch) }
        let vaultFirstSeen = RecordBuilder(vault: "kv-billing", objectName: "other").jsonLine()
        Array((vaultFirstSeen + secretRead).utf8).withUnsafeBytes { second.consume($0, into: &batch) }
        #expect(batch.events.count == 3)
        guard batch.events.count == 3 else { return }
        #expect(batch.events[1].vault != .none && symbols.string(batch.events[1].vault) == "kv-billing")
        #expect(batch.events[0].objectName == batch.events[2].objectName,
                "one secret, two symbols: \(batch.events[0].objectName) and \(batch.events[2].objectName)")
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
