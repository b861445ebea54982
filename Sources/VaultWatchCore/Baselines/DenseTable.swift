/// A key of a `DenseTable`: interned symbols, whose numbers are its hash (small dense numbers
/// the detector made, not input an attacker chooses).
protocol DenseTableKey: Equatable {
    /// The key's bits, hashed by a multiplication.
    var denseBits: UInt64 { get }
}

extension Symbol: DenseTableKey {
    var denseBits: UInt64 { UInt64(rawValue) }
}

extension SymbolPair: DenseTableKey {
    var denseBits: UInt64 { raw }
}

/// Every vault–principal pair's baseline (some 200,000 at DESIGN §7's memory budget scale).
typealias PairBaselines = DenseTable<SymbolPair, PairBaseline>

/// Every principal's baseline across vaults (100,000 at the budget's scale).
typealias PrincipalBaselines = DenseTable<Symbol, PrincipalBaseline>

/// The baselines' big tables (the pairs, the principals), keyed by symbols, stored densely.
///
/// Why not a `Dictionary`: a dictionary keeps its keys and values in slots that are between
/// 37.5% and 75% full, so each entry costs 1.3 to 2.7 times its size; at the budget's scale the
/// pairs sat in 524,288 slots, 38% full, some 54 MB, and the principals in 262,144, 38% full,
/// some 13 MB. Here the entries are in one array, in insertion order, grown by half when full
/// (each entry costs 1 to 1.5 times its size), and a separate open-addressing index of 4-byte
/// positions finds them. The index's key hash is a multiplication (`DenseTableKey`), cheaper
/// than `Hasher` on the detector's per-event look-up.
///
/// Positions (`index(forKey:)`) stay valid until the next `insert` or `removeAll(where:)`.
/// Iteration is in insertion order, the order the saved state lists the entries in.
/// - Important: a value type owned by one `BehaviourBaseline`; not thread-safe.
struct DenseTable<Key: DenseTableKey, Value>: Sequence {
    struct Entry {
        let key: Key
        var value: Value
    }

    /// The entries, in insertion order (kept in that order when some are forgotten).
    private var entries: [Entry] = []
    /// Open addressing with linear probing: 0 is an empty slot, else the entry's position + 1.
    /// A power of two long, at most three-quarters full.
    private var slots: [UInt32] = []
    /// 64 minus log2(`slots.count`): the multiplied key's top bits are its home slot.
    private var shift: UInt64 = 64

    init() {}

    /// Room for `capacity` entries: a restored state's, allocated once at its size.
    init(capacity: Int) {
        entries.reserveCapacity(capacity)
        rebuildIndex(minimumCount: capacity)
    }

    var count: Int { entries.count }
    var isEmpty: Bool { entries.isEmpty }

    /// The bytes the table holds allocated: its entries' array (at its capacity) and its index.
    var allocatedBytes: Int { entries.capacity * MemoryLayout<Entry>.stride + slots.count * MemoryLayout<UInt32>.stride }

    /// The position of the entry of `key`, or nil.
    /// - Complexity: O(1) on average (one multiplication, a probe or two).
    func index(forKey key: Key) -> Int? {
        guard !slots.isEmpty else { return nil }
        let mask = slots.count - 1
        var slot = homeSlot(of: key)
        while true {
            let stored = slots[slot]
            if stored == 0 { return nil }
            let position = Int(stored) - 1
            if entries[position].key == key { return position }
            slot = (slot + 1) & mask
        }
    }

    /// The value at `position` (from `index(forKey:)` or `insert`), read or changed in place.
    subscript(at position: Int) -> Value {
        // Read in place: a copy retained the value's arrays (a pair's burst days) and released them.
        _read { yield entries[position].value }
        _modify { yield &entries[position].value }
    }

    /// The value of `key`, or nil.
    subscript(key: Key) -> Value? {
        index(forKey: key).map { entries[$0].value }
    }

    /// Adds the value of `key`, which must not be there yet; returns its position.
    /// - Complexity: amortised O(1).
    @discardableResult
    mutating func insert(_ value: Value, forKey key: Key) -> Int {
        precondition(index(forKey: key) == nil, "key \(key) inserted twice")
        if (entries.count + 1) * 4 > slots.count * 3 { rebuildIndex(minimumCount: entries.count + 1) }
        if entries.count == entries.capacity {
            // By half, not doubled as `append` would: a doubled array is up to half empty, the
            // waste this type exists to avoid.
            entries.reserveCapacity(entries.count + Swift.max(16, entries.count / 2))
        }
        let position = entries.count
        entries.append(Entry(key: key, value: value))
        place(position)
        return position
    }

    /// Removes the entries `shouldRemove` picks (called once for each entry, in order); the
    /// others keep their order.
    /// - Complexity: O(count), the index rebuilt.
    mutating func removeAll(where shouldRemove: (Key, Value) throws -> Bool) rethrows {
        var kept = 0
        for position in entries.indices {
            if try shouldRemove(entries[position].key, entries[position].value) { continue }
            if kept != position { entries.swapAt(kept, position) }
            kept += 1
        }
        guard kept < entries.count else { return }
        entries.removeSubrange(kept...)
        // Shrunk when mostly empty, as a filtered dictionary was: a tenant that lost half its
        // entries does not keep their memory.
        if entries.capacity > 64, entries.count < entries.capacity / 2 {
            var smaller: [Entry] = []
            smaller.reserveCapacity(entries.count + entries.count / 4)
            smaller.append(contentsOf: entries)
            entries = smaller
        }
        rebuildIndex(minimumCount: entries.count)
    }

    struct Iterator: IteratorProtocol {
        fileprivate var entries: IndexingIterator<[Entry]>

        mutating func next() -> (key: Key, value: Value)? {
            entries.next().map { (key: $0.key, value: $0.value) }
        }
    }

    func makeIterator() -> Iterator { Iterator(entries: entries.makeIterator()) }

    // MARK: - The index

    private func homeSlot(of key: Key) -> Int {
        // Fibonacci hashing: the top bits of the key times 2^64 / φ.
        Int(truncatingIfNeeded: (key.denseBits &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// Puts the entry at `position` in the first empty slot from its key's home slot.
    private mutating func place(_ position: Int) {
        let mask = slots.count - 1
        var slot = homeSlot(of: entries[position].key)
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = UInt32(position + 1)
    }

    /// A new index for at least `minimumCount` entries, at most three-quarters full.
    private mutating func rebuildIndex(minimumCount: Int) {
        var bits: UInt64 = 4
        while (1 << bits) * 3 < minimumCount * 4 { bits += 1 }
        shift = 64 - bits
        slots = [UInt32](repeating: 0, count: 1 << bits)
        for position in entries.indices { place(position) }
    }
}

extension DenseTable: Sendable where Key: Sendable, Value: Sendable {}
extension DenseTable.Entry: Sendable where Key: Sendable, Value: Sendable {}
