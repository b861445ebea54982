import CVaultWatchBytes

/// Remembers, for each kind of object (record, identity, claim, properties, access policy),
/// the members of the last objects read, in order: each key, and the value that followed it
/// with its delimiter and what the decoder made of that value. The next object's members are
/// checked against them.
///
/// Records from one source are written by one serializer, so their keys come in the same
/// order nearly every time, and most of their values repeat from one record to the next:
/// `"category":"AuditEvent",`, `"resultType":"Success",`, the API version, a tenant id, a
/// caller's principal, application, address, user agent and vault through its run of reads.
/// A predicted member costs one comparison of its bytes (the key, its closing quote, the colon,
/// the value and the delimiter after it) and gives back the decoded value (a symbol, an
/// address, an object, a number) without scanning, hashing or parsing. A predicted key alone
/// (the value is another) costs the comparison of the key instead of scanning for the quote,
/// hashing and probing the key table; the value is then read the ordinary way and remembered.
/// A wrong guess costs the comparison; the guess is then replaced.
///
/// Why a match may stand for decoding: bytes that were decoded once as a whole value, followed
/// by the same delimiter (`,` or `}`), are the same valid value again, and the decoder makes the
/// same thing of them (`JSONScanner.skipValue` and the value readers look at nothing but the
/// value's bytes and the byte after it: a number ends at the first byte that is not part of
/// it). What the decoded value refers to may have changed since (a transient symbol forgotten,
/// a vault's resource id); the decoder checks that before using it (`RecordDecoder.reuse`).
/// Values holding a byte below 0x20 outside a string (a newline, a tab between tokens) are not
/// remembered: a newline ends a JSON-lines record (`JSONScanner.stopsAtNewline`), so its
/// meaning depends on how the text is framed. A value read from a text framed as a JSON line
/// holds no newline (the scanner stops there; a string refuses every byte below 0x20), and the
/// blanks it may hold mean the same in any framing: only values of other texts are checked.
///
/// Two members are remembered per position: one serializer writes a few shapes of one object
/// (an application's claims and a user's, the long claim URIs of older records, `properties`
/// with and without a request URI), and with one key per position every change of shape missed
/// every key after it (17% of claim and properties keys on the demo tenant). The one that
/// matched last is checked first, and a new key replaces the other: a single record of another
/// shape (a failed request's `resultDescription` moves every later key on by one) no longer
/// leaves the usual keys second in line, each checked after the rare one, for the rest of the
/// input (55% of the top-level keys of the first 60,000 records of the tenant file were found
/// second: 367 records without an `identity` and with a `resultDescription` among them).
///
/// Values that change in (nearly) every record are not worth remembering: `time` and
/// `correlationId` always, `durationMs`, `requestUri` and a versioned object id in 96-98% of the
/// tenant file's records. Each was copied into its slot for a next record that did not match
/// (10.4 values learned a record, ~100 instructions each with the copy), and compared there
/// first. A member whose value missed `missLimit` times since it was last given whole rests: it
/// forgets its value (its key is still predicted) and learns none for `restPeriod` records, then
/// learns one again to see whether values repeat now. A value given whole clears the count
/// (`noteHit`: a read of the slot's header, a write only when the count is not 0), whatever
/// records came between: the members of an object read only when the object as a whole missed
/// (the claims of an identity not given whole) count their misses across the records that gave
/// the object whole, and rest when those never repeat either. (Counted only in a row, record
/// after record, such a member never rested: 2.35 M values learned in the tenant file instead of
/// 1.70 M.) A caller's values that come in runs (identity, address, vault, user agent) are given
/// whole within a few records of a miss, rarely 32 misses later.
/// - Important: one per decoder; not thread-safe.
struct MemberPredictor<Value>: Sendable where Value: Sendable {
    /// Longest key remembered, with its closing quote and colon (the claim URIs are 61 bytes).
    static var keyCapacity: Int { 64 }
    /// Longest member remembered: key, value and delimiter (GUIDs, names, addresses, resource
    /// ids, most user agents and object ids, and most `identity` objects: 337 bytes at the median
    /// of the demo tenant's, 395 at the 90th percentile).
    static var memberCapacity: Int { 512 }
    /// Members remembered per object.
    static var maximumOrdinal: Int { 48 }
    private static var contextCount: Int { 5 }
    /// Members remembered per position (two: `recentWayOffset` says which one matched last).
    private static var ways: Int { 2 }
    /// Misses since the value was last given whole after which a member rests (learns no value for `restPeriod` records).
    static var missLimit: UInt8 { 32 }
    /// Records a resting member learns no value in; it then learns one (and rests again after one
    /// more miss, or stays when that value repeats).
    static var restPeriod: UInt16 { 32 }

    /// What a guess gave, for the decoder's hot path.
    struct Guess {
        /// 0 when the key at this position is not a remembered one; else: bits 0-7 the field the
        /// key names (`RecordField.rawValue`, `unknownKey` for a key the decoder skips), bits 8-15
        /// the bytes the key spans after its opening quote (closing quote included, and the colon
        /// when it came right after the quote: the last byte then is `:`), bits 16-31 the bytes
        /// of the value with its delimiter when they are the remembered ones too (0 otherwise),
        /// bit 32 set when the key matched the position's other member, not the last matched.
        private let packed: Int
        /// The slot holding the key (nil: the key is not remembered, or its value cannot be,
        /// because the colon did not come right after the key).
        let slot: Int?

        static var miss: Guess { Guess(packed: 0, slot: nil) }

        /// A key read the ordinary way and not remembered (escaped, or too long): its field only.
        @inline(__always)
        static func unremembered(_ field: RecordField?) -> Guess {
            Guess(packed: 1 &<< 8 | Int(field?.rawValue ?? unknownKey), slot: nil)
        }

        @inline(__always)
        fileprivate init(packed: Int, slot: Int?) {
            self.packed = packed
            self.slot = slot
        }

        @inline(__always)
        fileprivate init(keyLength: Int, fieldCode: UInt8, valueLength: Int, slot: Int, isOtherWay: Bool = false) {
            packed = (isOtherWay ? 1 &<< 32 : 0) | valueLength &<< 16 | keyLength &<< 8 | Int(fieldCode)
            self.slot = slot
        }

        @inline(__always)
        var isHit: Bool { packed != 0 }
        @inline(__always)
        var keyLength: Int { (packed &>> 8) & 0xFF }
        /// The value's length, delimiter not included, when the whole member is the remembered
        /// one; 0 otherwise.
        @inline(__always)
        var valueLength: Int { Swift.max(0, ((packed &>> 16) & 0xFFFF) &- 1) }
        @inline(__always)
        var isWholeMember: Bool { (packed &>> 16) & 0xFFFF != 0 }
        /// The key matched the member its position matched before the last one: the decoder
        /// makes it the last matched (`prefer`).
        @inline(__always)
        var isOtherWay: Bool { packed &>> 32 != 0 }
        @inline(__always)
        var field: RecordField? { RecordField.withRawValue(UInt8(truncatingIfNeeded: packed)) }
        /// The key is remembered with its colon, so a value may be remembered after it.
        @inline(__always)
        var endsWithColon: Bool { slot != nil }
        /// The same guess, when the value after the key cannot be remembered.
        @inline(__always)
        func withoutSlot() -> Guess { Guess(packed: packed & 0xFFFF, slot: nil) }
    }

    /// Each slot, `slotStride` bytes: the key's length with its closing quote (and colon) at
    /// offset 0 (0 when nothing is remembered), its field at 1 (`RecordField.rawValue`, or
    /// `unknownKey`), the value's length with its delimiter at 2-3 (0 when none is remembered),
    /// in a position's first slot the way (0 or 1) that matched last at `recentWayOffset`, the
    /// value's misses since it was last given whole at `missesOffset` (`missLimit` or more: resting) and the record
    /// in which it last learned a value (or started resting) at `stampOffset`, then
    /// the key's bytes and the value's from `bytesOffset`, one after the other as the record
    /// wrote them. One table read through one pointer: a guess is on the path of every member
    /// of every record, and separate arrays cost a bounds check and an overflow check for each
    /// of their look-ups.
    private var table = [UInt8](repeating: 0, count: contextCount * maximumOrdinal * ways * slotStride)
    /// What the decoder made of each slot's value (nil for a value it skips).
    private var values: [Value?] = Array(repeating: nil, count: contextCount * maximumOrdinal * ways)
    private static var bytesOffset: Int { 8 }
    private static var recentWayOffset: Int { 4 }
    private static var missesOffset: Int { 5 }
    private static var stampOffset: Int { 6 }
    /// The number of the record being read (wrapping): `beginRecord`.
    private var recordStamp: UInt16 = 0
    private static var slotStride: Int { bytesOffset + memberCapacity }
    static var unknownKey: UInt8 { 0xFF }

    /// The first of the position's `ways` slots.
    @inline(__always)
    private static func firstSlot(_ context: KeyContext, _ ordinal: Int) -> Int {
        (Int(context.rawValue) &* maximumOrdinal &+ ordinal) &* ways
    }

    /// Checks the bytes after an opening quote at `start` against the members remembered for
    /// this position of this kind of object: the key, then the value and its delimiter.
    @inline(__always)
    func guess(_ context: KeyContext, ordinal: Int, _ bytes: UnsafeRawBufferPointer, at start: Int) -> Guess {
        guard ordinal >= 0, ordinal < Self.maximumOrdinal, start >= 0, let text = bytes.baseAddress else { return .miss }
        let available = bytes.count &- start
        return table.withUnsafeBytes { remembered -> Guess in
            guard let base = remembered.baseAddress else { return .miss }
            let first = Self.firstSlot(context, ordinal)
            let position = base + first &* Self.slotStride
            // The member matched last, then the other one (a position with none has neither).
            var way = Int(position.load(fromByteOffset: Self.recentWayOffset, as: UInt8.self))
            for turn in 0..<Self.ways {
                let slotIndex = first &+ way
                let slot = base + slotIndex &* Self.slotStride
                let length = Int(slot.load(as: UInt8.self))
                guard length > 0 else { return .miss }
                let key = slot + Self.bytesOffset
                if length <= available, Self.matches(key, length: length, text + start, available: available) {
                    let fieldCode = slot.load(fromByteOffset: 1, as: UInt8.self)
                    guard key.load(fromByteOffset: length &- 1, as: UInt8.self) == 0x3A else {
                        return Guess(keyLength: length, fieldCode: fieldCode, valueLength: 0, slot: slotIndex).withoutSlot()
                    }
                    let valueLength = Int(slot.loadUnaligned(fromByteOffset: 2, as: UInt16.self))
                    let wholeMember = valueLength > 0 && valueLength <= available &- length
                        && ByteComparison.equal(text + (start &+ length), key + length, count: valueLength)
                    return Guess(
                        keyLength: length, fieldCode: fieldCode, valueLength: wholeMember ? valueLength : 0, slot: slotIndex,
                        isOtherWay: turn != 0)
                }
                way ^= 1
            }
            return .miss
        }
    }

    /// Makes the member `guess` matched its position's last matched, checked first next time
    /// (`guess` matched the other one: `Guess.isOtherWay`).
    @inline(never)
    mutating func prefer(_ guess: Guess) {
        guard let slot = guess.slot else { return }
        let first = slot & ~(Self.ways - 1)
        table.withUnsafeMutableBytes { remembered in
            remembered.storeBytes(of: UInt8(truncatingIfNeeded: slot &- first), toByteOffset: first * Self.slotStride + Self.recentWayOffset, as: UInt8.self)
        }
    }

    /// A record starts (an envelope's element too): values learned from here on are of the next
    /// record, for the rest period.
    @inline(__always)
    mutating func beginRecord() { recordStamp &+= 1 }

    /// The member in `guess`'s slot was given whole: its misses are counted from 0 again. A read of
    /// the slot's header, a write only when it had missed (a whole member is on the path of most
    /// members of most records).
    @inline(__always)
    mutating func noteHit(_ guess: Guess) {
        guard let slot = guess.slot else { return }
        let offset = slot &* Self.slotStride &+ Self.missesOffset
        let misses = table.withUnsafeBytes { $0.load(fromByteOffset: offset, as: UInt8.self) }
        if misses != 0 { table.withUnsafeMutableBytes { $0.storeBytes(of: UInt8(0), toByteOffset: offset, as: UInt8.self) } }
    }

    /// What the decoder made of the value remembered in `slot` (nil for a skipped value).
    @inline(__always)
    func value(_ slot: Int) -> Value? { values[slot] }

    /// Whether the `length` bytes at `text` (of which `available` can be read) are the key
    /// remembered at `key`.
    @inline(__always)
    private static func matches(_ key: UnsafeRawPointer, length: Int, _ text: UnsafeRawPointer, available: Int) -> Bool {
        if length < 8, available >= 8 {
            // One masked word: a short key is always followed by more of the record (at least
            // `:` and a value), so eight bytes can be read; bytes of the slot past the key are
            // whatever an earlier member left there, hence the mask.
            let mask: UInt64 = (1 &<< UInt64(length &* 8)) &- 1
            return (text.loadUnaligned(as: UInt64.self) ^ key.loadUnaligned(as: UInt64.self)) & mask == 0
        }
        return ByteComparison.equal(text, key, count: length)
    }

    /// Remembers the key in `bytes[start..<end]` (without escapes; `end` is its closing quote),
    /// with its colon when that comes right after the quote, for this position of this kind of
    /// object, with no value yet, in place of the member that did not match last, and makes it
    /// the last matched. Returns the guess the key now gives (a miss when it is too long to keep).
    @discardableResult
    mutating func learnKey(
        _ context: KeyContext, ordinal: Int, _ bytes: UnsafeRawBufferPointer, start: Int, end: Int, field: RecordField?
    ) -> Guess {
        // A text that ends at the key's closing quote (a chunk cut there: the record is framed
        // again with the next chunk) does not say whether a colon follows: a key remembered
        // without one would match every later record's and, never missed, never be learned
        // again, each of them read the slow way and its value never given again.
        guard end + 1 < bytes.count else { return .miss }
        var length = end - start + 1
        let endsWithColon = bytes[end + 1] == 0x3A
        if endsWithColon { length += 1 }
        guard ordinal >= 0, ordinal < Self.maximumOrdinal, length <= Self.keyCapacity, let source = bytes.baseAddress else {
            return .miss
        }
        let first = Self.firstSlot(context, ordinal)
        let fieldCode = field?.rawValue ?? Self.unknownKey
        var slotIndex = first
        table.withUnsafeMutableBytes { remembered in
            guard let base = remembered.baseAddress else { return }
            let position = base + first * Self.slotStride
            // The member not matched last is forgotten; the new one is the last matched.
            let way = Int(position.load(fromByteOffset: Self.recentWayOffset, as: UInt8.self)) ^ 1
            slotIndex = first + way
            position.storeBytes(of: UInt8(way), toByteOffset: Self.recentWayOffset, as: UInt8.self)
            let slot = base + slotIndex * Self.slotStride
            slot.storeBytes(of: UInt8(length), as: UInt8.self)
            slot.storeBytes(of: fieldCode, toByteOffset: 1, as: UInt8.self)
            slot.storeBytes(of: UInt16(0), toByteOffset: 2, as: UInt16.self)
            slot.storeBytes(of: UInt8(0), toByteOffset: Self.missesOffset, as: UInt8.self)
            (slot + Self.bytesOffset).copyMemory(from: source + start, byteCount: length)
        }
        values[slotIndex] = nil
        let guess = Guess(keyLength: length, fieldCode: fieldCode, valueLength: 0, slot: slotIndex)
        return endsWithColon ? guess : guess.withoutSlot()
    }

    /// Remembers the value in `bytes[start..<end]`, which came right after the key of `guess`'s
    /// slot and its colon, with the delimiter at `end`, and what the decoder made of it (nil for
    /// a value it skips): when the delimiter is a member's `,` or `}`, the member fits a slot
    /// and, unless the text was framed as a JSON line (`framedAsLine`: it can hold no newline),
    /// the value holds no byte below 0x20 outside a string; and unless the member rests (its
    /// values missed `missLimit` times since one was given whole: then only once every
    /// `restPeriod` records).
    @inline(__always)
    mutating func learnValue(
        _ guess: Guess, _ bytes: UnsafeRawBufferPointer, start: Int, end: Int, framedAsLine: Bool, decoded: Value?
    ) {
        guard let slot = guess.slot, start >= 0, end < bytes.count, bytes[end] == 0x2C || bytes[end] == 0x7D else { return }
        let keyLength = guess.keyLength
        let length = end - start + 1
        guard keyLength + length <= Self.memberCapacity, !isResting(slot) else { return }
        learnValueOn(slot, keyLength: keyLength, bytes, start: start, length: length, framedAsLine: framedAsLine, decoded: decoded)
    }

    /// Whether the member in `slot` rests in this record: read only (no write, no uniqueness
    /// check of the table), on the path of every value that was not given whole.
    @inline(__always)
    private func isResting(_ slot: Int) -> Bool {
        table.withUnsafeBytes { remembered -> Bool in
            guard let base = remembered.baseAddress else { return false }
            let slotBase = base + slot &* Self.slotStride
            return slotBase.load(fromByteOffset: Self.missesOffset, as: UInt8.self) >= Self.missLimit
                && recordStamp &- slotBase.loadUnaligned(fromByteOffset: Self.stampOffset, as: UInt16.self) < Self.restPeriod
        }
    }

    @inline(never)
    private mutating func learnValueOn(
        _ slot: Int, keyLength: Int, _ bytes: UnsafeRawBufferPointer, start: Int, length: Int, framedAsLine: Bool, decoded: Value?
    ) {
        // A string that starts at `start` ends right before the delimiter and holds no byte below
        // 0x20 (`scanString` refuses them): only other values of texts not framed as a line need
        // the check, sixteen bytes at a time (objects of claims are remembered whole).
        if !framedAsLine, bytes[start] != 0x22 {
            let end = start + length
            var index = start
            if let base = bytes.baseAddress {
                while index &+ 16 <= end {
                    if vw_control_mask(base + index) != 0 { return }
                    index &+= 16
                }
            }
            while index < end {
                if bytes[index] < 0x20 { return }
                index &+= 1
            }
        }
        let stamp = recordStamp
        let remembers = table.withUnsafeMutableBytes { remembered -> Bool in
            guard let base = remembered.baseAddress, let source = bytes.baseAddress else { return false }
            let slotBase = base + slot * Self.slotStride
            // Misses since the value was last given whole (`noteHit` clears them): a value was
            // remembered and missed. A member back from resting learns this value, and rests
            // again after one more miss.
            var misses = slotBase.load(fromByteOffset: Self.missesOffset, as: UInt8.self)
            if misses >= Self.missLimit {
                misses = Self.missLimit &- 1
            } else if slotBase.loadUnaligned(fromByteOffset: 2, as: UInt16.self) == 0 {
                misses = 0
            } else {
                misses &+= 1
            }
            slotBase.storeBytes(of: misses, toByteOffset: Self.missesOffset, as: UInt8.self)
            slotBase.storeBytes(of: stamp, toByteOffset: Self.stampOffset, as: UInt16.self)
            guard misses < Self.missLimit else {
                // Rests: the value is forgotten, a guess compares the key only.
                slotBase.storeBytes(of: UInt16(0), toByteOffset: 2, as: UInt16.self)
                return false
            }
            slotBase.storeBytes(of: UInt16(length), toByteOffset: 2, as: UInt16.self)
            (slotBase + Self.bytesOffset + keyLength).copyMemory(from: source + start, byteCount: length)
            return true
        }
        if remembers { values[slot] = decoded }
    }
}
