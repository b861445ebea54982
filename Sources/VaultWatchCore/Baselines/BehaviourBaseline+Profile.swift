/// The baselines' knowledge of one entity, gathered for its page (`EntityProfile`). Read-only:
/// nothing here changes what is learned.
extension BehaviourBaseline {
    /// The most values a fact lists (the page shows the first few, and how many in all).
    static let profileValueLimit = 12

    /// - Complexity: one pass over the pairs and the learned applications and ranges (the
    ///   baselines' entities); called when an analyst opens a page, never per event.
    func profile(of entity: EntityReference) -> EntityProfile {
        let name = { (symbol: Symbol) in self.symbols.string(symbol) ?? "(none)" }
        // What the rules treat as familiar: seen within the memory (`memoryDays`).
        let familiarAfter = currentDay == .min ? UInt16(0) : HourCalendar.stamp(day: currentDay - memoryDays)
        func day(_ stamp: UInt16) -> String { EventTime(ticks: Int64(stamp) * EventTime.ticksPerDay).iso8601.prefix(10).description }
        func limited(_ values: [String]) -> [String] {
            values.count > Self.profileValueLimit
                ? Array(values.prefix(Self.profileValueLimit)) + ["… and \(values.count - Self.profileValueLimit) more"] : values
        }
        var facts: [EntityProfile.Fact] = []
        var firstSeen: EventTime?
        var known = false
        switch entity.kind {
        case .principal:
            let principal = symbols.intern(entity.id)
            if let baseline = principals[principal] {
                known = true
                firstSeen = baseline.firstSeen
                let usual = baseline.reachedPeak.value(at: period(ofDay: currentDay))
                facts.append(.init(label: "usual reach", values: ["at most \(usual) vault\(usual == 1 ? "" : "s") in 24 hours (before today)"]))
            }
            var vaults: [(String, String)] = []
            for (key, pair) in pairs where key.second == principal {
                known = true
                var text = "\(name(key.first)): since \(day(pair.firstSeenDay))"
                if let band = pair.bursts.band(before: HourCalendar.stamp(day: currentDay), settings: settings) {
                    text += ", busiest hour usually \(Self.figure(band.median)) calls (up to \(band.sameWeekdayMaximum))"
                }
                vaults.append((name(key.first), text))
            }
            if !vaults.isEmpty { facts.append(.init(label: "vaults used", values: limited(vaults.sorted { $0.0 < $1.0 }.map(\.1)))) }
            var applications: Set<String> = []
            for (key, last) in userApplications where key.pair.second == principal && last > familiarAfter {
                applications.insert(name(key.third))
            }
            if !applications.isEmpty { facts.append(.init(label: "applications", values: limited(applications.sorted()))) }
            var ranges: [String] = []
            for (key, last) in principalRanges where key.owner == principal && last > familiarAfter {
                ranges.append(Self.rangeText(key.range) + " (last \(day(last)))")
            }
            if !ranges.isEmpty { facts.append(.init(label: "address ranges", values: limited(ranges.sorted()))) }
        case .application:
            let application = symbols.intern(entity.id)
            var vaults: [String] = []
            var firstStamp = UInt16.max
            for (key, last) in vaultApplications where key.second == application && last > familiarAfter {
                vaults.append("\(name(key.first)) (last \(day(last)))")
            }
            var users: Set<String> = []
            for (key, last) in userApplications where key.third == application && last > familiarAfter {
                users.insert(name(key.pair.second))
                if let pair = pairs[key.pair] { firstStamp = min(firstStamp, pair.firstSeenDay) }
            }
            known = !vaults.isEmpty || !users.isEmpty
            // Applications are learned by day: the day, not a made-up midnight.
            if firstStamp != .max { facts.append(.init(label: "first seen", values: ["on \(day(firstStamp))"])) }
            if !vaults.isEmpty { facts.append(.init(label: "vaults", values: limited(vaults.sorted()))) }
            if !users.isEmpty { facts.append(.init(label: "callers", values: limited(users.sorted()))) }
        case .address:
            guard let address = IPAddress(entity.id) else { break }
            let range = RangeKey.range(of: address)
            var principalsUsing: [String] = []
            var vaultsUsing: [String] = []
            for (key, last) in principalRanges where key.range == range && last > familiarAfter { principalsUsing.append(name(key.owner)) }
            for (key, last) in vaultRanges where key.range == range && last > familiarAfter { vaultsUsing.append(name(key.owner)) }
            known = !principalsUsing.isEmpty || !vaultsUsing.isEmpty
            facts.append(.init(label: "range", values: [Self.rangeText(range) + (known ? " is familiar" : " is not familiar to any principal or vault")]))
            if !principalsUsing.isEmpty { facts.append(.init(label: "familiar for", values: limited(principalsUsing.sorted()))) }
            if !vaultsUsing.isEmpty { facts.append(.init(label: "on vaults", values: limited(vaultsUsing.sorted()))) }
        case .vault:
            let vault = symbols.intern(entity.id)
            if let summary = summary(vault: entity.id) {
                known = true
                firstSeen = summary.firstSeen
                facts.append(.init(label: "history", values: [
                    "\(summary.historyDays) days\(summary.isLearning ? " (still learning)" : ""); clock \(summary.clock.label)\(summary.clock.isInferred ? " (inferred)" : "")",
                ]))
                facts.append(.init(label: "usual volume", values: Self.usualVolume(summary)))
                facts.append(.init(label: "known", values: [
                    "\(summary.knownPrincipals) principals, \(summary.knownUsers) users, \(summary.knownApplications) applications",
                ]))
            }
            var principalsKnown: [String] = []
            for (key, pair) in pairs where key.first == vault && pair.lastSeenHour != .min {
                principalsKnown.append("\(name(key.second)) (since \(day(pair.firstSeenDay)))")
            }
            if !principalsKnown.isEmpty { facts.append(.init(label: "principals", values: limited(principalsKnown.sorted()))) }
            var applications: [String] = []
            for (key, last) in vaultApplications where key.first == vault && last > familiarAfter { applications.append(name(key.second)) }
            if !applications.isEmpty { facts.append(.init(label: "applications", values: limited(applications.sorted()))) }
            var ranges: [String] = []
            for (key, last) in vaultRanges where key.owner == vault && last > familiarAfter { ranges.append(Self.rangeText(key.range)) }
            if !ranges.isEmpty { facts.append(.init(label: "address ranges", values: limited(ranges.sorted()))) }
        }
        return EntityProfile(entity: entity, isKnown: known, firstSeen: firstSeen, facts: facts)
    }

    /// A range key as CIDR text: `203.0.113.0/24`, `2001:db8:1::/48`.
    static func rangeText(_ range: UInt64) -> String {
        let network = RangeKey.network(of: range)
        return "\(network)/\(network.isIPv4 ? 24 : 48)"
    }

    static func figure(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String((value * 10).rounded() / 10)
    }

    static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }

    /// The usual hours (UTC hours of the day whose usual count is at least half the busiest
    /// one's, on any weekday) and the usual count at the busiest of them.
    static func usualVolume(_ summary: VaultBaselineSummary) -> [String] {
        var busiest = [Double](repeating: 0, count: 24)
        for (slot, band) in summary.hourOfWeekBands.enumerated() {
            guard let band else { continue }
            busiest[slot % 24] = max(busiest[slot % 24], band.median)
        }
        guard let peak = busiest.max(), peak > 0 else { return ["no usual activity learned yet"] }
        var spans: [String] = []
        var start: Int?
        for hour in 0...24 {
            let busy = hour < 24 && busiest[hour] >= peak / 2
            if busy, start == nil { start = hour }
            if !busy, let first = start {
                spans.append(hour - first == 1 ? "\(Self.twoDigits(first)):00" : "\(Self.twoDigits(first))–\(Self.twoDigits(hour)):00")
                start = nil
            }
        }
        let peakHour = busiest.firstIndex(of: peak) ?? 0
        let hours = spans == ["00–24:00"] ? "busy around the clock" : "busy hours (UTC) \(spans.joined(separator: ", "))"
        return [
            hours,
            "usually \(figure(peak)) operations at \(Self.twoDigits(peakHour)):00, the busiest hour",
        ]
    }
}
