extension BehaviourBaseline {
    /// Judges again the closed hour a late record was just counted in (`VaultBaseline.Counted
    /// .inClosedHour`), as the hour was judged when it closed: the record's caller counts in its
    /// own hour on the vault (`HourCallers`), against its usual burst; a caller above it is
    /// reported, else its habit explains its calls, and the vault's hour is reported only when
    /// its count less what its callers' habits explain is above its band. So a routine deploy
    /// whose records arrive late stays its principal's habit, and a burst that is not one still
    /// alerts. Either report marks the hour as alerted: nothing more counts in it, and it is left
    /// out of every band, as for an hour that alerted in order.
    ///
    /// An hour older than `ClosedHours.keptHours` has no callers kept: its records are counted
    /// against the vault's band with nothing explained.
    mutating func judgeLateRecord(_ event: AuditEvent, vaultPosition: Int, armed: Bool, reports: inout HourReports) {
        let hour = event.time.hourNumber
        let vaultSymbol = vaults[vaultPosition].vault
        guard let count = vaults[vaultPosition].count(at: hour) else { return }
        let kept = ClosedHours.keeps(hour, currentHour: currentHour)
        if kept {
            if !event.principalID.isNone {
                let key = SymbolPair(event.vault, event.principalID)
                let stamp = HourCalendar.stamp(day: event.time.dayNumber)
                // A principal new to the hour gets the limits its hour would have opened with.
                var newCaller = HourCallers.Caller(count: 0, habit: 0, threshold: 0, usualBurst: 0)
                if closedHours.caller(event.principalID, of: vaultSymbol, in: hour) == nil {
                    let band = pairs[key]?.bursts.band(before: stamp, settings: settings)
                    newCaller = HourCallers.caller(
                        count: 0, band: band, threshold: band?.threshold ?? settings.operationVolume.principalMinimum,
                        settings: settings.operationVolume)
                }
                let caller = closedHours.addCall(by: event.principalID, vault: vaultSymbol, hour: hour, newCaller: newCaller)
                if armed, caller.count == caller.threshold + 1 {
                    let band = pairs[key]?.bursts.band(before: stamp, settings: settings)
                    reports.principalVolumes.append(
                        HourReports.PrincipalVolume(
                            vault: vaultSymbol, principal: event.principalID, hour: hour, count: caller.count, band: band,
                            threshold: caller.threshold, crossing: event, vaultBand: vaults[vaultPosition].band(for: hour, settings: settings),
                            clock: vaults[vaultPosition].clock, isLate: true))
                    markAlerted(vaultPosition: vaultPosition, hour: hour)
                    return
                }
                // Learned as a closing hour learns it (an hour of an earlier day is too late to matter).
                if let index = pairs.index(forKey: key) {
                    pairs.values[index].bursts.observe(count: caller.count, day: stamp, settings: settings)
                }
            }
        }
        let callers = kept ? closedHours.callers(of: vaultSymbol, in: hour) : HourCallers()
        if armed, let band = vaults[vaultPosition].band(for: hour, settings: settings), callers.isAnomalous(count: count, band: band) {
            reports.vaultVolumes.append(
                HourReports.VaultVolume(
                    vault: vaultSymbol, hour: hour, count: count, band: band, crossing: event, isLate: true,
                    explained: callers.explained, habits: callers.habits, clock: vaults[vaultPosition].clock))
            markAlerted(vaultPosition: vaultPosition, hour: hour)
        }
    }

    /// Marks a closed hour as having raised a volume alert: left out of every band, nothing
    /// more counted in it.
    private mutating func markAlerted(vaultPosition: Int, hour: Int32) {
        let slot = vaults[vaultPosition].slot(hour)
        vaults[vaultPosition].hourly[slot] = VaultBaseline.alertedHour
        closedHours.remove(vault: vaults[vaultPosition].vault, hour: hour)
    }
}
