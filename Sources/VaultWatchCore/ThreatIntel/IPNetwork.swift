/// One CIDR block (`10.0.0.0/8`, `2001:db8::/32`) or a single address (a full-length block).
///
/// The network is held as its first address and a prefix length over the 128 bits of
/// `IPAddress`, where IPv4 lives v4-mapped (`::ffff:a.b.c.d`). So an IPv4 block `a.b.c.d/n` is
/// the 128-bit block `::ffff:a.b.c.d/(96 + n)`, and the same block written in IPv6 syntax
/// (`::ffff:10.0.0.0/104`) is the same value, shown as `10.0.0.0/8`.
///
/// Host bits are cleared, not rejected: `10.1.2.3/8` is the network `10.0.0.0/8`. Threat feeds
/// and firewall tools (iptables, ipset) write blocks that way, and the block that contains the
/// written address is what the author meant; refusing the whole file over it would leave the
/// analyst with no list at all.
///
/// The zero-length blocks differ by family: `0.0.0.0/0` is every IPv4 address, while `::/0` is
/// every address, IPv4 included, because the v4-mapped block lies inside it.
public struct IPNetwork: Sendable, Hashable, CustomStringConvertible {
    /// The first address of the block (the written address with its host bits cleared).
    public let first: IPAddress
    /// The prefix length over all 128 bits (IPv4 blocks are 96 + their IPv4 length).
    let bitCount: Int

    /// A block from its first address and a 128-bit prefix length (0–128); host bits are cleared.
    init(masking address: IPAddress, bitCount: Int) {
        let mask = Self.mask(bitCount: bitCount)
        self.first = IPAddress(high: address.high & mask.high, low: address.low & mask.low)
        self.bitCount = bitCount
    }

    /// The block of one address.
    public init(_ address: IPAddress) {
        self.first = address
        self.bitCount = 128
    }

    /// The block of `prefixLength` leading bits of `address`, with its host bits cleared. As in
    /// `IPAddress.masked(prefixLength:)`, the length counts IPv4 bits (0–32) for an IPv4 address
    /// and all 128 bits otherwise; nil when it is out of that range.
    public init?(address: IPAddress, prefixLength: Int) {
        let width = address.isIPv4 ? 32 : 128
        guard (0...width).contains(prefixLength) else { return nil }
        self.init(masking: address, bitCount: 128 - width + prefixLength)
    }

    /// Parses `a.b.c.d`, `a.b.c.d/n`, an IPv6 address or `v6/n` (also `[v6]` and `[v6]/n`);
    /// nil for anything else. See `parse(_:)` for the rules.
    public init?(_ text: String) {
        var copy = text
        let parsed = copy.withUTF8 { buffer -> IPNetwork? in
            do { return try IPNetwork.parse(UnsafeRawBufferPointer(buffer)) } catch { return nil }
        }
        guard let parsed else { return nil }
        self = parsed
    }

    /// Whether this block is IPv4 (v4-mapped and at least the whole v4-mapped prefix long).
    public var isIPv4: Bool { bitCount >= 96 && first.isIPv4 }

    /// The prefix length as written for the family: 0–32 for IPv4, 0–128 for IPv6.
    public var prefixLength: Int { isIPv4 ? bitCount - 96 : bitCount }

    /// Whether the block is a single address.
    public var isSingleAddress: Bool { bitCount == 128 }

    /// The last address of the block.
    public var last: IPAddress {
        let mask = Self.mask(bitCount: bitCount)
        return IPAddress(high: first.high | ~mask.high, low: first.low | ~mask.low)
    }

    public func contains(_ address: IPAddress) -> Bool {
        let mask = Self.mask(bitCount: bitCount)
        return address.high & mask.high == first.high && address.low & mask.low == first.low
    }

    /// `10.0.0.0/8`, `2001:db8::/32`, or the bare address for a single address.
    public var description: String {
        isSingleAddress ? first.description : "\(first)/\(prefixLength)"
    }

    private static func mask(bitCount: Int) -> (high: UInt64, low: UInt64) {
        func keep(_ bits: Int) -> UInt64 {
            bits <= 0 ? 0 : bits >= 64 ? .max : ~(UInt64.max >> UInt64(bits))
        }
        return (keep(bitCount), keep(bitCount - 64))
    }
}

extension IPNetwork {
    /// Parses one list entry: an address or `address/length`, with no surrounding whitespace.
    ///
    /// The family of the written address decides what the length counts: dotted IPv4 counts
    /// IPv4 bits (0–32), IPv6 syntax counts 128 bits, even for a v4-mapped address
    /// (`::ffff:10.0.0.0/104` is `10.0.0.0/8`). IPv6 may be in brackets; ports and zone ids are
    /// refused, since a list names addresses, not endpoints or interfaces.
    static func parse(_ bytes: UnsafeRawBufferPointer) throws(ThreatIntelError.Problem) -> IPNetwork {
        let slash = bytes.firstIndex(of: UInt8(ascii: "/"))
        let addressBytes = UnsafeRawBufferPointer(rebasing: bytes[0..<(slash ?? bytes.count)])
        guard let (address, isIPv6Syntax) = parseAddress(addressBytes) else {
            throw .notAnAddress(String(decoding: addressBytes, as: UTF8.self))
        }
        guard let slash else { return IPNetwork(address) }

        let lengthBytes = UnsafeRawBufferPointer(rebasing: bytes[(slash + 1)...])
        let lengthText = String(decoding: lengthBytes, as: UTF8.self)
        guard !lengthBytes.isEmpty, lengthBytes.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            throw .prefixLengthNotANumber(lengthText)
        }
        let width = isIPv6Syntax ? 128 : 32
        var length = 0
        for digit in lengthBytes {
            length = length * 10 + Int(digit - UInt8(ascii: "0"))
            if length > width { throw .prefixLengthTooLong(lengthText, isIPv4: !isIPv6Syntax) }
        }
        return IPNetwork(masking: address, bitCount: 128 - width + length)
    }

    /// The address and whether it was written in IPv6 syntax; nil when it is not a bare address.
    private static func parseAddress(_ bytes: UnsafeRawBufferPointer) -> (IPAddress, Bool)? {
        var text = bytes
        if text.first == UInt8(ascii: "["), text.last == UInt8(ascii: "]"), text.count > 2 {
            text = UnsafeRawBufferPointer(rebasing: text[1..<(text.count - 1)])
            guard text.contains(UInt8(ascii: ":")) else { return nil }
        }
        var colons = 0
        for byte in text {
            switch byte {
            case UInt8(ascii: ":"): colons += 1
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."): break
            case UInt8(ascii: "a")...UInt8(ascii: "f"), UInt8(ascii: "A")...UInt8(ascii: "F"): break
            default: return nil  // spaces, brackets inside, `%zone`, anything else
            }
        }
        // One colon is `a.b.c.d:port` to `IPAddress.parse`; a list entry has no port.
        guard colons != 1, let address = IPAddress.parse(text) else { return nil }
        return (address, colons > 0)
    }
}
