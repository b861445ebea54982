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
    private(set) var bytes: [UInt8] = []
    /// The names written so far, numbered in the order written: the decoder's interner (a
    /// multiply-mix hash over the UTF-8 bytes), not a `[String: UInt32]`, whose hashing and
    /// comparing of each reference was a tenth of a save's time on many-name states.
    private var names = ByteInterner()

    init(capacity: Int = 1 << 16) {
        bytes.reserveCapacity(capacity)
    }

    /// Empties the bytes and the names, keeping their storage: the next value starts a new,
    /// self-contained state (a row of `BaselineSnapshot+Rows.swift`).
    mutating func clear() {
        bytes.removeAll(keepingCapacity: true)
        names = ByteInterner()
    }

    mutating func raw(_ values: [UInt8]) {
        bytes.append(contentsOf: values)
    }

    mutating func unsigned(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    mutating func unsigned<T: UnsignedInteger>(_ value: T) { unsigned(UInt64(value)) }

    mutating func signed(_ value: Int64) {
        unsigned(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    mutating func signed<T: SignedInteger>(_ value: T) { signed(Int64(value)) }

    mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }

    mutating func double(_ value: Double) {
        let bits = value.bitPattern
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
    }

    /// A name (nil and "" alike are "no name": the saved state never tells them apart).
    mutating func name(_ text: String?) {
        guard let text, !text.isEmpty else { return unsigned(UInt64(0)) }
        var copy = text
        copy.withUTF8 { utf8 in name(utf8: UnsafeRawBufferPointer(utf8)) }
    }

    /// A name given as its UTF-8 bytes (not empty).
    mutating func name(utf8: UnsafeRawBufferPointer) {
        let (number, isNew) = names.intern(utf8)
        guard isNew else { return unsigned(UInt64(number) + 2) }
        unsigned(UInt64(1))
        unsigned(UInt64(utf8.count))
        bytes.append(contentsOf: utf8)
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
