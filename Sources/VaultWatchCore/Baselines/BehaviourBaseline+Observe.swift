extension BehaviourBaseline {
    /// Learns from one event and returns what the baselines knew before it.
    ///
    /// An event of an hour already closed (a record later than the reorder tolerance) still
    /// counts: in its vault's hourly count (and reports a volume crossing if it causes one, in
    /// `lateReports`), in the principal's known vaults, applications and ranges.
    /// - Complexity: a handful of dictionary look-ups; the application and range look-ups are
    ///   skipped when the caller's pair already checked them today. No allocation unless an
    ///   entity is new.
    mutating func observe(_ event: AuditEvent, traits: OperationTraits, reports: inout HourReports) -> BaselineObservation {
        var observation = BaselineObservation()
        observation.operationChangesVault = !traits.isReadOnly
        let time = event.time
        let hour = time.hourNumber
        let day = hour >= 0 ? hour / 24 : (hour - 23) / 24
        let stamp = HourCalendar.stamp(day: day)
        let windowStartHour = hour - windowHours
        let windowStartStamp = HourCalendar.stamp(day: day - windowDays)
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
            vaults.append(VaultBaseline(vault: event.vault, firstSeen: time, ringHours: ringHours))
        }
        let operation = operations.index(of: event.operation)
        observeVault(at: vaultPosition, event: event, operation: operation, reached: reached, reports: &reports, into: &observation)

        // The principal on the vault.
        guard !event.principalID.isNone else { return observation }
        let pairKey = SymbolPair(event.vault, event.principalID)
        var pairIndex = pairs.index(forKey: pairKey)
        if pairIndex == nil {
            var pair = PairBaseline()
            pair.isUser = !event.upn.isNone
            pair.firstSeenDay = stamp
            pairs[pairKey] = pair
            pairIndex = pairs.index(forKey: pairKey)
            vaults[vaultPosition].knownPrincipals += 1
            if pair.isUser { vaults[vaultPosition].knownUsers += 1 }
        }
        guard let pairIndex else { return observation }
        var pair = pairs.values[pairIndex]
        observation.principalReachedVault = pair.lastReachedHour > windowStartHour && pair.lastReachedHour <= hour
            && pair.lastReachedHour != .min
        observation.principalSeenOnVault = pair.lastSeenHour > windowStartHour && pair.lastSeenHour != .min
        if observation.principalSeenOnVault && pair.lastSeenHour > hour {
            // A late record: the principal was seen later, which is not "before".
            observation.principalSeenOnVault = pair.lastReachedHour <= hour || pair.lastDeniedHour <= hour
        }
        if !event.upn.isNone { pair.isUser = true }
        if stamp < pair.firstSeenDay { pair.firstSeenDay = stamp }
        observation.principalHistoryDays = Int(stamp) - Int(pair.firstSeenDay)
        if reached {
            let bit = PairBaseline.operationBit(operation)
            observation.operationKnownForPrincipal = pair.operations & bit != 0
            pair.operations |= bit
        }

        // The principal across vaults: distinct vaults in 24 h.
        let previousHour = reached ? pair.lastReachedHour : pair.lastDeniedHour
        if previousHour != hour {
            observePrincipal(event, hour: hour, day: day, denied: !reached, into: &observation)
        }
        if reached { pair.lastReachedHour = max(pair.lastReachedHour, hour) } else { pair.lastDeniedHour = max(pair.lastDeniedHour, hour) }

        // The application, and the user–application pair.
        if !event.appID.isNone {
            if pair.applicationCheckedDay == stamp && pair.cachedApplication == event.appID {
                observation.applicationKnownOnVault = true
                observation.userApplicationKnownOnVault = true
            } else {
                let applicationKey = SymbolPair(event.vault, event.appID)
                let lastApplication = vaultApplications.updateValue(stamp, forKey: applicationKey)
                if let lastApplication {
                    observation.applicationKnownOnVault = lastApplication > windowStartStamp
                    if lastApplication > stamp { vaultApplications[applicationKey] = lastApplication }
                } else {
                    vaults[vaultPosition].knownApplications += 1
                }
                let tripleKey = SymbolTriple(pair: pairKey, third: event.appID)
                if let lastTriple = userApplications.updateValue(stamp, forKey: tripleKey) {
                    observation.userApplicationKnownOnVault = lastTriple > windowStartStamp
                    if lastTriple > stamp { userApplications[tripleKey] = lastTriple }
                }
                if reached {
                    pair.cachedApplication = event.appID
                    pair.applicationCheckedDay = stamp
                }
            }
        }

        // The network range.
        if let address = event.callerIP {
            let range = RangeKey.range(of: address)
            if pair.rangeCheckedDay == stamp && pair.cachedRange == range {
                observation.rangeKnownForPrincipal = true
                observation.rangeKnownOnVault = true
            } else {
                let principalKey = RangeKey(owner: event.principalID, range: range)
                if let last = principalRanges.updateValue(stamp, forKey: principalKey) {
                    observation.rangeKnownForPrincipal = last > windowStartStamp
                    if last > stamp { principalRanges[principalKey] = last }
                }
                let vaultKey = RangeKey(owner: event.vault, range: range)
                if let last = vaultRanges.updateValue(stamp, forKey: vaultKey) {
                    observation.rangeKnownOnVault = last > windowStartStamp
                    if last > stamp { vaultRanges[vaultKey] = last }
                }
                if reached {
                    pair.cachedRange = range
                    pair.rangeCheckedDay = stamp
                }
            }
        }

        // Hourly volume of the principal on the vault (in-order events only).
        if hour == currentHour || currentHour == .min {
            let period = period(ofDay: day)
            let slot = SlotMaximum.slot(ofHour: hour)
            let volume = settings.operationVolume
            let peaks = pair.hourlyPeaks
            openPairHours[pairKey, default: {
                let usual = max(peaks.value(slot: slot, at: period), peaks.overall(at: period) / 2)
                let threshold = max(
                    volume.principalMinimum, Int((volume.principalRatio * Double(usual)).rounded(.up)),
                    usual + volume.principalMargin)
                return OpenPairHour(count: 0, usual: usual, threshold: threshold)
            }()].add(event, armed: observation.vaultArmed)
        }

        // Sequences: list → get, change → read.
        if reached {
            if traits.isSecretList {
                if let ended = openLists.removeValue(forKey: pairKey) {
                    pair.listReadPeak.record(ended.distinct, at: period(ofDay: ended.start.dayNumber))
                }
                openLists[pairKey] = ListSequence(start: time)
            } else if traits.isSecretRead, event.outcome == .success, let listIndex = openLists.index(forKey: pairKey) {
                let start = openLists.values[listIndex].start
                if time >= start, time - start <= .minutes(Int64(settings.listGet.windowMinutes)),
                    !openLists.values[listIndex].secrets.contains(event.objectName)
                {
                    if openLists.values[listIndex].secrets.count < 512 {
                        openLists.values[listIndex].secrets.append(event.objectName)
                    }
                    openLists.values[listIndex].distinct += 1
                    observation.listRead = BaselineObservation.ListRead(
                        distinctSecrets: openLists.values[listIndex].distinct,
                        usualPeak: pair.listReadPeak.value(at: period(ofDay: day)), listTime: start)
                }
            }
            if traits.isAccessChange, event.outcome == .success {
                openChanges.append(
                    AccessChange(
                        vault: event.vault, changer: event.principalID, granted: event.grantedPrincipalID,
                        operation: event.operation, time: time, event: event))
            }
        }
        pairs.values[pairIndex] = pair
        if (traits.isSecretRead || traits.isSecretList), event.outcome == .success, !openChanges.isEmpty {
            observeChangeRead(event, stamp: stamp, windowStartStamp: windowStartStamp, into: &observation)
        }
        return observation
    }

    private mutating func observeVault(
        at position: Int, event: AuditEvent, operation: Int, reached: Bool, reports: inout HourReports,
        into observation: inout BaselineObservation
    ) {
        let time = event.time
        let hour = time.hourNumber
        let day = time.dayNumber
        // Take the vault out of the array while changing it, so its arrays are not copied.
        var vault = VaultBaseline.placeholder
        swap(&vault, &vaults[position])
        defer { swap(&vault, &vaults[position]) }
        if time < vault.firstSeen {
            vault.firstSeen = time
        }
        vault.lastSeenDay = max(vault.lastSeenDay, day)
        let history = time - vault.firstSeen
        observation.vaultArmed = history >= learning
        observation.vaultHistoryDays = Int(history.ticks / EventTime.ticksPerDay)
        observation.knownPrincipals = vault.knownPrincipals
        observation.knownUsers = vault.knownUsers
        observation.knownApplications = vault.knownApplications
        vault.ensureOperation(operation)

        // Operation types.
        if reached {
            let last = vault.operationLastDay[operation]
            observation.operationKnownOnVault = last != 0 && last > day - windowDays
            if !observation.operationKnownOnVault, last == 0 || last < day {
                if vault.isOpen && hour == vault.openHour { vault.openNewOperations.append(UInt8(operation)) }
            }
            vault.operationLastDay[operation] = max(last, day)
        }

        // Hourly volume.
        if vault.isOpen && hour == vault.openHour {
            vault.openCount += 1
            vault.openOperations[operation] += 1
            if let band = vault.openBand, vault.openCount == band.threshold + 1 { vault.openCrossing = event }
        } else if hour >= currentHour {
            vault.zeroGap(before: hour)
            vault.isOpen = true
            vault.openHour = hour
            vault.openCount = 1
            vault.openOperations[operation] += 1
            vault.openBand = observation.vaultArmed ? vault.band(for: hour, settings: settings) : nil
            if let band = vault.openBand, band.threshold == 0 { vault.openCrossing = event }
            if !observation.operationKnownOnVault { vault.openNewOperations.append(UInt8(operation)) }
            openVaults.append(position)
        } else if hour > vault.lastHourWritten - Int32(vault.hourly.count), hour >= vault.firstSeen.hourNumber {
            // Late: count it in its closed hour, and report if it takes that hour over its band.
            if hour > vault.lastHourWritten && !vault.isOpen {
                vault.zeroGap(before: hour)
                vault.hourly[vault.slot(hour)] = 0
                vault.lastHourWritten = hour
            }
            vault.hourly[vault.slot(hour)] += 1
            if observation.vaultArmed, let band = vault.band(for: hour, settings: settings),
                Int(vault.hourly[vault.slot(hour)]) == band.threshold + 1
            {
                reports.vaultVolumes.append(
                    HourReports.VaultVolume(
                        vault: vault.vault, hour: hour, count: band.threshold + 1, band: band, crossing: event, isLate: true))
            }
        }
        if vault.isOpen, hour == vault.openHour, vault.openRareSample == nil,
            vault.usualShare(of: operation) < settings.operationPattern.rareShare,
            observation.operationKnownOnVault
        {
            vault.openRareSample = event
        }
    }

    private mutating func observePrincipal(
        _ event: AuditEvent, hour: Int32, day: Int32, denied: Bool, into observation: inout BaselineObservation
    ) {
        let halfWindow = max(1, windowDays / 2)
        if let index = principals.index(forKey: event.principalID) {
            principals.values[index].observe(event, hour: hour, day: day, denied: denied, halfWindow: halfWindow, into: &observation)
        } else {
            var principal = PrincipalBaseline(firstSeen: event.time)
            principal.observe(event, hour: hour, day: day, denied: denied, halfWindow: halfWindow, into: &observation)
            principals[event.principalID] = principal
        }
    }

    private mutating func observeChangeRead(
        _ event: AuditEvent, stamp: UInt16, windowStartStamp: UInt16, into observation: inout BaselineObservation
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
            var changerPair = pairs[key] ?? PairBaseline()
            let known = changerPair.changeReadDay != 0 && changerPair.changeReadDay > windowStartStamp
            changerPair.changeReadDay = max(changerPair.changeReadDay, stamp)
            pairs[key] = changerPair
            observation.changeRead = BaselineObservation.ChangeRead(
                changer: change.changer, granted: change.granted, changeTime: change.time,
                changeOperation: change.operation, changeEvent: change.event, isKnownSequence: known)
            return
        }
    }

    /// Marks a principal's many-vaults alert, so the rest of the spree folds into it.
    mutating func markManyVaultsAlert(principal: Symbol, hour: Int32, denied: Bool) {
        guard let index = principals.index(forKey: principal) else { return }
        if denied { principals.values[index].deniedAlertHour = hour } else { principals.values[index].reachedAlertHour = hour }
    }
}

extension BehaviourBaseline.OpenPairHour {
    mutating func add(_ event: AuditEvent, armed: Bool) {
        count += 1
        if count == threshold + 1, armed { crossing = event }
    }
}
