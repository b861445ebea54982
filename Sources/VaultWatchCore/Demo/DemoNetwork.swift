/// Where a caller's traffic comes from: one stable range (an IPv4 /24 such as an office NAT or
/// a home line, an IPv6 /48 of a home ISP, an Azure region's outbound addresses) and the few
/// addresses of it that are used.
public struct DemoNetwork: Sendable, Hashable {
    public var addresses: [String]
    /// A dynamic line: each day a new /24 inside this IPv4 /16 (`86.247`), or a new /48 inside
    /// this IPv6 /32 (`2a01:e0a`), as a home ISP hands out (`resolved(onDay:)`).
    public var dynamicBlock: String?

    /// IPv4: the first three octets (`81.252.154`) and the hosts used in that /24.
    public init(_ prefix: String, hosts: [Int]) {
        addresses = hosts.map { "\(prefix).\($0)" }
    }

    /// IPv6: the /48 (`2a01:e0a:1f2`, three groups) and the rest of each address used in it
    /// (five groups, or fewer with `::`): a home line whose privacy addresses change.
    public init(ipv6 prefix: String, interfaces: [String]) {
        addresses = interfaces.map { "\(prefix):\($0)" }
    }

    /// A home line whose address changes every day inside one provider block: a new /24
    /// inside the IPv4 /16 `block` (`"86.247"`), or a new /48 inside the IPv6 /32 (`"2a01:e0a"`).
    public static func dynamic(block: String) -> DemoNetwork {
        var network = DemoNetwork(block + ".0", hosts: [1])
        network.dynamicBlock = block
        return network
    }

    /// The addresses in use on day `dayNumber` (days since 1970): the same network, except for
    /// a dynamic line, whose range of the day is derived from the day.
    public func resolved(onDay dayNumber: Int) -> DemoNetwork {
        guard let block = dynamicBlock else { return self }
        let hash = SeededRandom.fnv1a("\(block)/\(dayNumber)".utf8)
        if block.contains(":") {
            return DemoNetwork(ipv6: "\(block):\(String(hash % 0xFFFF, radix: 16))", interfaces: ["\(String((hash >> 16) % 0xFFFF, radix: 16)):4c1e:b2ff:fe10:5a7"])
        }
        return DemoNetwork("\(block).\(hash % 254 + 1)", hosts: [Int((hash >> 8) % 200) + 20])
    }

    /// One address of the network.
    public func address(using random: inout SeededRandom) -> String {
        random.element(of: addresses)
    }
}
