/// What one vault usually does: when it was first seen, its operations per hour over the
/// window (a ring of hourly counts), the operation types it performs and their usual mix, and
/// how many principals and applications it knows.
///
/// Memory: one ring of `windowDays × 24` counts per vault plus one small array per operation
/// type; vaults are few (thousands at most).
struct VaultBaseline {
    var vault: Symbol
    var firstSeen: EventTime
    var lastSeenDay: Int32
    /// Operations per hour, indexed by hour number modulo the ring's size.
    var hourly: [UInt32]
    /// Hours up to this one are final in `hourly` (zero when the vault was quiet).
    var lastHourWritten: Int32

    // The hour being counted.
    var isOpen = false
    var openHour: Int32 = .min
    var openCount = 0
    var openBand: VolumeBand?
    var openCrossing: AuditEvent?
    var openOperations: [UInt32] = []
    var openNewOperations: [UInt8] = []
    var openRareSample: AuditEvent?

    /// Last day each operation type was performed (0 = never), by `OperationIndex`.
    var operationLastDay: [Int32] = []
    /// Decayed counts of each operation type: the usual mix.
    var operationMix: [Double] = []
    var operationMixTotal: Double = 0
    var mixDay: Int32

    var knownPrincipals = 0
    var knownUsers = 0
    var knownApplications = 0

    /// The vault's configured time zone, if any; else `clock` is inferred from its rhythm.
    var configuredClock: LocalClock?
    /// How the vault's hours read locally (configured, inferred, or UTC).
    var clock: LocalClock = .utc
    /// Per operation type, this hour's calls by principals that had not performed that type on
    /// the vault before: what the rare-mix test counts (an admin browsing the types they use
    /// every week is not a rare mix).
    var openUnexplained: [UInt32] = []

    /// Marks an hour of `hourly` that raised a volume alert: left out of every band, so an
    /// attack never becomes the usual (a repeat two weeks later alerts again).
    static let alertedHour = UInt32.max

    init(vault: Symbol, firstSeen: EventTime, ringHours: Int) {
        self.vault = vault
        self.firstSeen = firstSeen
        self.lastSeenDay = firstSeen.dayNumber
        self.hourly = Array(repeating: 0, count: ringHours)
        self.lastHourWritten = firstSeen.hourNumber - 1
        self.mixDay = firstSeen.dayNumber
    }

    func slot(_ hour: Int32) -> Int {
        let count = Int32(hourly.count)
        return Int(((hour % count) + count) % count)
    }

    /// Zeroes the hours after the last written one, up to (not including) `hour`.
    mutating func zeroGap(before hour: Int32) {
        guard hour - 1 > lastHourWritten else { return }
        let from = max(lastHourWritten + 1, hour - Int32(hourly.count))
        var gapHour = from
        while gapHour < hour {
            hourly[slot(gapHour)] = 0
            gapHour += 1
        }
        lastHourWritten = hour - 1
    }

    /// The count of a closed hour (nil for an hour that alerted), or 0 outside what the ring holds.
    func count(at hour: Int32) -> Int? {
        guard hour <= lastHourWritten, hour > lastHourWritten - Int32(hourly.count), hour >= firstSeen.hourNumber else {
            return 0
        }
        let value = hourly[slot(hour)]
        return value == Self.alertedHour ? nil : Int(value)
    }

    /// The usual band for `hour`: the same local hour on the window's earlier days of the same
    /// kind (weekday or weekend day, in the vault's clock), hours that alerted left out; at
    /// least the same hour on the same weekday. Nil with fewer than two samples.
    func band(for hour: Int32, settings: BehaviourSettings) -> VolumeBand? {
        band(for: hour, windowDays: settings.windowDays, volume: settings.operationVolume)
    }

    /// The same with the settings' two parts it reads (`judgeOpenHour`, in place).
    func band(for hour: Int32, windowDays: Int, volume: BehaviourSettings.OperationVolume) -> VolumeBand? {
        // The samples on the stack: at most one per earlier day of the window.
        withUnsafeTemporaryAllocation(of: Double.self, capacity: max(1, windowDays)) { buffer in
            band(for: hour, windowDays: windowDays, volume: volume, samples: buffer)
        }
    }

    private func band(
        for hour: Int32, windowDays: Int, volume: BehaviourSettings.OperationVolume, samples: UnsafeMutableBufferPointer<Double>
    ) -> VolumeBand? {
        let firstHour = firstSeen.hourNumber
        let local = clock.localHour(hour)
        let weekend = HourCalendar.isWeekend(hour: local)
        let oldestInRing = lastHourWritten - Int32(hourly.count)
        var sampleCount = 0
        var sameWeekday = 0
        // Walking back a day at a time, the local weekday and the ring's slot step with the day:
        // one division each for the first, not three per day (`count(at:)`, whose bounds the
        // loop's own hold). Every vault's hour opening runs this over the window.
        var weekday = HourCalendar.weekday(ofHour: local)
        // A fixed offset (UTC, inferred) needs none of the clock's divisions per day.
        let fixedOffset = clock.fixedOffsetHours
        var ringSlot = -1
        var previous = hour
        var days: Int32 = 1
        while days < Int32(windowDays) {
            let earlierLocal = local - 24 * days
            let earlier: Int32
            if let fixedOffset { earlier = earlierLocal - fixedOffset } else { earlier = clock.utcHour(ofLocal: earlierLocal) }
            weekday = weekday == 0 ? 6 : weekday - 1
            if earlier < firstHour || earlier <= oldestInRing { break }
            days += 1
            var value = 0
            if earlier <= lastHourWritten {
                ringSlot = ringSlot < 0 ? slot(earlier) : Self.step(ringSlot, back: Int(previous - earlier), ringSize: hourly.count)
                previous = earlier
                let stored = hourly[ringSlot]
                // An hour that alerted is left out (`count(at:)` is nil for it).
                if stored == Self.alertedHour { continue }
                value = Int(stored)
            }
            if (weekday == 0 || weekday == 6) == weekend {
                samples[sampleCount] = Double(value)
                sampleCount += 1
            }
            if (days - 1) % 7 == 0 { sameWeekday = max(sameWeekday, value) }
        }
        guard sampleCount >= 2 else { return nil }
        return VolumeBand.make(
            samples: UnsafeMutableBufferPointer(rebasing: samples[..<sampleCount]), madMultiplier: volume.madMultiplier,
            minimumMargin: Double(volume.minimumMargin), relativeMargin: volume.relativeMargin, floor: sameWeekday,
            maximum: sameWeekday)
    }

    /// The ring's slot `hours` before `ringSlot` (after it when negative), without a division:
    /// a step is about a day, less than the ring's size.
    private static func step(_ ringSlot: Int, back hours: Int, ringSize: Int) -> Int {
        var stepped = ringSlot - hours
        while stepped < 0 { stepped += ringSize }
        while stepped >= ringSize { stepped -= ringSize }
        return stepped
    }

    /// The vault's activity at each UTC hour of the week (0 = Sunday 00:00 UTC), summed over
    /// the ring: what its clock is inferred from.
    func weeklyProfile() -> [Double] {
        var week = [Double](repeating: 0, count: 168)
        let oldest = max(firstSeen.hourNumber, lastHourWritten - Int32(hourly.count) + 1)
        guard lastHourWritten >= oldest else { return week }
        // The hour of the week and the ring's slot step with the hour: one division each for the
        // first, not three per hour (`count(at:)`, whose bounds hold for every hour here). It
        // runs once a day for every vault, over the whole ring.
        // In runs that wrap neither the ring nor the week, through the buffers' pointers: each
        // hour of the week still sums its hours oldest first, so the sums are the same to the bit.
        var hourOfWeek = Int(HourCalendar.weekday(ofHour: oldest) * 24 + HourCalendar.hourOfDay(oldest))
        var ringSlot = self.slot(oldest)
        var remaining = Int(lastHourWritten - oldest) + 1
        hourly.withUnsafeBufferPointer { ring in
            week.withUnsafeMutableBufferPointer { sums in
                while remaining > 0 {
                    let run = Swift.min(remaining, ring.count - ringSlot, 168 - hourOfWeek)
                    for offset in 0..<run {
                        let value = ring[ringSlot &+ offset]
                        if value != Self.alertedHour, value > 0 { sums[hourOfWeek &+ offset] += Double(value) }
                    }
                    remaining -= run
                    ringSlot += run
                    if ringSlot == ring.count { ringSlot = 0 }
                    hourOfWeek += run
                    if hourOfWeek == 168 { hourOfWeek = 0 }
                }
            }
        }
        return week
    }

    /// Infers the clock from the weekly rhythm once a week of history exists, unless one is configured.
    mutating func inferClock(now hour: Int32) {
        guard configuredClock == nil, hour - firstSeen.hourNumber >= 7 * 24 else { return }
        if let offset = LocalClock.inferredOffset(fromWeek: weeklyProfile()) {
            clock = offset == 0 ? .utc : LocalClock(source: .inferred(hours: offset))
        }
    }

    mutating func ensureOperation(_ index: Int) {
        if index >= operationLastDay.count {
            let grow = index + 1 - operationLastDay.count
            operationLastDay.append(contentsOf: repeatElement(0, count: grow))
            operationMix.append(contentsOf: repeatElement(0, count: grow))
            openOperations.append(contentsOf: repeatElement(0, count: grow))
            openUnexplained.append(contentsOf: repeatElement(0, count: grow))
        }
    }

    /// The usual share of operation type `index` in this vault's mix (0 when unknown).
    func usualShare(of index: Int) -> Double {
        guard operationMixTotal > 0, index < operationMix.count else { return 0 }
        return operationMix[index] / operationMixTotal
    }

    /// Ages the mix to `day`: each day multiplies it by (1 − 1/window), a ~window-long memory.
    mutating func decayMix(to day: Int32, windowDays: Int) {
        guard day > mixDay else { return }
        let factor = pow1(1 - 1 / Double(max(1, windowDays)), Int(day - mixDay))
        for index in operationMix.indices { operationMix[index] *= factor }
        operationMixTotal *= factor
        mixDay = day
    }

    private func pow1(_ base: Double, _ exponent: Int) -> Double {
        var result = 1.0
        for _ in 0..<min(exponent, 400) { result *= base }
        return result
    }
}
