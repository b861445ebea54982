/// GUIDs for the demo tenant, written as Azure writes them (lowercase, 8-4-4-4-12).
///
/// Identities and resources get GUIDs derived from their names, not from the seed: the
/// principals named in `expected-alerts.json` stay the same whatever the seed, so the file
/// is a property of the scenario. Correlation ids and versions come from the seeded streams.
public enum DemoGUID {
    /// The GUID of a named thing (`principal/camille`), the same in every run.
    public static func named(_ name: String) -> String {
        var random = SeededRandom(seed: SeededRandom.fnv1a(name.utf8))
        return make(using: &random)
    }

    /// A version-4-shaped GUID from the stream.
    public static func make(using random: inout SeededRandom) -> String {
        let high = random.next()
        let low = random.next()
        var text = hex(high >> 32, digits: 8) + "-" + hex((high >> 16) & 0xFFFF, digits: 4) + "-"
        text += hex(0x4000 | (high & 0x0FFF), digits: 4) + "-"
        text += hex(0x8000 | ((low >> 48) & 0x3FFF), digits: 4) + "-" + hex(low & 0xFFFF_FFFF_FFFF, digits: 12)
        return text
    }

    /// 32 lowercase hex digits: the version segment of a secret, key or certificate id.
    public static func objectVersion(_ name: String) -> String {
        var random = SeededRandom(seed: SeededRandom.fnv1a(name.utf8))
        return hex(random.next(), digits: 16) + hex(random.next(), digits: 16)
    }

    static func hex(_ value: UInt64, digits: Int) -> String {
        let alphabet = Array("0123456789abcdef".utf8)
        var bytes = [UInt8](repeating: 48, count: digits)
        var rest = value
        for index in stride(from: digits - 1, through: 0, by: -1) {
            bytes[index] = alphabet[Int(rest & 0xF)]
            rest >>= 4
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
