/// Remembers, for each kind of object (record, identity, claim, properties, access policy),
/// the keys of the last objects read, in order, and checks the next object's keys against them.
///
/// Records from one source are written by one serializer, so their keys come in the same
/// order nearly every time. A predicted key costs one comparison of its bytes, its closing
/// quote and the colon after it (when it came straight after the quote), instead of scanning
/// for the quote, hashing, probing the key table and looking for the colon. A wrong guess
/// costs that comparison and the ordinary path; the guess is then replaced.
///
/// Two keys are remembered per position: one serializer writes a few shapes of one object (an
/// application's claims and a user's, the long claim URIs of older records, `properties` with
/// and without a request URI), and with one key per position every change of shape missed
/// every key after it (17% of claim and properties keys on the demo tenant).
struct KeyOrderPredictor {
    /// Longest key remembered, with its closing quote and colon (the claim URIs are 61 bytes).
    static let slotSize = 64
    /// Keys remembered per object.
    static let maximumOrdinal = 48
    private static let contextCount = 5
    /// Keys remembered per position: the latest first.
    private static let ways = 2

    /// What a guess gave, packed in one integer for the decoder's hot path: 0 when the key at
    /// this position is not the remembered one (or none is remembered); else the remembered
    /// key: `length`, the bytes it spans after the opening quote, closing quote included, and
    /// the colon when the remembered key had it right after the quote (the last byte then is
    /// `:`); `field`, the field it names, nil for a key the decoder skips.
    struct Guess {
        private let packed: Int

        static let miss = Guess(packed: 0)

        private init(packed: Int) { self.packed = packed }

        @inline(__always)
        fileprivate init(length: Int, fieldCode: UInt8) {
            packed = length &<< 8 | Int(fieldCode)
        }

        @inline(__always)
        var isHit: Bool { packed != 0 }
        @inline(__always)
        var length: Int { packed &>> 8 }
        @inline(__always)
        var field: RecordField? { RecordField.withRawValue(UInt8(truncatingIfNeeded: packed)) }
    }

    /// Each slot, `slotStride` bytes: the key's length with its closing quote (and colon) at
    /// offset 0 (0 when nothing is remembered), its field at 1 (`RecordField.rawValue`, or
    /// `unknownKey`), its bytes from `keyOffset`. One table read through one pointer: a guess
    /// is on the path of every key of every record, and separate arrays cost a bounds check
    /// and an overflow check for each of their look-ups.
    private var table = [UInt8](repeating: 0, count: contextCount * maximumOrdinal * ways * slotStride)
    private static let keyOffset = 8
    private static let slotStride = keyOffset + slotSize
    private static let unknownKey: UInt8 = 0xFF

    /// The offset in `table` of the first of the position's `ways` slots.
    @inline(__always)
    private static func slotOffset(_ context: KeyContext, _ ordinal: Int) -> Int {
        ((Int(context.rawValue) &* maximumOrdinal &+ ordinal) &* ways) &* slotStride
    }

    /// Checks the bytes after an opening quote at `start` against the key remembered for this
    /// position of this kind of object.
    @inline(__always)
    func guess(_ context: KeyContext, ordinal: Int, _ bytes: UnsafeRawBufferPointer, at start: Int) -> Guess {
        guard ordinal >= 0, ordinal < Self.maximumOrdinal, start >= 0, let text = bytes.baseAddress else { return .miss }
        let available = bytes.count &- start
        return table.withUnsafeBytes { remembered -> Guess in
            guard let base = remembered.baseAddress else { return .miss }
            var slot = base + Self.slotOffset(context, ordinal)
            for _ in 0..<Self.ways {
                let length = Int(slot.load(as: UInt8.self))
                guard length > 0 else { return .miss }
                if length <= available, Self.matches(slot + Self.keyOffset, length: length, text + start, available: available) {
                    return Guess(length: length, fieldCode: slot.load(fromByteOffset: 1, as: UInt8.self))
                }
                slot += Self.slotStride
            }
            return .miss
        }
    }

    /// Whether the `length` bytes at `text` (of which `available` can be read) are the key
    /// remembered at `key`.
    @inline(__always)
    private static func matches(_ key: UnsafeRawPointer, length: Int, _ text: UnsafeRawPointer, available: Int) -> Bool {
        if length < 8, available >= 8 {
            // One masked word: a short key is always followed by more of the record (at least
            // `:` and a value), so eight bytes can be read; bytes of the slot past the key are
            // whatever an earlier key left there, hence the mask.
            let mask: UInt64 = (1 &<< UInt64(length &* 8)) &- 1
            return (text.loadUnaligned(as: UInt64.self) ^ key.loadUnaligned(as: UInt64.self)) & mask == 0
        }
        return ByteComparison.equal(text, key, count: length)
    }

    /// Remembers the key in `bytes[start..<end]` (without escapes; `end` is its closing quote),
    /// with its colon when that comes right after the quote, for this position of this kind of
    /// object, as the latest; the key remembered before it becomes the second guess.
    mutating func learn(_ context: KeyContext, ordinal: Int, _ bytes: UnsafeRawBufferPointer, start: Int, end: Int, field: RecordField?) {
        var length = end - start + 1
        if end + 1 < bytes.count, bytes[end + 1] == 0x3A { length += 1 }
        guard ordinal >= 0, ordinal < Self.maximumOrdinal, length <= Self.slotSize, let source = bytes.baseAddress else { return }
        let first = Self.slotOffset(context, ordinal)
        table.withUnsafeMutableBytes { remembered in
            guard let base = remembered.baseAddress else { return }
            let slots = base + first
            // The older keys move one way down (the last one is forgotten), the new one goes first.
            (slots + Self.slotStride).copyMemory(from: slots, byteCount: (Self.ways - 1) * Self.slotStride)
            slots.storeBytes(of: UInt8(length), as: UInt8.self)
            slots.storeBytes(of: field?.rawValue ?? Self.unknownKey, toByteOffset: 1, as: UInt8.self)
            (slots + Self.keyOffset).copyMemory(from: source + start, byteCount: length)
        }
    }
}
