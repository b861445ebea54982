/// The scanner's byte searches, many bytes at a time: the end of a string's plain run and the
/// end of a run of whitespace.
///
/// Each block of sixteen bytes is two little-endian words in one vector register: concrete
/// `SIMD2<UInt64>` arithmetic compiles to SSE2 on every x86-64, while comparisons of
/// `SIMD16<UInt8>` (`.==`, `.<`) are still lowered by Swift 6.3 to a loop over the sixteen
/// lanes (checked with `swiftc -O -emit-assembly`), so the lanes are tested with the carry
/// tricks below instead. A search only says where to look: the byte-wise code after it decides
/// what the byte means and reports any problem, so every validation stays where it was.
extension JSONScanner {
    /// The offset of the first byte at or after `start` that may be a `"`, a backslash, a byte
    /// below 0x20 or a non-ASCII byte (exactly the first such byte), or of the last 15 bytes or
    /// fewer of `bytes` when none is before them: the byte-wise path after it handles both.
    ///
    /// Names, GUIDs and times end within a block or two, so one block is tried first; longer
    /// values (resource ids, request URIs, user agents: 60 to 120 bytes) go on thirty-two bytes
    /// a time, two blocks tested together.
    @inline(__always)
    static func firstSpecialStringByte(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
        let count = bytes.count
        var index = start
        guard index &+ 16 <= count else { return index }
        let first = specialStringBytes(bytes.loadUnaligned(fromByteOffset: index, as: SIMD2<UInt64>.self))
        if first[0] | first[1] != 0 { return index &+ firstMarkedByte(first) }
        index &+= 16
        while index &+ 32 <= count {
            let low = specialStringBytes(bytes.loadUnaligned(fromByteOffset: index, as: SIMD2<UInt64>.self))
            let high = specialStringBytes(bytes.loadUnaligned(fromByteOffset: index &+ 16, as: SIMD2<UInt64>.self))
            let either = low | high
            if either[0] | either[1] != 0 {
                return low[0] | low[1] != 0 ? index &+ firstMarkedByte(low) : index &+ 16 &+ firstMarkedByte(high)
            }
            index &+= 32
        }
        if index &+ 16 <= count {
            let last = specialStringBytes(bytes.loadUnaligned(fromByteOffset: index, as: SIMD2<UInt64>.self))
            if last[0] | last[1] != 0 { return index &+ firstMarkedByte(last) }
            index &+= 16
        }
        return index
    }

    /// The high bit of each byte of two little-endian words that may be a `"`, a backslash, a
    /// byte below 0x20 or a non-ASCII byte (to be checked as UTF-8). In each word the lowest set
    /// bit marks exactly the first such byte (borrows only run upwards); bits above it may be
    /// false alarms, which the byte-wise path clears.
    @inline(__always)
    static func specialStringBytes(_ word: SIMD2<UInt64>) -> SIMD2<UInt64> {
        let ones = SIMD2<UInt64>(repeating: 0x0101_0101_0101_0101)
        let quotes = word ^ SIMD2(repeating: 0x2222_2222_2222_2222)
        let backslashes = word ^ SIMD2(repeating: 0x5C5C_5C5C_5C5C_5C5C)
        let zeroQuote = (quotes &- ones) & ~quotes
        let zeroBackslash = (backslashes &- ones) & ~backslashes
        let control = (word &- SIMD2(repeating: 0x2020_2020_2020_2020)) & ~word
        return (zeroQuote | zeroBackslash | control | word) & SIMD2(repeating: 0x8080_8080_8080_8080)
    }

    /// The offset of the first byte at or after `start` that is not JSON whitespace (space, tab,
    /// carriage return, and line feed when `newlineIsWhitespace`), or `bytes.count`.
    @inline(__always)
    static func firstNonWhitespace(_ bytes: UnsafeRawBufferPointer, from start: Int, newlineIsWhitespace: Bool) -> Int {
        let count = bytes.count
        var index = start
        let highBits = SIMD2<UInt64>(repeating: 0x8080_8080_8080_8080)
        while index &+ 16 <= count {
            let word = bytes.loadUnaligned(fromByteOffset: index, as: SIMD2<UInt64>.self)
            var blank = bytesEqual(word, 0x20) | bytesEqual(word, 0x09) | bytesEqual(word, 0x0D)
            if newlineIsWhitespace { blank |= bytesEqual(word, 0x0A) }
            let other = ~blank & highBits
            if other[0] | other[1] != 0 { return index &+ firstMarkedByte(other) }
            index &+= 16
        }
        while index < count {
            let byte = bytes[index]
            guard byte == 0x20 || byte == 0x09 || byte == 0x0D || (byte == 0x0A && newlineIsWhitespace) else { break }
            index &+= 1
        }
        return index
    }

    /// The high bit of exactly each byte of `word` that equals `byte`: the low seven bits plus
    /// 0x7F carry into the high bit unless they are all zero, and never out of the byte, so no
    /// lane disturbs another (unlike the borrow trick above, which may mark bytes after the first).
    @inline(__always)
    static func bytesEqual(_ word: SIMD2<UInt64>, _ byte: UInt8) -> SIMD2<UInt64> {
        let difference = word ^ SIMD2(repeating: UInt64(byte) &* 0x0101_0101_0101_0101)
        let lowSeven = SIMD2<UInt64>(repeating: 0x7F7F_7F7F_7F7F_7F7F)
        return ~(((difference & lowSeven) &+ lowSeven) | difference) & SIMD2(repeating: 0x8080_8080_8080_8080)
    }

    /// The offset (0 to 15) of the first byte of a block whose high bit is set in `marks`,
    /// which has at least one.
    @inline(__always)
    static func firstMarkedByte(_ marks: SIMD2<UInt64>) -> Int {
        marks[0] != 0 ? marks[0].trailingZeroBitCount &>> 3 : 8 &+ marks[1].trailingZeroBitCount &>> 3
    }
}
