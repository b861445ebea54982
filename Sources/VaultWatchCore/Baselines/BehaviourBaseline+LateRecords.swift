extension BehaviourBaseline {
    /// Counts a late record in its closed hour (`VaultBaseline.Counted.inClosedHour`) and
    /// reopens the hour (`ReopenedHours`): the record's caller counts in its own hour on the
    /// vault (`HourCallers`, kept in `ClosedHours`), and the hour is judged once its late run is
    /// complete (`judgeReopenedHours`), as an hour closing in order is judged: complete.
    ///
    /// - Parameter arrival: the detector's clock when the record arrived.
    mutating func countLateRecord(_ event: AuditEvent, vaultPosition: Int, armed: Bool, arrival: Int64) {
        let hour = event.time.hourNumber
        let vault = vaults[vaultPosition].vault
        guard let count = vaults[vaultPosition].count(at: hour) else { return }
        // An hour older than the kept ones has lost the callers of its records that came in order:
        // its late records are still put down to theirs (a backlog restored weeks late is whole
        // hours of late records, so it is attributed exactly).
        let attributed = reopenedHours.attributes(vault: vault, hour: hour) ?? ClosedHours.keeps(hour, currentHour: currentHour)
        var caller: HourCallers.Caller?
        if !event.principalID.isNone {
            // A principal new to the hour gets the limits its hour would have opened with
            // (`OpenPairHour`): its threshold, and its ceiling when its hour may be more replicas
            // of its usual load.
            var newCaller = HourCallers.Caller(count: 0, habit: 0, threshold: 0, usualBurst: 0)
            var newReplicas: HourCallers.Replicas?
            let stamp = HourCalendar.stamp(day: event.time.dayNumber)
            let key = SymbolPair(event.vault, event.principalID)
            if closedHours.caller(event.principalID, of: vault, in: hour) == nil {
                let bursts = pairs[key]?.bursts
                let band = bursts?.band(before: stamp, settings: settings)
                let volume = settings.operationVolume
                let threshold = band?.threshold ?? volume.principalMinimum
                newCaller = HourCallers.caller(count: 0, band: band, threshold: threshold, settings: volume)
                let ceiling = BurstHistory.replicaCeiling(band: band, threshold: threshold, settings: volume)
                let usualObjects = bursts?.usualObjects(on: stamp, windowDays: settings.windowDays) ?? 0
                if ceiling > threshold, usualObjects > 0 { newReplicas = HourCallers.Replicas(ceiling: ceiling, usualObjects: usualObjects) }
            }
            // The objects its learned hours touched, as of the hour's day: the hour's own in-order
            // objects are among them once it closed, and are in the caller's objects already.
            caller = closedHours.addCall(
                by: event.principalID, object: event.objectName, vault: vault, hour: hour, newCaller: newCaller, newReplicas: newReplicas,
                isUsualObject: usualObjectTest(pair: key, on: stamp))
        }
        var crossing: AuditEvent?
        if armed, !reopenedHours.hasCrossing(vault: vault, hour: hour),
            let band = vaults[vaultPosition].band(for: hour, settings: settings), count > band.threshold
        {
            crossing = event
        }
        let crossedPrincipal = armed && caller.map { $0.count == $0.threshold + 1 } == true
        reopenedHours.reopen(
            vault: vault, hour: hour, arrival: arrival, attributed: attributed, armed: armed, crossing: crossing,
            principalCrossing: crossedPrincipal ? event : nil)
    }

    /// Judges the reopened hours due at `watermark` (the detector's clock less the reorder
    /// tolerance; `.max` at the end of the input: `ReopenedHours.takeDue`), as the hour was judged
    /// when it closed, now with its late records: each caller above its own limit
    /// (`HourCallers.limit`: its threshold, or its ceiling while the objects of its hour, in order
    /// and late, are its usual load's, the one verdict of `BurstHistory.limit`) is reported (and
    /// not learned), the others' calls are learned and their habits explain that much of the
    /// vault's hour, which is reported only when its count less what is explained is above its
    /// band. A report marks the hour as alerted: nothing more counts in it, and it is left out of
    /// every band, as for an hour that alerted in order.
    ///
    /// Until the hour's late run is over, a piece of it that would report the vault's hour gives
    /// no verdict and learns nothing: a later piece may take a caller over its limit, which in
    /// order makes the hour that caller's alert, not the vault's (`ReopenedHours`).
    ///
    /// An hour older than `ClosedHours.keptHours` when its late run began has lost the callers
    /// of its records that came in order: only its late records are put down to their callers
    /// (the report says so), the rest of its count is not explained.
    mutating func judgeReopenedHours(arrivedBefore watermark: Int64, reports: inout HourReports) {
        for (key, reopened, isFinal) in reopenedHours.takeDue(before: watermark) {
            judgeReopenedHour(vault: key.vault, hour: key.hour, reopened, isFinal: isFinal, reports: &reports)
        }
    }

    private mutating func judgeReopenedHour(
        vault: Symbol, hour: Int32, _ reopened: ReopenedHours.Hour, isFinal: Bool, reports: inout HourReports
    ) {
        guard let position = vaultIndex[vault], let count = vaults[position].count(at: hour) else { return }
        let stamp = HourCalendar.stamp(day: hour >= 0 ? hour / 24 : (hour - 23) / 24)
        let callers = closedHours.callers(of: vault, in: hour)
        let vaultBand = vaults[position].band(for: hour, settings: settings)
        // The callers above their own limit, each with the call that took it over its threshold:
        // in order (kept while its hour was within its ceiling) or late.
        var loudCallers: [(principal: Symbol, caller: HourCallers.Caller, crossing: AuditEvent)] = []
        for entry in callers.entries where entry.caller.count > callers.limit(of: entry.principal, entry.caller) {
            let principal = entry.principal
            guard let crossing = callers.replicas[principal]?.crossing ?? reopened.principalCrossings[principal] else { continue }
            loudCallers.append((principal, entry.caller, crossing))
        }
        loudCallers.sort { $0.principal.rawValue < $1.principal.rawValue }
        let vaultLoud = loudCallers.isEmpty && reopened.armed && reopened.crossing != nil
            && vaultBand.map { callers.isAnomalous(count: count, band: $0) } ?? false
        if vaultLoud, !isFinal {
            reopenedHours.awaitFinal(vault: vault, hour: hour, reopened)
            return
        }
        for loudCaller in loudCallers {
            reports.principalVolumes.append(
                HourReports.PrincipalVolume(
                    vault: vault, principal: loudCaller.principal, hour: hour, count: loudCaller.caller.count,
                    band: pairs[SymbolPair(vault, loudCaller.principal)]?.bursts.band(before: stamp, settings: settings),
                    threshold: loudCaller.caller.threshold, crossing: loudCaller.crossing, vaultBand: vaultBand,
                    clock: vaults[position].clock, isLate: true, lateCallersOnly: !reopened.attributed,
                    replicas: replicaVerdict(of: callers.replicas[loudCaller.principal], pair: SymbolPair(vault, loudCaller.principal), on: stamp)))
        }
        // Learned as a closing hour learns its callers (an hour of an earlier day in that day's
        // sample), with the objects of those kept as more replicas (all of their hour's, in order
        // and late); the other callers' in-order objects were learned when the hour closed, their
        // late ones are not kept, so they teach their size only. A replicas caller whose listing
        // alerted in the hour, in order or late, teaches its size only (`Replicas.listingAlerted`).
        for entry in callers.entries where !loudCallers.contains(where: { $0.principal == entry.principal }) {
            let key = SymbolPair(vault, entry.principal)
            if let index = pairs.index(forKey: key) {
                let replicas = callers.replicas[entry.principal]
                learnHour(
                    pairAt: index, key: key, count: entry.caller.count, objects: replicas?.objects, listingAlerted: replicas?.listingAlerted ?? false,
                    on: stamp)
            }
        }
        var loud = !loudCallers.isEmpty
        if vaultLoud, let band = vaultBand, let crossing = reopened.crossing {
            loud = true
            reports.vaultVolumes.append(
                HourReports.VaultVolume(
                    vault: vault, hour: hour, count: count, band: band, crossing: crossing, isLate: true,
                    explained: callers.explained, habits: callers.habits, clock: vaults[position].clock,
                    lateCallersOnly: !reopened.attributed))
        }
        if loud {
            vaults[position].hourly[vaults[position].slot(hour)] = VaultBaseline.alertedHour
            closedHours.remove(vault: vault, hour: hour)
        } else if !ClosedHours.keeps(hour, currentHour: currentHour) {
            closedHours.remove(vault: vault, hour: hour)
        } else {
            // A caller over its threshold, within its ceiling: its crossing is kept for a later
            // piece of the run that takes it over (no later record crosses the threshold again).
            for (principal, crossing) in reopened.principalCrossings {
                closedHours.noteCrossing(crossing, of: principal, vault: vault, hour: hour)
            }
        }
    }
}
