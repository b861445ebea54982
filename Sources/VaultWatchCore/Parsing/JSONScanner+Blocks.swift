import CVaultWatchBytes

/// The scanner's byte searches, sixteen bytes at a time: the end of a string's plain run and the
/// end of a run of whitespace.
///
/// Each block of sixteen bytes is compared in one vector register and its result read as a mask
/// of sixteen bits, bit i for byte i (`CVaultWatchBytes`: SSE2's `pcmpeqb`/`pcmpgtb` and
/// `pmovmskb`, inlined from C; Swift 6.3 lowers `SIMD16<UInt8>` comparisons to a loop over the
/// lanes, and the carry tricks on two words it used until 5 December took ~40 instructions a
/// block). A search only says where to look: the byte-wise code after it decides what the byte
/// means and reports any problem, so every validation stays where it was.
extension JSONScanner {
    /// The offset of the first byte at or after `start` that is a `"`, a backslash, a byte below
    /// 0x20 or a non-ASCII byte, or of the last 15 bytes or fewer of `bytes` when none is before
    /// them: the byte-wise path after it handles both.
    ///
    /// Names, GUIDs and times end within a block or two, so one block is tried first; longer
    /// values (resource ids, request URIs, user agents: 60 to 120 bytes) go on thirty-two bytes
    /// a time, two blocks tested together.
    @inline(__always)
    static func firstSpecialStringByte(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
        let count = bytes.count
        var index = start
        guard index &+ 16 <= count, let base = bytes.baseAddress else { return index }
        let first = vw_string_special_mask(base + index)
        if first != 0 { return index &+ first.trailingZeroBitCount }
        index &+= 16
        while index &+ 32 <= count {
            let both = vw_string_special_mask(base + index) | vw_string_special_mask(base + (index &+ 16)) &<< 16
            if both != 0 { return index &+ both.trailingZeroBitCount }
            index &+= 32
        }
        if index &+ 16 <= count {
            let last = vw_string_special_mask(base + index)
            if last != 0 { return index &+ last.trailingZeroBitCount }
            index &+= 16
        }
        return index
    }

    /// The offset of the first byte at or after `start` that is not JSON whitespace (space, tab,
    /// carriage return, and line feed when `newlineIsWhitespace`), or `bytes.count`.
    @inline(__always)
    static func firstNonWhitespace(_ bytes: UnsafeRawBufferPointer, from start: Int, newlineIsWhitespace: Bool) -> Int {
        let count = bytes.count
        var index = start
        if let base = bytes.baseAddress {
            while index &+ 16 <= count {
                let other = vw_nonblank_mask(base + index, newlineIsWhitespace)
                if other != 0 { return index &+ other.trailingZeroBitCount }
                index &+= 16
            }
        }
        while index < count {
            let byte = bytes[index]
            guard byte == 0x20 || byte == 0x09 || byte == 0x0D || (byte == 0x0A && newlineIsWhitespace) else { break }
            index &+= 1
        }
        return index
    }
}
