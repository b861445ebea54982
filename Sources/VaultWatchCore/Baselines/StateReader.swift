/// Reads what `StateWriter` wrote, numbering names in the order they first appear as the writer
/// did. Every read is bounds-checked: a truncated or damaged state throws, never traps.
///
/// The one bounded byte reader of the saved forms (the detector's state, its held events and
/// baseline rows, the packed read positions): each names what it reads in its errors.
struct StateReader {
    private let bytes: [UInt8]
    private(set) var offset: Int
    private var names: [String] = []
    /// The stamps' bases since `measureStamps` (`StateWriter.measureStamps`); nil: as written.
    private var stampBases: (day: Int64, hour: Int64)?
    /// What errors say is damaged: "detector state is damaged", "read positions are damaged".
    private let damage: String

    init(_ bytes: [UInt8], offset: Int = 0, damage: String = "detector state is damaged") {
        self.bytes = bytes
        self.offset = offset
        self.damage = damage
    }

    var isAtEnd: Bool { offset >= bytes.count }

    /// Forgets the names read so far: what follows numbers its own (each entity of a format 6 row).
    mutating func clearNames() {
        names.removeAll(keepingCapacity: true)
    }

    private func damaged(_ what: String) -> BaselineStateError {
        BaselineStateError("\(damage): \(what) at byte \(offset)")
    }

    mutating func raw(count: Int) throws(BaselineStateError) -> ArraySlice<UInt8> {
        guard count >= 0, count <= bytes.count - offset else { throw damaged("truncated") }
        defer { offset += count }
        return bytes[offset..<offset + count]
    }

    /// Reads the stamps of `day()` and `hour()` from here on as distances from `fromDay` and `hour`.
    mutating func measureStamps(fromDay day: Int32, hour: Int32) {
        stampBases = (Int64(day), Int64(hour))
    }

    /// A day stamp as `StateWriter.day` wrote it.
    mutating func day() throws(BaselineStateError) -> UInt16 {
        guard let base = stampBases?.day else { return try unsigned(UInt16.self) }
        return try relative(from: base, none: 0)
    }

    /// An hour stamp as `StateWriter.hour` wrote it.
    mutating func hour() throws(BaselineStateError) -> Int32 {
        guard let base = stampBases?.hour else { return try signed(Int32.self) }
        return try relative(from: base, none: Int64(Int32.min))
    }

    private mutating func relative<T: FixedWidthInteger>(from base: Int64, none: Int64) throws(BaselineStateError) -> T {
        let saved = try unsigned()
        guard saved != 0 else { return T(truncatingIfNeeded: none) }
        let distance = Self.unzigzag(saved - 1)
        let (value, overflow) = base.addingReportingOverflow(distance)
        guard !overflow, let stamp = T(exactly: value) else { throw damaged("a stamp \(distance) from \(base), out of range") }
        return stamp
    }

    /// Bytes of a form of their own (`StateWriter.counted`): their count, then the bytes.
    mutating func counted() throws(BaselineStateError) -> ArraySlice<UInt8> {
        try raw(count: Int(try unsigned(UInt32.self)))
    }

    mutating func unsigned() throws(BaselineStateError) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < bytes.count else { throw damaged("truncated number") }
            let byte = bytes[offset]
            offset += 1
            guard shift < 64 else { throw damaged("number too long") }
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
    }

    mutating func unsigned<T: FixedWidthInteger & UnsignedInteger>(_: T.Type) throws(BaselineStateError) -> T {
        let value = try unsigned()
        guard let result = T(exactly: value) else { throw damaged("number \(value) out of range") }
        return result
    }

    /// `StateWriter.word`.
    mutating func word() throws(BaselineStateError) -> UInt64 {
        let slice = try raw(count: 8)
        var value: UInt64 = 0
        for (shift, byte) in zip(stride(from: 0, to: 64, by: 8), slice) { value |= UInt64(byte) << UInt64(shift) }
        return value
    }

    mutating func signed() throws(BaselineStateError) -> Int64 {
        Self.unzigzag(try unsigned())
    }

    /// `StateWriter.zigzag` undone.
    static func unzigzag(_ value: UInt64) -> Int64 { Int64(bitPattern: (value >> 1) ^ (0 &- (value & 1))) }

    mutating func signed<T: FixedWidthInteger & SignedInteger>(_: T.Type) throws(BaselineStateError) -> T {
        let value = try signed()
        guard let result = T(exactly: value) else { throw damaged("number \(value) out of range") }
        return result
    }

    mutating func count() throws(BaselineStateError) -> Int {
        let value = try unsigned()
        // Every element takes at least a byte: a larger count is damage, not a reason to allocate.
        guard value <= UInt64(bytes.count - offset) else { throw damaged("count \(value) larger than what is left") }
        return Int(value)
    }

    mutating func bool() throws(BaselineStateError) -> Bool {
        guard offset < bytes.count else { throw damaged("truncated") }
        defer { offset += 1 }
        switch bytes[offset] {
        case 0: return false
        case 1: return true
        default: throw damaged("flag \(bytes[offset])")
        }
    }

    mutating func double() throws(BaselineStateError) -> Double {
        let slice = try raw(count: 8)
        var bits: UInt64 = 0
        for (index, byte) in slice.enumerated() { bits |= UInt64(byte) << UInt64(index * 8) }
        return Double(bitPattern: bits)
    }

    /// A name reference (see `StateWriter.name`): nil for "no name".
    mutating func name() throws(BaselineStateError) -> String? {
        let reference = try unsigned()
        switch reference {
        case 0:
            return nil
        case 1:
            let length = try count()
            let text = String(decoding: try raw(count: length), as: UTF8.self)
            names.append(text)
            return text
        default:
            guard reference - 2 < UInt64(names.count) else { throw damaged("name \(reference - 2) before it was written") }
            return names[Int(reference - 2)]
        }
    }

    /// A name where the model has no optional: "no name" is "".
    mutating func requiredName() throws(BaselineStateError) -> String { try name() ?? "" }

    mutating func optional<T>(_ read: (inout StateReader) throws(BaselineStateError) -> T) throws(BaselineStateError) -> T? {
        try bool() ? try read(&self) : nil
    }

    mutating func array<T>(_ read: (inout StateReader) throws(BaselineStateError) -> T) throws(BaselineStateError) -> [T] {
        let count = try count()
        var values: [T] = []
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(try read(&self)) }
        return values
    }

    mutating func namedMap<T>(_ read: (inout StateReader) throws(BaselineStateError) -> T) throws(BaselineStateError) -> [String: T] {
        let count = try count()
        var values: [String: T] = [:]
        values.reserveCapacity(count)
        for _ in 0..<count {
            let key = try requiredName()
            values[key] = try read(&self)
        }
        return values
    }
}
