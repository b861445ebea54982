import CVaultWatchBytes

/// Equality of two short runs of bytes, for the decoder's hot paths: a remembered key or value
/// against the record buffer (`MemberPredictor`) and an interned
/// string against the bytes looked up (`ByteInterner`).
///
/// The runs are keys, GUIDs, names and user agents (most under 64 bytes): a call to `memcmp`
/// costs more than comparing them here, and a word at a time with checked arithmetic cost
/// the decoder a tenth of its time (`readKey`, docs/performance.md). Sixteen bytes at a time in
/// one vector register (`CVaultWatchBytes`: `pcmpeqb` and `pmovmskb`), the last block
/// overlapping the one before it instead of a byte loop.
enum ByteComparison {
    /// Whether the `count` bytes at `left` and at `right` are the same.
    @inline(__always)
    static func equal(_ left: UnsafeRawPointer, _ right: UnsafeRawPointer, count: Int) -> Bool {
        if count >= 16 {
            var offset = 0
            while offset &+ 16 < count {
                if !equal16(left + offset, right + offset) { return false }
                offset &+= 16
            }
            return equal16(left + (count &- 16), right + (count &- 16))
        }
        if count >= 8 {
            let first = left.loadUnaligned(as: UInt64.self) ^ right.loadUnaligned(as: UInt64.self)
            let last = left.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
                ^ right.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
            return first | last == 0
        }
        if count >= 4 {
            let first = left.loadUnaligned(as: UInt32.self) ^ right.loadUnaligned(as: UInt32.self)
            let last = left.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)
                ^ right.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)
            return first | last == 0
        }
        var offset = 0
        while offset < count {
            if left.load(fromByteOffset: offset, as: UInt8.self) != right.load(fromByteOffset: offset, as: UInt8.self) {
                return false
            }
            offset &+= 1
        }
        return true
    }

    /// Whether `count` bytes of `bytes` from `start` equal those at `right`; false when `bytes`
    /// holds fewer.
    @inline(__always)
    static func equal(_ bytes: UnsafeRawBufferPointer, at start: Int, _ right: UnsafeRawPointer, count: Int) -> Bool {
        guard let base = bytes.baseAddress, start >= 0, count <= bytes.count &- start else { return false }
        return equal(base + start, right, count: count)
    }

    @inline(__always)
    private static func equal16(_ left: UnsafeRawPointer, _ right: UnsafeRawPointer) -> Bool {
        vw_difference_mask(left, right) == 0
    }
}
