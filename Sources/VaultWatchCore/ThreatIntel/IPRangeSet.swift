/// An immutable set of IP addresses and CIDR blocks, IPv4 and IPv6, asked once per event
/// whether it holds the caller's address.
///
/// Single addresses (the bulk of a Tor exit list) sit in an open-addressing hash table; blocks
/// are sorted and merged into disjoint spans, found by binary search. A lookup is one hash
/// probe plus O(log spans) comparisons of 128-bit values, and allocates nothing.
///
/// IPv4 addresses are held v4-mapped, as `IPAddress` holds them, so an event whose caller is
/// written `::ffff:203.0.113.7` matches the entry `203.0.113.7`, and the reverse.
/// - Important: immutable and `Sendable`: build it once, share it between the detector's tasks.
public struct IPRangeSet: Sendable, Equatable {
    /// Single addresses that no span already covers.
    private let addresses: AddressHashTable
    /// The spans `lowerBounds[i]...upperBounds[i]`: sorted, disjoint and not adjacent. The
    /// bounds are kept apart so the binary search reads only the dense array of lower bounds.
    private let lowerBounds: [UInt128]
    private let upperBounds: [UInt128]

    /// The number of distinct entries (addresses and blocks) the set was built from. A block and
    /// an address inside it count as two, and `10.1.2.3/8` is the same entry as `10.0.0.0/8`.
    public let count: Int

    public var isEmpty: Bool { count == 0 }

    /// The set that holds nothing.
    public static let empty = IPRangeSet([IPNetwork]())

    /// Builds the set. O(n log n) in the number of entries.
    public init(_ networks: some Sequence<IPNetwork>) {
        var distinct = Set<IPNetwork>()
        var singles = Set<IPAddress>()
        var blocks: [(lower: IPAddress, upper: IPAddress)] = []
        for network in networks where distinct.insert(network).inserted {
            if network.isSingleAddress {
                singles.insert(network.first)
            } else {
                blocks.append((network.first, network.last))
            }
        }
        blocks.sort { $0.lower < $1.lower }
        var lowerBounds: [UInt128] = []
        var upperBounds: [UInt128] = []
        for block in blocks {
            let lower = Self.key(block.lower), upper = Self.key(block.upper)
            // Overlapping, or starting right after the previous span ends: one span.
            if let previous = upperBounds.last, previous == .max || lower <= previous + 1 {
                upperBounds[upperBounds.count - 1] = max(previous, upper)
            } else {
                lowerBounds.append(lower)
                upperBounds.append(upper)
            }
        }
        self.lowerBounds = lowerBounds
        self.upperBounds = upperBounds
        self.count = distinct.count
        // An address inside a span needs no hash entry: the span answers for it.
        self.addresses = AddressHashTable(lowerBounds.isEmpty ? singles : singles.filter {
            !Self.spansContain($0, lowerBounds: lowerBounds, upperBounds: upperBounds)
        })
    }

    /// The set of these addresses.
    public init(addresses: some Sequence<IPAddress>) {
        self.init(addresses.lazy.map { IPNetwork($0) })
    }

    /// Whether `address` is one of the addresses or inside one of the blocks.
    ///
    /// Called once per event on the detection path: no allocation, no Foundation.
    public func contains(_ address: IPAddress) -> Bool {
        if addresses.count > 0, addresses.contains(address) { return true }
        return !lowerBounds.isEmpty && Self.spansContain(address, lowerBounds: lowerBounds, upperBounds: upperBounds)
    }

    /// Binary search for the last span whose lower bound is at most `address`, then one
    /// comparison with its upper bound. The search halves without a data-dependent branch (the
    /// step is a conditional move on 128-bit keys), since events' addresses are random enough to
    /// defeat the branch predictor on every step.
    private static func spansContain(_ address: IPAddress, lowerBounds: [UInt128], upperBounds: [UInt128]) -> Bool {
        let key = key(address)
        return lowerBounds.withUnsafeBufferPointer { lowers in
            var remaining = lowers.count
            guard remaining > 0 else { return false }
            var base = 0
            while remaining > 1 {
                let half = remaining >> 1
                base = lowers[base &+ half] <= key ? base &+ half : base
                remaining &-= half
            }
            return lowers[base] <= key && key <= upperBounds[base]
        }
    }

    /// The address as one 128-bit number, so ordering is a single comparison.
    private static func key(_ address: IPAddress) -> UInt128 {
        UInt128(address.high) << 64 | UInt128(address.low)
    }

    /// Equal when they hold the same addresses and spans (whatever order they were built in).
    public static func == (lhs: IPRangeSet, rhs: IPRangeSet) -> Bool {
        lhs.count == rhs.count && lhs.lowerBounds == rhs.lowerBounds && lhs.upperBounds == rhs.upperBounds
            && lhs.addresses.addresses.sorted() == rhs.addresses.addresses.sorted()
    }

}
