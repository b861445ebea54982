/// A fixed open-addressing hash set of addresses, for the one question asked per event.
///
/// Swift's `Set` hashes with seeded SipHash, which protects a table that untrusted input
/// inserts into. Here only the list file inserts, and events only look up: no caller can
/// lengthen a probe sequence, so a cheap multiply-and-fold hash is safe and several times
/// faster. Linear probing at a load of at most one half keeps a miss to a few slots.
struct AddressHashTable: Sendable {
    private let slots: [IPAddress]
    private let occupied: [Bool]
    private let mask: Int
    let count: Int

    init(_ addresses: Set<IPAddress>) {
        var capacity = 2
        while capacity < addresses.count * 2 { capacity <<= 1 }
        var slots = [IPAddress](repeating: IPAddress(high: 0, low: 0), count: capacity)
        var occupied = [Bool](repeating: false, count: capacity)
        let mask = capacity - 1
        for address in addresses {
            var index = Self.hash(address) & mask
            while occupied[index] { index = (index + 1) & mask }
            slots[index] = address
            occupied[index] = true
        }
        self.slots = slots
        self.occupied = occupied
        self.mask = mask
        self.count = addresses.count
    }

    /// No allocation; expected O(1).
    func contains(_ address: IPAddress) -> Bool {
        var index = Self.hash(address) & mask
        while occupied[index] {
            if slots[index] == address { return true }
            index = (index + 1) & mask
        }
        return false
    }

    /// The addresses, in no particular order.
    var addresses: [IPAddress] {
        slots.indices.compactMap { occupied[$0] ? slots[$0] : nil }
    }

    /// Both halves mixed by multiplication, then the well-mixed high bits folded down (the
    /// SplitMix64 finalizer), so addresses that differ only in their last octet spread apart.
    private static func hash(_ address: IPAddress) -> Int {
        var mixed = address.high &* 0x9E37_79B9_7F4A_7C15 ^ address.low
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int(truncatingIfNeeded: mixed ^ (mixed >> 31))
    }
}
