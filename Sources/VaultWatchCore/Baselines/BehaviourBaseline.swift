/// The learned behaviour of every vault, principal, application and network range, on event
/// time only (DESIGN.md §4): what the behavioural rules compare each event against.
///
/// Keyed by `Symbol`s; each entity keeps compact counters (last-seen hour or day, period
/// maxima, small fixed arrays), and a daily sweep forgets what the window (default 30 days) no
/// longer holds, so memory grows with entities, not events.
///
/// Events must come in event-time order (the detector's reorder buffer sees to it) except
/// records later than the tolerance, which `observe` still counts (see `observe`'s notes).
/// - Important: owned by one detector; not thread-safe.
struct BehaviourBaseline {
    struct ListSequence {
        var start: EventTime
        var secrets: [Symbol] = []
        var distinct = 0
    }

    struct AccessChange {
        var vault: Symbol
        var changer: Symbol
        var granted: Symbol
        var operation: Symbol
        var time: EventTime
        var event: AuditEvent
        var consumed = false
    }

    struct OpenPairHour {
        var count: Int
        var usual: Int
        var threshold: Int
        var crossing: AuditEvent?
    }

    let settings: BehaviourSettings
    let symbols: SymbolTable
    var operations: OperationIndex

    var vaultIndex: [Symbol: Int] = [:]
    var vaults: [VaultBaseline] = []
    var principals: [Symbol: PrincipalBaseline] = [:]
    var pairs: [SymbolPair: PairBaseline] = [:]
    /// (vault, application) → last day seen (`HourCalendar.stamp`).
    var vaultApplications: [SymbolPair: UInt16] = [:]
    /// (vault, principal, application) → last day seen.
    var userApplications: [SymbolTriple: UInt16] = [:]
    var principalRanges: [RangeKey: UInt16] = [:]
    var vaultRanges: [RangeKey: UInt16] = [:]

    var openLists: [SymbolPair: ListSequence] = [:]
    var openChanges: [AccessChange] = []
    var openPairHours: [SymbolPair: OpenPairHour] = [:]
    var openVaults: [Int] = []

    /// The hour and day of the latest in-order event.
    var currentHour: Int32 = .min
    var currentDay: Int32 = .min
    var firstEventTime: EventTime?

    init(settings: BehaviourSettings, symbols: SymbolTable) {
        self.settings = settings
        self.symbols = symbols
        self.operations = OperationIndex(symbols: symbols)
    }

    var windowDays: Int32 { Int32(max(1, settings.windowDays)) }
    var windowHours: Int32 { windowDays * 24 }
    var ringHours: Int { Int(windowDays) * 24 }
    var learning: EventTime.Duration { .days(Int64(max(0, settings.learningDays))) }

    /// The period of `PeriodMaximum` counters: half the window.
    func period(ofDay day: Int32) -> UInt16 {
        UInt16(clamping: max(0, day) / max(1, windowDays / 2))
    }

    /// How many entities the baselines hold: what memory grows with.
    var entityCount: Int {
        vaults.count + principals.count + pairs.count + vaultApplications.count + userApplications.count
            + principalRanges.count + vaultRanges.count
    }

    // MARK: - Time

    /// Moves the clock to `time` (an in-order event): closes the hours it passes, reporting
    /// what they found, ends expired sequences, and once a day forgets what left the window.
    mutating func advance(to time: EventTime, reports: inout HourReports) {
        let hour = time.hourNumber
        guard hour > currentHour else { return }
        if currentHour != .min { closeHour(currentHour, reports: &reports) }
        expireSequences(before: time)
        currentHour = hour
        let day = time.dayNumber
        if day > currentDay {
            if currentDay != .min { forget(before: day - windowDays) }
            currentDay = day
        }
    }

    /// Closes the open hour at the end of a stream (`Detector.finish`).
    mutating func closeOpenHour(reports: inout HourReports) {
        guard currentHour != .min else { return }
        closeHour(currentHour, reports: &reports)
        currentHour += 1
    }

    private mutating func closeHour(_ hour: Int32, reports: inout HourReports) {
        let period = period(ofDay: hour / 24)
        let slot = SlotMaximum.slot(ofHour: hour)
        var loudVaults: Set<Symbol> = []
        for (key, open) in openPairHours {
            if let index = pairs.index(forKey: key) {
                pairs.values[index].hourlyPeaks.record(open.count, slot: slot, at: period)
            }
            if let crossing = open.crossing {
                loudVaults.insert(key.first)
                reports.principalVolumes.append(
                    HourReports.PrincipalVolume(
                        vault: key.first, principal: key.second, hour: hour, count: open.count, usual: open.usual,
                        threshold: open.threshold, crossing: crossing))
            }
        }
        openPairHours.removeAll(keepingCapacity: true)
        for index in openVaults where vaults[index].isOpen {
            closeVaultHour(index, loudVaults: loudVaults, reports: &reports)
        }
        openVaults.removeAll(keepingCapacity: true)
        reports.principalVolumes.sort { ($0.vault.rawValue, $0.principal.rawValue) < ($1.vault.rawValue, $1.principal.rawValue) }
    }

    private mutating func closeVaultHour(_ index: Int, loudVaults: Set<Symbol>, reports: inout HourReports) {
        var vault = VaultBaseline.placeholder
        swap(&vault, &vaults[index])
        defer { swap(&vault, &vaults[index]) }
        let hour = vault.openHour
        vault.hourly[vault.slot(hour)] = UInt32(clamping: vault.openCount)
        vault.lastHourWritten = max(vault.lastHourWritten, hour)
        vault.isOpen = false
        let armed = EventTime.startOfHour(hour) - vault.firstSeen >= learning
        if let band = vault.openBand, let crossing = vault.openCrossing, vault.openCount > band.threshold,
            !loudVaults.contains(vault.vault)
        {
            reports.vaultVolumes.append(
                HourReports.VaultVolume(
                    vault: vault.vault, hour: hour, count: vault.openCount, band: band, crossing: crossing, isLate: false))
        }
        // The mix: known but rare operation types dominating the hour.
        vault.decayMix(to: hour / 24, windowDays: settings.windowDays)
        let pattern = settings.operationPattern
        if armed, vault.openCount >= pattern.mixMinimumOperations, vault.operationMixTotal > 0, let sample = vault.openRareSample {
            var rare: [(name: String, count: Int, usualShare: Double)] = []
            var rareCount = 0
            for (operation, count) in vault.openOperations.enumerated() where count > 0 {
                guard !vault.openNewOperations.contains(UInt8(operation)) else { continue }
                let share = vault.usualShare(of: operation)
                if share < pattern.rareShare {
                    rareCount += Int(count)
                    rare.append((operations.names[operation], Int(count), share))
                }
            }
            if Double(rareCount) >= pattern.rareHourShare * Double(vault.openCount) {
                rare.sort { $0.count > $1.count }
                reports.rareMixes.append(
                    HourReports.RareMix(
                        vault: vault.vault, hour: hour, total: vault.openCount, rareCount: rareCount,
                        rareOperations: rare, sample: sample))
            }
        }
        for (operation, count) in vault.openOperations.enumerated() where count > 0 {
            vault.operationMix[operation] += Double(count)
            vault.operationMixTotal += Double(count)
            vault.openOperations[operation] = 0
        }
        vault.openNewOperations.removeAll()
        vault.openCount = 0
        vault.openBand = nil
        vault.openCrossing = nil
        vault.openRareSample = nil
    }

    private mutating func expireSequences(before time: EventTime) {
        let listWindow = EventTime.Duration.minutes(Int64(settings.listGet.windowMinutes))
        if !openLists.isEmpty {
            var ended: [SymbolPair] = []
            for (key, sequence) in openLists where time - sequence.start > listWindow { ended.append(key) }
            for key in ended { endList(key) }
        }
        let changeWindow = EventTime.Duration.minutes(Int64(settings.putGet.windowMinutes))
        openChanges.removeAll { time - $0.time > changeWindow }
    }

    /// Ends a list→get sequence, learning how many secrets were read after the list.
    mutating func endList(_ key: SymbolPair) {
        guard let sequence = openLists.removeValue(forKey: key) else { return }
        if let index = pairs.index(forKey: key) {
            pairs.values[index].listReadPeak.record(sequence.distinct, at: period(ofDay: sequence.start.dayNumber))
        }
    }

    /// Forgets entities last seen before `day`.
    mutating func forget(before day: Int32) {
        let hour = day * 24
        let stamp = HourCalendar.stamp(day: day)
        var vaultsLosing: [Symbol: (principals: Int, users: Int, applications: Int)] = [:]
        pairs = pairs.filter { key, pair in
            if pair.lastSeenHour >= hour { return true }
            vaultsLosing[key.first, default: (0, 0, 0)].principals += 1
            if pair.isUser { vaultsLosing[key.first, default: (0, 0, 0)].users += 1 }
            return false
        }
        vaultApplications = vaultApplications.filter { key, last in
            if last >= stamp { return true }
            vaultsLosing[key.first, default: (0, 0, 0)].applications += 1
            return false
        }
        for (vault, lost) in vaultsLosing {
            guard let index = vaultIndex[vault] else { continue }
            vaults[index].knownPrincipals -= lost.principals
            vaults[index].knownUsers -= lost.users
            vaults[index].knownApplications -= lost.applications
        }
        principals = principals.filter { $0.value.lastSeenHour >= hour }
        userApplications = userApplications.filter { $0.value >= stamp }
        principalRanges = principalRanges.filter { $0.value >= stamp }
        vaultRanges = vaultRanges.filter { $0.value >= stamp }
        if vaults.contains(where: { $0.lastSeenDay < day && !$0.isOpen }) {
            vaults.removeAll { $0.lastSeenDay < day && !$0.isOpen }
            vaultIndex = [:]
            for (index, vault) in vaults.enumerated() { vaultIndex[vault.vault] = index }
            openVaults = vaults.indices.filter { vaults[$0].isOpen }
        }
    }
}
