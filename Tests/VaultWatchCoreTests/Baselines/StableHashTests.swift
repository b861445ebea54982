import Testing
@testable import VaultWatchCore

/// `StableHash` digests outlive the process (object fingerprints and record identities are
/// saved): contiguous bytes are hashed through a pointer, anything else byte by byte, and both
/// must give FNV-1a with MurmurHash3's finaliser, the values format 18 saved.
@Suite("Stable hash")
struct StableHashTests {
    /// FNV-1a and the finaliser as written, over the bytes one by one.
    static func reference(_ bytes: [UInt8]) -> UInt64 {
        var state: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { state = (state ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        state ^= state >> 33
        state &*= 0xff51_afd7_ed55_8ccd
        state ^= state >> 33
        state &*= 0xc4ce_b9fe_1a85_ec53
        state ^= state >> 33
        return state
    }

    @Test("fixed digests of names (computed apart, in Python): the same in every process and build")
    func fixedDigests() {
        #expect(StableHash.digest("".utf8) == 0xefd0_1f60_ba99_2926)
        #expect(StableHash.digest("a".utf8) == 0x82a2_a958_a9be_ce5b)
        #expect(StableHash.digest("source-crm-password".utf8) == 0xb3b5_2cbc_b181_3f63)
        #expect(StableHash.digest("kv-data-platform/secrets/warehouse-connection-é".utf8) == 0x6197_d25b_4931_fd9a)
        #expect(ObjectFingerprint.hash(of: "source-crm-password") == 0xb3b5_2cbc_b181_3f63)
    }

    @Test("a string's UTF-8, an array and a sequence with no contiguous storage digest alike, with names and bytes combined after")
    func everyKindOfSequenceDigestsAlike() {
        var random = SeededRandom(seed: 11)
        for round in 0..<2_000 {
            let count = random.below(90)
            let bytes = (0..<count).map { _ in UInt8(0x20 + random.below(0x5F)) }
            let text = String(decoding: bytes, as: UTF8.self)
            let expected = Self.reference(bytes)
            #expect(StableHash.digest(text.utf8) == expected, "round \(round): \(text)")
            #expect(StableHash.digest(bytes) == expected, "round \(round)")
            #expect(StableHash.digest(bytes.lazy.map { $0 }) == expected, "round \(round)")
            #expect(StableHash.digest(text.utf8.lazy.filter { _ in true }) == expected, "round \(round)")
            // Combined after other state: a name then its end byte, as identities hash them.
            var combined = StableHash()
            combined.combine(byte: 7)
            combined.combine(name: text)
            #expect(combined.finalized == Self.reference([7] + bytes + [0xFF]), "round \(round)")
        }
    }
}
