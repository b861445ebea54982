/// A vault's learned baseline, for charts: its usual operations per hour at each hour of the
/// week (median and MAD) and its usual operation mix. A value: read it from any thread.
public struct VaultBaselineSummary: Sendable, Hashable {
    /// One operation type's place in the vault's mix.
    public struct OperationShare: Sendable, Hashable {
        public var operation: String
        /// Share of the vault's operations over the window (decayed), 0…1.
        public var usualShare: Double
        /// Operations of this type in the hour being counted.
        public var currentHourCount: Int
    }

    public var vault: String
    public var firstSeen: EventTime
    public var historyDays: Int
    /// True until the vault has `learningDays` of history: its behavioural rules are not armed.
    public var isLearning: Bool
    /// The hour being counted and its operations so far (nil before any event).
    public var currentHour: EventTime?
    public var currentHourCount: Int
    /// 168 bands, index `weekday × 24 + hour` (weekday 0 = Sunday, UTC); nil where the
    /// history is too short. Each is the band the detector uses for that hour (in the vault's
    /// clock: `clock`).
    public var hourOfWeekBands: [VolumeBand?]
    /// Busiest first.
    public var operationMix: [OperationShare]
    public var knownPrincipals: Int
    public var knownUsers: Int
    public var knownApplications: Int
    /// How the vault's hours read locally (configured, inferred from its rhythm, or UTC).
    public var clock: LocalClock = .utc

    /// The band for `weekday` (0 = Sunday) at `hour` (0–23), UTC.
    public func band(weekday: Int, hour: Int) -> VolumeBand? {
        let index = weekday * 24 + hour
        return hourOfWeekBands.indices.contains(index) ? hourOfWeekBands[index] : nil
    }
}

extension BehaviourBaseline {
    /// The summary of `vault`'s baseline; nil when the vault is unknown.
    /// - Complexity: O(168 × window days) plus the operation types; no effect on the baseline.
    func summary(vault name: String) -> VaultBaselineSummary? {
        let symbol = symbols.intern(name.lowercased())
        guard let index = vaultIndex[symbol] else { return nil }
        return summary(at: index, bands: hourOfWeekBands(of: vaults[index]))
    }

    /// `summary(vault:)` with the vault's bands cached until its next hour closes.
    mutating func cachedSummary(vault name: String) -> VaultBaselineSummary? {
        let symbol = symbols.intern(name.lowercased())
        guard let index = vaultIndex[symbol] else { return nil }
        let key = (vaults[index].lastHourWritten, vaults[index].clock)
        let bands: [VolumeBand?]
        if let cached = summaryBands[symbol], cached.hour == key.0, cached.clock == key.1 {
            bands = cached.bands
        } else {
            bands = hourOfWeekBands(of: vaults[index])
            summaryBands[symbol] = (key.0, key.1, bands)
        }
        return summary(at: index, bands: bands)
    }

    /// The band of each hour of the coming week, by UTC hour of the week.
    private func hourOfWeekBands(of vault: VaultBaseline) -> [VolumeBand?] {
        var bands = [VolumeBand?](repeating: nil, count: 168)
        var hour = vault.lastHourWritten + 1
        for _ in 0..<168 {
            let slot = HourCalendar.weekday(ofHour: hour) * 24 + HourCalendar.hourOfDay(hour)
            var probe = vault
            probe.lastHourWritten = min(vault.lastHourWritten, hour - 1)
            bands[slot] = probe.band(for: hour, settings: settings)
            hour += 1
        }
        return bands
    }

    private func summary(at index: Int, bands: [VolumeBand?]) -> VaultBaselineSummary? {
        var vault = vaults[index]
        let name = symbols.string(vault.vault) ?? ""
        let now = currentHour == .min ? vault.lastHourWritten : currentHour
        vault.decayMix(to: now / 24, windowDays: settings.windowDays)
        var mix: [VaultBaselineSummary.OperationShare] = []
        for (operation, name) in operations.names.enumerated() where operation < vault.operationMix.count {
            let current = vault.isOpen ? Int(vault.openOperations[operation]) : 0
            let share = vault.usualShare(of: operation)
            if share > 0 || current > 0 {
                mix.append(.init(operation: name, usualShare: share, currentHourCount: current))
            }
        }
        mix.sort { ($0.usualShare, $0.currentHourCount) > ($1.usualShare, $1.currentHourCount) }
        let nowTime = EventTime.startOfHour(max(now, vault.firstSeen.hourNumber))
        let history = nowTime - vault.firstSeen
        return VaultBaselineSummary(
            vault: symbols.string(vault.vault) ?? name, firstSeen: vault.firstSeen,
            historyDays: max(0, Int(history.ticks / EventTime.ticksPerDay)), isLearning: history < learning,
            currentHour: vault.isOpen ? EventTime.startOfHour(vault.openHour) : nil,
            currentHourCount: vault.isOpen ? vault.openCount : 0, hourOfWeekBands: bands, operationMix: mix,
            knownPrincipals: vault.knownPrincipals, knownUsers: vault.knownUsers,
            knownApplications: vault.knownApplications, clock: vault.clock)
    }
}
