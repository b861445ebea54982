import Testing
@testable import VaultWatchCore

/// `JSONScanner` reads strings, whitespace and skipped values many bytes at a time. Whatever
/// the block size, it must find exactly what a byte-at-a-time reading finds: the same closing
/// quote, the same escapes, and the same problem at the same offset, wherever the byte that
/// decides it falls in a block (offsets 0 to 63), wherever the string starts in the buffer,
/// and when the buffer ends right after the string, inside it or in the middle of a character.
struct JSONScannerBlockEdgeTests {
    /// A string's content (the bytes after its opening quote) up to the byte that decides it.
    static let plain = UInt8(ascii: "a")

    /// The bytes put at the deciding offset: the closing quote, escapes (valid, invalid,
    /// `\u` with a bad digit), control bytes, UTF-8 of every length, and bytes that are not UTF-8
    /// (a bad lead, an overlong form, a surrogate, a missing continuation, past U+10FFFF).
    static let specials: [[UInt8]] = [
        [0x22], [0x5C, 0x22], [0x5C, 0x5C], [0x5C, 0x2F], [0x5C, 0x6E], [0x5C, 0x75, 0x30, 0x30, 0x65, 0x39],
        [0x5C, 0x78], [0x5C, 0x75, 0x31, 0x47, 0x33, 0x34], [0x5C], [0x00], [0x0A], [0x09], [0x1F], [0x7F],
        [0xC3, 0xA9], [0xE6, 0x97, 0xA5], [0xF0, 0x9F, 0x98, 0x80], [0xFF], [0x80], [0xC0, 0xAF],
        [0xED, 0xA0, 0x80], [0xC3, 0x41], [0xF4, 0x90, 0x80, 0x80], [0xE6, 0x97], [0x20],
    ]

    /// What a byte-at-a-time reading of a JSON string gives (RFC 8259 §7, and UTF-8 as RFC 3629
    /// defines it): the offset after the closing quote and whether the string holds escapes,
    /// or the problem and where it is, as `JSONSyntaxError` names them.
    static func referenceScan(_ bytes: [UInt8], from quote: Int) -> Result<(end: Int, hasEscapes: Bool), JSONSyntaxError> {
        let count = bytes.count
        var index = quote + 1
        var hasEscapes = false
        func isHex(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) || (0x41...0x46).contains(byte) || (0x61...0x66).contains(byte) }
        while index < count {
            let byte = bytes[index]
            switch byte {
            case 0x22:
                return .success((index + 1, hasEscapes))
            case 0x5C:
                hasEscapes = true
                guard index + 1 < count else { return .failure(JSONSyntaxError(.unexpectedEnd, at: count)) }
                switch bytes[index + 1] {
                case 0x22, 0x5C, 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74: index += 2
                case 0x75:
                    guard index + 6 <= count else { return .failure(JSONSyntaxError(.unexpectedEnd, at: count)) }
                    guard bytes[(index + 2)..<(index + 6)].allSatisfy(isHex) else {
                        return .failure(JSONSyntaxError(.invalidUnicodeEscape, at: index))
                    }
                    index += 6
                default: return .failure(JSONSyntaxError(.invalidEscape, at: index))
                }
            case 0x00..<0x20:
                return .failure(JSONSyntaxError(.controlCharacterInString(byte), at: index))
            case 0x20..<0x80:
                index += 1
            default:
                let length: Int
                switch byte {
                case 0xC2...0xDF: length = 2
                case 0xE0...0xEF: length = 3
                case 0xF0...0xF4: length = 4
                default: return .failure(JSONSyntaxError(.invalidUTF8, at: index))
                }
                let available = min(length, count - index)
                for offset in 1..<max(1, available) where bytes[index + offset] & 0xC0 != 0x80 {
                    return .failure(JSONSyntaxError(.invalidUTF8, at: index))
                }
                guard available == length else { return .failure(JSONSyntaxError(.unexpectedEnd, at: count)) }
                guard let scalar = String(validating: bytes[index..<(index + length)], as: UTF8.self), scalar.unicodeScalars.count == 1 else {
                    return .failure(JSONSyntaxError(.invalidUTF8, at: index))
                }
                index += length
            }
        }
        return .failure(JSONSyntaxError(.unexpectedEnd, at: count))
    }

    static func scan(_ bytes: [UInt8], from quote: Int) -> Result<(end: Int, hasEscapes: Bool), JSONSyntaxError> {
        bytes.withUnsafeBytes { buffer in
            var scanner = JSONScanner(buffer, position: quote)
            do throws(JSONSyntaxError) {
                let span = try scanner.scanString()
                // The span ends at the closing quote, right before where the scanner stopped.
                guard span.start == quote + 1, span.end == scanner.position - 1 else {
                    return .failure(JSONSyntaxError(.trailingContent, at: -1))
                }
                return .success((scanner.position, span.hasEscapes))
            } catch {
                return .failure(error)
            }
        }
    }

    static func describe(_ result: Result<(end: Int, hasEscapes: Bool), JSONSyntaxError>) -> String {
        switch result {
        case .success(let value): "ends at \(value.end), escapes \(value.hasEscapes)"
        case .failure(let error): "\(error.problem) at \(error.offset)"
        }
    }

    /// A special byte sequence at each offset 0..<64 of a string's content, the string starting
    /// at each of eight positions in the buffer, followed by a closing quote and more of the
    /// record, by a closing quote at the buffer's end, or by nothing (the buffer ends there).
    @Test func aSpecialByteAtEveryOffsetOfABlockIsFoundAsAByteLoopFindsIt() {
        var compared = 0
        for lead in 0..<8 {
            for offset in 0..<64 {
                for special in Self.specials {
                    let content = [UInt8](repeating: Self.plain, count: offset) + special
                    let tails: [[UInt8]] = [
                        [UInt8](repeating: Self.plain, count: 5) + Array(#"","n":1}"#.utf8) + [UInt8](repeating: 0x20, count: 40),
                        [0x22], [],
                    ]
                    for tail in tails {
                        let bytes = [UInt8](repeating: 0x20, count: lead) + [0x22] + content + tail
                        let expected = Self.referenceScan(bytes, from: lead)
                        let got = Self.scan(bytes, from: lead)
                        #expect(Self.describe(got) == Self.describe(expected), "lead \(lead), offset \(offset), special \(special), tail \(tail.count)")
                        compared += 1
                    }
                }
            }
        }
        #expect(compared == 8 * 64 * Self.specials.count * 3)
    }

    /// Strings of every length up to three blocks and more, closed by the buffer's last byte, or
    /// cut anywhere before it (a truncated record): the scanner reads no byte past the buffer,
    /// finds the quote or says the text ended, as the byte loop does.
    @Test func stringsEndingAtTheBuffersEndAndCutAnywhere() {
        for length in 0..<140 {
            var whole: [UInt8] = [0x22]
            for index in 0..<length {
                let byte = UInt8(0x21 + index % 90)
                whole.append(byte == 0x22 || byte == 0x5C ? Self.plain : byte)
            }
            whole.append(0x22)
            #expect(Self.describe(Self.scan(whole, from: 0)) == "ends at \(length + 2), escapes false", "length \(length)")
            for cut in 1..<whole.count {
                let truncated = Array(whole.prefix(cut))
                #expect(Self.describe(Self.scan(truncated, from: 0)) == Self.describe(Self.referenceScan(truncated, from: 0)), "length \(length), cut at \(cut)")
            }
        }
    }

    /// Random strings of escapes, controls, quotes and multi-byte characters in random buffers.
    @Test(arguments: [31, 32, 33])
    func randomStringsScanAsAByteLoopScansThem(seed: UInt64) {
        var random = SeededRandom(seed: seed)
        let pieces: [[UInt8]] = Self.specials + [[Self.plain], Array("0123456789abcdef".utf8), Array("kv-payments".utf8)]
        for _ in 0..<4_000 {
            var bytes: [UInt8] = Array(repeating: 0x20, count: Int.random(in: 0..<20, using: &random)) + [0x22]
            for _ in 0..<Int.random(in: 0..<30, using: &random) {
                bytes += pieces.randomElement(using: &random)!
                if Int.random(in: 0..<4, using: &random) == 0 {
                    bytes += [UInt8](repeating: Self.plain, count: Int.random(in: 0..<40, using: &random))
                }
            }
            let lead = bytes.firstIndex(of: 0x22)!
            #expect(Self.describe(Self.scan(bytes, from: lead)) == Self.describe(Self.referenceScan(bytes, from: lead)), "\(bytes)")
        }
    }

    /// Runs of whitespace of every length up to four blocks, at eight positions in the buffer,
    /// ended by each kind of byte (a value's first byte, a newline where it ends a JSON line, a
    /// byte that is not JSON whitespace though it looks blank) or by the buffer's end: the scanner
    /// stops on exactly the byte a byte loop stops on.
    @Test func whitespaceRunsOfEveryLengthEndWhereAByteLoopEnds() {
        let blanks: [UInt8] = [0x20, 0x09, 0x0D, 0x0A]
        let enders: [UInt8?] = [0x22, 0x7B, 0x31, 0x0A, 0x0B, 0x0C, 0x00, 0xA0, 0x85, nil]
        var random = SeededRandom(seed: 41)
        for stopsAtNewline in [false, true] {
            for lead in 0..<8 {
                for length in 0..<64 {
                    for ender in enders {
                        let run = (0..<length).map { _ in blanks[Int.random(in: 0..<(stopsAtNewline ? 3 : 4), using: &random)] }
                        let bytes = [UInt8](repeating: 0x7B, count: lead) + run + (ender.map { [$0] } ?? []) + Array(#"":1}"#.utf8).prefix(ender == nil ? 0 : 4)
                        var expected = lead
                        while expected < bytes.count, [0x20, 0x09, 0x0D].contains(bytes[expected]) || (bytes[expected] == 0x0A && !stopsAtNewline) {
                            expected += 1
                        }
                        let got = bytes.withUnsafeBytes { buffer in
                            var scanner = JSONScanner(buffer, position: lead, stopsAtNewline: stopsAtNewline)
                            scanner.skipWhitespace()
                            return scanner.position
                        }
                        #expect(got == expected, "newline ends \(stopsAtNewline), lead \(lead), run \(length), ender \(String(describing: ender))")
                    }
                }
            }
        }
    }

    /// `true`, `false` and `null` are compared whole; a literal cut by the buffer's end or
    /// differing anywhere is the same problem at the same offset as before.
    @Test func literalsWholeCutOrChangedAnywhere() {
        for literal in ["true", "false", "null"] {
            let text = Array(literal.utf8)
            for lead in 0..<3 {
                for end in 1...text.count {
                    for change in [nil] + Array(0..<end) {
                        var bytes = [UInt8](repeating: 0x20, count: lead) + text.prefix(end)
                        if let change { bytes[lead + change] ^= 0x20 }
                        let got: String = bytes.withUnsafeBytes { buffer in
                            var scanner = JSONScanner(buffer, position: lead)
                            do throws(JSONSyntaxError) {
                                try scanner.skipValue()
                                return "ends at \(scanner.position)"
                            } catch {
                                return "\(error.problem) at \(error.offset)"
                            }
                        }
                        let expected: String
                        if let change {
                            // The first byte changed is not a value's start (t→T, f→F, n→N), or a
                            // later one is not the literal's.
                            expected = change == 0
                                ? "unexpectedByte(\(bytes[lead])) at \(lead)"
                                : "unexpectedByte(\(bytes[lead + change])) at \(lead + change)"
                        } else if end < text.count {
                            expected = "unexpectedEnd at \(bytes.count)"
                        } else {
                            expected = "ends at \(bytes.count)"
                        }
                        #expect(got == expected, "\(literal), lead \(lead), end \(end), change \(String(describing: change))")
                    }
                }
            }
        }
    }
}
