extension VaultBaseline {
    /// Where `observe` counted an event in the vault's hourly volume.
    enum Counted {
        /// In the open hour.
        case inOpenHour
        /// It started a new hour: the baseline then lists the vault among the open ones.
        case openedHour
        /// In its hour, already closed (a late record): the baseline judges that hour again
        /// (`BehaviourBaseline.countLateRecord`, judged once its late run is complete).
        case inClosedHour
        /// Nowhere: its hour is older than the ring, or alerted (an hour that alerted is not
        /// counted: it is left out of every band).
        case notCounted
    }

    /// Counts one event in the vault: its operation types, its open hour (opening it when the
    /// event starts a new one: the baseline then has it find the band it will be judged by,
    /// `judgeOpenHour`), or, for a late event, its closed hour (judged again by the baseline,
    /// with the hour's callers).
    ///
    /// Without the settings: read beside the vault's in-place change, they were copied (~260
    /// bytes) for every event, where only the hour's opening needs them.
    mutating func observe(
        _ event: AuditEvent, operation: Int, reached: Bool, currentHour: Int32, learning: EventTime.Duration, memoryDays: Int32,
        into observation: inout BaselineObservation
    ) -> Counted {
        let time = event.time
        let hour = time.hourNumber
        let day = time.dayNumber
        if time < firstSeen {
            firstSeen = time
        }
        lastSeenDay = max(lastSeenDay, day)
        let history = time - firstSeen
        observation.vaultArmed = history >= learning
        observation.vaultHistoryDays = Int(history.ticks / EventTime.ticksPerDay)
        observation.knownPrincipals = knownPrincipals
        observation.knownUsers = knownUsers
        observation.knownApplications = knownApplications
        ensureOperation(operation)

        // Operation types.
        if reached {
            let last = operationLastDay[operation]
            observation.operationKnownOnVault = last != 0 && last > day - memoryDays
            if !observation.operationKnownOnVault, last == 0 || last < day {
                if isOpen && hour == openHour { openNewOperations.append(UInt8(operation)) }
            }
            operationLastDay[operation] = max(last, day)
        }

        // Hourly volume.
        if isOpen && hour == openHour {
            openCount += 1
            openOperations[operation] += 1
            if let band = openBand, openCount == band.threshold + 1 { openCrossing = event }
            return .inOpenHour
        } else if hour >= currentHour {
            zeroGap(before: hour)
            isOpen = true
            openHour = hour
            openCount = 1
            openOperations[operation] += 1
            openBand = nil
            if !observation.operationKnownOnVault { openNewOperations.append(UInt8(operation)) }
            return .openedHour
        } else if hour > lastHourWritten - Int32(hourly.count), hour >= firstSeen.hourNumber {
            // Late: count it in its closed hour, which the baseline judges again.
            if hour > lastHourWritten && !isOpen {
                zeroGap(before: hour)
                hourly[slot(hour)] = 0
                lastHourWritten = hour
            }
            guard hourly[slot(hour)] != VaultBaseline.alertedHour else { return .notCounted }
            hourly[slot(hour)] += 1
            return .inClosedHour
        }
        return .notCounted
    }

    /// Sets the band the open hour is judged by (`band(for:settings:)`; nil when the vault is not
    /// `armed`), just opened by `opener`: a band whose threshold is 0 is crossed by its first call.
    mutating func judgeOpenHour(armed: Bool, windowDays: Int, volume: BehaviourSettings.OperationVolume, opener: AuditEvent) {
        // The band is found here, in the mutating call on the array's element, not by the
        // baseline through `vaults[position].band(…)`: that read copied the vault (its ~400
        // bytes, a retain and a release of each of its arrays) at every vault's hour opening.
        // The settings' two parts are passed, not the settings (copied when read beside it).
        let band = armed ? self.band(for: opener.time.hourNumber, windowDays: windowDays, volume: volume) : nil
        openBand = band
        if let band, band.threshold == 0 { openCrossing = opener }
    }
}
