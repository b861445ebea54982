/// Remembers, for each kind of object (record, identity, claim, properties, access policy),
/// the keys of the last one read, in order, and checks the next object's keys against them.
///
/// Records from one source are written by one serializer, so their keys come in the same
/// order nearly every time. A predicted key costs one comparison of its bytes and its closing
/// quote, instead of scanning for the quote, hashing and probing the key table. A wrong guess
/// costs that comparison and the ordinary path; the guess is then replaced.
struct KeyOrderPredictor {
    /// Longest key remembered, with its closing quote (the claim URIs are 61 bytes).
    static let slotSize = 64
    /// Keys remembered per object.
    static let maximumOrdinal = 48
    private static let contextCount = 5

    /// What a guess gave.
    enum Guess {
        /// The key at this position is not the remembered one (or none is remembered).
        case miss
        /// The key is the remembered one: its field (nil for a key the decoder skips) and
        /// the bytes it spans after the opening quote, closing quote included.
        case hit(RecordField?, length: Int)
    }

    private var keyBytes = [UInt8](repeating: 0, count: contextCount * maximumOrdinal * slotSize)
    /// Bytes remembered per slot, closing quote included; 0 when nothing is.
    private var lengths = [UInt8](repeating: 0, count: contextCount * maximumOrdinal)
    /// `RecordField.rawValue`, or `unknownKey`.
    private var fields = [UInt8](repeating: 0, count: contextCount * maximumOrdinal)
    private static let unknownKey: UInt8 = 0xFF

    @inline(__always)
    private static func slot(_ context: KeyContext, _ ordinal: Int) -> Int {
        Int(context.rawValue) * maximumOrdinal + ordinal
    }

    /// Checks the bytes after an opening quote at `start` against the key remembered for this
    /// position of this kind of object.
    @inline(__always)
    func guess(_ context: KeyContext, ordinal: Int, _ bytes: UnsafeRawBufferPointer, at start: Int) -> Guess {
        guard ordinal < Self.maximumOrdinal else { return .miss }
        let slot = Self.slot(context, ordinal)
        let length = Int(lengths[slot])
        guard length > 0, start + length <= bytes.count else { return .miss }
        let matches = keyBytes.withUnsafeBytes { remembered -> Bool in
            let base = slot * Self.slotSize
            if length < 8 {
                for offset in 0..<length where bytes[start + offset] != remembered[base + offset] { return false }
                return true
            }
            var offset = 0
            while offset + 8 <= length {
                if bytes.loadUnaligned(fromByteOffset: start + offset, as: UInt64.self)
                    != remembered.loadUnaligned(fromByteOffset: base + offset, as: UInt64.self) { return false }
                offset += 8
            }
            if offset < length {
                let last = length - 8
                if bytes.loadUnaligned(fromByteOffset: start + last, as: UInt64.self)
                    != remembered.loadUnaligned(fromByteOffset: base + last, as: UInt64.self) { return false }
            }
            return true
        }
        guard matches else { return .miss }
        let field = fields[slot]
        return .hit(field == Self.unknownKey ? nil : RecordField(rawValue: field), length: length)
    }

    /// Remembers the key in `bytes[start..<end]` (without escapes; `end` is its closing quote)
    /// for this position of this kind of object.
    mutating func learn(_ context: KeyContext, ordinal: Int, _ bytes: UnsafeRawBufferPointer, start: Int, end: Int, field: RecordField?) {
        let length = end - start + 1
        guard ordinal < Self.maximumOrdinal, length <= Self.slotSize else { return }
        let slot = Self.slot(context, ordinal)
        let base = slot * Self.slotSize
        for offset in 0..<length { keyBytes[base + offset] = bytes[start + offset] }
        lengths[slot] = UInt8(length)
        fields[slot] = field?.rawValue ?? Self.unknownKey
    }
}
