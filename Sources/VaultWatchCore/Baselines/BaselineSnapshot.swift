import Foundation

/// The detector's learned state in a form that outlives the process: names instead of
/// `Symbol`s (a new process has a new symbol table), versioned. The form a saved state is read
/// into (any format since 2) before the detector takes it back (`restore`); the detector writes
/// its state straight from its baselines (`BehaviourBaseline.writeState`), never through it.
///
/// Held: every vault's hourly ring, operation types and mix, counts of known entities; every
/// principal's recent vaults and usual maxima; every (principal, vault) pair's last calls,
/// burst history, list→get and change→read history; known applications, user–application
/// pairs, network ranges and provider blocks; routine sensitive operations and the objects
/// principals wrote; each vault's inferred clock. What is in flight between events (the open
/// hour, open sequences, the reorder buffer, the detector's counters) is its own section,
/// `inFlight` (`DetectorInFlight`). Version 2: burst histories replaced version 1's three-hour
/// peaks, so a version 1 state is refused (its principals' usual volumes cannot be carried over).
/// Version 3: the same model saved in binary (`BaselineSnapshot+Binary.swift`) instead of JSON;
/// a version 2 JSON state is still read. Version 4: held events carry their arrival numbers (the
/// store saves them apart, each once: `HeldEventRow`); version 3 is still read. Version 5: an open
/// listing keeps its events (the listing and the first reads), the evidence of the alert it may
/// raise; versions 3 and 4 are still read, their listings without events. Version 6 saves the
/// learned entities as rows of their own, each written when it changes
/// (`BaselineSnapshot+Rows.swift`), no longer written; version 5 stays the whole state
/// (`Detector.exportState()`). Version 7 is version 5 with the callers of the hours closed lately
/// (`ClosedHours`), so a late record after a restart is judged as in one run; version 8 adds each
/// pair's remembered list→reads (`PairBaseline.listReadMemory`); version 9 adds the closed hours
/// a late run is adding to (`ReopenedHours`), judged once the run is complete (a version 8
/// detector judged a late record at once, so it left none); version 10 adds, for each range of
/// a principal's provider block, the days it was used on (`AddressBlocks`: a dynamic line's
/// footprint); version 11 adds each pair's most distinct objects in one hour
/// (`BurstHistory.usualObjects`) and, for an open pair hour, its objects and its ceiling as more
/// replicas of the usual load. Versions 3 to 10 are still read, with none of what they lack kept
/// (a block's ranges from version 9 count as used on many days: nothing familiar that was not; a
/// pair from version 10 has no usual objects until it learns an hour, so no hour of it is judged
/// as replicas before: as the detector that saved it judged). Version 12 is version 11 whose held
/// events, saved apart, are a row per save, not per event (`HeldEventRow`); the state itself is
/// as in version 11, and a version 11 state's rows are read one event each. Version 13 adds, for
/// a closed hour's caller whose hour was more replicas of its usual load, its ceiling, usual
/// objects, objects and crossing (`HourCallers.Replicas`), and for an open pair hour whether a
/// listing that alerted was open in it (`OpenPairHour.listingAlerted`); a version 12 state's
/// callers were saved with their ceiling as their threshold and are judged so, as the detector
/// that saved it judged them. Version 14 writes network ranges and provider blocks with their IPv4
/// tag rotated from the top bit to the lowest (`StateWriter.networkRange`): 4 bytes for an IPv4
/// /24, not 10; and adds, for a pair whose hours can be more replicas of its usual load, the
/// fingerprint of the objects its learned hours touched (`ObjectFingerprint`), and for a closed
/// hour's replicas caller how many of its objects were not among them; version 13 is still read,
/// a pair from it has no fingerprint and is judged by its number of objects, as the detector that
/// saved it judged, until it learns an hour of more than a dozen calls. Version 15 adds, for a
/// closed hour's replicas caller, whether a listing that raised `KV_ListGetAnomaly` was open in
/// its hour (`HourCallers.Replicas.listingAlerted`), so the hour judged again with late records
/// teaches its size, not its objects, as in order; version 14 is still read, its callers without
/// the mark: such an hour judged again late teaches its objects, as the detector that saved it did.
/// Version 16 holds what version 15 holds, its in-flight section numbering its own names (those it
/// shares with the learned entities spelled out again, once), so that the two sections are written
/// side by side on two threads (`BehaviourBaseline.writeState`); version 15 is still read.
/// Version 17 holds what version 16 holds, written smaller: each pair's burst days as the detector
/// holds them (`BurstDays`, about two bytes a day, not five), and the day and hour stamps of
/// ranges, named entities and pairs as their distance from the state's current day and hour (one
/// byte for a stamp of the last days, not three, and for an hour's "never", not five); version 16
/// is still read. Version 21 adds, at the end of the in-flight section, the ids of the alerts raised
/// and no longer open, each with its last seen (`AlertAggregator.issuedIDs`); version 20 is still
/// read, with none (as the detector that saved it knew none). Version 22 adds after them the lines
/// of the late repeats whose runs' reports are not settled yet (`LateRunRepeats`); version 21 is
/// still read, with none.
struct BaselineSnapshot: Codable, Sendable, Equatable {
    static let currentVersion = 22
    /// The first version whose open listings keep their events; the oldest the detector writes
    /// (for the tests that older states are still read).
    static let listEventsVersion = 5
    /// The first version that saves the callers of closed hours.
    static let closedHoursVersion = 7
    /// The first version that saves each pair's remembered list→reads.
    static let listReadMemoryVersion = 8
    /// The first version that saves the hours late records reopened.
    static let reopenedHoursVersion = 9
    /// The first version that saves the days each range of a provider block was used on.
    static let rangeDaysVersion = 10
    /// The first version that saves the distinct objects of pairs' hours.
    static let objectsVersion = 11
    /// The first version that saves the objects of closed hours' replicas and the alerted-listing
    /// mark of open pair hours.
    static let replicasVersion = 13
    /// The first version that writes network ranges with their IPv4 tag in the lowest bit.
    static let compactRangesVersion = 14
    /// The first version that saves the fingerprints of pairs' usual objects (the same format:
    /// one bump for the session).
    static let fingerprintVersion = 14
    /// The first version that saves, for a closed hour's replicas caller, whether a listing that
    /// alerted was open in its hour (`HourCallers.Replicas.listingAlerted`).
    static let listingMarkVersion = 15
    /// The first version whose in-flight section numbers its own names, so that it is written
    /// beside the learned entities (`StateSectionWrite`); the fields are those of version 15.
    static let sectionNamesVersion = 16
    /// The first version that writes each pair's burst days as the detector holds them
    /// (`BurstDays`: each day's change from the one before and its busiest hour, about two bytes
    /// a day) rather than a varint of stamp << 16 | busiest hour each (five bytes a day).
    static let burstDayBytesVersion = 17
    /// The first version that writes the learned entities' day and hour stamps (ranges', named
    /// entities' and pairs') as their distance from the state's current day and hour
    /// (`StateWriter.measureStamps`): the same format as the days' bytes, one bump for the session.
    static let relativeStampsVersion = 17
    /// The first version that keeps the records taken lately (`RecordIdentities`) and how many
    /// came again, at the end of the in-flight section.
    static let identitiesVersion = 18
    /// The first version whose records taken lately may be saved apart, a row per hour
    /// (`IdentityHourRow`), its in-flight section then holding the window's start and no hour
    /// (the same fields as version 18: the bump makes an older VaultWatch refuse the state rather
    /// than take it for an empty window).
    static let identityRowsVersion = 19
    /// The first version that saves, for each table of the records taken lately that last took a
    /// record in a later hour of the clock than its own, that hour (`RecordIdentities` keeps a
    /// table for 48 hours after it last took a record, so that a record already days behind the
    /// clock when it comes is remembered), and no window start: the rows are exactly the window.
    static let identityLastTakenVersion = 20
    /// The first version that saves, at the end of the in-flight section, the ids of the alerts
    /// raised and no longer open (`AlertAggregator.issuedIDs`), so that a resumed run gives no id
    /// twice (a record judged again after the duplicate window opens an alert of its own id).
    static let issuedAlertIDsVersion = 21
    /// The first version that saves, after the alert ids, the lines of the late repeats whose
    /// runs' reports are not settled yet (`LateRunRepeats`), so that a run resumed between a
    /// repeat and its run's end report leaves the repeat out of it, as one run does.
    static let lateRepeatsVersion = 22
    static let firstBinaryVersion = 3
    /// The last version saved as JSON; read, never written.
    static let jsonVersion = 2

    struct Vault: Codable, Sendable, Equatable {
        var name: String
        var firstSeen: Int64
        var lastSeenDay: Int32
        var lastHourWritten: Int32
        var hourly: [UInt32]
        var operationLastDay: [String: Int32]
        var operationMix: [String: Double]
        var mixDay: Int32
        var knownPrincipals: Int
        var knownUsers: Int
        var knownApplications: Int
        /// The inferred clock's offset in hours (nil: UTC or configured).
        var inferredOffsetHours: Int?
    }

    struct RecentVault: Codable, Sendable, Equatable {
        var vault: String
        var reachedHour: Int32
        var deniedHour: Int32
    }

    struct Principal: Codable, Sendable, Equatable {
        var id: String
        var firstSeen: Int64
        var lastSeenHour: Int32
        var recent: [RecentVault]
        var reachedPeak: PeriodMaximum
        var deniedPeak: PeriodMaximum
        var reachedAlertHour: Int32
        var deniedAlertHour: Int32
        var today: Int32
        var reachedToday: UInt16
        var deniedToday: UInt16
    }

    struct Pair: Codable, Sendable, Equatable {
        var vault: String
        var principal: String
        var lastReachedHour: Int32
        var lastDeniedHour: Int32
        var isUser: Bool
        /// `BurstHistory`: earlier active days (day << 16 | busiest hour), the day being counted and its peak.
        var burstDays: [UInt32]
        var burstToday: UInt16
        var burstTodayPeak: UInt16
        /// `BurstHistory.objectsPerHour` (format 11; nil in older states).
        var burstObjects: PeriodMaximum?
        var listReadPeak: PeriodMaximum
        /// `PairBaseline.listReadMemory` (format 7; nil in older states).
        var listReadMemory: PeriodMaximum?
        /// The objects its learned hours touched (`ObjectFingerprint`, format 14; nil: none kept).
        var objectFingerprint: ObjectFingerprint? = nil
        var changeReadDay: UInt16
        var firstSeenDay: UInt16
        var operations: [String]
        /// Types first used in hour `operationsHour` (the open hour's rare-mix test).
        var newOperationsThisHour: [String]
        var operationsHour: Int32
    }

    struct Named: Codable, Sendable, Equatable {
        var first: String
        var second: String
        var third: String?
        var day: UInt16
    }

    struct Range: Codable, Sendable, Equatable {
        var owner: String
        var range: UInt64
        var day: UInt16
    }

    /// A principal's provider block (`AddressBlocks`).
    struct Block: Codable, Sendable, Equatable {
        var principal: String
        var block: UInt64
        var day: UInt16
        var distinct: UInt8
        var ranges: [UInt16]
        /// Days each range was used on, and its last day (format 10; nil in older states).
        var rangeDays: [UInt8]?
        var rangeLastDays: [UInt16]?
    }

    /// A routine behaviour's days (`RoutineOperations`): a sensitive operation, or a change→read
    /// sequence under its change operation.
    struct RoutineDays: Codable, Sendable, Equatable {
        var vault: String
        var principal: String
        var operation: String
        var days: [UInt16]
    }

    var version: Int
    var eventClock: Int64?
    var firstEventTime: Int64?
    var currentHour: Int32
    var currentDay: Int32
    var vaults: [Vault]
    var principals: [Principal]
    var pairs: [Pair]
    var vaultApplications: [Named]
    var userApplications: [Named]
    var principalRanges: [Range]
    var vaultRanges: [Range]
    var addressBlocks: [Block]
    var routineDays: [RoutineDays]
    /// Objects a principal wrote on a vault (`first` vault, `second` principal, `third` object).
    var writtenObjects: [Named]
    /// Everything in flight at the save.
    var inFlight: DetectorInFlight?

    /// Reads a saved state: binary (formats 3 to 5 and 7 whole, format 6 with its learned
    /// entities in `rows`), or the JSON of format 2 an older VaultWatch saved.
    static func decode(_ data: Data, rows: [BaselineRow] = []) throws(BaselineStateError) -> BaselineSnapshot {
        let bytes = [UInt8](data)
        if bytes.starts(with: magic) { return try BaselineSnapshot(binary: bytes, rows: rows) }
        guard rows.isEmpty else { throw BaselineStateError("detector state is JSON, yet rows were saved beside it") }
        struct Header: Decodable { var version: Int }
        let header: Header
        do {
            header = try JSONDecoder().decode(Header.self, from: data)
        } catch {
            throw BaselineStateError("detector state is not VaultWatch baseline state: \(error)")
        }
        guard header.version == jsonVersion else {
            throw BaselineStateError(
                "detector state version \(header.version) is not supported (this build reads \(jsonVersion) and \(currentVersion))")
        }
        var snapshot: BaselineSnapshot
        do {
            snapshot = try JSONDecoder().decode(BaselineSnapshot.self, from: data)
        } catch {
            throw BaselineStateError("detector state is damaged: \(error)")
        }
        snapshot.version = currentVersion
        return snapshot
    }
}

extension BaselineSnapshot {
    /// Takes held events saved apart (`HeldEventRow`, rows saved with a state of format `format`)
    /// into the in-flight section, by arrival: those at or after the release mark, the events
    /// the buffer held (a row goes only once all its events are released).
    mutating func takeHeld(_ held: [HeldEventRow], format: Int) throws(BaselineStateError) {
        guard var inFlight else {
            throw BaselineStateError("detector state has held events saved apart but no in-flight section")
        }
        var arrivals = inFlight.reorder.arrivals ?? inFlight.reorder.pending.indices.map { UInt64($0) }
        for row in held.sorted(by: { $0.arrival < $1.arrival }) {
            for (arrival, event) in try row.events(format: format) where event.time >= inFlight.reorder.releasedThrough {
                inFlight.reorder.pending.append(event)
                arrivals.append(arrival)
            }
        }
        inFlight.reorder.arrivals = arrivals
        self.inFlight = inFlight
    }
}

extension BaselineSnapshot {
    /// Takes the records taken lately saved apart (`IdentityHourRow`) into the in-flight
    /// section's window: the rows of the hours it still keeps (a row of an hour it left goes at
    /// the save after), in order of their hours, an hour's rows one after another in order of
    /// their `first` (each must start where the one before it ends).
    mutating func takeIdentities(_ rows: [IdentityHourRow]) throws(BaselineStateError) {
        guard var inFlight, let window = inFlight.identities, version >= Self.identityRowsVersion else {
            throw BaselineStateError("detector state has records taken lately saved apart but no window to put them in")
        }
        guard window.hours.isEmpty else {
            throw BaselineStateError("detector state has records taken lately both inside and apart")
        }
        var hours: [RecordIdentities.Snapshot.SavedHour] = []
        for row in rows.sorted(by: { ($0.hour, $0.first) < ($1.hour, $1.first) }) where row.hour >= window.keptFrom {
            let saved = try row.savedHour()
            if let last = hours.last, last.hour == row.hour {
                guard row.first == last.times.count else {
                    throw BaselineStateError("detector state is damaged: the rows of the records taken in hour \(row.hour) do not follow each other")
                }
                hours[hours.count - 1].times += saved.times
                hours[hours.count - 1].digests += saved.digests
            } else {
                guard row.first == 0 else {
                    throw BaselineStateError("detector state is damaged: the rows of the records taken in hour \(row.hour) do not follow each other")
                }
                hours.append(saved)
            }
        }
        inFlight.identities = RecordIdentities.Snapshot(keptFrom: window.keptFrom, hours: hours, lastTaken: window.lastTaken)
        self.inFlight = inFlight
    }
}

extension BehaviourBaseline {
    /// Replaces the learned state with `snapshot`'s, re-interning its names, then takes back
    /// what was in flight (`restoreInFlight`).
    /// - Throws: `BaselineStateError` when the in-flight section is damaged.
    mutating func restore(_ snapshot: BaselineSnapshot) throws(BaselineStateError) {
        let symbol = savedNames.symbol
        if let inFlight = snapshot.inFlight { restoreOperationOrder(inFlight.baselines) }
        firstEventTime = snapshot.firstEventTime.map(EventTime.init(ticks:))
        currentHour = snapshot.currentHour
        currentDay = snapshot.currentDay
        vaults = []
        vaultIndex = [:]
        for saved in snapshot.vaults {
            var vault = VaultBaseline(vault: symbol(saved.name), firstSeen: EventTime(ticks: saved.firstSeen), ringHours: ringHours)
            vault.lastSeenDay = saved.lastSeenDay
            vault.lastHourWritten = saved.lastHourWritten
            // Copy the hours both rings hold, whatever the two window sizes.
            let savedCount = Int32(saved.hourly.count)
            var hour = saved.lastHourWritten - min(savedCount, Int32(ringHours)) + 1
            while hour <= saved.lastHourWritten {
                vault.hourly[vault.slot(hour)] = saved.hourly[Int(((hour % savedCount) + savedCount) % savedCount)]
                hour += 1
            }
            restoreOperations(saved.operationLastDay, in: &vault, \.operationLastDay)
            restoreOperations(saved.operationMix, in: &vault, \.operationMix)
            vault.operationMixTotal = saved.operationMix.values.reduce(0, +)
            vault.mixDay = saved.mixDay
            vault.knownPrincipals = saved.knownPrincipals
            vault.knownUsers = saved.knownUsers
            vault.knownApplications = saved.knownApplications
            vault.configuredClock = settings.timeZones.clock(forVault: saved.name)
            vault.clock = vault.configuredClock ?? saved.inferredOffsetHours.map { LocalClock(source: .inferred(hours: $0)) } ?? .utc
            vaultIndex[vault.vault] = vaults.count
            vaults.append(vault)
        }
        principals = PrincipalBaselines(capacity: snapshot.principals.count)
        for saved in snapshot.principals {
            var principal = PrincipalBaseline(firstSeen: EventTime(ticks: saved.firstSeen))
            principal.lastSeenHour = saved.lastSeenHour
            principal.recent = saved.recent.map { .init(vault: symbol($0.vault), reachedHour: $0.reachedHour, deniedHour: $0.deniedHour) }
            principal.reachedPeak = saved.reachedPeak
            principal.deniedPeak = saved.deniedPeak
            principal.reachedAlertHour = saved.reachedAlertHour
            principal.deniedAlertHour = saved.deniedAlertHour
            principal.today = saved.today
            principal.reachedToday = saved.reachedToday
            principal.deniedToday = saved.deniedToday
            let id = symbol(saved.id)
            // A principal saved twice (a state written by hand, or damaged) is its last copy, as it was in a dictionary.
            if let position = principals.index(forKey: id) { principals[at: position] = principal } else { principals.insert(principal, forKey: id) }
        }
        pairs = PairBaselines(capacity: snapshot.pairs.count)
        objectFingerprints = [:]
        for saved in snapshot.pairs {
            var pair = PairBaseline()
            pair.lastReachedHour = saved.lastReachedHour
            pair.lastDeniedHour = saved.lastDeniedHour
            pair.isUser = saved.isUser
            pair.bursts = BurstHistory(
                days: saved.burstDays, today: saved.burstToday, todayPeak: saved.burstTodayPeak,
                objectsPerHour: saved.burstObjects ?? PeriodMaximum())
            pair.listReadPeak = saved.listReadPeak
            pair.listReadMemory = saved.listReadMemory ?? PeriodMaximum()
            pair.changeReadDay = saved.changeReadDay
            pair.firstSeenDay = saved.firstSeenDay
            pair.operations = restoredOperationBits(saved.operations)
            pair.newOperationsThisHour = restoredOperationBits(saved.newOperationsThisHour)
            pair.operationsHour = saved.operationsHour
            let key = SymbolPair(symbol(saved.vault), symbol(saved.principal))
            // A pair saved twice (a state written by hand, or damaged) is its last copy, as it was in a dictionary.
            if let position = pairs.index(forKey: key) { pairs[at: position] = pair } else { pairs.insert(pair, forKey: key) }
            if let fingerprint = saved.objectFingerprint { objectFingerprints[key] = fingerprint }
        }
        vaultApplications = Dictionary(
            snapshot.vaultApplications.map { (SymbolPair(symbol($0.first), symbol($0.second)), $0.day) }, uniquingKeysWith: max)
        userApplications = Dictionary(
            snapshot.userApplications.map {
                (SymbolTriple(pair: SymbolPair(symbol($0.first), symbol($0.second)), third: symbol($0.third ?? "")), $0.day)
            }, uniquingKeysWith: max)
        principalRanges = Dictionary(
            snapshot.principalRanges.map { (RangeKey(owner: symbol($0.owner), range: $0.range), $0.day) }, uniquingKeysWith: max)
        vaultRanges = Dictionary(
            snapshot.vaultRanges.map { (RangeKey(owner: symbol($0.owner), range: $0.range), $0.day) }, uniquingKeysWith: max)
        addressBlocks = AddressBlocks()
        for saved in snapshot.addressBlocks {
            var stored = SIMD4<UInt16>.zero
            for (index, range) in saved.ranges.prefix(4).enumerated() { stored[index] = range }
            // Before format 10 the days were not counted: each range counts as used on many days
            // (the block familiar only by its number of ranges), and its last day is the block's.
            var days = SIMD4<UInt8>(repeating: AddressBlocks.manyDays)
            var lastDays = SIMD4<UInt16>(repeating: saved.day)
            for (index, count) in (saved.rangeDays ?? []).prefix(4).enumerated() { days[index] = count }
            for (index, day) in (saved.rangeLastDays ?? []).prefix(4).enumerated() { lastDays[index] = day }
            addressBlocks.restore(
                key: RangeKey(owner: symbol(saved.principal), range: saved.block),
                entry: AddressBlocks.Entry(lastDay: saved.day, distinct: saved.distinct, stored: stored, days: days, rangeLastDays: lastDays))
        }
        var routineDays: [SymbolTriple: SIMD4<UInt16>] = [:]
        for saved in snapshot.routineDays {
            var days = SIMD4<UInt16>.zero
            for (index, day) in saved.days.prefix(4).enumerated() { days[index] = day }
            routineDays[SymbolTriple(pair: SymbolPair(symbol(saved.vault), symbol(saved.principal)), third: symbol(saved.operation))] = days
        }
        routine.restore(
            days: routineDays,
            written: Dictionary(
                snapshot.writtenObjects.map {
                    (SymbolTriple(pair: SymbolPair(symbol($0.first), symbol($0.second)), third: symbol($0.third ?? "")), $0.day)
                }, uniquingKeysWith: max))
        openLists = [:]
        openChanges = []
        openPairHours = [:]
        openVaults = []
        if let inFlight = snapshot.inFlight { try restoreInFlight(inFlight.baselines) }
    }
}
