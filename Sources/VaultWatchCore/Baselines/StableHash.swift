/// A 64-bit hash that is the same in every process (Swift's `Hasher` is seeded per process, and
/// buckets and digests outlive it): FNV-1a over the bytes, then MurmurHash3's finaliser so that
/// the bits spread.
struct StableHash {
    private(set) var state: UInt64

    init() {
        state = 0xcbf2_9ce4_8422_2325
    }

    mutating func combine(byte: UInt8) {
        state = (state ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
    }

    /// Contiguous bytes (a native string's UTF-8, an array) are read through a pointer: through
    /// `String.UTF8View`'s iterator each byte cost about twenty instructions (the object
    /// fingerprints of every closed hour, `ObjectFingerprint.hash(of:)`), three times the hash.
    mutating func combine(bytes: some Sequence<UInt8>) {
        let read: Void? = bytes.withContiguousStorageIfAvailable { buffer in combine(buffer: buffer) }
        if read == nil {
            for byte in bytes { combine(byte: byte) }
        }
    }

    /// The same FNV-1a steps as `combine(byte:)`, byte after byte, with the state in a register.
    mutating func combine(buffer: UnsafeBufferPointer<UInt8>) {
        var value = state
        for byte in buffer { value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        state = value
    }

    /// A name and its end: "ab","c" and "a","bc" hash apart.
    mutating func combine(name: String?) {
        if let name { combine(bytes: name.utf8) }
        combine(byte: 0xFF)  // never in UTF-8
    }

    mutating func combine(word value: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { combine(byte: UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    var finalized: UInt64 {
        var value = state
        value ^= value >> 33
        value &*= 0xff51_afd7_ed55_8ccd
        value ^= value >> 33
        value &*= 0xc4ce_b9fe_1a85_ec53
        value ^= value >> 33
        return value
    }

    static func digest(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var hash = StableHash()
        hash.combine(bytes: bytes)
        return hash.finalized
    }
}
