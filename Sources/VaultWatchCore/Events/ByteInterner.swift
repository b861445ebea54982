/// An open-addressing hash set of byte strings, each given a dense index in insertion order.
///
/// The bytes live in one arena, so interning a string that is already known allocates
/// nothing: the decoder can look up a field straight from the read buffer.
/// - Complexity: lookup and insert are O(length) expected.
/// - Important: not thread-safe; `SymbolTable` wraps it in a lock.
struct ByteInterner {
    private var arena: [UInt8] = []
    private var starts: [UInt32] = []
    private var lengths: [UInt32] = []
    private var hashes: [UInt32] = []
    /// Each slot packs the hash (high 32 bits) with index + 1 (low 32 bits); 0 is empty. With
    /// the hash in the slot, a probe rejects other strings without touching their bytes.
    private var slots: [UInt64] = Array(repeating: 0, count: 64)

    var count: Int { starts.count }

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

    /// The index of `bytes`, if interned.
    @inline(__always)
    func index(of bytes: UnsafeRawBufferPointer, hash: UInt32) -> Int? {
        let mask = slots.count - 1
        var slot = Int(hash) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { return nil }
            if UInt32(truncatingIfNeeded: entry >> 32) == hash {
                let index = Int(UInt32(truncatingIfNeeded: entry)) - 1
                if equals(index, bytes) { return index }
            }
            slot = (slot + 1) & mask
        }
    }

    /// The index of `bytes`, interning them first when new.
    mutating func intern(_ bytes: UnsafeRawBufferPointer) -> (index: Int, isNew: Bool) {
        let hash = Self.hash(bytes)
        if let index = index(of: bytes, hash: hash) { return (index, false) }
        if (starts.count + 1) * 4 > slots.count * 3 { grow() }
        let index = starts.count
        starts.append(UInt32(arena.count))
        lengths.append(UInt32(bytes.count))
        hashes.append(hash)
        arena.append(contentsOf: bytes)
        insertSlot(index: index, hash: hash)
        return (index, true)
    }

    func bytes(at index: Int) -> ArraySlice<UInt8> {
        let start = Int(starts[index])
        return arena[start..<(start + Int(lengths[index]))]
    }

    @inline(__always)
    private func equals(_ index: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
        let length = Int(lengths[index])
        guard length == bytes.count else { return false }
        guard length > 0 else { return true }
        let start = Int(starts[index])
        return arena.withUnsafeBytes { arenaBytes in
            guard let arenaBase = arenaBytes.baseAddress else { return false }
            return ByteComparison.equal(bytes, at: 0, arenaBase + start, count: length)
        }
    }

    private mutating func insertSlot(index: Int, hash: UInt32) {
        let mask = slots.count - 1
        var slot = Int(hash) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = UInt64(hash) << 32 | UInt64(index + 1)
    }

    private mutating func grow() {
        slots = Array(repeating: 0, count: slots.count * 2)
        for index in 0..<starts.count { insertSlot(index: index, hash: hashes[index]) }
    }
}
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
