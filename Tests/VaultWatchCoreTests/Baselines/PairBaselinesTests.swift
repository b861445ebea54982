import Testing
@testable import VaultWatchCore

/// The baselines' dense table (`DenseTable`), as the pairs (`PairBaselines`) and the principals
/// (`PrincipalBaselines`) use it: what a dictionary did (find, add, forget), in the memory the
/// table exists to save.
@Suite("Pair baselines table")
struct PairBaselinesTests {
    /// Keys as the detector makes them: interned vault and principal numbers, small and dense,
    /// many principals on one vault and one principal on many.
    static func key(_ index: Int) -> SymbolPair {
        SymbolPair(Symbol(rawValue: UInt32(1 + index % 37)), Symbol(rawValue: UInt32(1_000 + index / 3)))
    }

    static func pair(_ index: Int) -> PairBaseline {
        var pair = PairBaseline()
        pair.lastReachedHour = Int32(index)
        pair.isUser = index % 2 == 0
        return pair
    }

    @Test("every pair added is found at its position, with its own values; a pair never added is not")
    func findsWhatWasAdded() {
        var table = PairBaselines()
        var positions: [Int] = []
        for index in 0..<50_000 { positions.append(table.insert(Self.pair(index), forKey: Self.key(index))) }
        #expect(table.count == 50_000)
        for index in 0..<50_000 {
            let position = table.index(forKey: Self.key(index))
            #expect(position == positions[index])
            if position != positions[index] { return }
            #expect(table[at: positions[index]].lastReachedHour == Int32(index))
        }
        #expect(table.index(forKey: Self.key(50_000)) == nil)
        #expect(table[SymbolPair(Symbol(rawValue: 999), Symbol(rawValue: 1_000))] == nil)
        // Changed in place through its position.
        table[at: positions[7]].lastDeniedHour = 42
        #expect(table[Self.key(7)]?.lastDeniedHour == 42)
    }

    @Test("forgetting keeps the other pairs in order and findable, asks once about each pair, and frees the room")
    func removesAndStaysFindable() {
        var table = PairBaselines()
        for index in 0..<20_000 { table.insert(Self.pair(index), forKey: Self.key(index)) }
        var asked = 0
        table.removeAll { _, pair in
            asked += 1
            return pair.lastReachedHour % 10 != 0
        }
        #expect(asked == 20_000)
        #expect(table.count == 2_000)
        #expect(Array(table.map(\.value.lastReachedHour)) == Array(stride(from: Int32(0), to: 20_000, by: 10)))
        for index in 0..<20_000 {
            let found = table[Self.key(index)]
            #expect((found != nil) == (index % 10 == 0))
            if (found != nil) != (index % 10 == 0) { return }
        }
        #expect(table.allocatedBytes < 2_000 * 2 * MemoryLayout<PairBaselines.Entry>.stride)
        // Added to again after forgetting.
        let position = table.insert(Self.pair(1), forKey: Self.key(1))
        #expect(table.index(forKey: Self.key(1)) == position)
    }

    @Test("at the memory budget's scale a pair costs at most half again its entry, plus its index")
    func memoryPerPair() {
        // 140,000 pairs: a doubled array would be 262,144 entries long there, 87% more than it holds.
        var table = PairBaselines()
        let count = 140_000
        for index in 0..<count { table.insert(Self.pair(index), forKey: Self.key(index)) }
        let entry = MemoryLayout<PairBaselines.Entry>.stride
        #expect(entry <= 104)
        let perPair = Double(table.allocatedBytes) / Double(count)
        #expect(perPair <= Double(entry) * 1.5 + 4 / 0.375, "\(perPair) bytes a pair")
    }

    @Test("the principals, by symbol: found and forgotten as in a dictionary, at most half again their entry apiece plus the index")
    func principalsTable() {
        // DESIGN §7's budget run holds 100,000 principals: a dictionary kept them in 262,144 slots.
        var table = PrincipalBaselines()
        let count = 100_000
        for index in 0..<count {
            var principal = PrincipalBaseline(firstSeen: EventTime(ticks: Int64(index)))
            principal.lastSeenHour = Int32(index % 100)
            table.insert(principal, forKey: Symbol(rawValue: UInt32(10 + index)))
        }
        let entry = MemoryLayout<PrincipalBaselines.Entry>.stride
        let perPrincipal = Double(table.allocatedBytes) / Double(count)
        #expect(perPrincipal <= Double(entry) * 1.5 + 4 / 0.375, "\(perPrincipal) bytes a principal, entry \(entry)")
        #expect(table.index(forKey: Symbol(rawValue: 9)) == nil)
        table.removeAll { _, principal in principal.lastSeenHour < 50 }
        #expect(table.count == count / 2)
        for index in stride(from: 0, to: count, by: 97) {
            let found = table[Symbol(rawValue: UInt32(10 + index))]
            #expect(found?.firstSeen == (index % 100 >= 50 ? EventTime(ticks: Int64(index)) : nil))
        }
    }
}
