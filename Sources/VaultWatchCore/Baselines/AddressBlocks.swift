/// The provider blocks each principal's dynamic addresses move around in: one learned fact.
///
/// A user at home gets a new address every day, each in a new /24 (IPv6: a new /48) but all
/// inside one provider's /16 (IPv6: /32). Once a principal has succeeded from
/// `familiarRanges` distinct ranges inside one block within the window, the block is familiar
/// for it: a further new range inside it is the same home line, not a new network. Another
/// provider, a hosting range or Tor is another block, and still unfamiliar.
///
/// Memory: one entry (about 24 bytes) per principal and block it used.
struct AddressBlocks: Sendable {
    struct Entry: Sendable, Hashable {
        /// Last day a call from the block succeeded (`HourCalendar.stamp`).
        var lastDay: UInt16
        /// Distinct ranges seen inside the block (counted up to `stored.count`).
        var distinct: UInt8
        /// The ranges (low 16 bits of the range number), to count them once each.
        var stored: SIMD4<UInt16>
    }

    private(set) var entries: [RangeKey: Entry] = [:]

    var count: Int { entries.count }

    /// The /16 (IPv4, tagged in the top bit) or /32 (IPv6) holding `address`.
    static func block(of address: IPAddress) -> UInt64 {
        if let v4 = address.ipv4Value { return 1 << 63 | UInt64(v4 >> 16) }
        return address.high >> 32
    }

    /// Whether `principal` has used at least `familiarRanges` ranges inside `address`'s block
    /// within the window ending on `day` (0 disables the notion: never familiar).
    func isFamiliar(_ address: IPAddress, principal: Symbol, windowStart: UInt16, familiarRanges: Int) -> Bool {
        guard familiarRanges > 0, let entry = entries[RangeKey(owner: principal, range: Self.block(of: address))] else {
            return false
        }
        return entry.lastDay > windowStart && Int(entry.distinct) >= familiarRanges
    }

    /// Learns a successful call of `principal` from `address` on `day`.
    mutating func observe(_ address: IPAddress, principal: Symbol, day: UInt16) {
        let range = UInt16(truncatingIfNeeded: RangeKey.range(of: address))
        let key = RangeKey(owner: principal, range: Self.block(of: address))
        var entry = entries[key] ?? Entry(lastDay: day, distinct: 0, stored: .zero)
        entry.lastDay = max(entry.lastDay, day)
        let seen = (0..<Int(min(entry.distinct, 4))).contains { entry.stored[$0] == range }
        if !seen, entry.distinct < UInt8.max {
            if entry.distinct < 4 { entry.stored[Int(entry.distinct)] = range }
            entry.distinct += 1
        }
        entries[key] = entry
    }

    /// Forgets blocks unused since before `day`.
    mutating func forget(before day: UInt16) {
        entries = entries.filter { $0.value.lastDay >= day }
    }

    /// For the snapshot: (principal, block, last day, distinct count, stored ranges).
    var saved: [(key: RangeKey, entry: Entry)] { entries.map { ($0.key, $0.value) } }

    mutating func restore(key: RangeKey, entry: Entry) {
        entries[key] = entry
    }
}
