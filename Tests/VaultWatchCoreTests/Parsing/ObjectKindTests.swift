import Testing
@testable import VaultWatchCore

/// `RecordDecoder.objectKind` compares the object id's kind by words, by its length first: held
/// to the comparison as written (each name, byte by byte, A-Z folded to a-z) on every name in
/// random cases, with each byte replaced by the bytes around the letters' ranges and their other
/// case bit, and on random texts of every length near the names'.
@Suite("Object kind")
struct ObjectKindTests {
    /// The classification as written before (`equalsFolded`, one name after the other).
    static func reference(_ bytes: [UInt8]) -> ObjectKind {
        func equals(_ literal: String) -> Bool {
            guard bytes.count == literal.utf8.count else { return false }
            return zip(bytes, literal.utf8).allSatisfy { byte, letter in
                (byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte) == letter
            }
        }
        if equals("secrets") || equals("deletedsecrets") { return .secret }
        if equals("keys") || equals("deletedkeys") { return .key }
        if equals("certificates") || equals("deletedcertificates") { return .certificate }
        if equals("storage") || equals("deletedstorage") { return .storageAccount }
        return .other
    }

    static func kind(_ bytes: [UInt8]) -> ObjectKind {
        // Inside a larger buffer, as the decoder gives it: the bytes around must not count.
        let buffer: [UInt8] = Array("https://v/".utf8) + bytes + Array("/name".utf8)
        return buffer.withUnsafeBytes { RecordDecoder.objectKind(UnsafeRawBufferPointer(rebasing: $0[10..<(10 + bytes.count)])) }
    }

    @Test("every name in random cases, each byte replaced by its neighbours, and random texts: the kind the byte-by-byte comparison gives")
    func matchesTheComparisonAsWritten() {
        let names = [
            "secrets", "deletedsecrets", "keys", "deletedkeys", "certificates", "deletedcertificates", "storage", "deletedstorage",
        ]
        // Around the letters: '@' '[' '`' '{', the letters' ends, a byte with the high bit, digits, separators.
        let replacements: [UInt8] = [0x40, 0x5B, 0x60, 0x7B, 0x41, 0x5A, 0x61, 0x7A, 0xC1, 0xE1, 0x01, 0x21, 0x30, 0x2F, 0x3F, 0x00, 0xFF]
        var random = SeededRandom(seed: 17)
        var checked = 0
        var named = 0
        for name in names {
            for _ in 0..<40 {
                var bytes = name.utf8.map { random.below(2) == 0 ? $0 & ~0x20 : $0 }
                #expect(Self.kind(bytes) == Self.reference(bytes), "\(bytes)")
                named += Self.reference(bytes) == .other ? 0 : 1
                for position in bytes.indices {
                    let original = bytes[position]
                    for replacement in replacements + [original ^ 0x20, original ^ 0x01, original ^ 0x80] {
                        bytes[position] = replacement
                        #expect(Self.kind(bytes) == Self.reference(bytes), "\(name): \(bytes)")
                        checked += 1
                    }
                    bytes[position] = original
                }
                // One byte more or less.
                #expect(Self.kind(Array(bytes.dropLast())) == Self.reference(Array(bytes.dropLast())))
                #expect(Self.kind(bytes + [0x73]) == Self.reference(bytes + [0x73]))
            }
        }
        let alphabet = Array("secrtkyiadolgSECRTKYIADOLG@[`{".utf8)
        for _ in 0..<20_000 {
            let bytes = (0..<random.below(22)).map { _ in alphabet[random.below(alphabet.count)] }
            #expect(Self.kind(bytes) == Self.reference(bytes), "\(bytes)")
        }
        #expect(named == names.count * 40)
        #expect(checked > 50_000)
    }
}
