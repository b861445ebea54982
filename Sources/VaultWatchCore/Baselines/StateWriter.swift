/// Writes the detector's saved state in its compact binary form (`BaselineSnapshot`'s format 3):
/// integers as LEB128 varints (signed ones zigzagged), and every name once.
///
/// Names are what made the JSON form large and slow (a principal's 36-character object id was
/// written again for each of its pairs, ranges and blocks, and every held event spelled out a
/// dozen of them): here a name is written in full the first time and as its number after that,
/// a number the reader assigns in the same order (`StateReader`). A name reference is a varint:
/// 0 is no name, 1 is a new name whose UTF-8 length and bytes follow, n ≥ 2 the name numbered n − 2.
/// - Complexity: O(1) amortised per value; one hash of each name's bytes per reference.
struct StateWriter {
    /// The bytes written: the first `count` bytes of `storage`, whose rest is room to write into
    /// (zeros). Written through the storage's pointer, a value's bytes at once: appending them one
    /// by one to an array (a uniqueness check and a capacity check a byte, out of line) was some 50
    /// instructions a varint, a fifth of a save's export on the benchmark's synthetic records
    /// (2.4 million varints a save).
    private var storage: [UInt8]
    /// How many bytes are written.
    private(set) var count = 0

    /// The bytes written (a copy; `takeBytes()` hands them over without one).
    var bytes: [UInt8] { Array(storage[..<count]) }

    /// The names written so far, numbered in the order written: the decoder's interner (a
    /// multiply-mix hash over the UTF-8 bytes), not a `[String: UInt32]`, whose hashing and
    /// comparing of each reference was a tenth of a save's time on many-name states.
    private var names = ByteInterner()
    /// The number + 1 of each permanent symbol's name once written (0: not yet), indexed by the
    /// symbol's number: the learned state names its 800,000-odd entities by symbol, and a look-up
    /// here spares the hash of the name's bytes at every reference after the first
    /// (`name(_:in:)`).
    private var symbolNumbers: [UInt32] = []
    /// The number of each transient symbol's name once written (object names): a look-up of
    /// one takes the symbol table's lock, and an open hour's objects repeat across its pairs.
    private var transientNumbers: [UInt32: UInt32] = [:]
    /// The state's current day and hour, from which `day` and `hour` measure stamps (format 17);
    /// nil: stamps are written as they are.
    private var stampBases: (day: Int64, hour: Int64)?

    init(capacity: Int = 1 << 16) {
        storage = [UInt8](repeating: 0, count: max(capacity, 16))
    }

    /// The bytes written, handed over without a copy; the writer is left empty.
    mutating func takeBytes() -> [UInt8] {
        var taken: [UInt8] = []
        swap(&taken, &storage)
        taken.removeLast(taken.count - count)
        count = 0
        return taken
    }

    /// Room for `extra` more bytes after those written.
    @inline(__always)
    private mutating func reserve(_ extra: Int) {
        if storage.count &- count < extra { grow(extra) }
    }

    /// Doubles the room (at least `extra` more bytes), keeping the bytes written.
    private mutating func grow(_ extra: Int) {
        let needed = count + extra
        storage.append(contentsOf: repeatElement(0, count: max(needed, 2 * storage.count) - storage.count))
    }

    /// Writes at most `reserved` bytes (room for them made first) with `write`, through the
    /// storage's pointer at the end of the bytes written; `write` returns how many it wrote.
    @inline(__always)
    private mutating func append(reserving reserved: Int, _ write: (UnsafeMutablePointer<UInt8>) -> Int) {
        reserve(reserved)
        let start = count
        let written = storage.withUnsafeMutableBufferPointer { buffer in
            // Never nil: `storage` is never empty (at least 16 bytes).
            write(buffer.baseAddress.unsafelyUnwrapped + start)
        }
        count = start &+ written
    }

    /// The bytes of `values`, as they are.
    private mutating func append(_ values: UnsafeRawBufferPointer) {
        guard let source = values.baseAddress, !values.isEmpty else { return }
        append(reserving: values.count) { target in
            target.update(from: source.assumingMemoryBound(to: UInt8.self), count: values.count)
            return values.count
        }
    }

    mutating func raw(_ values: [UInt8]) {
        values.withUnsafeBytes { append($0) }
    }

    mutating func unsigned(_ value: UInt64) {
        append(reserving: 10) { target in
            var value = value
            var index = 0
            while value >= 0x80 {
                target[index] = UInt8(truncatingIfNeeded: value) | 0x80
                value >>= 7
                index &+= 1
            }
            target[index] = UInt8(truncatingIfNeeded: value)
            return index &+ 1
        }
    }

    mutating func unsigned<T: UnsignedInteger>(_ value: T) { unsigned(UInt64(value)) }

    mutating func signed(_ value: Int64) {
        unsigned(Self.zigzag(value))
    }

    /// A signed value as an unsigned one small for small magnitudes (`StateReader.unzigzag`).
    static func zigzag(_ value: Int64) -> UInt64 { UInt64(bitPattern: (value << 1) ^ (value >> 63)) }

    mutating func signed<T: SignedInteger>(_ value: T) { signed(Int64(value)) }

    mutating func bool(_ value: Bool) {
        append(reserving: 1) { target in
            target[0] = value ? 1 : 0
            return 1
        }
    }

    /// Eight bytes, little-endian: for values whose bits are spread (digests), where a varint
    /// would take ten.
    mutating func word(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { append($0) }
    }

    /// Writes the stamps of `day` and `hour` from here on as their distance from `fromDay` and
    /// `hour` (the state's current day and hour, in its header: `StateReader.measureStamps`).
    /// Why: a day since 1970 is a varint of three bytes and an hour one of three, the "never" of
    /// an hour (`Int32.min`) one of five, while the learned entities' stamps are mostly of the
    /// last days: one byte each. On the benchmark's synthetic records some 1.3 million stamps
    /// (a day for each of half a million ranges, five stamps for each of 94,000 pairs).
    mutating func measureStamps(fromDay day: Int32, hour: Int32) {
        stampBases = (Int64(day), Int64(hour))
    }

    /// A day stamp (0: none).
    mutating func day(_ value: UInt16) {
        guard let base = stampBases?.day else { return unsigned(value) }
        relative(Int64(value), from: base, none: 0)
    }

    /// An hour stamp (`Int32.min`: never).
    mutating func hour(_ value: Int32) {
        guard let base = stampBases?.hour else { return signed(value) }
        relative(Int64(value), from: base, none: Int64(Int32.min))
    }

    /// 0 for `none`, else 1 + the zigzagged distance from `base`.
    private mutating func relative(_ value: Int64, from base: Int64, none: Int64) {
        guard value != none else { return unsigned(UInt64(0)) }
        unsigned(Self.zigzag(value - base) + 1)
    }

    /// Bytes of a form of their own (`StateReader.counted`): their count, then the bytes.
    mutating func counted(_ values: [UInt8]) {
        unsigned(UInt64(values.count))
        raw(values)
    }

    mutating func double(_ value: Double) {
        // Little-endian, as `word`.
        word(value.bitPattern)
    }

    /// A name (nil and "" alike are "no name": the saved state never tells them apart); returns
    /// its number, nil for no name.
    @discardableResult
    mutating func name(_ text: String?) -> Int? {
        guard let text, !text.isEmpty else {
            unsigned(UInt64(0))
            return nil
        }
        var copy = text
        return copy.withUTF8 { utf8 in name(utf8: UnsafeRawBufferPointer(utf8)) }
    }

    /// A name given as its UTF-8 bytes (not empty); returns its number.
    @discardableResult
    mutating func name(utf8: UnsafeRawBufferPointer) -> Int {
        let (number, isNew) = names.intern(utf8)
        guard isNew else {
            unsigned(UInt64(number) + 2)
            return number
        }
        unsigned(UInt64(1))
        unsigned(UInt64(utf8.count))
        append(utf8)
        return number
    }

    /// The name of `symbol`, as `name(names.string(symbol))` writes it (the same bytes), the
    /// number of its name remembered after its first reference.
    mutating func name(_ symbol: Symbol, in names: SavedNames) {
        let index = Int(symbol.rawValue)
        guard !symbol.isNone else { return unsigned(UInt64(0)) }
        guard symbol.rawValue & SymbolTable.transientBit == 0 else {
            if let number = transientNumbers[symbol.rawValue] { return unsigned(UInt64(number) + 2) }
            // A forgotten transient symbol names nothing, and is not remembered.
            if let number = name(names.string(symbol)) { transientNumbers[symbol.rawValue] = UInt32(number) }
            return
        }
        if index < symbolNumbers.count, symbolNumbers[index] != 0 { return unsigned(UInt64(symbolNumbers[index]) + 1) }
        guard let number = name(names.string(symbol)) else { return }
        if index >= symbolNumbers.count { symbolNumbers.append(contentsOf: repeatElement(0, count: max(index + 1, names.permanentCount) - symbolNumbers.count)) }
        symbolNumbers[index] = UInt32(number + 1)
    }

    mutating func optional<T>(_ value: T?, _ write: (inout StateWriter, T) -> Void) {
        guard let value else { return bool(false) }
        bool(true)
        write(&self, value)
    }

    mutating func array<T>(_ values: [T], _ write: (inout StateWriter, T) -> Void) {
        unsigned(UInt64(values.count))
        for value in values { write(&self, value) }
    }

    /// A map keyed by names, in key order so the same state gives the same bytes.
    mutating func namedMap<T>(_ values: [String: T], _ write: (inout StateWriter, T) -> Void) {
        unsigned(UInt64(values.count))
        for (key, value) in values.sorted(by: { $0.key < $1.key }) {
            name(key)
            write(&self, value)
        }
    }
}
