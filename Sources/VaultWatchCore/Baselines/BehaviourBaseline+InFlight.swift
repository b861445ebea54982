/// What is in flight taken back from a saved state (`BaselineInFlight`); a save writes it
/// straight from the baselines (`BehaviourBaseline+SavedState.swift`), taking nothing from them
/// and closing nothing: an export does not change the run.
extension BehaviourBaseline {
    /// Numbers `inFlight`'s operations as the saving process did; call before anything else of
    /// the snapshot is restored, so that every index keeps its meaning.
    mutating func restoreOperationOrder(_ inFlight: BaselineInFlight) {
        for name in inFlight.operations { _ = operations.index(ofName: name) }
    }

    /// Takes back the open hour and the open sequences, after the learned state.
    /// - Throws: `BaselineStateError` when an open hour names a vault the snapshot does not hold,
    ///   or a saved event is damaged.
    mutating func restoreInFlight(_ inFlight: BaselineInFlight) throws(BaselineStateError) {
        let names = savedNames
        openVaults = []
        for saved in inFlight.vaultHours {
            guard let index = vaultIndex[names.symbol(saved.vault)] else {
                throw BaselineStateError("detector state has an open hour for vault \"\(saved.vault)\", which it does not hold")
            }
            var vault = vaults[index]
            vault.isOpen = true
            vault.openHour = saved.hour
            vault.openCount = saved.count
            vault.openBand = saved.band.map(Self.restoredBand)
            vault.openCrossing = try saved.crossing.map(names.event)
            restoreOperations(saved.operations, in: &vault, \.openOperations)
            vault.openNewOperations = saved.newOperations.map { UInt8(restoredOperation($0, in: &vault)) }
            vault.openRareSample = try saved.rareSample.map(names.event)
            restoreOperations(saved.unexplained, in: &vault, \.openUnexplained)
            vaults[index] = vault
            openVaults.append(index)
        }
        openPairHours = [:]
        for saved in inFlight.pairHours {
            openPairHours[SymbolPair(names.symbol(saved.vault), names.symbol(saved.principal))] = OpenPairHour(
                count: saved.count, band: saved.band.map(Self.restoredBand), threshold: saved.threshold,
                ceiling: saved.ceiling ?? saved.threshold, crossing: try saved.crossing.map(names.event),
                objects: HourObjects((saved.objects ?? []).map(names.symbol)), listingAlerted: saved.listingAlerted ?? false)
        }
        openLists = [:]
        for saved in inFlight.lists {
            openLists[SymbolPair(names.symbol(saved.vault), names.symbol(saved.principal))] = ListSequence(
                start: EventTime(ticks: saved.start), secrets: saved.secrets.map(names.symbol), distinct: saved.distinct,
                events: try (saved.events ?? []).map(names.event), alerted: saved.alerted)
        }
        // An open listing that alerted is open in its principal's hour (what a state saved before
        // format 13, which did not keep the hour's mark, still tells).
        for (key, list) in openLists where list.alerted {
            if let index = openPairHours.index(forKey: key) { openPairHours.values[index].listingAlerted = true }
        }
        openChanges = []
        for saved in inFlight.changes {
            let change = try names.event(saved.event)
            openChanges.append(
                AccessChange(
                    vault: change.vault, changer: change.principalID, granted: change.grantedPrincipalID,
                    operation: change.operation, time: change.time, event: change, consumed: saved.consumed))
        }
        closedHours = ClosedHours()
        for saved in inFlight.closedHours ?? [] {
            var callers = HourCallers()
            for caller in saved.callers {
                let replicas = try caller.replicas.map { saved throws(BaselineStateError) in
                    HourCallers.Replicas(
                        ceiling: saved.ceiling, usualObjects: saved.usualObjects, newObjects: saved.newObjects,
                        objects: HourObjects(saved.objects.map(names.symbol)),
                        crossing: try saved.crossing.map(names.event), listingAlerted: saved.listingAlerted)
                }
                callers.add(
                    names.symbol(caller.principal),
                    HourCallers.Caller(count: caller.count, habit: caller.habit, threshold: caller.threshold, usualBurst: caller.usualBurst),
                    replicas: replicas)
            }
            closedHours.keep(callers, vault: names.symbol(saved.vault), hour: saved.hour)
        }
        reopenedHours = ReopenedHours()
        for saved in inFlight.reopenedHours ?? [] {
            var principalCrossings: [Symbol: AuditEvent] = [:]
            for crossing in try saved.principalCrossings.map(names.event) { principalCrossings[crossing.principalID] = crossing }
            reopenedHours.restore(
                vault: names.symbol(saved.vault), hour: saved.hour,
                ReopenedHours.Hour(
                    lastArrival: saved.lastArrival, attributed: saved.attributed, armed: saved.armed, crossing: try saved.crossing.map(names.event),
                    principalCrossings: principalCrossings))
        }
    }
}
