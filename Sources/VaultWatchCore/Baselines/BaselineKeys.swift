/// Two symbols packed into one 64-bit key: (vault, principal), (vault, application).
/// Hashing one integer is the cheapest dictionary key Swift offers.
struct SymbolPair: Hashable, Sendable {
    var raw: UInt64

    init(_ first: Symbol, _ second: Symbol) {
        raw = UInt64(first.rawValue) << 32 | UInt64(second.rawValue)
    }

    var first: Symbol { Symbol(rawValue: UInt32(truncatingIfNeeded: raw >> 32)) }
    var second: Symbol { Symbol(rawValue: UInt32(truncatingIfNeeded: raw)) }
}

/// (vault, principal, application): the user–application pair on a vault.
struct SymbolTriple: Hashable, Sendable {
    var pair: SymbolPair
    var third: Symbol
}

/// An owner (principal or vault) and a network range (/24 or /48) it was reached from.
struct RangeKey: Hashable, Sendable {
    var owner: Symbol
    var range: UInt64

    /// /24 for IPv4 (tagged in the top bit), the first 48 bits for IPv6.
    static func range(of address: IPAddress) -> UInt64 {
        if let v4 = address.ipv4Value { return 1 << 63 | UInt64(v4 >> 8) }
        return address.high >> 16
    }

    /// The range back as an address (its first address), for wording and export.
    static func network(of range: UInt64) -> IPAddress {
        if range >> 63 == 1 { return IPAddress(ipv4: UInt32(truncatingIfNeeded: range & 0xFF_FFFF) << 8) }
        return IPAddress(high: range << 16, low: 0)
    }
}
