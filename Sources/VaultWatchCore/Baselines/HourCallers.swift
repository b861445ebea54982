/// A vault's hour as its callers make it up: each principal's calls in the hour against its usual
/// burst on the vault (`BurstHistory`). The one judgement of DESIGN §4's attribution: calls
/// within a principal's habit (`BurstHistory.explained`: within its own limit, its whole
/// count) are explained,
/// and the vault's hour is anomalous only when its count less the explained calls is above the
/// vault's band. It judges an hour closing in order (`BehaviourBaseline.closeHour`) and a closed
/// hour that late records reopened, once their run is complete (`BehaviourBaseline
/// .judgeReopenedHours`, with the callers kept in `ClosedHours`), so a routine burst is put down
/// to its principal however its records arrive.
///
/// Memory: one small entry per principal that called the vault in the hour.
struct HourCallers: Sendable, Equatable {
    /// 16 bytes: a busy tenant keeps tens of thousands of them (`ClosedHours`).
    struct Caller: Sendable, Equatable {
        private var storedCount: Int32
        private var storedHabit: Int32
        private var storedThreshold: Int32
        private var storedUsualBurst: Int32

        init(count: Int, habit: Int, threshold: Int, usualBurst: Int) {
            storedCount = Int32(clamping: count)
            storedHabit = Int32(clamping: habit)
            storedThreshold = Int32(clamping: threshold)
            storedUsualBurst = Int32(clamping: usualBurst)
        }

        /// The principal's calls in the hour.
        var count: Int {
            get { Int(storedCount) }
            set { storedCount = Int32(clamping: newValue) }
        }
        /// How many of its calls the principal's habit explains at most
        /// (`BurstHistory.explained`); 0 before any active day in the window.
        var habit: Int { Int(storedHabit) }
        /// Above this many calls in the hour the principal itself is anomalous.
        var threshold: Int { Int(storedThreshold) }
        /// Its usual burst (median), for the alert's reasons.
        var usualBurst: Int { Int(storedUsualBurst) }
    }

    /// A principal and its calls in the hour.
    struct Entry: Sendable, Equatable {
        var principal: Symbol
        var caller: Caller
    }

    /// The callers, by principal (`isSorted`) once `ClosedHours` keeps them: twenty bytes each
    /// and one allocation per vault-hour. `ClosedHours` keeps 48 hours of every vault's (~640,000
    /// callers in DESIGN §7's budget run); a dictionary each, 32 slots for a vault's dozen callers,
    /// took some 12 MiB more there (docs/performance.md, 3 December afternoon).
    private(set) var entries: [Entry] = []
    /// The calls of the hour the callers' habits explain: the sum of min(count, habit).
    private(set) var explained = 0
    /// Whether `entries` are in principal order (look-ups search them in halves; else in turn).
    private(set) var isSorted = true

    var isEmpty: Bool { entries.isEmpty }
    var count: Int { entries.count }

    /// The principal's usual burst on the vault as a caller's limits (nil band: no history yet,
    /// `defaultThreshold` calls before it is anomalous, nothing explained).
    static func caller(count: Int, band: VolumeBand?, threshold: Int, settings: BehaviourSettings.OperationVolume) -> Caller {
        Caller(
            count: count, habit: BurstHistory.explained(count: .max, band: band, settings: settings), threshold: threshold,
            usualBurst: Int(band?.median ?? 0))
    }

    /// `principal`'s calls in the hour, nil when it did not call.
    subscript(principal: Symbol) -> Caller? {
        position(of: principal).found.map { entries[$0].caller }
    }

    /// Adds `principal`'s calls of the hour (a closing hour's pair count), once per principal.
    mutating func add(_ principal: Symbol, _ caller: Caller) {
        if let last = entries.last, last.principal >= principal { isSorted = false }
        entries.append(Entry(principal: principal, caller: caller))
        explained += min(caller.count, caller.habit)
    }

    /// Puts the callers in principal order, for the look-ups of late records.
    mutating func sort() {
        guard !isSorted else { return }
        entries.sort { $0.principal < $1.principal }
        isSorted = true
    }

    /// One more call by `principal` (a late record); `newCaller` is its limits, with no calls
    /// yet, when it had not called in the hour. Returns the principal's calls in the hour now.
    mutating func addCall(by principal: Symbol, newCaller: Caller) -> Caller {
        let (found, insertion) = position(of: principal)
        var caller = found.map { entries[$0].caller } ?? newCaller
        if caller.count < caller.habit { explained += 1 }
        caller.count += 1
        if let found {
            entries[found].caller = caller
        } else {
            entries.insert(Entry(principal: principal, caller: caller), at: insertion)
        }
        return caller
    }

    /// Where `principal` is in `entries` (`found`), or where it goes to keep them in order.
    private func position(of principal: Symbol) -> (found: Int?, insertion: Int) {
        guard isSorted else { return (entries.firstIndex { $0.principal == principal }, entries.endIndex) }
        var low = 0
        var high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if entries[middle].principal < principal { low = middle + 1 } else { high = middle }
        }
        return (low < entries.count && entries[low].principal == principal ? low : nil, low)
    }

    /// Whether an hour of `count` calls is above `band` once the callers' habits are taken out.
    func isAnomalous(count: Int, band: VolumeBand) -> Bool { count - explained > band.threshold }

    /// The principals whose habit explains part of the hour, most calls first (at most three),
    /// for the alert's reasons.
    var habits: [HourReports.Habit] {
        let explaining = entries.filter { min($0.caller.count, $0.caller.habit) > 0 }.map { entry in
            HourReports.Habit(principal: entry.principal, count: entry.caller.count, usualBurst: entry.caller.usualBurst)
        }
        return Array(explaining.sorted { ($0.count, $0.principal.rawValue) > ($1.count, $1.principal.rawValue) }.prefix(3))
    }
}
