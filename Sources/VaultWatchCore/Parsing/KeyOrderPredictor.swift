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

    /// What a guess gave.
    enum Guess {
        /// The key at this position is not the remembered one (or none is remembered).
        case miss
        /// The key is the remembered one: its field (nil for a key the decoder skips) and
        /// the bytes it spans after the opening quote, closing quote included, and the colon
        /// when the remembered key had it right after the quote (the last byte then is `:`).
        case hit(RecordField?, length: Int)
    }

    private var keyBytes = [UInt8](repeating: 0, count: contextCount * maximumOrdinal * ways * slotSize)
    /// Bytes remembered per slot, closing quote (and colon) included; 0 when nothing is.
    private var lengths = [UInt8](repeating: 0, count: contextCount * maximumOrdinal * ways)
    /// `RecordField.rawValue`, or `unknownKey`.
    private var fields = [UInt8](repeating: 0, count: contextCount * maximumOrdinal * ways)
    private static let unknownKey: UInt8 = 0xFF

    /// The first of the position's `ways` slots.
    @inline(__always)
    private static func slot(_ context: KeyContext, _ ordinal: Int) -> Int {
        (Int(context.rawValue) * maximumOrdinal + ordinal) * ways
    }

    /// Checks the bytes after an opening quote at `start` against the key remembered for this
    /// position of this kind of object.
    @inline(__always)
    func guess(_ context: KeyContext, ordinal: Int, _ bytes: UnsafeRawBufferPointer, at start: Int) -> Guess {
        guard ordinal < Self.maximumOrdinal else { return .miss }
        let first = Self.slot(context, ordinal)
        for slot in first..<(first + Self.ways) {
            let length = Int(lengths[slot])
            guard length > 0 else { return .miss }
            if start + length <= bytes.count, matches(slot: slot, length: length, bytes, at: start) {
                let field = fields[slot]
                return .hit(field == Self.unknownKey ? nil : RecordField(rawValue: field), length: length)
            }
        }
        return .miss
    }

    /// Whether the `length` bytes at `start` (which `bytes` holds) are the slot's key.
    @inline(__always)
    private func matches(slot: Int, length: Int, _ bytes: UnsafeRawBufferPointer, at start: Int) -> Bool {
        keyBytes.withUnsafeBytes { remembered -> Bool in
            guard let slots = remembered.baseAddress, let text = bytes.baseAddress else { return false }
            let key = slots + slot * Self.slotSize
            if length < 8, start + 8 <= bytes.count {
                // One masked word: a short key is always followed by more of the record (at
                // least `:` and a value), so eight bytes can be read; bytes of the slot past
                // the key are whatever an earlier key left there, hence the mask.
                let mask: UInt64 = (1 << UInt64(length * 8)) &- 1
                return ((text + start).loadUnaligned(as: UInt64.self) ^ key.loadUnaligned(as: UInt64.self)) & mask == 0
            }
            return ByteComparison.equal(text + start, key, count: length)
        }
    }

    /// Remembers the key in `bytes[start..<end]` (without escapes; `end` is its closing quote),
    /// with its colon when that comes right after the quote, for this position of this kind of
    /// object, as the latest; the key remembered before it becomes the second guess.
    mutating func learn(_ context: KeyContext, ordinal: Int, _ bytes: UnsafeRawBufferPointer, start: Int, end: Int, field: RecordField?) {
        var length = end - start + 1
        if end + 1 < bytes.count, bytes[end + 1] == 0x3A { length += 1 }
        guard ordinal < Self.maximumOrdinal, length <= Self.slotSize else { return }
        let first = Self.slot(context, ordinal)
        keyBytes.withUnsafeMutableBytes { remembered in
            guard let base = remembered.baseAddress, let source = bytes.baseAddress else { return }
            let slots = base + first * Self.slotSize
            // The older keys move one way down (the last one is forgotten), the new one goes first.
            (slots + Self.slotSize).copyMemory(from: slots, byteCount: (Self.ways - 1) * Self.slotSize)
            slots.copyMemory(from: source + start, byteCount: length)
        }
        for way in stride(from: Self.ways - 1, to: 0, by: -1) {
            lengths[first + way] = lengths[first + way - 1]
            fields[first + way] = fields[first + way - 1]
        }
        lengths[first] = UInt8(length)
        fields[first] = field?.rawValue ?? Self.unknownKey
    }
}
