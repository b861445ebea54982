/// The provider blocks each principal's addresses come from, and on how many days it used each
/// range inside them: one learned fact.
///
/// A user at home on a dynamic line gets a new address every day, each in a new /24 (IPv6: a
/// new /48) but all inside one provider's /16 (IPv6: /32). A new range inside a block is the
/// same line, not a new network, when the block is familiar for the principal:
/// - it has succeeded from `familiarRanges` distinct ranges inside it (the line has moved), or
/// - every range it used there was used on at most `footprintDays` distinct days: the
///   footprint of a line that moves. A home day once a week, even skipped for two weeks,
///   leaves one range used on one day, since the line moved before the next home day.
///
/// A range used on many days (an office, a static home line, a service's cloud egress) with a
/// new range beside it is what an attacker on the same provider looks like: still unfamiliar.
/// Another provider, a hosting range or Tor is another block, and unfamiliar too.
///
/// Memory: one entry (about 40 bytes) per principal and block it used.
struct AddressBlocks: Sendable {
    struct Entry: Sendable, Hashable {
        /// Last day a call from the block succeeded (`HourCalendar.stamp`).
        var lastDay: UInt16
        /// Distinct ranges seen inside the block (counted up to `UInt8.max`).
        var distinct: UInt8
        /// The first ranges (low 16 bits of the range number), to count them once each.
        var stored: SIMD4<UInt16>
        /// Distinct days each stored range was used on, up to `manyDays` (which also stands for
        /// a range restored from a state that did not count them: format 9 and older).
        var days: SIMD4<UInt8>
        /// The last day each stored range was used on, so a day counts once.
        var rangeLastDays: SIMD4<UInt16>
    }

    /// Saturated day count: a range used on this many days or more, or on days not counted.
    static let manyDays = UInt8.max

    private(set) var entries: [RangeKey: Entry] = [:]

    var count: Int { entries.count }

    /// The /16 (IPv4, tagged in the top bit) or /32 (IPv6) holding `address`.
    static func block(of address: IPAddress) -> UInt64 {
        if let v4 = address.ipv4Value { return 1 << 63 | UInt64(v4 >> 16) }
        return address.high >> 32
    }

    /// Whether `address`'s block is familiar for `principal` within the memory ending after
    /// `windowStart`: `familiarRanges` ranges used inside it, or only ranges used on at most
    /// `footprintDays` days each (0 disables that part; `familiarRanges` 0 disables both:
    /// never familiar).
    func isFamiliar(_ address: IPAddress, principal: Symbol, windowStart: UInt16, familiarRanges: Int, footprintDays: Int) -> Bool {
        guard familiarRanges > 0, let entry = entries[RangeKey(owner: principal, range: Self.block(of: address))],
            entry.lastDay > windowStart
        else { return false }
        if Int(entry.distinct) >= familiarRanges { return true }
        // Fewer ranges than `familiarRanges` (at most 4): every one of them is stored.
        guard footprintDays > 0, entry.distinct > 0 else { return false }
        return (0..<Int(entry.distinct)).allSatisfy { Int(entry.days[$0]) <= footprintDays }
    }

    /// Whether `principal` roams the pool around `address`'s block (IPv4: the /8, IPv6: the /24,
    /// the 256 blocks sharing its first octet or 24 bits): it used at least `roamingBlocks` other
    /// blocks in it within the memory ending after `windowStart`, each only with ranges used on at
    /// most `footprintDays` days. A service on hosted runners (a CI pipeline on GitHub Actions or
    /// Azure DevOps agents) gets a new address from its cloud's pool at each run, across dozens of
    /// the provider's blocks: a new block of a pool it already roams is its habit, while a block
    /// of a network it never used (an attacker's host on another provider) is not. A block where
    /// it kept one range for more days (an office, a build server) does not count: that is a
    /// place, not a pool. 0 disables; so does `footprintDays` 0.
    ///
    /// - Complexity: at most 256 look-ups; asked only for a call `KV_UnusualAccessSuspiciousIP`
    ///   would otherwise judge (range and block unfamiliar, vault armed, principal known).
    func roamsPool(_ address: IPAddress, principal: Symbol, windowStart: UInt16, footprintDays: Int, roamingBlocks: Int) -> Bool {
        guard roamingBlocks > 0, footprintDays > 0 else { return false }
        let block = Self.block(of: address)
        let first = block & ~0xFF
        var roamed = 0
        for candidate in first...(first | 0xFF) where candidate != block {
            guard let entry = entries[RangeKey(owner: principal, range: candidate)], entry.lastDay > windowStart,
                entry.distinct > 0
            else { continue }
            let stored = Int(min(entry.distinct, 4))
            guard (0..<stored).allSatisfy({ Int(entry.days[$0]) <= footprintDays }) else { continue }
            roamed += 1
            if roamed >= roamingBlocks { return true }
        }
        return false
    }

    /// Learns a successful call of `principal` from `address` on `day`. A late record of a day
    /// before the range's last day is not counted: the count can miss a day only late records
    /// saw.
    mutating func observe(_ address: IPAddress, principal: Symbol, day: UInt16) {
        let range = UInt16(truncatingIfNeeded: RangeKey.range(of: address))
        let key = RangeKey(owner: principal, range: Self.block(of: address))
        var entry = entries[key] ?? Entry(lastDay: day, distinct: 0, stored: .zero, days: .zero, rangeLastDays: .zero)
        entry.lastDay = max(entry.lastDay, day)
        let storedCount = Int(min(entry.distinct, 4))
        if let slot = (0..<storedCount).first(where: { entry.stored[$0] == range }) {
            if day > entry.rangeLastDays[slot] {
                entry.rangeLastDays[slot] = day
                if entry.days[slot] < Self.manyDays { entry.days[slot] += 1 }
            }
        } else if entry.distinct < UInt8.max {
            if storedCount < 4 {
                entry.stored[storedCount] = range
                entry.days[storedCount] = 1
                entry.rangeLastDays[storedCount] = day
            }
            entry.distinct += 1
        }
        entries[key] = entry
    }

    /// Forgets blocks unused since before `day`.
    mutating func forget(before day: UInt16) {
        entries = entries.filter { $0.value.lastDay >= day }
    }

    mutating func restore(key: RangeKey, entry: Entry) {
        entries[key] = entry
    }
}
