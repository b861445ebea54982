extension BehaviourBaseline {
    /// Learns from one event and puts what the baselines knew before it in `observation`
    /// (given empty: `BaselineObservation()`; filled in place, not returned, see `Detector`).
    ///
    /// An event of an hour already closed (a record later than the reorder tolerance) still
    /// counts: in its vault's hourly count and its caller's (the hour is reopened and judged
    /// again once its late run is complete: `countLateRecord`), in the principal's known vaults,
    /// applications and ranges.
    /// - Parameter arrival: the detector's clock when the event arrived (what a late record's
    ///   reopened hour waits on).
    /// - Complexity: a handful of dictionary look-ups; the application and range look-ups are
    ///   skipped when the caller's pair already checked them today. No allocation unless an
    ///   entity is new.
    mutating func observe(_ event: AuditEvent, traits: OperationTraits, arrival: Int64, into observation: inout BaselineObservation) {
        observation.operationChangesVault = !traits.isReadOnly
        let time = event.time
        let hour = time.hourNumber
        let day = hour >= 0 ? hour / 24 : (hour - 23) / 24
        let stamp = HourCalendar.stamp(day: day)
        // What is familiar is remembered longer than the habits' window (`memoryDays`).
        let memoryStartHour = hour - memoryHours
        let memoryStartStamp = HourCalendar.stamp(day: day - memoryDays)
        let reached = event.outcome != .denied
        if firstEventTime.map({ time < $0 }) ?? true { firstEventTime = time }
        if let first = firstEventTime { observation.detectorArmed = time - first >= learning }

        // The vault.
        let vaultPosition: Int
        if let known = vaultIndex[event.vault] {
            vaultPosition = known
        } else {
            vaultPosition = vaults.count
            vaultIndex[event.vault] = vaultPosition
            var vault = VaultBaseline(vault: event.vault, firstSeen: time, ringHours: ringHours)
            vault.configuredClock = settings.timeZones.clock(forVault: symbols.string(event.vault) ?? "")
            vault.clock = vault.configuredClock ?? .utc
            vaults.append(vault)
        }
        let operation = operations.index(of: event.operation)
        let counted = observeVault(at: vaultPosition, event: event, operation: operation, reached: reached, into: &observation)

        // The application: only a successful call teaches it, with or without a principal.
        let success = event.outcome == .success
        if !event.appID.isNone, event.principalID.isNone {
            observation.applicationKnownOnVault = checkApplication(event, vaultPosition: vaultPosition, stamp: stamp,
                                                                   knownAfter: memoryStartStamp, learn: success)
        }

        // The principal on the vault.
        guard !event.principalID.isNone else {
            countUnexplained(at: vaultPosition, event: event, operation: operation, hour: hour, knownForPrincipal: false)
            if counted == .inClosedHour { countLateRecord(event, vaultPosition: vaultPosition, armed: observation.vaultArmed, arrival: arrival) }
            return
        }
        let pairKey = SymbolPair(event.vault, event.principalID)
        let pairIndex: Int
        if let known = pairs.index(forKey: pairKey) {
            pairIndex = known
        } else {
            var pair = PairBaseline()
            pair.isUser = !event.upn.isNone
            pair.firstSeenDay = stamp
            pairIndex = pairs.insert(pair, forKey: pairKey)
            vaults[vaultPosition].knownPrincipals += 1
            if pair.isUser { vaults[vaultPosition].knownUsers += 1 }
        }
        // Moved out of the table and back (a swap each way), not copied: a copy retained the
        // pair's burst days and the write-back released them, for every event. Nothing between
        // the two swaps reads `pairs`.
        var pair = PairBaseline()
        swap(&pair, &pairs[at: pairIndex])
        observation.principalReachedVault = pair.lastReachedHour > memoryStartHour && pair.lastReachedHour <= hour
            && pair.lastReachedHour != .min
        observation.principalSeenOnVault = pair.lastSeenHour > memoryStartHour && pair.lastSeenHour != .min
        if observation.principalSeenOnVault && pair.lastSeenHour > hour {
            // A late record: the principal was seen later, which is not "before"; only its last
            // calls are kept, so a first call on an earlier day counts as seen before (a backlog
            // restored weeks late is not a stranger's).
            let seenOnAnEarlierDay = pair.firstSeenDay < stamp
            observation.principalSeenOnVault = pair.lastReachedHour <= hour || pair.lastDeniedHour <= hour || seenOnAnEarlierDay
            if !observation.principalReachedVault, pair.lastReachedHour > hour, pair.lastReachedHour != .min, seenOnAnEarlierDay {
                observation.principalReachedVault = true
            }
        }
        if !event.upn.isNone { pair.isUser = true }
        if stamp < pair.firstSeenDay { pair.firstSeenDay = stamp }
        observation.principalHistoryDays = Int(stamp) - Int(pair.firstSeenDay)
        let bit = PairBaseline.operationBit(operation)
        observation.operationKnownForPrincipal = pair.operations & bit != 0
        if pair.operationsHour != hour {
            pair.operationsHour = hour
            pair.newOperationsThisHour = 0
        }
        // Known before this hour: a type first used in this hour is not yet a habit of it.
        let knownBeforeHour = observation.operationKnownForPrincipal && pair.newOperationsThisHour & bit == 0
        // Asked for a type new to the principal here that `KV_OperationPatternAnomaly` would
        // judge: a change type, or any type new to the vault (its first call on the vault only).
        if reached, !observation.operationKnownForPrincipal, observation.operationChangesVault || !observation.operationKnownOnVault {
            observation.operationKnownForPrincipalElsewhere = performs(
                bit, principal: event.principalID, before: hour, elsewhereThan: event.vault)
        }
        if reached, !observation.operationKnownForPrincipal {
            pair.operations |= bit
            pair.newOperationsThisHour |= bit
        }
        countUnexplained(
            at: vaultPosition, event: event, operation: operation, hour: hour, knownForPrincipal: knownBeforeHour && reached)

        // The principal across vaults: distinct vaults in 24 h.
        let previousHour = reached ? pair.lastReachedHour : pair.lastDeniedHour
        if previousHour != hour {
            observePrincipal(event, hour: hour, day: day, denied: !reached, into: &observation)
        }
        if reached { pair.lastReachedHour = max(pair.lastReachedHour, hour) } else { pair.lastDeniedHour = max(pair.lastDeniedHour, hour) }

        // The application, and the user–application pair: learned from successful calls only,
        // so a refused probe never makes an attacker's application known.
        if !event.appID.isNone {
            if pair.applicationCheckedDay == stamp && pair.cachedApplication == event.appID {
                observation.applicationKnownOnVault = true
                observation.userApplicationKnownOnVault = true
            } else {
                observation.applicationKnownOnVault = checkApplication(
                    event, vaultPosition: vaultPosition, stamp: stamp, knownAfter: memoryStartStamp, learn: success)
                let tripleKey = SymbolTriple(pair: pairKey, third: event.appID)
                if let lastTriple = userApplications[tripleKey] {
                    observation.userApplicationKnownOnVault = lastTriple > memoryStartStamp
                }
                if success {
                    userApplications[tripleKey] = max(userApplications[tripleKey] ?? 0, stamp)
                    pair.cachedApplication = event.appID
                    pair.applicationCheckedDay = stamp
                }
            }
        }

        // The network range, and the provider block around it: successful calls only.
        if let address = event.callerIP {
            let range = RangeKey.range(of: address)
            if pair.rangeCheckedDay == stamp && pair.cachedRange == range {
                observation.rangeKnownForPrincipal = true
                observation.rangeKnownOnVault = true
            } else {
                let principalKey = RangeKey(owner: event.principalID, range: range)
                if let last = principalRanges[principalKey] { observation.rangeKnownForPrincipal = last > memoryStartStamp }
                let vaultKey = RangeKey(owner: event.vault, range: range)
                if let last = vaultRanges[vaultKey] { observation.rangeKnownOnVault = last > memoryStartStamp }
                if !observation.rangeKnownForPrincipal {
                    // Principals of the first `learning` days learn their networks with the
                    // history; a later arrival needs that long of its own.
                    if let principal = principals[event.principalID], let first = firstEventTime,
                        principal.firstSeen - first >= learning
                    {
                        observation.principalIsNewcomer = time - principal.firstSeen < learning
                    }
                    observation.blockFamiliarForPrincipal = addressBlocks.isFamiliar(
                        address, principal: event.principalID, windowStart: memoryStartStamp,
                        familiarRanges: settings.unusualIP.familiarBlockRanges, footprintDays: settings.unusualIP.dynamicRangeDays)
                    // A pool the principal roams: up to 256 look-ups, so asked only for a call the
                    // unfamiliar-network rule would otherwise judge (a log where every call comes
                    // from a new range, its vaults not armed, never asks).
                    if !observation.blockFamiliarForPrincipal, success, observation.vaultArmed, observation.principalReachedVault,
                        !observation.principalIsNewcomer, !settings.unusualIP.requireUnfamiliarToVault || !observation.rangeKnownOnVault
                    {
                        observation.blockFamiliarForPrincipal = addressBlocks.roamsPool(
                            address, principal: event.principalID, windowStart: memoryStartStamp,
                            footprintDays: settings.unusualIP.dynamicRangeDays, roamingBlocks: settings.unusualIP.roamingBlocks)
                    }
                }
                if success {
                    principalRanges[principalKey] = max(principalRanges[principalKey] ?? 0, stamp)
                    vaultRanges[vaultKey] = max(vaultRanges[vaultKey] ?? 0, stamp)
                    addressBlocks.observe(address, principal: event.principalID, day: stamp)
                    pair.cachedRange = range
                    pair.rangeCheckedDay = stamp
                }
            }
        }

        // Hourly volume of the principal on the vault (in-order events only), against its
        // usual burst (`BurstHistory`).
        if hour == currentHour || currentHour == .min {
            // Looked up, then added to in place: a `default:` closure needed its own copy of the
            // settings and the bursts on every event, for the one event that opens the hour.
            if let index = openPairHours.index(forKey: pairKey) {
                openPairHours.values[index].add(event, armed: observation.vaultArmed)
            } else {
                // Once a day per pair, not at each of its hours (`BurstHistory.dayBand`).
                let band = pair.bursts.dayBand(before: stamp, settings: settings)
                var open = OpenPairHour(band: band, settings: settings.operationVolume)
                // A listing that alerted in an earlier hour and is still open is open in this one.
                open.listingAlerted = openLists[pairKey]?.alerted == true
                open.add(event, armed: observation.vaultArmed)
                openPairHours[pairKey] = open
            }
        }

        // Sequences: list → get, change → read.
        if reached {
            if traits.isSecretList {
                if let ended = openLists.removeValue(forKey: pairKey) {
                    let endedDay = ended.start.dayNumber
                    pair.learnListRead(
                        distinct: ended.distinct, alerted: ended.alerted, day: endedDay, periods: periods(ofDay: endedDay),
                        learningDays: settings.learningDays)
                }
                openLists[pairKey] = ListSequence(start: time, events: [event])
            } else if traits.isSecretRead, event.outcome == .success, let listIndex = openLists.index(forKey: pairKey) {
                // Moved out of the dictionary and back (a swap each way), not read through
                // `values[index]`: each such read copied the sequence out, retaining and then
                // releasing its two arrays, six times per read of a listing's secrets.
                var sequence = ListSequence(start: time)
                swap(&sequence, &openLists.values[listIndex])
                let start = sequence.start
                if time >= start, time - start <= .minutes(Int64(settings.listGet.windowMinutes)),
                    !sequence.secrets.contains(event.objectName)
                {
                    if sequence.secrets.count < 512 { sequence.secrets.append(event.objectName) }
                    sequence.distinct += 1
                    if sequence.events.count < ListSequence.evidenceLimit { sequence.events.append(event) }
                    observation.listRead = BaselineObservation.ListRead(
                        distinctSecrets: sequence.distinct,
                        usualPeak: pair.usualListRead(on: stamp, periods: periods(ofDay: day), settings: settings), listTime: start,
                        events: sequence.events)
                }
                swap(&sequence, &openLists.values[listIndex])
            }
            if traits.isAccessChange, event.outcome == .success {
                openChanges.append(
                    AccessChange(
                        vault: event.vault, changer: event.principalID, granted: event.grantedPrincipalID,
                        operation: event.operation, time: time, event: event))
            }
        }
        swap(&pair, &pairs[at: pairIndex])
        if counted == .inClosedHour { countLateRecord(event, vaultPosition: vaultPosition, armed: observation.vaultArmed, arrival: arrival) }
        if (traits.isSecretRead || traits.isSecretList), event.outcome == .success, !openChanges.isEmpty {
            observeChangeRead(event, windowStartStamp: HourCalendar.stamp(day: day - windowDays), into: &observation)
        }
    }

    /// Whether the event's application called the vault after day `knownAfter` (within the
    /// memory); learns it when `learn`.
    private mutating func checkApplication(
        _ event: AuditEvent, vaultPosition: Int, stamp: UInt16, knownAfter: UInt16, learn: Bool
    ) -> Bool {
        let applicationKey = SymbolPair(event.vault, event.appID)
        let last = vaultApplications[applicationKey]
        if learn {
            if last == nil { vaults[vaultPosition].knownApplications += 1 }
            vaultApplications[applicationKey] = max(last ?? 0, stamp)
        }
        return last.map { $0 > knownAfter } ?? false
    }

    /// Counts the call toward the hour's rare mix unless its caller had performed that
    /// operation type on the vault before, and picks the hour's sample among such calls.
    private mutating func countUnexplained(at position: Int, event: AuditEvent, operation: Int, hour: Int32, knownForPrincipal: Bool) {
        guard !knownForPrincipal, vaults[position].isOpen, vaults[position].openHour == hour else { return }
        vaults[position].openUnexplained[operation] += 1
        if vaults[position].openRareSample == nil, event.outcome != .denied,
            vaults[position].operationLastDay[operation] != 0,
            vaults[position].usualShare(of: operation) < settings.operationPattern.rareShare
        {
            vaults[position].openRareSample = event
        }
    }

    /// Whether `principal` performed the operation type `bit` on a vault other than `vault`
    /// before `hour` (a type first used in `hour` elsewhere is not yet its habit: a spree of
    /// writes across vaults is not made usual by its own first write).
    /// - Complexity: one look-up per vault; asked only for a type new to the principal on the
    ///   vault that is a change type or new to the vault, which the principal's first such call
    ///   settles.
    func performs(_ bit: UInt64, principal: Symbol, before hour: Int32, elsewhereThan vault: Symbol) -> Bool {
        vaults.contains { other in
            guard other.vault != vault, let pair = pairs[SymbolPair(other.vault, principal)], pair.operations & bit != 0 else {
                return false
            }
            return pair.operationsHour != hour || pair.newOperationsThisHour & bit == 0
        }
    }

    private mutating func observeVault(
        at position: Int, event: AuditEvent, operation: Int, reached: Bool, into observation: inout BaselineObservation
    ) -> VaultBaseline.Counted {
        // In place (a mutating method on the array's element): taking the vault out and back
        // moved its ~400 bytes twice per event.
        let counted = vaults[position].observe(
            event, operation: operation, reached: reached, currentHour: currentHour, learning: learning, memoryDays: memoryDays,
            into: &observation)
        if counted == .openedHour {
            openVaults.append(position)
            vaults[position].judgeOpenHour(
                armed: observation.vaultArmed, windowDays: settings.windowDays, volume: settings.operationVolume, opener: event)
        }
        return counted
    }

    private mutating func observePrincipal(
        _ event: AuditEvent, hour: Int32, day: Int32, denied: Bool, into observation: inout BaselineObservation
    ) {
        let halfWindow = max(1, windowDays / 2)
        if let index = principals.index(forKey: event.principalID) {
            principals[at: index].observe(event, hour: hour, day: day, denied: denied, halfWindow: halfWindow, into: &observation)
        } else {
            var principal = PrincipalBaseline(firstSeen: event.time)
            principal.observe(event, hour: hour, day: day, denied: denied, halfWindow: halfWindow, into: &observation)
            principals.insert(principal, forKey: event.principalID)
        }
    }

    private mutating func observeChangeRead(
        _ event: AuditEvent, windowStartStamp: UInt16, into observation: inout BaselineObservation
    ) {
        let window = EventTime.Duration.minutes(Int64(settings.putGet.windowMinutes))
        for index in openChanges.indices {
            let change = openChanges[index]
            guard !change.consumed, change.vault == event.vault, event.time >= change.time,
                event.time - change.time <= window,
                event.principalID == change.changer || (!change.granted.isNone && event.principalID == change.granted)
            else { continue }
            openChanges[index].consumed = true
            let key = SymbolPair(change.vault, change.changer)
            let changerPair = pairs[key] ?? PairBaseline()
            // Learned from a sequence that raised nothing, or recurring on `routine_days`
            // distinct days by the vault's changers, alerted or not, for a changer that ran it
            // there before (`RoutineOperations`: a weekly onboarding, one admin or in turn).
            let known = changerPair.changeReadDay != 0 && changerPair.changeReadDay > windowStartStamp
                || routine.isRoutineSequence(
                    vault: change.vault, changer: change.changer, change: change.operation,
                    day: HourCalendar.stamp(day: change.time.dayNumber), windowStart: windowStartStamp,
                    routineDays: settings.putGet.routineDays)
            observation.changeRead = BaselineObservation.ChangeRead(
                changer: change.changer, granted: change.granted, changeTime: change.time,
                changeOperation: change.operation, changeEvent: change.event, isKnownSequence: known)
            return
        }
    }

    /// Learns what an event's observation holds back until the rules have seen it: a
    /// change→read sequence becomes usual only if it raised no alert (its day is counted either
    /// way: recurring on `routine_days` distinct days, it is routine), and a listing that
    /// raised one is not learned as the principal's usual reads, nor are the objects of the
    /// hours it is open in (`OpenPairHour.listingAlerted`, which `closeHour` reads) as its usual
    /// objects in an hour.
    mutating func settle(_ event: AuditEvent, _ observation: BaselineObservation, fired: RuleSet.Fired) {
        if let sequence = observation.changeRead {
            routine.observeSequence(
                vault: event.vault, changer: sequence.changer, change: sequence.changeOperation,
                day: HourCalendar.stamp(day: sequence.changeTime.dayNumber))
        }
        if let sequence = observation.changeRead, !fired.putGet {
            let key = SymbolPair(event.vault, sequence.changer)
            let day = HourCalendar.stamp(day: event.time.dayNumber)
            let position = pairs.index(forKey: key) ?? pairs.insert(PairBaseline(), forKey: key)
            if pairs[at: position].changeReadDay < day { pairs[at: position].changeReadDay = day }
        }
        let hour = event.time.hourNumber
        if fired.listGet {
            let key = SymbolPair(event.vault, event.principalID)
            if let index = openLists.index(forKey: key) { openLists.values[index].alerted = true }
            // The open hour's mark outlives the sequence: a second listing in the hour replaces it.
            // A late listing marks its closed hour, which teaches as in order when judged again.
            if hour == currentHour, let index = openPairHours.index(forKey: key) {
                openPairHours.values[index].listingAlerted = true
            } else if hour < currentHour {
                closedHours.markListingAlerted(of: event.principalID, vault: event.vault, hour: hour)
            }
        } else if hour < currentHour, currentHour != .min {
            // A late call in a later hour that the late listing that alerted is still open in
            // marks that hour too, as in order each hour it is open in is (`observe`: a pair
            // hour opening while it is open), so that hour teaches no objects either.
            let key = SymbolPair(event.vault, event.principalID)
            if let list = openLists[key], list.alerted, event.time >= list.start,
                event.time - list.start <= .minutes(Int64(settings.listGet.windowMinutes)), list.start.hourNumber < hour
            {
                closedHours.markListingAlerted(of: event.principalID, vault: event.vault, hour: hour)
            }
        }
        if fired.reached { markManyVaultsAlert(principal: event.principalID, hour: hour, denied: false) }
        if fired.denied { markManyVaultsAlert(principal: event.principalID, hour: hour, denied: true) }
    }

    /// Marks a principal's many-vaults alert, so the rest of the spree folds into it and the
    /// spree never becomes the principal's usual: the day's count stops below it.
    mutating func markManyVaultsAlert(principal: Symbol, hour: Int32, denied: Bool) {
        guard let index = principals.index(forKey: principal) else { return }
        if denied {
            principals[at: index].deniedAlertHour = hour
            principals[at: index].deniedToday = max(0, principals[at: index].deniedToday - 1)
        } else {
            principals[at: index].reachedAlertHour = hour
            principals[at: index].reachedToday = max(0, principals[at: index].reachedToday - 1)
        }
    }
}
