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

    /// A multiply-mix hash over eight bytes at a time: keys are GUIDs, names and addresses,
    /// and a byte-serial hash would cost more than the rest of the lookup.
    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        let multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15
        var hash = UInt64(truncatingIfNeeded: bytes.count) &* multiplier
        var index = 0
        while index + 8 <= bytes.count {
            let word = bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            hash = (hash ^ word) &* multiplier
            hash ^= hash >> 29
            index += 8
        }
        if index < bytes.count {
            var tail: UInt64 = 0
            if bytes.count >= 8 {
                // The last eight bytes, overlapping the words already mixed: one load instead
                // of a byte loop (most keys are GUIDs, 36 bytes: four bytes past the last word).
                tail = bytes.loadUnaligned(fromByteOffset: bytes.count - 8, as: UInt64.self)
            } else {
                var shift: UInt64 = 0
                while index < bytes.count {
                    tail |= UInt64(bytes[index]) << shift
                    shift += 8
                    index += 1
                }
            }
            hash = (hash ^ tail) &* multiplier
            hash ^= hash >> 29
        }
        return UInt32(truncatingIfNeeded: hash ^ (hash >> 32))
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

    /// Compares eight bytes at a time (the strings are short: a call to `memcmp` costs more).
    @inline(__always)
    private func equals(_ index: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
        let length = Int(lengths[index])
        guard length == bytes.count else { return false }
        let start = Int(starts[index])
        return arena.withUnsafeBytes { arenaBytes in
            var offset = 0
            while offset + 8 <= length {
                if arenaBytes.loadUnaligned(fromByteOffset: start + offset, as: UInt64.self)
                    != bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self) { return false }
                offset += 8
            }
            if offset < length, length >= 8 {
                // The last eight bytes, overlapping what was compared.
                return arenaBytes.loadUnaligned(fromByteOffset: start + length - 8, as: UInt64.self)
                    == bytes.loadUnaligned(fromByteOffset: length - 8, as: UInt64.self)
            }
            while offset < length {
                if arenaBytes[start + offset] != bytes[offset] { return false }
                offset += 1
            }
            return true
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
