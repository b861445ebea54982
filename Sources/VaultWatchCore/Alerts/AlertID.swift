/// Makes alert ids: 16 lowercase hex digits of a 64-bit hash of (kind, vault, entity, first
/// seen), so that a replay of the same events gives the same ids and the store can upsert.
/// An id is never given to two alerts: when the alert it names was raised already and is no
/// longer open (a record judged again after the duplicate window, `AlertAggregator`), the next
/// one is made with an occurrence number (1, 2, …) in the hash.
///
/// The hash reads the *text* of the vault and entity, never symbol numbers: symbols depend on
/// the order strings were first met, ids must not.
public enum AlertID {
    /// - Parameters:
    ///   - entity: who the alert is about, as text (a principal id, an IP, `principal|operation`).
    ///   - occurrence: 0 for the first alert of (kind, vault, entity, first seen): its id is the
    ///     one it always had; n for the n-th after it.
    public static func make(kind: AlertKind, vault: String?, entity: String?, firstSeen: EventTime, occurrence: Int = 0) -> String {
        var hash = FNV1a64()
        hash.combine(kind.rawValue)
        hash.combine(vault ?? "")
        hash.combine(entity ?? "")
        var ticks = UInt64(bitPattern: firstSeen.ticks)
        for _ in 0..<8 {
            hash.combine(byte: UInt8(truncatingIfNeeded: ticks))
            ticks >>= 8
        }
        if occurrence > 0 {
            hash.combine(byte: 0x1F)
            hash.combine(String(occurrence))
        }
        let digits = String(hash.finalized, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// FNV-1a over the fields, each followed by a unit separator so that ("ab", "c") and
    /// ("a", "bc") differ, then a final avalanche so close inputs spread over all digits.
    private struct FNV1a64 {
        var state: UInt64 = 0xcbf2_9ce4_8422_2325

        mutating func combine(byte: UInt8) {
            state = (state ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }

        mutating func combine(_ text: String) {
            for byte in text.utf8 { combine(byte: byte) }
            combine(byte: 0x1F)
        }

        var finalized: UInt64 {
            // The SplitMix64 finaliser.
            var value = state
            value = (value ^ (value >> 30)) &* 0xbf58_476d_1ce4_e5b9
            value = (value ^ (value >> 27)) &* 0x94d0_49bb_1331_11eb
            return value ^ (value >> 31)
        }
    }
}
