/// Where a caller's traffic comes from: one stable range (an IPv4 /24 such as an office NAT or
/// a home line, an IPv6 /48 of a home ISP, an Azure region's outbound addresses) and the few
/// addresses of it that are used.
public struct DemoNetwork: Sendable, Hashable {
    public var addresses: [String]

    /// IPv4: the first three octets (`81.252.154`) and the hosts used in that /24.
    public init(_ prefix: String, hosts: [Int]) {
        addresses = hosts.map { "\(prefix).\($0)" }
    }

    /// IPv6: the /48 (`2a01:e0a:1f2`, three groups) and the rest of each address used in it
    /// (five groups, or fewer with `::`): a home line whose privacy addresses change.
    public init(ipv6 prefix: String, interfaces: [String]) {
        addresses = interfaces.map { "\(prefix):\($0)" }
    }

    /// One address of the network.
    public func address(using random: inout SeededRandom) -> String {
        random.element(of: addresses)
    }
}
