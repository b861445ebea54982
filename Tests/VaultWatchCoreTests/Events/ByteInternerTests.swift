import Testing
@testable import VaultWatchCore

/// `ByteInterner` reads its slots, entries and arena through pointers on the look-up path: these
/// hold it to a dictionary of the same strings, across the table's growths, for strings of every
/// length the look-up compares differently (empty, under 4, 4-7, 8-15, 16 and more bytes), for
/// strings that share their first or last bytes, and for strings whose hashes are made to meet.
@Suite("Byte interner")
struct ByteInternerTests {
    private static func intern(_ interner: inout ByteInterner, _ bytes: [UInt8]) -> (index: Int, isNew: Bool) {
        bytes.withUnsafeBytes { interner.intern($0) }
    }

    @Test("20,000 strings of 0 to 70 bytes, many repeated, get dense indices in first-seen order, as a dictionary gives them")
    func matchesADictionary() {
        var random = SeededRandom(seed: 23)
        var interner = ByteInterner()
        var reference: [[UInt8]: Int] = [:]
        var strings: [[UInt8]] = []
        for round in 0..<20_000 {
            let bytes: [UInt8]
            if !strings.isEmpty, random.below(3) == 0 {
                bytes = strings[random.below(strings.count)]
            } else {
                let length = random.below(71)
                // A shared head or tail now and then: the comparison, not the length, must tell them apart.
                var made = (0..<length).map { _ in UInt8(0x30 + random.below(4)) }
                if length > 0, random.below(4) == 0, let other = strings.randomElement(using: &random), !other.isEmpty {
                    made[0..<Swift.min(length, other.count)] = other[0..<Swift.min(length, other.count)]
                    made[length - 1] = UInt8(0x30 + random.below(4))
                }
                bytes = made
            }
            let expected = reference[bytes]
            let (index, isNew) = Self.intern(&interner, bytes)
            if let expected {
                #expect(index == expected && !isNew, "round \(round): \(bytes) was \(expected), now \(index) new \(isNew)")
            } else {
                #expect(index == strings.count && isNew, "round \(round): \(bytes) new, got \(index) new \(isNew)")
                reference[bytes] = strings.count
                strings.append(bytes)
            }
            #expect(interner.count == strings.count)
        }
        for (index, bytes) in strings.enumerated() {
            #expect(Array(interner.bytes(at: index)) == bytes)
            #expect(bytes.withUnsafeBytes { interner.index(of: $0, hash: ByteInterner.hash($0)) } == index)
        }
        // Not interned: a look-up finds nothing, under the string's own hash or another's.
        let absent: [UInt8] = Array("not among them: 9999".utf8)
        #expect(absent.withUnsafeBytes { interner.index(of: $0, hash: ByteInterner.hash($0)) } == nil)
        // A string of the same length as an interned one, one byte changed (the first, one inside,
        // the last), looked up under the interned one's hash: the probe meets that string's slot,
        // the lengths agree, and only its bytes can tell them apart.
        var compared = 0
        for bytes in strings where !bytes.isEmpty {
            let hash = bytes.withUnsafeBytes { ByteInterner.hash($0) }
            for position in Set([0, bytes.count / 2, bytes.count - 1]) {
                var changed = bytes
                changed[position] = changed[position] == 0x7A ? 0x79 : 0x7A
                guard reference[changed] == nil else { continue }
                compared += 1
                #expect(changed.withUnsafeBytes { interner.index(of: $0, hash: hash) } == nil, "\(changed) under the hash of \(bytes)")
            }
        }
        #expect(compared > 1_000)
    }
}
