extension VaultBaseline {
    /// Counts one event in the vault: its operation types, its open hour (opening it when the
    /// event starts a new one, with the band it will be judged by), or, for a late event, its
    /// closed hour (reporting the crossing if it takes that hour over its band).
    /// - Returns: whether the event opened the vault's hour (the baseline then lists the vault
    ///   among the open ones).
    mutating func observe(
        _ event: AuditEvent, operation: Int, reached: Bool, currentHour: Int32, learning: EventTime.Duration, memoryDays: Int32,
        settings: BehaviourSettings, reports: inout HourReports, into observation: inout BaselineObservation
    ) -> Bool {
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
        } else if hour >= currentHour {
            zeroGap(before: hour)
            isOpen = true
            openHour = hour
            openCount = 1
            openOperations[operation] += 1
            openBand = observation.vaultArmed ? band(for: hour, settings: settings) : nil
            if let band = openBand, band.threshold == 0 { openCrossing = event }
            if !observation.operationKnownOnVault { openNewOperations.append(UInt8(operation)) }
            return true
        } else if hour > lastHourWritten - Int32(hourly.count), hour >= firstSeen.hourNumber {
            // Late: count it in its closed hour, and report if it takes that hour over its band.
            if hour > lastHourWritten && !isOpen {
                zeroGap(before: hour)
                hourly[slot(hour)] = 0
                lastHourWritten = hour
            }
            guard hourly[slot(hour)] != VaultBaseline.alertedHour else { return false }
            hourly[slot(hour)] += 1
            if observation.vaultArmed, let band = band(for: hour, settings: settings),
                Int(hourly[slot(hour)]) == band.threshold + 1
            {
                reports.vaultVolumes.append(
                    HourReports.VaultVolume(
                        vault: vault, hour: hour, count: band.threshold + 1, band: band, crossing: event, isLate: true,
                        clock: clock))
            }
        }
        return false
    }
}
