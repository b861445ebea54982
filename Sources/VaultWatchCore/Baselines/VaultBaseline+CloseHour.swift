extension VaultBaseline {
    /// Closes the open hour: judges its volume (after its callers' habits) and its mix, and
    /// learns it unless it alerted. Returns whether it alerted.
    ///
    /// A method of the vault, changed in place in the baseline's array, with the parts of the
    /// settings it needs: the vault moved out of the array and back (two swaps) copied its ~400
    /// bytes ten times per vault and hour (`BehaviourBaseline.closeHour`).
    /// - Parameters:
    ///   - loud: a caller of the hour alerted above its own limit (the vault's hour is not learned).
    ///   - learning: the history a vault needs before its mix is judged.
    ///   - operationNames: `OperationIndex.names`, for the rare mix's report.
    mutating func closeHour(
        loud: Bool, callers: HourCallers, learning: EventTime.Duration, windowDays: Int,
        pattern: BehaviourSettings.OperationPattern, operationNames: [String], reports: inout HourReports
    ) -> Bool {
        let hour = openHour
        var alerted = loud
        let armed = EventTime.startOfHour(hour) - firstSeen >= learning
        if !loud, let band = openBand, let crossing = openCrossing, callers.isAnomalous(count: openCount, band: band) {
            alerted = true
            reports.vaultVolumes.append(
                HourReports.VaultVolume(
                    vault: vault, hour: hour, count: openCount, band: band, crossing: crossing, isLate: false,
                    explained: callers.explained, habits: callers.habits, clock: clock))
        }
        // The mix: known but rare operation types, by callers new to them, dominating the hour.
        decayMix(to: hour / 24, windowDays: windowDays)
        if armed, openCount >= pattern.mixMinimumOperations, operationMixTotal > 0, let sample = openRareSample {
            var rare: [(name: String, count: Int, usualShare: Double)] = []
            var rareCount = 0
            for (operation, count) in openUnexplained.enumerated() where count > 0 {
                guard !openNewOperations.contains(UInt8(operation)) else { continue }
                let share = usualShare(of: operation)
                if share < pattern.rareShare {
                    rareCount += Int(count)
                    rare.append((operationNames[operation], Int(count), share))
                }
            }
            if rareCount > 0, Double(rareCount) >= pattern.rareHourShare * Double(openCount) {
                alerted = true
                rare.sort { $0.count > $1.count }
                reports.rareMixes.append(
                    HourReports.RareMix(
                        vault: vault, hour: hour, total: openCount, rareCount: rareCount, rareOperations: rare, sample: sample,
                        clock: clock))
            }
        }
        // Learn the hour, unless it raised an alert: an attack never becomes the usual.
        hourly[slot(hour)] = alerted ? Self.alertedHour : UInt32(clamping: min(openCount, Int(UInt32.max - 1)))
        lastHourWritten = max(lastHourWritten, hour)
        isOpen = false
        for (operation, count) in openOperations.enumerated() where count > 0 {
            if !alerted {
                operationMix[operation] += Double(count)
                operationMixTotal += Double(count)
            }
            openOperations[operation] = 0
            openUnexplained[operation] = 0
        }
        // Kept allocated: emptied, it was allocated again by the next hour's first new operation.
        openNewOperations.removeAll(keepingCapacity: true)
        openCount = 0
        openBand = nil
        openCrossing = nil
        openRareSample = nil
        return alerted
    }
}
