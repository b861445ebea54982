extension BehaviourBaseline {
    /// The open hour's counters and the open sequences, by name (see `BaselineInFlight`).
    /// Takes nothing from the baselines and closes nothing: an export does not change the run.
    /// - Complexity: O(open vaults + open pairs + open sequences).
    func inFlight() -> BaselineInFlight {
        func name(_ symbol: Symbol) -> String { symbols.string(symbol) ?? "" }
        func named(_ event: AuditEvent?) -> NamedEvent? { event.map { NamedEvent($0, symbols: symbols) } }
        var vaultHours: [BaselineInFlight.OpenVaultHour] = []
        var seen = Set<Int>()
        for index in openVaults where vaults[index].isOpen && seen.insert(index).inserted {
            let vault = vaults[index]
            var counts: [String: UInt32] = [:]
            for (operation, count) in vault.openOperations.enumerated() where count > 0 {
                counts[operations.names[operation]] = count
            }
            var unexplained: [String: UInt32] = [:]
            for (operation, count) in vault.openUnexplained.enumerated() where count > 0 {
                unexplained[operations.names[operation]] = count
            }
            vaultHours.append(
                BaselineInFlight.OpenVaultHour(
                    vault: name(vault.vault), hour: vault.openHour, count: vault.openCount,
                    band: vault.openBand.map(Self.savedBand),
                    crossing: named(vault.openCrossing), operations: counts,
                    newOperations: vault.openNewOperations.map { operations.names[Int($0)] },
                    rareSample: named(vault.openRareSample), unexplained: unexplained))
        }
        let pairHours = openPairHours.map { key, open in
            BaselineInFlight.OpenPairHour(
                vault: name(key.first), principal: name(key.second), count: open.count, band: open.band.map(Self.savedBand),
                threshold: open.threshold, crossing: named(open.crossing))
        }
        let lists = openLists.map { key, list in
            BaselineInFlight.OpenList(
                vault: name(key.first), principal: name(key.second), start: list.start.ticks, secrets: list.secrets.map(name),
                distinct: list.distinct, alerted: list.alerted)
        }
        let changes = openChanges.map { BaselineInFlight.OpenChange(event: NamedEvent($0.event, symbols: symbols), consumed: $0.consumed) }
        return BaselineInFlight(
            operations: operations.names, vaultHours: vaultHours, pairHours: pairHours, lists: lists, changes: changes)
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
        func symbol(_ text: String) -> Symbol { symbols.intern(text) }
        func event(_ saved: NamedEvent?) throws(BaselineStateError) -> AuditEvent? {
            guard let saved else { return nil }
            return try saved.event(symbols: symbols)
        }
        openVaults = []
        for saved in inFlight.vaultHours {
            guard let index = vaultIndex[symbol(saved.vault)] else {
                throw BaselineStateError("detector state has an open hour for vault \"\(saved.vault)\", which it does not hold")
            }
            var vault = vaults[index]
            vault.isOpen = true
            vault.openHour = saved.hour
            vault.openCount = saved.count
            vault.openBand = saved.band.map(Self.restoredBand)
            vault.openCrossing = try event(saved.crossing)
            for (name, count) in saved.operations {
                let operation = operations.index(ofName: name)
                vault.ensureOperation(operation)
                vault.openOperations[operation] = count
            }
            vault.openNewOperations = saved.newOperations.map { name in
                let operation = operations.index(ofName: name)
                vault.ensureOperation(operation)
                return UInt8(operation)
            }
            vault.openRareSample = try event(saved.rareSample)
            for (name, count) in saved.unexplained {
                let operation = operations.index(ofName: name)
                vault.ensureOperation(operation)
                vault.openUnexplained[operation] = count
            }
            vaults[index] = vault
            openVaults.append(index)
        }
        openPairHours = [:]
        for saved in inFlight.pairHours {
            openPairHours[SymbolPair(symbol(saved.vault), symbol(saved.principal))] = OpenPairHour(
                count: saved.count, band: saved.band.map(Self.restoredBand), threshold: saved.threshold,
                crossing: try event(saved.crossing))
        }
        openLists = [:]
        for saved in inFlight.lists {
            openLists[SymbolPair(symbol(saved.vault), symbol(saved.principal))] = ListSequence(
                start: EventTime(ticks: saved.start), secrets: saved.secrets.map(symbol), distinct: saved.distinct,
                alerted: saved.alerted)
        }
        openChanges = []
        for saved in inFlight.changes {
            let change = try saved.event.event(symbols: symbols)
            openChanges.append(
                AccessChange(
                    vault: change.vault, changer: change.principalID, granted: change.grantedPrincipalID,
                    operation: change.operation, time: change.time, event: change, consumed: saved.consumed))
        }
    }

    static func savedBand(_ band: VolumeBand) -> BaselineInFlight.Band {
        .init(median: band.median, mad: band.mad, samples: band.samples, sameWeekdayMaximum: band.sameWeekdayMaximum, threshold: band.threshold)
    }

    static func restoredBand(_ saved: BaselineInFlight.Band) -> VolumeBand {
        VolumeBand(median: saved.median, mad: saved.mad, samples: saved.samples, sameWeekdayMaximum: saved.sameWeekdayMaximum, threshold: saved.threshold)
    }
}
