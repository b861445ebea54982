extension BehaviourBaseline {
    /// The open hour's counters and the open sequences, by name (see `BaselineInFlight`).
    /// Takes nothing from the baselines and closes nothing: an export does not change the run.
    /// - Complexity: O(open vaults + open pairs + open sequences).
    func inFlight() -> BaselineInFlight {
        let names = savedNames
        var vaultHours: [BaselineInFlight.OpenVaultHour] = []
        var seen = Set<Int>()
        for index in openVaults where vaults[index].isOpen && seen.insert(index).inserted {
            let vault = vaults[index]
            vaultHours.append(
                BaselineInFlight.OpenVaultHour(
                    vault: names.name(vault.vault), hour: vault.openHour, count: vault.openCount,
                    band: vault.openBand.map(Self.savedBand), crossing: vault.openCrossing.map(names.named),
                    operations: savedOperations(vault.openOperations),
                    newOperations: vault.openNewOperations.map { operations.names[Int($0)] },
                    rareSample: vault.openRareSample.map(names.named), unexplained: savedOperations(vault.openUnexplained)))
        }
        let pairHours = openPairHours.map { key, open in
            BaselineInFlight.OpenPairHour(
                vault: names.name(key.first), principal: names.name(key.second), count: open.count,
                band: open.band.map(Self.savedBand), threshold: open.threshold, crossing: open.crossing.map(names.named),
                ceiling: open.ceiling, objects: open.objects.objects.map(names.name), listingAlerted: open.listingAlerted)
        }
        let lists = openLists.map { key, list in
            BaselineInFlight.OpenList(
                vault: names.name(key.first), principal: names.name(key.second), start: list.start.ticks,
                secrets: list.secrets.map(names.name), distinct: list.distinct, alerted: list.alerted,
                events: list.events.map(names.named))
        }
        let changes = openChanges.map { BaselineInFlight.OpenChange(event: names.named($0.event), consumed: $0.consumed) }
        var closed: [BaselineInFlight.ClosedHour] = []
        for (hour, byVault) in closedHours.hours {
            for (vault, callers) in byVault {
                closed.append(
                    BaselineInFlight.ClosedHour(
                        vault: names.name(vault), hour: hour,
                        callers: callers.entries.map { entry in
                            BaselineInFlight.ClosedHour.Caller(
                                principal: names.name(entry.principal), count: entry.caller.count, habit: entry.caller.habit,
                                threshold: entry.caller.threshold, usualBurst: entry.caller.usualBurst,
                                replicas: callers.replicas[entry.principal].map { replicas in
                                    BaselineInFlight.ClosedHour.Replicas(
                                        ceiling: replicas.ceiling, usualObjects: replicas.usualObjects,
                                        objects: replicas.objects.objects.map(names.name), crossing: replicas.crossing.map(names.named))
                                })
                        }.sorted { $0.principal < $1.principal }))
            }
        }
        closed.sort { ($0.hour, $0.vault) < ($1.hour, $1.vault) }
        let reopened = reopenedHours.hours.map { key, hour in
            BaselineInFlight.ReopenedHour(
                vault: names.name(key.vault), hour: key.hour, lastArrival: hour.lastArrival, attributed: hour.attributed, armed: hour.armed,
                crossing: hour.crossing.map(names.named),
                principalCrossings: hour.principalCrossings.values.map(names.named).sorted { ($0.principalID ?? "") < ($1.principalID ?? "") })
        }.sorted { ($0.hour, $0.vault) < ($1.hour, $1.vault) }
        return BaselineInFlight(
            operations: operations.names, vaultHours: vaultHours, pairHours: pairHours, lists: lists, changes: changes,
            closedHours: closed, reopenedHours: reopened)
    }

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
                        ceiling: saved.ceiling, usualObjects: saved.usualObjects, objects: HourObjects(saved.objects.map(names.symbol)),
                        crossing: try saved.crossing.map(names.event))
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
