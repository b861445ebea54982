import Foundation

/// The detector's saved state (`BaselineSnapshot`'s binary format) written straight from the
/// live baselines and their symbols: the one writer of the format. `BaselineSnapshot` is the
/// form a state is read into (`BaselineSnapshot(binary:)`), never written again.
///
/// A save used to build the whole `BaselineSnapshot` model first (a `String` for every name of
/// some 800,000 entities, small arrays for each pair's operations and each block's ranges),
/// then encode it, hashing every name's bytes again at each reference: 0.4 s a save on the
/// benchmark's synthetic records. Here a name is looked up by its symbol's number after its
/// first reference (`StateWriter.name(_:in:)`) and nothing is allocated per entity. The fields
/// are written in the order `BaselineSnapshot(binary:)` reads them: a field added to the state
/// is added here and there, and `SavedStateTests` checks that a detector restored from a state
/// writes the same state again.
extension BehaviourBaseline {
    /// The whole saved state: the header, every learned entity and what is in flight.
    /// - Complexity: O(entities), one hash per distinct name (per section since format 16).
    /// - Parameters:
    ///   - format: the format version to write: `BaselineSnapshot.currentVersion`, or an older
    ///     one (5 or later) without the fields it lacks, for the tests that older states are still read.
    ///   - reorder: the reorder buffer, its held events written inline when `heldInline` (else
    ///     the store saves them apart, each once: `ReorderBuffer.held(since:)`).
    ///
    /// Since format 16 the in-flight section numbers its own names, so it is written on a helper
    /// thread (`StateSectionWrite`) while this one writes the header and the learned entities:
    /// the two are about half of the export each on the benchmark's synthetic records, and the
    /// export stops detection. Both only read the baselines, which nothing changes until this returns.
    ///   - identitiesInline: false leaves the records taken lately out (since format 19: the store
    ///     saves them apart, a row per hour, `RecordIdentities.changes(since:)`), keeping the
    ///     window's start; an older format writes them inline whatever this says.
    func writeState(
        format: Int = BaselineSnapshot.currentVersion, eventClock: EventTime?, reorder: ReorderBuffer, heldInline: Bool, counters: DetectorCounters,
        identities: RecordIdentities? = nil, identitiesInline: Bool = true, issuedAlertIDs: [AlertAggregator.IssuedID] = [],
        lateRepeats: [String: [Int]] = [:]
    ) -> Data {
        precondition((BaselineSnapshot.listEventsVersion...BaselineSnapshot.currentVersion).contains(format), "no writer of format \(format)")
        let sectionNames = format >= BaselineSnapshot.sectionNamesVersion
        let inFlight = sectionNames ? StateSectionWrite { [self] in
            inFlightSection(
                reorder: reorder, heldInline: heldInline, counters: counters, identities: identities, identitiesInline: identitiesInline,
                issuedAlertIDs: issuedAlertIDs, lateRepeats: lateRepeats, format: format)
        } : nil
        var writer = StateWriter(capacity: 64 + 24 * (vaults.count + principals.count + pairs.count + principalRanges.count + vaultRanges.count))
        writer.raw(BaselineSnapshot.magic)
        writer.unsigned(UInt64(format))
        writer.optional(eventClock?.ticks) { $0.signed($1) }
        writer.optional(firstEventTime?.ticks) { $0.signed($1) }
        writer.signed(currentHour)
        writer.signed(currentDay)
        if format >= BaselineSnapshot.relativeStampsVersion { writer.measureStamps(fromDay: currentDay, hour: currentHour) }
        let names = savedNames
        writeEntities(into: &writer, names: names, format: format)
        writer.bool(true)  // the in-flight section is there
        guard let inFlight else {
            // Before format 16: one writer, its names numbered across both sections.
            writeInFlight(
                into: &writer, names: names, reorder: reorder, heldInline: heldInline, counters: counters, identities: identities,
                identitiesInline: true, issuedAlertIDs: issuedAlertIDs, lateRepeats: lateRepeats, format: format)
            return Data(writer.takeBytes())
        }
        // The learned entities copied out while the helper may still be writing its section.
        var state = Data(capacity: writer.count + inFlightCapacity(reorder: reorder, heldInline: heldInline))
        state.append(contentsOf: writer.takeBytes())
        state.append(contentsOf: inFlight.take())
        return state
    }

    /// The in-flight section as format 16 writes it: a writer of its own, its names numbered
    /// from the first (those it shares with the learned entities spelled out again, once).
    func inFlightSection(
        reorder: ReorderBuffer, heldInline: Bool, counters: DetectorCounters, identities: RecordIdentities? = nil,
        identitiesInline: Bool = true, issuedAlertIDs: [AlertAggregator.IssuedID] = [], lateRepeats: [String: [Int]] = [:],
        format: Int = BaselineSnapshot.currentVersion
    ) -> [UInt8] {
        let inline = identitiesInline || format < BaselineSnapshot.identityRowsVersion
        var writer = StateWriter(capacity: inFlightCapacity(reorder: reorder, heldInline: heldInline) + (inline ? 16 * (identities?.count ?? 0) : 0))
        writeInFlight(
            into: &writer, names: savedNames, reorder: reorder, heldInline: heldInline, counters: counters, identities: identities,
            identitiesInline: inline, issuedAlertIDs: issuedAlertIDs, lateRepeats: lateRepeats, format: format)
        return writer.takeBytes()
    }

    /// About what the in-flight section takes, rather more: some 13 bytes a closed hour's caller,
    /// an open pair hour or a listing on the benchmark's synthetic records (untouched capacity costs
    /// address space, not memory).
    private func inFlightCapacity(reorder: ReorderBuffer, heldInline: Bool) -> Int {
        let callers = closedHours.hours.values.reduce(0) { $0 + $1.values.reduce(0) { $0 + $1.entries.count } }
        return 4096 + 16 * (callers + openPairHours.count + openLists.count) + 256 * (heldInline ? reorder.pending.count : 0)
    }

    /// The bytes of the in-flight section alone (a writer of its own: names it shares with the
    /// learned entities spelled out, as format 16 writes it), for the benchmark's account of a save.
    func inFlightByteCount(
        reorder: ReorderBuffer, heldInline: Bool, counters: DetectorCounters, identities: RecordIdentities? = nil,
        issuedAlertIDs: [AlertAggregator.IssuedID] = [], lateRepeats: [String: [Int]] = [:]
    ) -> Int {
        inFlightSection(
            reorder: reorder, heldInline: heldInline, counters: counters, identities: identities, issuedAlertIDs: issuedAlertIDs,
            lateRepeats: lateRepeats).count
    }

    private func writeEntities(into writer: inout StateWriter, names: SavedNames, format: Int) {
        var operationNumbers = [UInt32](repeating: 0, count: operations.names.count)
        writer.unsigned(UInt64(vaults.count))
        for vault in vaults { writeVault(vault, into: &writer, names: names) }
        writer.unsigned(UInt64(principals.count))
        for (id, principal) in principals {
            writer.name(id, in: names)
            writer.signed(principal.firstSeen.ticks)
            writer.signed(principal.lastSeenHour)
            writer.unsigned(UInt64(principal.recent.count))
            for recent in principal.recent {
                writer.name(recent.vault, in: names)
                writer.signed(recent.reachedHour)
                writer.signed(recent.deniedHour)
            }
            writer.periodMaximum(principal.reachedPeak)
            writer.periodMaximum(principal.deniedPeak)
            writer.signed(principal.reachedAlertHour)
            writer.signed(principal.deniedAlertHour)
            writer.signed(principal.today)
            writer.unsigned(principal.reachedToday)
            writer.unsigned(principal.deniedToday)
        }
        writer.unsigned(UInt64(pairs.count))
        for (key, pair) in pairs {
            writer.name(key.first, in: names)
            writer.name(key.second, in: names)
            writer.hour(pair.lastReachedHour)
            writer.hour(pair.lastDeniedHour)
            writer.bool(pair.isUser)
            if format >= BaselineSnapshot.burstDayBytesVersion {
                writer.counted(pair.bursts.dayBytes)
            } else {
                writer.array(pair.bursts.days) { $0.unsigned($1) }
            }
            writer.unsigned(pair.bursts.today)
            writer.unsigned(pair.bursts.todayPeak)
            if format >= BaselineSnapshot.objectsVersion { writer.periodMaximum(pair.bursts.objectsPerHour) }
            writer.periodMaximum(pair.listReadPeak)
            if format >= BaselineSnapshot.listReadMemoryVersion { writer.periodMaximum(pair.listReadMemory) }
            // Format 14: the fingerprint of its usual objects, for the few pairs that keep one.
            if format >= BaselineSnapshot.fingerprintVersion {
                writer.optional(objectFingerprints.isEmpty ? nil : objectFingerprints[key]) { $0.fingerprint($1) }
            }
            writer.day(pair.changeReadDay)
            writer.day(pair.firstSeenDay)
            writeOperations(bits: pair.operations, into: &writer, numbers: &operationNumbers)
            writeOperations(bits: pair.newOperationsThisHour, into: &writer, numbers: &operationNumbers)
            writer.hour(pair.operationsHour)
        }
        writer.unsigned(UInt64(vaultApplications.count))
        for (key, day) in vaultApplications { writeNamed(key.first, key.second, .none, day: day, into: &writer, names: names) }
        writer.unsigned(UInt64(userApplications.count))
        for (key, day) in userApplications { writeNamed(key.pair.first, key.pair.second, key.third, day: day, into: &writer, names: names) }
        for ranges in [principalRanges, vaultRanges] {
            writer.unsigned(UInt64(ranges.count))
            for (key, day) in ranges {
                writer.name(key.owner, in: names)
                writer.networkRange(key.range, format: format)
                writer.day(day)
            }
        }
        writer.unsigned(UInt64(addressBlocks.entries.count))
        for (key, entry) in addressBlocks.entries {
            writer.name(key.owner, in: names)
            writer.networkRange(key.range, format: format)
            writer.unsigned(entry.lastDay)
            writer.unsigned(entry.distinct)
            writer.unsigned(UInt64(4))
            for index in 0..<4 { writer.unsigned(entry.stored[index]) }
            // Format 10: the days each range was used on, and its last day.
            guard format >= BaselineSnapshot.rangeDaysVersion else { continue }
            writer.unsigned(UInt64(4))
            for index in 0..<4 { writer.unsigned(entry.days[index]) }
            writer.unsigned(UInt64(4))
            for index in 0..<4 { writer.unsigned(entry.rangeLastDays[index]) }
        }
        writer.unsigned(UInt64(routine.days.count))
        for (key, days) in routine.days {
            writer.name(key.pair.first, in: names)
            writer.name(key.pair.second, in: names)
            writer.name(key.third, in: names)
            writer.unsigned(UInt64(4))
            for index in 0..<4 { writer.unsigned(days[index]) }
        }
        writer.unsigned(UInt64(routine.written.count))
        for (key, day) in routine.written { writeNamed(key.pair.first, key.pair.second, key.third, day: day, into: &writer, names: names) }
    }

    /// What is in flight, in the order `StateReader.inFlight(version:)` reads it: the open hours,
    /// open sequences, the reorder buffer's part, the counters, the callers of the hours closed
    /// lately (by hour and vault name, each hour's callers by name) and the hours late records
    /// reopened (by hour and vault name), then the records taken lately and how many came again,
    /// then the ids of the alerts raised and no longer open, then the lines of the late repeats
    /// whose runs' reports are not settled yet.
    private func writeInFlight(
        into writer: inout StateWriter, names: SavedNames, reorder: ReorderBuffer, heldInline: Bool, counters: DetectorCounters,
        identities: RecordIdentities?, identitiesInline: Bool, issuedAlertIDs: [AlertAggregator.IssuedID], lateRepeats: [String: [Int]],
        format: Int
    ) {
        writer.array(operations.names) { $0.name($1) }
        var seen = Set<Int>()
        let openIndices = openVaults.filter { vaults[$0].isOpen && seen.insert($0).inserted }
        writer.unsigned(UInt64(openIndices.count))
        for index in openIndices {
            let vault = vaults[index]
            writer.name(vault.vault, in: names)
            writer.signed(vault.openHour)
            writer.signed(vault.openCount)
            writer.optional(vault.openBand) { $0.band(Self.savedBand($1)) }
            writer.optional(vault.openCrossing) { $0.event($1, names: names) }
            writer.namedMap(savedOperations(vault.openOperations)) { $0.unsigned($1) }
            writer.array(vault.openNewOperations) { $0.name(operations.names[Int($1)]) }
            writer.optional(vault.openRareSample) { $0.event($1, names: names) }
            writer.namedMap(savedOperations(vault.openUnexplained)) { $0.unsigned($1) }
        }
        writer.unsigned(UInt64(openPairHours.count))
        for (key, open) in openPairHours {
            writer.name(key.first, in: names)
            writer.name(key.second, in: names)
            writer.signed(open.count)
            writer.optional(open.band) { $0.band(Self.savedBand($1)) }
            writer.signed(open.threshold)
            writer.optional(open.crossing) { $0.event($1, names: names) }
            // Format 11: the ceiling of more replicas of the usual load, and the hour's objects.
            guard format >= BaselineSnapshot.objectsVersion else { continue }
            writer.signed(open.ceiling)
            writer.unsigned(UInt64(open.objects.objects.count))
            for object in open.objects.objects { writer.name(object, in: names) }
            // Format 13: whether a listing that alerted was open in the hour.
            guard format >= BaselineSnapshot.replicasVersion else { continue }
            writer.bool(open.listingAlerted)
        }
        writer.unsigned(UInt64(openLists.count))
        for (key, list) in openLists {
            writer.name(key.first, in: names)
            writer.name(key.second, in: names)
            writer.signed(list.start.ticks)
            writer.unsigned(UInt64(list.secrets.count))
            for secret in list.secrets { writer.name(secret, in: names) }
            writer.signed(list.distinct)
            writer.bool(list.alerted)
            writer.array(list.events) { $0.event($1, names: names) }
        }
        writer.array(openChanges) { writer, change in
            writer.event(change.event, names: names)
            writer.bool(change.consumed)
        }
        // The reorder buffer's part: its held events (when inline), the release mark, their
        // arrival numbers and the next one's; then the counters.
        let held = heldInline ? reorder.pending : []
        writer.unsigned(UInt64(held.count))
        for saved in held { writer.event(saved.event, names: names) }
        writer.signed(reorder.releasedThrough.ticks)
        writer.unsigned(UInt64(held.count))
        for saved in held { writer.unsigned(saved.arrival) }
        writer.unsigned(reorder.nextArrival)
        for field in DetectorCounters.savedFields { writer.signed(counters[keyPath: field]) }
        // Format 7: the callers of the hours closed lately.
        guard format >= BaselineSnapshot.closedHoursVersion else { return }
        let byName: (Symbol, Symbol) -> Bool = { names.name($0) < names.name($1) }
        let closed = closedHours.hours.flatMap { hour, byVault in byVault.map { (hour: hour, vault: $0.key, callers: $0.value) } }
        // Each hour's callers in name order: the callers' names ranked once, then each hour
        // sorted by rank: comparing names at every step of every hour's sort was a fifth of a
        // save on the benchmark's synthetic records (some 1,000 callers an hour on each of 50 vaults).
        var callers = Set<Symbol>()
        for hour in closed { callers.formUnion(hour.callers.entries.lazy.map(\.principal)) }
        var rank: [Symbol: Int] = [:]
        rank.reserveCapacity(callers.count)
        for (index, principal) in callers.sorted(by: byName).enumerated() { rank[principal] = index }
        writer.unsigned(UInt64(closed.count))
        for hour in closed.sorted(by: { $0.hour != $1.hour ? $0.hour < $1.hour : byName($0.vault, $1.vault) }) {
            writer.name(hour.vault, in: names)
            writer.signed(hour.hour)
            writer.unsigned(UInt64(hour.callers.entries.count))
            // Sorted as words (the rank, then the position: the order a stable sort by rank gives),
            // not as tuples through a closure: the tuples' sort was 6% of a save's export there.
            let entries = hour.callers.entries
            var order = entries.indices.map { UInt64(UInt32(truncatingIfNeeded: rank[entries[$0].principal] ?? 0)) << 32 | UInt64($0) }
            order.sort()
            for key in order {
                let entry = entries[Int(truncatingIfNeeded: key & 0xFFFF_FFFF)]
                let (principal, caller) = (entry.principal, entry.caller)
                let replicas = hour.callers.replicas[principal]
                writer.name(principal, in: names)
                writer.signed(caller.count)
                // Before format 13 a caller whose hour was more replicas was saved with its
                // ceiling as its threshold and its habit, as the detectors that read it judge it.
                let limit = replicas.map {
                    BurstHistory.limit(
                        threshold: caller.threshold, ceiling: $0.ceiling, objects: $0.objects.count, newObjects: $0.newObjects,
                        usualObjects: $0.usualObjects)
                } ?? caller.threshold
                let older = format < BaselineSnapshot.replicasVersion && limit > caller.threshold
                writer.signed(older ? limit : caller.habit)
                writer.signed(older ? limit : caller.threshold)
                writer.signed(caller.usualBurst)
                // Format 13: the objects of a caller whose hour was more replicas of its usual load.
                guard format >= BaselineSnapshot.replicasVersion else { continue }
                writer.optional(replicas) { writer, replicas in
                    writer.signed(replicas.ceiling)
                    writer.signed(replicas.usualObjects)
                    if format >= BaselineSnapshot.fingerprintVersion { writer.signed(replicas.newObjects) }
                    writer.unsigned(UInt64(replicas.objects.objects.count))
                    for object in replicas.objects.objects { writer.name(object, in: names) }
                    writer.optional(replicas.crossing) { $0.event($1, names: names) }
                    // Format 15: whether a listing that alerted was open in its hour.
                    if format >= BaselineSnapshot.listingMarkVersion { writer.bool(replicas.listingAlerted) }
                }
            }
        }
        // Format 9: the closed hours a late run is adding to.
        guard format >= BaselineSnapshot.reopenedHoursVersion else { return }
        let reopened = reopenedHours.hours.sorted { $0.key.hour != $1.key.hour ? $0.key.hour < $1.key.hour : byName($0.key.vault, $1.key.vault) }
        writer.unsigned(UInt64(reopened.count))
        for (key, hour) in reopened {
            writer.name(key.vault, in: names)
            writer.signed(key.hour)
            writer.signed(hour.lastArrival)
            writer.bool(hour.attributed)
            writer.bool(hour.armed)
            writer.optional(hour.crossing) { $0.event($1, names: names) }
            writer.array(hour.principalCrossings.sorted { byName($0.key, $1.key) }.map(\.value)) { $0.event($1, names: names) }
        }
        // Format 18: the records taken lately (`RecordIdentities`), each hour's as times within
        // the hour and digests, and how many records came again. Since format 19 the hours may be
        // saved apart (`IdentityHourRow`): then only the window's start is here. Since format 20
        // no window start (the rows are the window), and after the hours, those whose table last
        // took a record in a later hour of the clock, each with that hour's distance from it.
        guard format >= BaselineSnapshot.identitiesVersion else { return }
        writer.signed(counters.duplicateRecords)
        let window =
            if let identities {
                identitiesInline || format < BaselineSnapshot.identityRowsVersion
                    ? identities.snapshot() : RecordIdentities.Snapshot(keptFrom: .min, hours: [], lastTaken: identities.takenLate)
            } else {
                RecordIdentities.Snapshot(keptFrom: .min, hours: [])
            }
        if format < BaselineSnapshot.identityLastTakenVersion { writer.signed(window.keptFrom) }
        writer.unsigned(UInt64(window.hours.count))
        for hour in window.hours {
            writer.signed(hour.hour)
            writer.identities(hour: hour.hour, count: hour.times.count, zip(hour.times, hour.digests).lazy.map { (time: $0, digest: $1) })
        }
        guard format >= BaselineSnapshot.identityLastTakenVersion else { return }
        let late = window.lastTaken.sorted { $0.key < $1.key }
        writer.unsigned(UInt64(late.count))
        for (hour, lastTaken) in late {
            writer.signed(hour)
            writer.unsigned(UInt64(Int64(lastTaken) - Int64(hour)))
        }
        // Format 21: the ids of the alerts raised and no longer open, each as 8 bytes, with its
        // last seen (`AlertAggregator.issuedIDs`).
        guard format >= BaselineSnapshot.issuedAlertIDsVersion else { return }
        writer.array(issuedAlertIDs) { writer, issued in
            writer.word(issued.id)
            writer.signed(issued.lastSeen)
        }
        // Format 22: the lines of the late repeats whose runs' reports are not settled yet, by
        // source (`LateRunRepeats`): a run resumed between a repeat and its run's end report
        // settles it as one run does.
        guard format >= BaselineSnapshot.lateRepeatsVersion else { return }
        writer.namedMap(lateRepeats) { writer, lines in
            writer.array(lines) { $0.signed($1) }
        }
    }

    /// A vault: its ring and mix as they are (the open hour is saved apart, in flight).
    private func writeVault(_ vault: VaultBaseline, into writer: inout StateWriter, names: SavedNames) {
        writer.name(vault.vault, in: names)
        writer.signed(vault.firstSeen.ticks)
        writer.signed(vault.lastSeenDay)
        writer.signed(vault.lastHourWritten)
        writer.array(vault.hourly) { $0.unsigned($1) }
        writer.namedMap(savedOperations(vault.operationLastDay)) { $0.signed($1) }
        writer.namedMap(savedOperations(vault.operationMix)) { $0.double($1) }
        writer.signed(vault.mixDay)
        writer.signed(vault.knownPrincipals)
        writer.signed(vault.knownUsers)
        writer.signed(vault.knownApplications)
        let inferredOffsetHours: Int? = if case .inferred(let hours) = vault.clock.source { hours } else { nil }
        writer.optional(inferredOffsetHours) { $0.signed($1) }
    }

    /// `BaselineSnapshot.Named`'s form: two names, a third or none, a day.
    private func writeNamed(_ first: Symbol, _ second: Symbol, _ third: Symbol, day: UInt16, into writer: inout StateWriter, names: SavedNames) {
        writer.name(first, in: names)
        writer.name(second, in: names)
        writer.name(third, in: names)
        writer.day(day)
    }

    /// The names of the operation types in a bit set, as `savedOperations(bits:)` lists them,
    /// each operation's name number remembered in `numbers` (0: not written yet).
    private func writeOperations(bits: UInt64, into writer: inout StateWriter, numbers: inout [UInt32]) {
        let indices = operations.names.indices
        writer.unsigned(UInt64(indices.count(where: { bits & PairBaseline.operationBit($0) != 0 })))
        for index in indices where bits & PairBaseline.operationBit(index) != 0 {
            if numbers[index] != 0 {
                writer.unsigned(UInt64(numbers[index]) + 1)
            } else if let number = writer.name(operations.names[index]) {
                numbers[index] = UInt32(number + 1)
            }
        }
    }
}
