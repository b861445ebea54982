/// A principal's active days on a vault (`BurstHistory`): each day's stamp and busiest hour, in
/// the order they were kept, about two bytes a day instead of four.
///
/// Why: every pair keeps up to a window of them (~25 at DESIGN §7's budget scale, where some
/// 200,000 pairs are held), and as an `[UInt32]` of capacity 32 they took a 176-byte allocation
/// a pair, some 35 MB of the budget run. Days follow each other and a pair's busiest hours are
/// small counts, so each day is written as the change of its stamp from the day before and its
/// busiest hour, each in seven-bit groups (LEB128): one byte each for a change below 64 days
/// and a burst below 128 calls, and never more than the four bytes of a `UInt32` for a day
/// after another below 16,384 calls (the change, at most the memory's days, takes two).
///
/// A day is the same `UInt32` as before (stamp in the high 16 bits, busiest hour in the low),
/// and any list of them comes back exactly (the change is signed, zigzag-coded: a restored
/// state need not be in order), so the saved state is the same bytes (`BurstHistory.days`).
/// The encoding of a list is the only one it has (each day relative to the one before, the
/// first to day 0), so equal lists are equal bytes.
///
/// - Complexity: reading the days is a walk from the first (every use of them walks them all:
///   the band's samples, whether the pair was active, the days to forget); appending walks to
///   the last; dropping the oldest rewrites only the new first day's bytes.
struct BurstDays: Sendable, Hashable, Sequence {
    /// Each day: zigzag(stamp − the stamp before, 0 before the first), then its busiest hour,
    /// both LEB128.
    private var bytes: [UInt8] = []

    init() {}

    init(_ days: [UInt32]) {
        var previous: UInt16 = 0
        for day in days {
            Self.append(day, after: previous, to: &bytes)
            previous = UInt16(truncatingIfNeeded: day >> 16)
        }
    }

    var isEmpty: Bool { bytes.isEmpty }

    /// How many days (each ends two seven-bit groups: two bytes below 128).
    var count: Int {
        var ends = 0
        for byte in bytes where byte < 0x80 { ends += 1 }
        return ends / 2
    }

    /// The days, decoded (the saved state writes them).
    var array: [UInt32] {
        var result: [UInt32] = []
        result.reserveCapacity(count)
        for day in self { result.append(day) }
        return result
    }

    /// The bytes held, for the memory tests.
    var byteCount: Int { bytes.count }

    /// The bytes held: what the saved state writes since format 17 (`BaselineSnapshot.burstDayBytesVersion`).
    var encoded: [UInt8] { bytes }

    /// The days `encoded` bytes hold (read back from a saved state); nil when they are not such
    /// bytes: a seven-bit group that does not end, a stamp before day 0 or after day 65,535, a
    /// busiest hour above 65,535.
    static func days(decoding bytes: ArraySlice<UInt8>) -> [UInt32]? {
        var days: [UInt32] = []
        var offset = bytes.startIndex
        var stamp: Int64 = 0
        while offset < bytes.endIndex {
            guard let change = checkedGroups(bytes, at: &offset), let peak = checkedGroups(bytes, at: &offset),
                peak <= UInt32(UInt16.max)
            else { return nil }
            stamp += Int64(unzigzag(change))
            guard (0...Int64(UInt16.max)).contains(stamp) else { return nil }
            days.append(UInt32(stamp) << 16 | peak)
        }
        return days
    }

    struct Iterator: IteratorProtocol {
        fileprivate let bytes: [UInt8]
        fileprivate var offset = 0
        fileprivate var previous: UInt16 = 0

        mutating func next() -> UInt32? {
            guard offset < bytes.count else { return nil }
            let (stamp, peak) = BurstDays.decode(bytes, at: &offset, after: previous)
            previous = stamp
            return UInt32(stamp) << 16 | UInt32(peak)
        }
    }

    func makeIterator() -> Iterator { Iterator(bytes: bytes) }

    /// Appends `day` after the last one.
    mutating func append(_ day: UInt32) {
        var offset = 0
        var last: UInt16 = 0
        while offset < bytes.count { last = Self.decode(bytes, at: &offset, after: last).stamp }
        Self.append(day, after: last, to: &bytes)
    }

    /// How many of the first days have a stamp of `stamp` or less, up to the first later one.
    func leadingCount(through stamp: Int) -> Int {
        var leading = 0
        for day in self {
            guard Int(day >> 16) <= stamp else { break }
            leading += 1
        }
        return leading
    }

    /// Drops the first `dropped` days: the new first day's bytes are written again, against
    /// day 0; the rest are unchanged.
    mutating func removeFirst(_ dropped: Int) {
        guard dropped > 0 else { return }
        var offset = 0
        var stamp: UInt16 = 0
        for _ in 0..<dropped {
            guard offset < bytes.count else { break }
            stamp = Self.decode(bytes, at: &offset, after: stamp).stamp
        }
        guard offset < bytes.count else {
            bytes.removeAll(keepingCapacity: true)
            return
        }
        var end = offset
        let (first, peak) = Self.decode(bytes, at: &end, after: stamp)
        // At most six bytes: three for a stamp against day 0, three for a busiest hour.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 8) { buffer in
            var head = 0
            Self.writeGroups(Self.zigzag(Int32(first)), into: buffer, at: &head)
            Self.writeGroups(UInt32(peak), into: buffer, at: &head)
            bytes.replaceSubrange(0..<end, with: UnsafeBufferPointer(rebasing: buffer[..<head]))
        }
    }

    /// Keeps day `stamp` with busiest hour `peak`: the larger of the two peaks when the day is
    /// kept, else a new day before the first with a later stamp. For an hour of an earlier day
    /// (late records, rare): the days are written again whole.
    mutating func raise(stamp: UInt16, peak: UInt16) {
        var days = array
        let position = days.firstIndex { $0 >> 16 >= UInt32(stamp) } ?? days.endIndex
        if position < days.endIndex, days[position] >> 16 == UInt32(stamp) {
            days[position] = UInt32(stamp) << 16 | Swift.max(days[position] & 0xFFFF, UInt32(peak))
        } else {
            days.insert(UInt32(stamp) << 16 | UInt32(peak), at: position)
        }
        bytes.removeAll(keepingCapacity: true)
        var previous: UInt16 = 0
        for day in days {
            Self.append(day, after: previous, to: &bytes)
            previous = UInt16(truncatingIfNeeded: day >> 16)
        }
    }

    // MARK: - The encoding

    private static func append(_ day: UInt32, after previous: UInt16, to bytes: inout [UInt8]) {
        let stamp = UInt16(truncatingIfNeeded: day >> 16)
        appendGroups(zigzag(Int32(stamp) - Int32(previous)), to: &bytes)
        appendGroups(day & 0xFFFF, to: &bytes)
    }

    /// A signed change as an unsigned number, small for small changes either way.
    private static func zigzag(_ value: Int32) -> UInt32 { UInt32(bitPattern: (value << 1) ^ (value >> 31)) }

    private static func unzigzag(_ value: UInt32) -> Int32 { Int32(bitPattern: value >> 1) ^ -Int32(bitPattern: value & 1) }

    private static func appendGroups(_ value: UInt32, to bytes: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    private static func writeGroups(_ value: UInt32, into buffer: UnsafeMutableBufferPointer<UInt8>, at offset: inout Int) {
        var value = value
        while value >= 0x80 {
            buffer[offset] = UInt8(truncatingIfNeeded: value) | 0x80
            offset += 1
            value >>= 7
        }
        buffer[offset] = UInt8(value)
        offset += 1
    }

    private static func readGroups(_ bytes: [UInt8], at offset: inout Int) -> UInt32 {
        var value: UInt32 = 0
        var shift: UInt32 = 0
        while offset < bytes.count {
            let byte = bytes[offset]
            offset += 1
            value |= UInt32(byte & 0x7F) << shift
            if byte < 0x80 { break }
            shift += 7
        }
        return value
    }

    /// `readGroups` for bytes that may be damaged: nil when the groups do not end within
    /// `bytes` or hold more than 32 bits.
    private static func checkedGroups(_ bytes: ArraySlice<UInt8>, at offset: inout Int) -> UInt32? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while offset < bytes.endIndex, shift < 35 {
            let byte = bytes[offset]
            offset += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return UInt32(exactly: value) }
            shift += 7
        }
        return nil
    }

    /// The day at `offset` (moved past it), the day before it having stamp `previous`.
    fileprivate static func decode(_ bytes: [UInt8], at offset: inout Int, after previous: UInt16) -> (stamp: UInt16, peak: UInt16) {
        let change = unzigzag(readGroups(bytes, at: &offset))
        let peak = readGroups(bytes, at: &offset)
        return (UInt16(truncatingIfNeeded: Int32(previous) &+ change), UInt16(truncatingIfNeeded: peak))
    }
}
