import Testing
@testable import VaultWatchCore

/// The decoder's block-wise byte work must give what a byte loop gives, at every length and
/// every position of a difference or a special byte, including across and at the edges of the
/// sixteen-byte blocks and of the overlapping last block.
struct ByteComparisonTests {
    @Test func equalAgreesWithAByteLoopAtEveryLengthAndPosition() {
        let reference: [UInt8] = (0..<96).map { UInt8(0x21 + $0 % 90) }
        for length in 0...reference.count {
            let left = Array(reference.prefix(length))
            left.withUnsafeBytes { leftBytes in
                let same = left
                same.withUnsafeBytes { sameBytes in
                    #expect(equal(leftBytes, sameBytes, length), "length \(length), equal bytes")
                }
                for position in 0..<length {
                    var other = left
                    other[position] ^= 0x01
                    other.withUnsafeBytes { otherBytes in
                        #expect(!equal(leftBytes, otherBytes, length), "length \(length), difference at \(position)")
                    }
                    // Only the high bit differs (UTF-8 lead bytes against ASCII).
                    other = left
                    other[position] ^= 0x80
                    other.withUnsafeBytes { otherBytes in
                        #expect(!equal(leftBytes, otherBytes, length), "length \(length), high bit at \(position)")
                    }
                }
            }
        }
    }

    @Test func equalInBufferRefusesRunsPastTheBuffer() {
        let text: [UInt8] = Array("\"operationName\":".utf8)
        text.withUnsafeBytes { buffer in
            text.withUnsafeBytes { run in
                guard let runStart = run.baseAddress else { return }
                #expect(ByteComparison.equal(buffer, at: 0, runStart, count: text.count))
                #expect(!ByteComparison.equal(buffer, at: 1, runStart, count: text.count))
                #expect(ByteComparison.equal(buffer, at: 1, runStart + 1, count: text.count - 1))
            }
        }
    }

    /// `firstSpecialStringByte` finds exactly the first quote, backslash, control byte or
    /// non-ASCII byte wherever it is, or stops within the last fifteen bytes when there is none.
    @Test func firstSpecialStringByteFindsExactlyTheFirstSpecialByte() {
        let specials: [UInt8] = [0x22, 0x5C, 0x00, 0x0A, 0x1F, 0x80, 0xC3, 0xFF]
        let plain: [UInt8] = (0..<80).map { UInt8(0x20 + $0 % 0x5F) }.map { $0 == 0x22 || $0 == 0x5C ? 0x41 : $0 }
        for start in 0..<20 {
            plain.withUnsafeBytes { buffer in
                let found = JSONScanner.firstSpecialStringByte(buffer, from: start)
                #expect(found <= plain.count && found > plain.count - 16, "no special byte, from \(start): \(found)")
                #expect(!plain[start..<found].contains { specials.contains($0) })
            }
            for position in start..<plain.count {
                for special in specials {
                    var text = plain
                    text[position] = special
                    // A second special byte after the first must not hide it.
                    if position + 3 < text.count { text[position + 3] = 0x22 }
                    text.withUnsafeBytes { buffer in
                        let found = JSONScanner.firstSpecialStringByte(buffer, from: start)
                        if position <= text.count - 16 || found == position {
                            #expect(found == position, "special \(special) at \(position), from \(start): found \(found)")
                        } else {
                            // Within the last fifteen bytes: the byte-wise path goes on from here.
                            #expect(found <= position && found > text.count - 16)
                        }
                    }
                }
            }
        }
    }

    private func equal(_ left: UnsafeRawBufferPointer, _ right: UnsafeRawBufferPointer, _ count: Int) -> Bool {
        guard let leftStart = left.baseAddress, let rightStart = right.baseAddress else { return count == 0 }
        return ByteComparison.equal(leftStart, rightStart, count: count)
    }
}
