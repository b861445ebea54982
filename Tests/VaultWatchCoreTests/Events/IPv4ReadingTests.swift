import Testing
@testable import VaultWatchCore

/// `IPAddress.parseIPv4` reads through a pointer with wrapping arithmetic: held to the rule as
/// written (four dot-separated runs of one to three digits, each at most 255) on every kind of
/// text around it, inside a larger buffer as the decoder gives it.
@Suite("IPv4 reading")
struct IPv4ReadingTests {
    static func reference(_ text: [UInt8]) -> UInt32? {
        let parts = text.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
            let octet = part.reduce(0) { $0 * 10 + Int($1 - 48) }
            guard octet <= 255 else { return nil }
            value = value << 8 | UInt32(octet)
        }
        return value
    }

    @Test("50,000 texts of digits, dots and other bytes, read inside a buffer, as the rule reads them")
    func matchesTheRule() {
        var random = SeededRandom(seed: 5)
        let alphabet: [UInt8] = Array("0123456789...../:a 9".utf8) + [0x00, 0xFF, 0x2F, 0x3A]
        var accepted = 0
        for round in 0..<50_000 {
            var text: [UInt8]
            if round % 2 == 0 {
                // Near addresses: four octets, some out of range or too long, a byte changed now and then.
                text = Array((0..<4).map { _ in String(random.below(round % 4 == 0 ? 1_200 : 256)) }.joined(separator: ".").utf8)
                if random.below(3) == 0, !text.isEmpty { text[random.below(text.count)] = alphabet[random.below(alphabet.count)] }
                if random.below(8) == 0 { text.insert(UInt8(ascii: "0"), at: random.below(text.count + 1)) }
            } else {
                text = (0..<random.below(18)).map { _ in alphabet[random.below(alphabet.count)] }
            }
            let expected = Self.reference(text)
            if expected != nil { accepted += 1 }
            // Inside a larger buffer, with bytes around it that would change the reading if read.
            let buffer: [UInt8] = Array("9.9".utf8) + text + Array("9.9".utf8)
            let read = buffer.withUnsafeBytes { IPAddress.parseIPv4($0, 3, 3 + text.count) }
            #expect(read == expected, "round \(round): \(String(decoding: text, as: UTF8.self))")
            let whole = text.withUnsafeBytes { IPAddress.parseIPv4($0, 0, text.count) }
            #expect(whole == expected, "round \(round): \(String(decoding: text, as: UTF8.self)) alone")
        }
        #expect(accepted > 5_000, "the texts must hold many addresses: \(accepted)")
    }
}

/// `IPAddress.parse` reads a text that starts and ends with a digit as a dotted IPv4 at once, before
/// its general reading (trimming, brackets, ports, IPv6): the same text with blanks around it
/// skips that shortcut and must read the same.
@Suite("Address reading shortcut")
struct AddressReadingShortcutTests {
    @Test("30,000 texts of digits, dots, colons and hex letters read alike with and without blanks around them")
    func shortcutReadsAsTheGeneralReading() {
        var random = SeededRandom(seed: 9)
        let alphabet = Array("0123456789....::abcdef[]%".utf8)
        var addresses = 0
        for round in 0..<30_000 {
            var text: [UInt8]
            switch round % 3 {
            case 0: text = Array((0..<4).map { _ in String(random.below(300)) }.joined(separator: ".").utf8)
            case 1: text = Array("\((0..<4).map { _ in String(random.below(256)) }.joined(separator: ".")):\(random.below(70_000))".utf8)
            default: text = (0..<random.below(24)).map { _ in alphabet[random.below(alphabet.count)] }
            }
            if round % 7 == 0, !text.isEmpty { text[random.below(text.count)] = alphabet[random.below(alphabet.count)] }
            let read = text.withUnsafeBytes { IPAddress.parse($0) }
            let spaced: [UInt8] = [0x20] + text + [0x20]
            let general = spaced.withUnsafeBytes { IPAddress.parse($0) }
            #expect(read == general, "round \(round): \(String(decoding: text, as: UTF8.self))")
            if read != nil { addresses += 1 }
        }
        #expect(addresses > 10_000, "the texts must hold many addresses: \(addresses)")
    }
}
