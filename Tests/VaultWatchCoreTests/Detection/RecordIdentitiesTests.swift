import Testing
@testable import VaultWatchCore

/// What counts as the same correlation id (`RecordIdentities.correlationDigest`): the same text
/// but for the case of its letters; and a digest that stays the one saved windows hold.
struct RecordIdentitiesTests {
    static func digest(_ text: String) -> UInt64 {
        Array(text.utf8).withUnsafeBytes { RecordIdentities.correlationDigest($0) }
    }

    /// Format 18's digest (main 5591e54), which folded every byte `| 0x20`: the reference a saved
    /// window was written with.
    static func format18Digest(_ text: String) -> UInt64 {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { return 0 }
        var value = UInt64(bytes.count) &* 0x9E37_79B9_7F4A_7C15
        var offset = 0
        while offset + 8 <= bytes.count {
            var word: UInt64 = 0
            for index in 0..<8 { word |= UInt64(bytes[offset + index]) << UInt64(8 * index) }
            value = RecordIdentities.mix(value, word | 0x2020_2020_2020_2020)
            offset += 8
        }
        if offset < bytes.count {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while offset < bytes.count {
                tail |= UInt64(bytes[offset] | 0x20) << shift
                shift += 8
                offset += 1
            }
            value = RecordIdentities.mix(value, tail)
        }
        return value == 0 ? 1 : value
    }

    /// Letters are folded, nothing else: `@` and `` ` ``, `[` and `{`, `-` and CR, `_` and DEL
    /// are other ids, in the eight-byte words and in the tail. Before, every byte was folded
    /// `| 0x20`, and each of these pairs gave one digest.
    @Test(arguments: [("@", "`"), ("[", "{"), ("-", "\r"), ("_", "\u{7F}"), ("\\", "|"), ("^", "~")])
    func onlyLettersAreFolded(one: String, other: String) {
        for (prefix, suffix) in [("", ""), ("req", "42"), ("request-", "-0001"), ("0a1b2c3d-0000-4000-8000-", "")] {
            #expect(Self.digest(prefix + one + suffix) != Self.digest(prefix + other + suffix), "\(prefix + one + suffix)")
        }
        #expect(Self.digest("0A1B2C3D-EEFF-4000-8000-00000000ABCD") == Self.digest("0a1b2c3d-eeff-4000-8000-00000000abcd"))
        #expect(Self.digest("Deploy_Job.Z") == Self.digest("deploy_job.z"))
        #expect(Self.digest("") == 0 && Self.digest("\0") != 0)
    }

    /// For an id of letters, digits and `-` (a GUID, in either case, and any prefix of one: every
    /// tail length), the digest is format 18's, so that a window saved by format 18 still
    /// recognises what it holds.
    @Test func aGUIDsDigestIsTheOneFormat18Saved() {
        for guid in ["0a1b2c3d-eeff-4000-8000-00000000abcd", "8F0C8E6B-6A57-4B7C-9D3E-2A1F00C0FFEE", "xxxxxxxxxxxxx", "correlationIdValue"] {
            for length in 1...guid.count {
                let text = String(guid.prefix(length))
                #expect(Self.digest(text) == Self.format18Digest(text), "\(text)")
            }
        }
    }
}
