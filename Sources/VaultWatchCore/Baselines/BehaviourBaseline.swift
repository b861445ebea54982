/// The learned behaviour of every vault, principal, application and network range, on event
/// time only (DESIGN.md §4): what the behavioural rules compare each event against.
///
/// Keyed by `Symbol`s; each entity keeps compact counters (last-seen hour or day, period
/// maxima, small fixed arrays), and a daily sweep forgets what the memory (default 90 days, at
/// least the 30-day window) no longer holds, so memory grows with entities, not events.
///
/// Two horizons. The window (`windowDays`) is what habits are measured on: volume bands, usual
/// bursts and list→reads, the operation mix, routine sensitive operations. The memory
/// (`memoryDays`) is what is familiar: a principal on a vault, an application, a user–application
/// pair, an operation type, a network range or provider block seen within it is not new, so a
/// job that runs less often than the window (a month-end close) is not a stranger at each run;
/// such a job, back after more than a window away, is judged by its own earlier runs.
///
/// Events must come in event-time order (the detector's reorder buffer sees to it) except
/// records later than the tolerance, which `observe` still counts (see `observe`'s notes).
/// - Important: owned by one detector; not thread-safe.
struct BehaviourBaseline {
    struct ListSequence {
        /// The most events a sequence keeps for its alert's evidence: the listing and the reads
        /// up to the alert (the firing point is 5 by default; the alert keeps at most 10).
        static let evidenceLimit = 16

        var start: EventTime
        var secrets: [Symbol] = []
        var distinct = 0
        /// The listing, then each first read of a secret, while fewer than `evidenceLimit`: what
        /// the analyst reads as the alert's evidence.
        var events: [AuditEvent] = []
        /// The sequence raised `KV_ListGetAnomaly`: its reads are not learned as usual.
        var alerted = false
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

    let settings: BehaviourSettings
    let symbols: SymbolTable
    var operations: OperationIndex

    var vaultIndex: [Symbol: Int] = [:]
    var vaults: [VaultBaseline] = []
    var principals = PrincipalBaselines()
    var pairs = PairBaselines()
    /// (vault, application) → last day seen (`HourCalendar.stamp`).
    var vaultApplications: [SymbolPair: UInt16] = [:]
    /// (vault, principal, application) → last day seen.
    var userApplications: [SymbolTriple: UInt16] = [:]
    var principalRanges: [RangeKey: UInt16] = [:]
    var vaultRanges: [RangeKey: UInt16] = [:]
    /// Provider blocks each principal's changing addresses stay in.
    var addressBlocks = AddressBlocks()
    /// Sensitive operations that are a principal's routine on a vault.
    var routine = RoutineOperations()

    /// The dashboard's bands per vault, cached until the vault's next hour closes (not state).
    var summaryBands: [Symbol: (hour: Int32, clock: LocalClock, bands: [VolumeBand?])] = [:]

    var openLists: [SymbolPair: ListSequence] = [:]
    var openChanges: [AccessChange] = []
    var openPairHours: [SymbolPair: OpenPairHour] = [:]
    /// The objects each pair's learned hours touched, for the pairs whose hours can be more
    /// replicas of their usual load (`learnObjects`).
    var objectFingerprints: [SymbolPair: ObjectFingerprint] = [:]
    var openVaults: [Int] = []
    /// The callers of the hour `closeHour` is closing, by vault: kept between hours for its
    /// capacity (built afresh, it grew by rehashing every hour). Empty between calls; not state.
    private var closingCallers: [Symbol: HourCallers] = [:]
    /// The callers of the hours closed lately, for the records that arrive after their hour.
    var closedHours = ClosedHours()
    /// The closed hours late records are adding to, judged once their late run is complete.
    var reopenedHours = ReopenedHours()

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
    /// How long the familiar is remembered (`BehaviourSettings.rememberedDays`).
    var memoryDays: Int32 { Int32(max(1, settings.rememberedDays)) }
    var memoryHours: Int32 { memoryDays * 24 }
    var ringHours: Int { Int(windowDays) * 24 }
    var learning: EventTime.Duration { .days(Int64(max(0, settings.learningDays))) }

    /// The period of `PeriodMaximum` counters: half the window.
    func period(ofDay day: Int32) -> UInt16 {
        UInt16(clamping: max(0, day) / max(1, windowDays / 2))
    }

    /// The periods of day `day` for the window's list→reads (half the window) and the
    /// remembered ones (`PairBaseline.listReadMemory`, half the memory).
    func periods(ofDay day: Int32) -> (window: UInt16, memory: UInt16) {
        (period(ofDay: day), UInt16(clamping: max(0, day) / max(1, memoryDays / 2)))
    }

    /// How many entities the baselines hold: what memory grows with.
    var entityCount: Int {
        vaults.count + principals.count + pairs.count + vaultApplications.count + userApplications.count
            + principalRanges.count + vaultRanges.count + addressBlocks.count + routine.count
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
        closedHours.forget(currentHour: hour, keeping: reopenedHours.isEmpty ? [] : reopenedHours.hourNumbers)
        let day = time.dayNumber
        if day > currentDay {
            if currentDay != .min { forget(before: day - memoryDays, habitsBefore: day - windowDays) }
            currentDay = day
            if settings.timeZones.infersFromRhythm { for index in vaults.indices { vaults[index].inferClock(now: hour) } }
        }
    }

    /// Closes the open hour at the end of a stream (`Detector.finish`).
    mutating func closeOpenHour(reports: inout HourReports) {
        guard currentHour != .min else { return }
        closeHour(currentHour, reports: &reports)
        currentHour += 1
    }

    private mutating func closeHour(_ hour: Int32, reports: inout HourReports) {
        let day = hour >= 0 ? hour / 24 : (hour - 23) / 24
        let stamp = HourCalendar.stamp(day: day)
        // Principals first: an hour above its own limit is reported (and not learned); an hour
        // within it is learned, and explains that much of the vault's hour (`HourCallers`). The
        // limit is its threshold, or its ceiling for more replicas of its usual load
        // (`OpenPairHour.isReplicas`).
        var loudVaults: Set<Symbol> = []
        for (key, open) in openPairHours {
            let pairIndex = pairs.index(forKey: key)
            let usualObjects = pairIndex.map { pairs[at: $0].bursts.usualObjects(on: stamp, windowDays: settings.windowDays) } ?? 0
            let newObjects = open.ceiling > open.threshold ? newObjects(of: open.objects, pair: key, usual: usualObjects, on: stamp) : 0
            if let crossing = open.alertingCall(usualObjects: usualObjects, newObjects: newObjects) {
                loudVaults.insert(key.first)
                let vaultBand = vaultIndex[key.first].flatMap { vaults[$0].openBand }
                reports.principalVolumes.append(
                    HourReports.PrincipalVolume(
                        vault: key.first, principal: key.second, hour: hour, count: open.count, band: open.band,
                        threshold: open.threshold, crossing: crossing, vaultBand: vaultBand,
                        clock: vaultIndex[key.first].map { vaults[$0].clock } ?? .utc,
                        replicas: replicaVerdict(
                            of: open.objects, pair: key, ceiling: open.ceiling, threshold: open.threshold, usualObjects: usualObjects,
                            on: stamp)))
                continue
            }
            // More replicas of its usual load are its habit up to the ceiling: they explain their
            // whole count. A caller whose hour could be (a ceiling above its threshold, usual
            // objects known) keeps its objects whatever they said (`HourCallers.Replicas`): the
            // late records of the hour are judged with them, its late alert says what they said,
            // and the hour judged again teaches them (`learnHour`), as in order. All of its new
            // objects are counted, not only as many as decide (`newObjects`), for those reasons,
            // before the hour teaches them. An hour whose listing alerted and that is not more
            // replicas keeps none: its late alert gives its count without its objects. One that
            // is more replicas keeps the listing's mark with its objects, so judged again late it
            // teaches none, as here.
            let caller = HourCallers.caller(count: open.count, band: open.band, threshold: open.threshold, settings: settings.operationVolume)
            let isReplicas = open.isReplicas(usualObjects: usualObjects, newObjects: newObjects)
            var replicas: HourCallers.Replicas?
            if open.ceiling > open.threshold, usualObjects > 0, isReplicas || !open.listingAlerted {
                let allNew = open.objects.count > BurstHistory.mostObjects(usual: usualObjects)
                    ? newObjectCount(of: open.objects, pair: key, on: stamp) ?? 0 : newObjects
                replicas = HourCallers.Replicas(
                    ceiling: open.ceiling, usualObjects: usualObjects, newObjects: allNew, objects: open.objects, crossing: open.crossing,
                    listingAlerted: open.listingAlerted)
            }
            if let pairIndex {
                learnHour(pairAt: pairIndex, key: key, count: open.count, objects: open.objects, listingAlerted: open.listingAlerted, on: stamp)
            }
            closingCallers[key.first, default: HourCallers()].add(key.second, caller, replicas: replicas)
        }
        openPairHours.removeAll(keepingCapacity: true)
        for index in openVaults where vaults[index].isOpen {
            let vault = vaults[index].vault
            let hourCallers = closingCallers[vault] ?? HourCallers()
            // In place: the settings' parts it needs are passed, not the settings, whose read
            // beside the vault's in-place change was a copy (the vault moved out and back, as it
            // was, cost ten copies of its ~400 bytes per vault and hour).
            let alerted = vaults[index].closeHour(
                loud: loudVaults.contains(vault), callers: hourCallers, learning: learning, windowDays: settings.windowDays,
                pattern: settings.operationPattern, operationNames: operations.names, reports: &reports)
            if !alerted { closedHours.keep(hourCallers, vault: vault, hour: hour) }
        }
        openVaults.removeAll(keepingCapacity: true)
        closingCallers.removeAll(keepingCapacity: true)
        reports.principalVolumes.sort { ($0.vault.rawValue, $0.principal.rawValue) < ($1.vault.rawValue, $1.principal.rawValue) }
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
        guard let sequence = openLists.removeValue(forKey: key), let index = pairs.index(forKey: key) else { return }
        let day = sequence.start.dayNumber
        let periods = periods(ofDay: day)
        pairs[at: index].learnListRead(
            distinct: sequence.distinct, alerted: sequence.alerted, day: day, periods: periods, learningDays: settings.learningDays)
    }

    /// Forgets the familiar last seen before `day`, and the habits (routine sensitive
    /// operations) last seen before `habitsDay`.
    mutating func forget(before day: Int32, habitsBefore habitsDay: Int32) {
        let hour = day * 24
        let stamp = HourCalendar.stamp(day: day)
        var vaultsLosing: [Symbol: (principals: Int, users: Int, applications: Int)] = [:]
        pairs.removeAll { key, pair in
            if pair.lastSeenHour >= hour { return false }
            vaultsLosing[key.first, default: (0, 0, 0)].principals += 1
            if pair.isUser { vaultsLosing[key.first, default: (0, 0, 0)].users += 1 }
            return true
        }
        if !objectFingerprints.isEmpty { objectFingerprints = objectFingerprints.filter { pairs.index(forKey: $0.key) != nil } }
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
        principals.removeAll { _, principal in principal.lastSeenHour < hour }
        userApplications = userApplications.filter { $0.value >= stamp }
        principalRanges = principalRanges.filter { $0.value >= stamp }
        vaultRanges = vaultRanges.filter { $0.value >= stamp }
        addressBlocks.forget(before: stamp)
        routine.forget(before: HourCalendar.stamp(day: habitsDay))
        if vaults.contains(where: { $0.lastSeenDay < day && !$0.isOpen }) {
            vaults.removeAll { $0.lastSeenDay < day && !$0.isOpen }
            vaultIndex = [:]
            for (index, vault) in vaults.enumerated() { vaultIndex[vault.vault] = index }
            openVaults = vaults.indices.filter { vaults[$0].isOpen }
            summaryBands = summaryBands.filter { vaultIndex[$0.key] != nil }
        }
    }
}
