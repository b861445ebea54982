/// Dictionaries keyed by symbols hash them with a multiply-xorshift mix of the number and the
/// dictionary's seed instead of SipHash.
///
/// Swift's `Hasher` is SipHash, a keyed hash meant for keys an adversary picks; seeding and
/// finalising it for each of the baselines' look-ups (several per event: the vault, the
/// vault–principal pair, its open hour) cost about 3% of a `detect` run. Symbols are numbers
/// the interner hands out in order of first sight, never chosen by a record's writer, and a
/// good integer mix spreads dense numbers over the buckets; the seed still differs per
/// dictionary and per process, as with SipHash. `_rawHashValue(seed:)` is the hook the
/// standard library's `Dictionary` and `Set` call; `hash(into:)` stays as it was for other uses.
extension Symbol {
    public func _rawHashValue(seed: Int) -> Int {
        SymbolHashing.mix(UInt64(rawValue), seed: seed)
    }
}

extension SymbolPair {
    func _rawHashValue(seed: Int) -> Int {
        SymbolHashing.mix(raw, seed: seed)
    }
}

/// The baselines' other keys of symbols, looked up for an event's application and network
/// range whenever its pair has not checked them that day (SipHash's seeding and finalising were
/// ~2% of the detector's time).
extension SymbolTriple {
    func _rawHashValue(seed: Int) -> Int { SymbolHashing.mix(pair.raw, third, seed: seed) }
}

extension RangeKey {
    func _rawHashValue(seed: Int) -> Int { SymbolHashing.mix(range, owner, seed: seed) }
}

enum SymbolHashing {
    /// A 64-bit mix (the finaliser of SplitMix64) of `value` and `seed`.
    @inline(__always)
    static func mix(_ value: UInt64, seed: Int) -> Int {
        var mixed = value ^ UInt64(UInt(bitPattern: seed))
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int(truncatingIfNeeded: mixed ^ (mixed >> 31))
    }

    /// The mix of a word and a symbol: the symbol's number spread by an odd multiplier before it
    /// is folded into the word, so that keys differing in either part rarely share a value.
    @inline(__always)
    static func mix(_ word: UInt64, _ symbol: Symbol, seed: Int) -> Int {
        mix(word ^ (UInt64(symbol.rawValue) &* 0x9E37_79B9_7F4A_7C15), seed: seed)
    }
}
