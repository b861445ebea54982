/// Remembers, for each position of each kind of object (as `KeyOrderPredictor` counts them), the
/// bytes of the last value the decoder skipped there and the delimiter after it, and recognises
/// the same bytes at the same position of the next object.
///
/// Most of a record's skipped values are the same in every record of a source (`"resultType":
/// "Success"`, `"tlsVersion":"TLS1_2"`, `"secretProperties":{"attributes":{"enabled":true}}`,
/// a tenant id), and skipping a value still means scanning and validating it. Bytes that were
/// validated once as a whole value, followed by the same delimiter, are the same valid value
/// again: `JSONScanner.skipValue` looks at nothing but the value's bytes and the byte after it
/// (a number ends at the first byte that is not part of it), so it would accept them and stop
/// at the same place. So a match skips the value without scanning it, and anything else
/// (another value, another delimiter, the end of the buffer) goes the ordinary way.
///
/// Values holding a byte below 0x20 (a newline, a tab between tokens) are not remembered: a
/// newline ends a JSON-lines record (`JSONScanner.stopsAtNewline`), so its meaning depends on how
/// the text is framed.
struct SkippedValuePredictor {
    /// Longest value remembered, with its delimiter (a tenant id in quotes is 38 bytes).
    static let slotSize = 64
    static let maximumOrdinal = KeyOrderPredictor.maximumOrdinal
    private static let contextCount = 5

    /// Each slot, `slotStride` bytes: the value's length with its delimiter at offset 0 (0 when
    /// nothing is remembered), its bytes from `valueOffset`: one table read through one
    /// pointer, as `KeyOrderPredictor`'s.
    private var table = [UInt8](repeating: 0, count: contextCount * maximumOrdinal * slotStride)
    private static let valueOffset = 8
    private static let slotStride = valueOffset + slotSize

    @inline(__always)
    private static func slotOffset(_ context: KeyContext, _ ordinal: Int) -> Int {
        (Int(context.rawValue) &* maximumOrdinal &+ ordinal) &* slotStride
    }

    /// The length of the value at `start` (delimiter not included) when the bytes there are the
    /// value remembered for this position and its delimiter; nil otherwise.
    @inline(__always)
    func match(_ context: KeyContext, ordinal: Int, _ bytes: UnsafeRawBufferPointer, at start: Int) -> Int? {
        guard ordinal >= 0, ordinal < Self.maximumOrdinal, start >= 0, let text = bytes.baseAddress else { return nil }
        return table.withUnsafeBytes { remembered -> Int? in
            guard let base = remembered.baseAddress else { return nil }
            let slot = base + Self.slotOffset(context, ordinal)
            let length = Int(slot.load(as: UInt8.self))
            guard length > 0, length <= bytes.count &- start,
                ByteComparison.equal(text + start, slot + Self.valueOffset, count: length)
            else { return nil }
            return length &- 1
        }
    }

    /// Remembers the value `skipValue` accepted in `bytes[start..<end]` with the delimiter at
    /// `end`, when that is a member's `,` or `}`, the whole fits a slot and it holds no byte
    /// below 0x20.
    mutating func learn(_ context: KeyContext, ordinal: Int, _ bytes: UnsafeRawBufferPointer, start: Int, end: Int) {
        guard ordinal >= 0, ordinal < Self.maximumOrdinal, start >= 0, end < bytes.count, bytes[end] == 0x2C || bytes[end] == 0x7D else { return }
        let length = end - start + 1
        guard length <= Self.slotSize else { return }
        // A string that starts at `start` ends right before the delimiter and holds no byte below
        // 0x20 (`scanString` refuses them): only other values need the check.
        if bytes[start] != 0x22 {
            for index in start..<end where bytes[index] < 0x20 { return }
        }
        let slot = Self.slotOffset(context, ordinal)
        table.withUnsafeMutableBytes { remembered in
            guard let base = remembered.baseAddress, let source = bytes.baseAddress else { return }
            (base + slot).storeBytes(of: UInt8(length), as: UInt8.self)
            (base + slot + Self.valueOffset).copyMemory(from: source + start, byteCount: length)
        }
    }
}
