/// What one principal usually does on one vault: when it last reached or was refused by the
/// vault, how big its bursts are (`BurstHistory`), how many secrets it reads after listing
/// them, and when it last read after an access change.
/// It also caches the last application and network range checked today, so a busy caller costs
/// no further look-ups for them.
struct PairBaseline {
    // The fields are in this order for size, not by topic: widest alignment first after the
    // bursts (34 bytes, `BurstHistory`), so no field waits on padding. In declaration order the
    // pair took 120 bytes a slot instead of 96, some 12 MiB at DESIGN §7's budget
    // scale (`PairBaselineLayoutTests`).

    var bursts = BurstHistory()
    /// The most secrets read after a list within the window (half-window periods, read over
    /// the whole window: `PeriodMaximum.valueOverWindow`).
    var listReadPeak = PeriodMaximum()
    /// The same over the memory (half-memory periods), for a job rarer than the window: what
    /// it read after a list on its earlier runs, including a newcomer's alerted runs
    /// (`learnListRead`).
    var listReadMemory = PeriodMaximum()
    /// Last day this principal read secrets on the vault after changing its access (0 = never).
    var changeReadDay: UInt16 = 0
    var lastReachedHour: Int32 = .min
    var lastDeniedHour: Int32 = .min
    var cachedApplication = Symbol.none
    var operationsHour: Int32 = .min
    var cachedRange: UInt64 = 0
    /// Operation types (by `OperationIndex`, 63 and above share the last bit) it performed here.
    var operations: UInt64 = 0
    /// The operation types first performed here in hour `operationsHour`: not yet a habit in
    /// that hour's rare-mix test.
    var newOperationsThisHour: UInt64 = 0
    var applicationCheckedDay: UInt16 = 0
    var rangeCheckedDay: UInt16 = 0
    /// When the principal first called the vault (day stamp), for its own learning period.
    var firstSeenDay: UInt16 = 0
    var isUser = false

    var lastSeenHour: Int32 { max(lastReachedHour, lastDeniedHour) }

    static func operationBit(_ index: Int) -> UInt64 { 1 << UInt64(min(index, 63)) }

    /// Learns an ended list→read sequence that read `distinct` secrets from a listing on day
    /// `day`: into the window's usual unless it raised `KV_ListGetAnomaly` (a repeated dump
    /// alerts again); into the memory unless it raised one after the principal's first
    /// `learningDays` on the vault. A newcomer's first runs already raised its arrival's alert
    /// (the question was asked once), and a job rarer than the window has nothing else to be
    /// judged by on its next run: only `usualListRead` of a principal away longer than the
    /// window reads the memory.
    mutating func learnListRead(distinct: Int, alerted: Bool, day: Int32, periods: (window: UInt16, memory: UInt16), learningDays: Int) {
        if !alerted { listReadPeak.record(distinct, at: periods.window) }
        let ownDays = Int(HourCalendar.stamp(day: day)) - Int(firstSeenDay)
        if !alerted || ownDays < learningDays { listReadMemory.record(distinct, at: periods.memory) }
    }

    /// The most the principal usually reads after a list on day `stamp`: the window's; for a
    /// principal back after more than the window away (first seen before the window, with no
    /// active day in it: a job rarer than the window), the memory's too. Never on its arrival
    /// days: what its arrival did is its habit only when it comes back.
    func usualListRead(on stamp: UInt16, periods: (window: UInt16, memory: UInt16), settings: BehaviourSettings) -> Int {
        let usual = listReadPeak.valueOverWindow(at: periods.window)
        guard Int(stamp) - Int(firstSeenDay) > settings.windowDays, !bursts.isActive(before: stamp, windowDays: settings.windowDays)
        else { return usual }
        return max(usual, listReadMemory.value(at: periods.memory))
    }
}
