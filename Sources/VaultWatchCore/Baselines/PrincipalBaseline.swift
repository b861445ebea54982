/// What one principal usually does across vaults: the vaults it reached or was refused by in
/// the trailing 24 hours, and the most it usually reaches or is refused by in 24 hours.
struct PrincipalBaseline {
    /// A vault this principal touched in the trailing 24 hours.
    struct RecentVault {
        var vault: Symbol
        var reachedHour: Int32 = .min
        var deniedHour: Int32 = .min
    }

    // The fields are in this order for size (8-, 4-, then 2-byte ones): 48 bytes a principal, not
    // the 56 of topic order (`PairBaselineLayoutTests`).
    var firstSeen: EventTime
    /// Only vaults touched in the last 24 hours (pruned as it changes): small.
    var recent: [RecentVault] = []
    var lastSeenHour: Int32
    /// The day of `reachedToday` and `deniedToday`.
    var today: Int32 = .min
    /// The hour of the last many-vaults alert of each kind, so one spree raises one alert a day.
    var reachedAlertHour: Int32 = .min
    var deniedAlertHour: Int32 = .min
    /// The most vaults reached (refused) in 24 hours on days before `today`: the usual.
    var reachedPeak = PeriodMaximum()
    var deniedPeak = PeriodMaximum()
    /// Today's most, folded into the peaks when the day ends, so a spree never raises its own usual.
    var reachedToday: UInt16 = 0
    var deniedToday: UInt16 = 0

    init(firstSeen: EventTime) {
        self.firstSeen = firstSeen
        self.lastSeenHour = firstSeen.hourNumber
    }

    /// Marks `vault` reached (or denied) at `hour`; returns the distinct vaults reached (or
    /// denied) in the 24 hours ending at `hour`, and whether `vault` is new to that count.
    mutating func touch(vault: Symbol, hour: Int32, denied: Bool) -> (count: Int, isNew: Bool) {
        let oldest = hour - 23
        var isNew = true
        var found = false
        var index = 0
        while index < recent.count {
            if recent[index].vault == vault {
                found = true
                if denied {
                    isNew = recent[index].deniedHour < oldest
                    recent[index].deniedHour = max(recent[index].deniedHour, hour)
                } else {
                    isNew = recent[index].reachedHour < oldest
                    recent[index].reachedHour = max(recent[index].reachedHour, hour)
                }
            } else if recent[index].reachedHour < oldest && recent[index].deniedHour < oldest {
                recent.swapAt(index, recent.count - 1)
                recent.removeLast()
                continue
            }
            index += 1
        }
        if !found {
            recent.append(denied ? RecentVault(vault: vault, deniedHour: hour) : RecentVault(vault: vault, reachedHour: hour))
        }
        var count = 0
        for entry in recent where (denied ? entry.deniedHour : entry.reachedHour) >= oldest { count += 1 }
        return (count, isNew)
    }
}

extension PrincipalBaseline {
    /// Counts `event`'s vault in the trailing 24 hours and, when the vault is new to that
    /// count, tells the many-vaults rules the count and the usual (days before today only).
    mutating func observe(
        _ event: AuditEvent, hour: Int32, day: Int32, denied: Bool, halfWindow: Int32,
        into observation: inout BaselineObservation
    ) {
        func period(_ day: Int32) -> UInt16 { UInt16(clamping: max(0, day) / halfWindow) }
        if event.time < firstSeen { firstSeen = event.time }
        lastSeenHour = max(lastSeenHour, hour)
        let (count, isNew) = touch(vault: event.vault, hour: hour, denied: denied)
        if day > today {
            if today != .min {
                reachedPeak.record(Int(reachedToday), at: period(today))
                deniedPeak.record(Int(deniedToday), at: period(today))
            }
            today = day
            reachedToday = 0
            deniedToday = 0
        }
        guard isNew else { return }
        let alertHour = denied ? deniedAlertHour : reachedAlertHour
        let usual = denied ? deniedPeak.value(at: period(day)) : reachedPeak.value(at: period(day))
        let many = BaselineObservation.ManyVaults(
            count: count, usual: usual, hoursSinceAlert: alertHour == .min ? nil : hour - alertHour,
            principalFirstSeen: firstSeen)
        // After a many-vaults alert today, the rest of the spree is not learned as usual
        // (`BehaviourBaseline.markManyVaultsAlert` already took the alerting vault back out).
        func alertedToday(_ alertHour: Int32) -> Bool { alertHour != .min && (alertHour >= 0 ? alertHour / 24 : (alertHour - 23) / 24) == day }
        if denied {
            observation.deniedVaults = many
            if !alertedToday(deniedAlertHour) { deniedToday = max(deniedToday, UInt16(clamping: count)) }
        } else {
            observation.reachedVaults = many
            if !alertedToday(reachedAlertHour) { reachedToday = max(reachedToday, UInt16(clamping: count)) }
        }
    }
}
