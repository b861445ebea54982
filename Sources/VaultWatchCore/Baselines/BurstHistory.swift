/// How big a principal's bursts on one vault usually are: its busiest hour on each day it was
/// active within the window. One learned fact of `PairBaseline`.
///
/// Why the busiest hour of each active day, not the same hour of the day: services that load
/// their configuration when they deploy or restart, CI jobs and weekly renewals burst at hours
/// nobody can predict, so the size of the burst is the habit, not its time. Quiet days are
/// left out (a job that runs twice a week is judged by its two runs, not by five empty days).
/// The band is DESIGN §4's median + max(k·MAD, margin) over these samples (`VolumeBand`).
///
/// A job rarer than the window (a month-end close) has no active day in it when it runs again:
/// the last `rememberedRuns` active days older than the window are kept, within the memory
/// (`BehaviourSettings.rememberedDays`), and judge it then, as its own earlier runs.
///
/// What its hours touch is learned beside their size: the most distinct objects (secrets, keys,
/// certificates) it touched in one hour within the window (`usualObjects`). An hour above the
/// principal's threshold that touched no more of them is more replicas of its usual load (a
/// service whose replicas doubled, deploying twice in an hour: the same secrets read again), not
/// a dump or a mass read, which touch many objects the principal does not read in an hour; such
/// an hour is held to a higher ceiling, `replicaRatio` times its usual burst (`replicaCeiling`),
/// above which it is a runaway job whatever it reads.
///
/// Memory: about two bytes per active day in the window (`BurstDays`), and at most
/// `rememberedRuns` more; six for the usual distinct objects; sixteen for the band of the day
/// (`dayBand`), which is not state.
struct BurstHistory: Sendable, Hashable {
    // The fields are in this order for the pair's size: the days' pointer, then the four-byte
    // aligned band, then the two-byte fields, 34 bytes with no padding, so that `PairBaseline`
    // packs its own fields after them (`PairBaselineLayoutTests`).

    /// Earlier active days, oldest first: day stamp in the high 16 bits, busiest hour in the low.
    private var activeDays = BurstDays()
    /// The band `dayBand` last computed, kept while what it was computed from stays the same.
    /// Not a learned fact: equality, hashing and the saved state leave it out.
    private var kept = DayBand()
    /// The day being counted and its busiest hour so far (kept apart: a day's own hours never
    /// make its usual).
    private(set) var today: UInt16 = 0
    private(set) var todayPeak: UInt16 = 0
    /// The most distinct objects touched in one learned hour, in half-window periods of day
    /// stamps (read over the whole window: `PeriodMaximum.valueOverWindow`).
    private(set) var objectsPerHour = PeriodMaximum()

    init() {}

    init(days: [UInt32], today: UInt16, todayPeak: UInt16, objectsPerHour: PeriodMaximum = PeriodMaximum()) {
        self.activeDays = BurstDays(days)
        self.today = today
        self.todayPeak = todayPeak
        self.objectsPerHour = objectsPerHour
    }

    /// Earlier active days, oldest first (what the saved state holds): day stamp in the high 16
    /// bits, busiest hour in the low.
    var days: [UInt32] { activeDays.array }

    /// The same days as `BurstDays` holds them, about two bytes a day (the saved state's form
    /// since format 17: copied, not decoded into `days` and written a varint of five bytes each).
    var dayBytes: [UInt8] { activeDays.encoded }

    /// Active days older than the window kept for a job that runs less often than it.
    static let rememberedRuns = 4

    /// Learns a closed hour of `count` calls on day `stamp` that touched `objects` distinct
    /// objects (nil: not taught, an hour whose listing alerted, or not known, a caller of an hour
    /// judged again with late records that kept no objects: `BehaviourBaseline.learnHour`); an
    /// hour that raised an alert is never learned.
    ///
    /// An hour of an earlier day (its records came late: a backlog restored days later) counts in
    /// that day's sample as it would have in order, so a restored week teaches the principal's
    /// bursts of that week (a service that scaled out then is judged by its new size); a day
    /// older than the window and the remembered runs is forgotten as in order.
    mutating func observe(count: Int, objects: Int?, day stamp: UInt16, settings: BehaviourSettings) {
        if let objects, objects > 0 { objectsPerHour.record(objects, at: Self.period(of: stamp, windowDays: settings.windowDays)) }
        if stamp < today {
            kept = DayBand()
            learnEarlierDay(count: count, day: stamp, settings: settings)
            return
        }
        if stamp != today {
            // A band kept for this new day stays right when it came from the window's active
            // days: the same samples in the same order (the peak counted as `today`'s becomes
            // the last of `days`), and `forget` drops only days outside the window. One made
            // from the remembered runs would not: `forget` may drop some of them.
            if !(kept.holds(stamp) && kept.kind == .window) { kept = DayBand() }
            if todayPeak > 0 { activeDays.append(UInt32(today) << 16 | UInt32(todayPeak)) }
            today = stamp
            todayPeak = 0
            forget(asOf: stamp, windowDays: settings.windowDays, memoryDays: settings.rememberedDays)
        }
        todayPeak = max(todayPeak, UInt16(clamping: count))
        // The band of a later day counts the peak of the day being counted (`samples(before:)`).
        if kept.kind != .nothing, kept.stamp > today { kept = DayBand() }
    }

    /// `count` calls in an hour of day `stamp`, earlier than the day being counted: that day's
    /// busiest hour, kept in day order.
    private mutating func learnEarlierDay(count: Int, day stamp: UInt16, settings: BehaviourSettings) {
        guard count > 0 else { return }
        activeDays.raise(stamp: stamp, peak: UInt16(clamping: count))
        forget(asOf: today, windowDays: settings.windowDays, memoryDays: settings.rememberedDays)
    }

    /// Keeps the window's active days and, of the older ones, the last `rememberedRuns` within
    /// the memory (days are in day order).
    private mutating func forget(asOf stamp: UInt16, windowDays: Int, memoryDays: Int) {
        let windowOldest = Int(stamp) - windowDays
        let older = activeDays.leadingCount(through: windowOldest)
        guard older > 0 else { return }
        let memoryOldest = Int(stamp) - max(memoryDays, windowDays)
        let forgotten = activeDays.leadingCount(through: memoryOldest)
        let dropped = max(forgotten, older - Self.rememberedRuns)
        if dropped > 0 { activeDays.removeFirst(dropped) }
    }

    /// Whether the principal had an active day within the window before day `stamp`: if not,
    /// it is a job rarer than the window (or new), judged by what it did on its remembered runs.
    func isActive(before stamp: UInt16, windowDays: Int) -> Bool {
        let oldest = Int(stamp) - windowDays
        if today < stamp, Int(today) > oldest, todayPeak > 0 { return true }
        return activeDays.contains { Int($0 >> 16) > oldest && $0 >> 16 < stamp }
    }

    /// The busiest hour of each active day before `stamp` within the window.
    func samples(before stamp: UInt16, windowDays: Int) -> [Double] {
        let oldest = Int(stamp) - windowDays
        var result: [Double] = []
        result.reserveCapacity(activeDays.count + 1)
        for entry in activeDays where Int(entry >> 16) > oldest && entry >> 16 < stamp { result.append(Double(entry & 0xFFFF)) }
        if today < stamp, Int(today) > oldest, todayPeak > 0 { result.append(Double(todayPeak)) }
        return result
    }

    /// The spans of recent active days that can raise the usual burst on their own (`band`).
    static let recentSpans = [3, 7]

    /// The principal's band on day `stamp`: nil before any active day.
    ///
    /// Of the window's band and the bands of its last three and last seven active days, the one
    /// with the highest median: a service that scaled out (twice the replicas, so twice the
    /// restart burst) is judged by its new size once its recent days had it, not once the new
    /// size fills half the window. Two spans because quiet days sit among deploy days in both
    /// directions: three days after the replicas doubled, four old or quiet days were still
    /// among the last seven, so the usual stayed the old size and two deploys stacked in one
    /// hour alerted (random seed 33, Woodgrove seed 4); a week after a service grew step by
    /// step, a weekend's two nightly restarts were two of its last three days, so the last
    /// three said the old size while the week said the new one (Woodgrove seed 1, a gateway
    /// grown from 63 to 231-call days, alerting on 210 the Tuesday after its quiet weekend).
    /// One day is never enough: the median of three needs two, of seven four, so one burst
    /// under the threshold, learned, does not raise the usual; an hour that alerted is not
    /// learned at all. The usual falls back only as fast as the window forgets.
    ///
    /// A principal with no active day in the window is judged by its remembered runs: a job
    /// rarer than the window is held to the size it had, not to `principalMinimum` alone.
    func band(before stamp: UInt16, settings: BehaviourSettings) -> VolumeBand? {
        computedBand(before: stamp, settings: settings).band
    }

    /// `band(before:settings:)`, computed once a day: a principal's hours on a vault open its
    /// band every hour it calls, and what it is computed from changes at most once a day in
    /// order (the peak of the day before joins the samples when the day's first hour closes,
    /// `observe`), so the band is kept until then.
    /// - Important: `settings` must be the same at every call (the baseline's own): the band
    ///   kept does not note them.
    mutating func dayBand(before stamp: UInt16, settings: BehaviourSettings) -> VolumeBand? {
        if kept.holds(stamp) { return kept.band(volume: settings.operationVolume) }
        let (band, fromWindow) = computedBand(before: stamp, settings: settings)
        kept = DayBand(band, stamp: stamp, fromWindow: fromWindow)
        return band
    }

    /// The band on day `stamp`, and whether it came from the window's active days (not from
    /// the remembered runs).
    private func computedBand(before stamp: UInt16, settings: BehaviourSettings) -> (band: VolumeBand?, fromWindow: Bool) {
        var samples = samples(before: stamp, windowDays: settings.windowDays)
        let fromWindow = !samples.isEmpty
        if samples.isEmpty { samples = self.samples(before: stamp, windowDays: settings.rememberedDays) }
        guard !samples.isEmpty else { return (nil, fromWindow) }
        let largest = Int(samples.max() ?? 0)
        let volume = settings.operationVolume
        func band(_ samples: inout [Double]) -> VolumeBand {
            let (median, mad) = VolumeBand.medianAndMAD(&samples)
            return Self.band(median: median, mad: mad, samples: samples.count, largest: largest, volume: volume)
        }
        // Samples are in day order: the last ones are the recent days.
        var recents = Self.recentSpans.filter { samples.count > $0 }.map { Array(samples.suffix($0)) }
        var chosen = band(&samples)
        for index in recents.indices {
            let recent = band(&recents[index])
            if recent.median > chosen.median { chosen = recent }
        }
        return (chosen, fromWindow)
    }

    /// A principal's band of `samples` busiest hours with this median and MAD, the largest
    /// being `largest`: DESIGN §4's band with the principal's margins and floor.
    static func band(median: Double, mad: Double, samples: Int, largest: Int, volume: BehaviourSettings.OperationVolume) -> VolumeBand {
        VolumeBand.make(
            median: median, mad: mad, samples: samples, madMultiplier: volume.madMultiplier,
            minimumMargin: Double(volume.principalMargin), relativeMargin: max(0, volume.principalRatio - 1),
            floor: volume.principalMinimum, maximum: largest)
    }

    /// How much of an hour's `count` calls a burst of this principal's habit explains: all of
    /// them while they are within the principal's own limit measured on its own scale (its
    /// largest burst in the window, `principalRatio` times its usual burst, or its usual burst
    /// plus `madMultiplier`·MAD); nothing before any history.
    ///
    /// Why its whole count, not twice its usual burst: a service that deploys twice in one hour
    /// stays within its own threshold, so those calls are its habit; crediting only part of them
    /// left the vault's hour alerting on the rest, which were its own calls. Why not up to its
    /// threshold itself: the threshold's absolute floors (`principalMinimum`, `principalMargin`)
    /// only keep a small caller from alerting on its own; a user whose usual burst is three
    /// calls does not explain sixty, so a stolen credential reading the vault from behind its
    /// habit still leaves the vault's hour above its band.
    static func explained(count: Int, band: VolumeBand?, settings: BehaviourSettings.OperationVolume) -> Int {
        guard let band else { return 0 }
        let ownScale = max(settings.principalRatio * band.median, band.median + settings.madMultiplier * band.mad)
        return min(count, max(band.sameWeekdayMaximum, Int(ownScale.rounded(.up))))
    }

    // MARK: - More replicas of the usual load

    /// The half-window period of day `stamp` for `objectsPerHour`.
    static func period(of stamp: UInt16, windowDays: Int) -> UInt16 { stamp / UInt16(clamping: max(1, windowDays / 2)) }

    /// The most distinct objects the principal touched in one learned hour on the vault within
    /// the window, as of day `stamp` (0: none known: never an hour of replicas).
    func usualObjects(on stamp: UInt16, windowDays: Int) -> Int {
        objectsPerHour.valueOverWindow(at: Self.period(of: stamp, windowDays: windowDays))
    }

    /// Whether an hour that touched `objects` distinct objects, `newObjects` of them outside
    /// those its learned hours touched (`ObjectFingerprint`), is its usual load: no more objects
    /// than the principal's busiest hours (`usual`), or up to a quarter more, and at most a
    /// quarter of that many it does not read: a configuration gains a secret now and then, and
    /// a replica reads it with the rest. A dump or a mass read touches many more (the CI identity
    /// that reads its four build secrets listing and reading 24), and a stolen credential reading
    /// as many objects the principal does not read touches other ones; a principal with no
    /// objects known is never judged as replicas.
    static func isUsualLoad(objects: Int, newObjects: Int, usual: Int) -> Bool {
        usual > 0 && objects <= mostObjects(usual: usual) && newObjects <= mostNewObjects(usual: usual)
    }

    /// The most distinct objects an hour of more replicas of the usual load touches (`isUsualLoad`).
    static func mostObjects(usual: Int) -> Int { usual + usual / 4 }
    /// The most of them its learned hours did not touch (`isUsualLoad`).
    static func mostNewObjects(usual: Int) -> Int { usual / 4 }

    /// The count above which an hour of more replicas of the usual load (`isUsualLoad`) alerts:
    /// `replicaRatio` times the usual burst, and never below the principal's `threshold`.
    ///
    /// Why a ratio and not no limit: a crash-looping service, or a job that lost its cache, reads
    /// the same secrets over and over, ten or a hundred times its usual burst (the demo's
    /// etl-nightly: its four secrets 900 times in the hour). Why 5 by default: the scale-outs
    /// held out (Woodgrove, random tenants) stacked two deploys at twice the size, 3.3 to 4 times
    /// the old usual burst; six deploys of the usual size in one hour, twice what a deployer that
    /// deploys up to three times a day stacks, still alert as a runaway (`HabitTests`,
    /// `LateBurstTests`).
    static func replicaCeiling(band: VolumeBand?, threshold: Int, settings: BehaviourSettings.OperationVolume) -> Int {
        guard let band else { return threshold }
        return max(threshold, Int((settings.replicaRatio * band.median).rounded(.up)))
    }

    /// The most calls a principal's hour on the vault holds within its habit: `ceiling` for an
    /// hour that touched `objects` distinct objects, `newObjects` of them not among its usual
    /// ones, its usual load (`isUsualLoad` of `usualObjects`), else `threshold`. Above it, the
    /// hour is the principal's own alert.
    ///
    /// The one verdict on a principal's hour, however its records arrived: an hour closing in
    /// order (`BehaviourBaseline.OpenPairHour`) and a closed hour that late records reopened
    /// (`HourCallers`, judged once its late run is complete) both come here, with the objects
    /// the hour touched in order and late, so a scale-out's stacked deploys raise nothing late as
    /// in order, and a dump behind them alerts late as in order.
    static func limit(threshold: Int, ceiling: Int, objects: Int, newObjects: Int, usualObjects: Int) -> Int {
        ceiling > threshold && isUsualLoad(objects: objects, newObjects: newObjects, usual: usualObjects) ? ceiling : threshold
    }

    // MARK: - Equality: the learned facts

    static func == (lhs: BurstHistory, rhs: BurstHistory) -> Bool {
        lhs.activeDays == rhs.activeDays && lhs.today == rhs.today && lhs.todayPeak == rhs.todayPeak && lhs.objectsPerHour == rhs.objectsPerHour
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(activeDays)
        hasher.combine(today)
        hasher.combine(todayPeak)
        hasher.combine(objectsPerHour)
    }
}

extension BurstHistory {
    /// The band of one day (`dayBand`) in sixteen bytes, not the 41 of a `VolumeBand?`: every
    /// pair keeps one. A principal's samples are busiest hours, whole numbers below 65,536, so
    /// the median is a multiple of a half and the MAD of a quarter, exact in a `Float`; the
    /// threshold is made again from them (`BurstHistory.band(median:...)`). A band that would
    /// not come back exactly is not kept (computed again at each call).
    struct DayBand: Sendable {
        enum Kind: UInt8, Sendable {
            /// No band kept.
            case nothing
            /// Kept: the principal has no band that day (no active day).
            case noBand
            /// Kept: made from the window's active days.
            case window
            /// Kept: made from the remembered runs (no active day in the window).
            case remembered
        }

        private(set) var kind = Kind.nothing
        /// The day it is the band of.
        private(set) var stamp: UInt16 = 0
        private var samples: UInt16 = 0
        private var largest: UInt16 = 0
        private var median: Float = 0
        private var mad: Float = 0

        init() {}

        init(_ band: VolumeBand?, stamp: UInt16, fromWindow: Bool) {
            self.stamp = stamp
            guard let band else {
                kind = .noBand
                return
            }
            guard let samples = UInt16(exactly: band.samples), let largest = UInt16(exactly: band.sameWeekdayMaximum),
                Double(Float(band.median)) == band.median, Double(Float(band.mad)) == band.mad
            else { return }
            self.samples = samples
            self.largest = largest
            median = Float(band.median)
            mad = Float(band.mad)
            kind = fromWindow ? .window : .remembered
        }

        /// Whether it is the band of day `stamp`.
        func holds(_ stamp: UInt16) -> Bool { kind != .nothing && self.stamp == stamp }

        /// The band kept (nil: none that day).
        func band(volume: BehaviourSettings.OperationVolume) -> VolumeBand? {
            guard kind != .noBand else { return nil }
            return BurstHistory.band(
                median: Double(median), mad: Double(mad), samples: Int(samples), largest: Int(largest), volume: volume)
        }
    }
}
