/// An open-addressing hash set of byte strings, each given a dense index in insertion order.
///
/// The bytes live in one arena, so interning a string that is already known allocates
/// nothing: the decoder can look up a field straight from the read buffer.
/// - Complexity: lookup and insert are O(length) expected.
/// - Important: not thread-safe; `SymbolTable` wraps it in a lock.
struct ByteInterner {
    /// Where each string's bytes are in `arena`, and its hash (for growing the slots).
    private struct Entry {
        var start: UInt32
        var length: UInt32
        var hash: UInt32
    }

    private var arena: [UInt8] = []
    /// One entry per string, by index: one array read through one pointer on a look-up's hit
    /// (three arrays, each bounds-checked, cost a third of `intern` on the decoder's path).
    private var entries: [Entry] = []
    /// Each slot packs the hash (high 32 bits) with index + 1 (low 32 bits); 0 is empty. With
    /// the hash in the slot, a probe rejects other strings without touching their bytes.
    private var slots: [UInt64] = Array(repeating: 0, count: 64)

    var count: Int { entries.count }

    /// A multiply-mix hash over sixteen bytes at a time (one 64×64→128-bit product folds two
    /// words, as wyhash does): keys are GUIDs, names, addresses and user agents, and a
    /// byte-serial hash, or a word-serial one, would cost more than the rest of the lookup.
    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        let first: UInt64 = 0xA076_1D64_78BD_642F
        let second: UInt64 = 0xE703_7ED1_A0B4_28DB
        let count = bytes.count
        var hash = UInt64(truncatingIfNeeded: count) ^ first
        if count >= 8 {
            var index = 0
            while index + 16 < count {
                hash = mix(
                    bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self) ^ second,
                    bytes.loadUnaligned(fromByteOffset: index + 8, as: UInt64.self) ^ hash)
                index += 16
            }
            // The last sixteen bytes (eight to fifteen: the first and last eight), overlapping
            // what was mixed: two loads instead of a byte loop (a GUID is 36 bytes).
            hash = mix(
                bytes.loadUnaligned(fromByteOffset: max(0, count - 16), as: UInt64.self) ^ second,
                bytes.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self) ^ hash)
        } else {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            for index in 0..<count {
                tail |= UInt64(bytes[index]) << shift
                shift += 8
            }
            hash = mix(tail ^ second, hash)
        }
        hash = mix(hash ^ first, UInt64(truncatingIfNeeded: count) ^ second)
        return UInt32(truncatingIfNeeded: hash ^ (hash >> 32))
    }

    /// The two halves of the full product, folded.
    @inline(__always)
    private static func mix(_ left: UInt64, _ right: UInt64) -> UInt64 {
        let (high, low) = left.multipliedFullWidth(by: right)
        return high ^ low
    }

    /// The index of `bytes`, if interned. The slots, entries and arena are read through their
    /// buffers' pointers: a slot index is masked into the table, an entry's index was stored by
    /// `insertSlot` for an entry that exists, and an entry's bytes lie inside the arena.
    @inline(__always)
    func index(of bytes: UnsafeRawBufferPointer, hash: UInt32) -> Int? {
        slots.withUnsafeBufferPointer { slotTable -> Int? in
            entries.withUnsafeBufferPointer { entryTable -> Int? in
                arena.withUnsafeBytes { arenaBytes -> Int? in
                    guard let slotBase = slotTable.baseAddress, let entryBase = entryTable.baseAddress else { return nil }
                    let mask = slotTable.count &- 1
                    let count = bytes.count
                    var slot = Int(hash) & mask
                    while true {
                        let packed = slotBase[slot]
                        if packed == 0 { return nil }
                        if UInt32(truncatingIfNeeded: packed &>> 32) == hash {
                            let index = Int(UInt32(truncatingIfNeeded: packed)) &- 1
                            let entry = entryBase[index]
                            if Int(entry.length) == count {
                                guard count > 0 else { return index }
                                if let text = bytes.baseAddress, let arenaBase = arenaBytes.baseAddress,
                                    ByteComparison.equal(text, arenaBase + Int(entry.start), count: count) {
                                    return index
                                }
                            }
                        }
                        slot = (slot &+ 1) & mask
                    }
                }
            }
        }
    }

    /// The index of `bytes`, interning them first when new.
    mutating func intern(_ bytes: UnsafeRawBufferPointer) -> (index: Int, isNew: Bool) {
        let hash = Self.hash(bytes)
        if let index = index(of: bytes, hash: hash) { return (index, false) }
        if (entries.count + 1) * 4 > slots.count * 3 { grow() }
        let index = entries.count
        entries.append(Entry(start: UInt32(arena.count), length: UInt32(bytes.count), hash: hash))
        arena.append(contentsOf: bytes)
        insertSlot(index: index, hash: hash)
        return (index, true)
    }

    func bytes(at index: Int) -> ArraySlice<UInt8> {
        let entry = entries[index]
        let start = Int(entry.start)
        return arena[start..<(start + Int(entry.length))]
    }

    private mutating func insertSlot(index: Int, hash: UInt32) {
        let mask = slots.count - 1
        var slot = Int(hash) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = UInt64(hash) << 32 | UInt64(index + 1)
    }

    private mutating func grow() {
        slots = Array(repeating: 0, count: slots.count * 2)
        for index in 0..<entries.count { insertSlot(index: index, hash: entries[index].hash) }
    }
}
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
