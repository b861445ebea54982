import CVaultWatchBytes
import Testing

/// The sixteen-byte masks of `CVaultWatchBytes` (the decoder's string, blank, separator and
/// equality searches) must mark exactly the bytes their definition names: every byte value in
/// every lane, among neighbours of each kind.
struct ByteMaskTests {
    static let neighbours: [UInt8] = [0x61, 0x20, 0x22, 0x0A, 0x80, 0x2F]

    /// Calls `check` with each block of sixteen bytes: one byte of every value in every lane, the
    /// other lanes one neighbour.
    static func everyBlock(_ check: ([UInt8]) -> Void) {
        for neighbour in neighbours {
            for lane in 0..<16 {
                for value in 0...255 {
                    var block = [UInt8](repeating: neighbour, count: 16)
                    block[lane] = UInt8(value)
                    check(block)
                }
            }
        }
    }

    static func mask(_ block: [UInt8], _ marked: (UInt8) -> Bool) -> UInt32 {
        var mask: UInt32 = 0
        for (lane, byte) in block.enumerated() where marked(byte) { mask |= 1 << UInt32(lane) }
        return mask
    }

    @Test func theStringMaskMarksQuotesBackslashesControlAndNonASCIIBytes() {
        Self.everyBlock { block in
            let expected = Self.mask(block) { $0 == 0x22 || $0 == 0x5C || $0 < 0x20 || $0 >= 0x80 }
            let got = block.withUnsafeBytes { vw_string_special_mask($0.baseAddress!) }
            #expect(got == expected, "\(block)")
        }
    }

    @Test func theNonBlankMaskMarksAllButJSONBlanks() {
        Self.everyBlock { block in
            for newlineIsBlank in [false, true] {
                let expected = Self.mask(block) { !($0 == 0x20 || $0 == 0x09 || $0 == 0x0D || ($0 == 0x0A && newlineIsBlank)) }
                let got = block.withUnsafeBytes { vw_nonblank_mask($0.baseAddress!, newlineIsBlank) }
                #expect(got == expected, "\(block), newline is blank: \(newlineIsBlank)")
            }
        }
    }

    @Test func theByteMaskMarksExactlyThatByte() {
        Self.everyBlock { block in
            for byte: UInt8 in [0x2F, 0x3F, 0x00, 0xFF] {
                let got = block.withUnsafeBytes { vw_byte_mask($0.baseAddress!, byte) }
                #expect(got == Self.mask(block) { $0 == byte }, "\(block), \(byte)")
            }
        }
    }

    @Test func theDifferenceMaskMarksExactlyTheBytesThatDiffer() {
        Self.everyBlock { block in
            for neighbour in Self.neighbours {
                let other = [UInt8](repeating: neighbour, count: 16)
                let expected = Self.mask(zip(block, other).map { $0 != $1 ? 1 : 0 }) { $0 == 1 }
                let got = block.withUnsafeBytes { left in other.withUnsafeBytes { vw_difference_mask(left.baseAddress!, $0.baseAddress!) } }
                #expect(got == expected, "\(block) against \(neighbour)")
            }
        }
    }
}
