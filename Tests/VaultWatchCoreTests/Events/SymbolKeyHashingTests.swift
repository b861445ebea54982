import Testing
@testable import VaultWatchCore

/// The baselines' keys of symbols are hashed with `SymbolHashing.mix` rather than SipHash
/// (`Symbol+Hashing.swift`). Symbols are small dense numbers, and the keys of one baseline
/// often differ in one part only (one principal's applications, one vault's ranges): every part
/// must reach the hash, equal keys must hash alike, and the values must spread over a table's
/// buckets, or the dictionaries would degrade into long probe runs.
struct SymbolKeyHashingTests {
    static let seed = 0x5EED

    /// Keys differing in one part only give distinct hashes, whichever part it is, and fill
    /// nearly every bucket of a table of a quarter as many buckets as keys.
    static func checkSpread(_ hashes: [Int], _ what: String) {
        #expect(Set(hashes).count == hashes.count, "\(what): \(hashes.count - Set(hashes).count) hashes shared")
        let buckets = hashes.count / 4
        let filled = Set(hashes.map { Int(UInt(bitPattern: $0) % UInt(buckets)) }).count
        #expect(filled > buckets * 9 / 10, "\(what): \(filled) of \(buckets) buckets filled")
    }

    @Test func everyPartOfATripleReachesItsHash() {
        let pair = SymbolPair(Symbol(rawValue: 7), Symbol(rawValue: 9))
        Self.checkSpread((1...2048).map { SymbolTriple(pair: pair, third: Symbol(rawValue: UInt32($0)))._rawHashValue(seed: Self.seed) }, "third")
        Self.checkSpread(
            (1...2048).map {
                SymbolTriple(pair: SymbolPair(Symbol(rawValue: 7), Symbol(rawValue: UInt32($0))), third: Symbol(rawValue: 3))._rawHashValue(seed: Self.seed)
            }, "pair's second")
        Self.checkSpread(
            (1...2048).map {
                SymbolTriple(pair: SymbolPair(Symbol(rawValue: UInt32($0)), Symbol(rawValue: 9)), third: Symbol(rawValue: 3))._rawHashValue(seed: Self.seed)
            }, "pair's first")
        let triple = SymbolTriple(pair: pair, third: Symbol(rawValue: 11))
        #expect(triple._rawHashValue(seed: Self.seed) == SymbolTriple(pair: pair, third: Symbol(rawValue: 11))._rawHashValue(seed: Self.seed))
    }

    @Test func everyPartOfARangeKeyReachesItsHash() {
        let owner = Symbol(rawValue: 5)
        Self.checkSpread(
            (1...2048).map { RangeKey(owner: owner, range: RangeKey.range(of: IPAddress(ipv4: 0x0A00_0000 | UInt32($0) << 8)))._rawHashValue(seed: Self.seed) },
            "IPv4 range")
        Self.checkSpread(
            (1...2048).map { RangeKey(owner: owner, range: RangeKey.range(of: IPAddress(high: UInt64($0) << 16, low: 0)))._rawHashValue(seed: Self.seed) },
            "IPv6 range")
        let range = RangeKey.range(of: IPAddress(ipv4: 0x0A01_0200))
        Self.checkSpread((1...2048).map { RangeKey(owner: Symbol(rawValue: UInt32($0)), range: range)._rawHashValue(seed: Self.seed) }, "owner")
        #expect(RangeKey(owner: owner, range: range)._rawHashValue(seed: Self.seed) == RangeKey(owner: owner, range: range)._rawHashValue(seed: Self.seed))
    }

    /// The dictionaries keyed by them still find every key (`==` decides; the hash only places).
    @Test func dictionariesKeyedByThemFindEveryKey() {
        var triples: [SymbolTriple: Int] = [:]
        var ranges: [RangeKey: Int] = [:]
        for index in 0..<3000 {
            let symbol = Symbol(rawValue: UInt32(index % 50 + 1))
            triples[SymbolTriple(pair: SymbolPair(symbol, Symbol(rawValue: UInt32(index / 50 + 1))), third: symbol)] = index
            ranges[RangeKey(owner: symbol, range: UInt64(index / 50))] = index
        }
        #expect(triples.count == 3000 && ranges.count == 3000)
        for index in 0..<3000 {
            let symbol = Symbol(rawValue: UInt32(index % 50 + 1))
            #expect(triples[SymbolTriple(pair: SymbolPair(symbol, Symbol(rawValue: UInt32(index / 50 + 1))), third: symbol)] == index)
            #expect(ranges[RangeKey(owner: symbol, range: UInt64(index / 50))] == index)
        }
    }
}
