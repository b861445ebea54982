/// The value each field had in the last record that had it, with what the decoder made of it
/// (a symbol, an address, an object's kind and name), for `RecordDecoder`.
///
/// Most fields repeat from one record to the next: a caller's run of reads keeps its principal,
/// application, address, user agent and vault, and the operation and result repeat across
/// callers (42% to 99% of each field's values on the demo tenant). Comparing a value with the
/// last one, sixteen bytes at a time (`ByteComparison`), costs less than hashing it and
/// looking it up (`SymbolCache`, `IPAddress.parse`), and a miss costs the comparison, which
/// mostly stops at the first sixteen bytes, and a copy of the value.
///
/// The bytes compared are the value as the record wrote it, before unescaping: the same bytes
/// decode to the same value, so a hit gives what decoding them again would (the caller checks
/// that a transient symbol is still held, as `SymbolCache` does). Values longer than
/// `capacity` bytes are not remembered.
/// - Important: one per decoder; not thread-safe.
struct RepeatedValues<Value> {
    /// The longest value remembered, in bytes (GUIDs, names, addresses, most user agents).
    static var capacity: Int { 256 }

    /// Slot `k`'s last value in `bytes[k × capacity ..< k × capacity + lengths[k]]`.
    private var bytes: [UInt8]
    /// -1 for a slot with no value remembered.
    private var lengths: [Int]
    private var values: [Value?]

    /// - Parameter slots: how many fields are remembered, numbered from 0.
    init(slots: Int) {
        bytes = Array(repeating: 0, count: slots * Self.capacity)
        lengths = Array(repeating: -1, count: slots)
        values = Array(repeating: nil, count: slots)
    }

    /// What `text` decoded to when it was the last value of slot `slot`; nil when it was not.
    @inline(__always)
    func value(_ slot: Int, matching text: UnsafeRawBufferPointer) -> Value? {
        guard lengths[slot] == text.count, let base = text.baseAddress else { return nil }
        let same = bytes.withUnsafeBytes { remembered in
            ByteComparison.equal(base, remembered.baseAddress! + slot * Self.capacity, count: text.count)
        }
        return same ? values[slot] : nil
    }

    /// Remembers that `text`, the last value of slot `slot`, decoded to `value`.
    @inline(__always)
    mutating func remember(_ slot: Int, _ text: UnsafeRawBufferPointer, as value: Value) {
        guard text.count <= Self.capacity else {
            lengths[slot] = -1
            return
        }
        if let base = text.baseAddress {
            bytes.withUnsafeMutableBytes { remembered in
                (remembered.baseAddress! + slot * Self.capacity).copyMemory(from: base, byteCount: text.count)
            }
        }
        lengths[slot] = text.count
        values[slot] = value
    }
}
