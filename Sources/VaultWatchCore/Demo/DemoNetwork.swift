/// Where a caller's traffic comes from: a stable /24 (an office NAT, a home line, an Azure
/// region's outbound addresses) and the few hosts of it that are used.
public struct DemoNetwork: Sendable, Hashable {
    /// The first three octets, `81.252.154`.
    public var prefix: String
    public var hosts: [Int]

    public init(_ prefix: String, hosts: [Int]) {
        self.prefix = prefix
        self.hosts = hosts
    }

    /// One address of the network.
    public func address(using random: inout DemoRandom) -> String {
        "\(prefix).\(random.element(of: hosts))"
    }
}
