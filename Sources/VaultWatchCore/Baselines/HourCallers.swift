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
/// A caller's own limit is its threshold, or its ceiling while its hour is more replicas of its
/// usual load (`BurstHistory.limit`): a caller whose hour could be keeps the hour's objects
/// (`Replicas`), so the late records of its hour are judged by what they touch as the in-order
/// ones were, its late alert says what they said, and the hour judged again teaches them.
///
/// Memory: one small entry per principal that called the vault in the hour, and for the few whose
/// hour could be more replicas of their usual load (a usual burst above a dozen calls), their objects.
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

    /// What a caller whose hour could be more replicas of its usual load (a ceiling above its
    /// threshold, usual objects known) keeps beside its `Caller`, so that its late records are
    /// judged, reported and taught as in order: the objects its hour touched (more of them than a
    /// quarter above its usual and the hour is held to its threshold), and the call that took it
    /// over its threshold, the alert's time and first evidence should later records take it over
    /// its ceiling. Kept whatever its objects said when the hour closed, but for an hour whose
    /// listing alerted that was not more replicas (`BehaviourBaseline.closeHour`); one whose listing
    /// alerted and that was more replicas keeps that mark (`listingAlerted`), so judged again late
    /// it teaches no objects, as in order.
    struct Replicas: Sendable, Equatable {
        /// The limit of an hour of more replicas of its usual load (`BurstHistory.replicaCeiling`).
        var ceiling: Int
        /// Its usual distinct objects in an hour (`BurstHistory.usualObjects`) when the hour closed,
        /// or when its first late record came for a caller that had not called in order.
        var usualObjects: Int
        /// How many of `objects` are not among those its learned hours touched (`ObjectFingerprint`):
        /// the in-order ones as the hour closed (all of them, before the hour taught them), each
        /// late one as it came (after the hour is held to its threshold too, for the alert's reasons).
        var newObjects = 0
        /// The distinct objects of its calls in the hour, in order and late.
        var objects = HourObjects()
        /// The call that took its count over its threshold (nil while within it; nil too when the
        /// vault's rules were not armed then, as in order).
        var crossing: AuditEvent?
        /// A listing that raised `KV_ListGetAnomaly` was open in its hour, in order
        /// (`OpenPairHour.listingAlerted`) or late (`markListingAlerted`): the hour teaches its
        /// size, not its objects (`BehaviourBaseline.learnHour`), however its records arrived
        /// (format 15; false before).
        var listingAlerted = false
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
    /// Whether `entries` are in principal order (look-ups search them in halves; else in turn).
    private(set) var isSorted = true
    /// The callers whose hour may be more replicas of their usual load (a ceiling above their
    /// threshold and usual objects known), with its objects (`Replicas`).
    private(set) var replicas: [Symbol: Replicas] = [:]

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

    /// Adds `principal`'s calls of the hour (a closing hour's pair count), once per principal,
    /// with its objects when its hour is more replicas of its usual load.
    mutating func add(_ principal: Symbol, _ caller: Caller, replicas: Replicas? = nil) {
        if let last = entries.last, last.principal >= principal { isSorted = false }
        entries.append(Entry(principal: principal, caller: caller))
        if let replicas { self.replicas[principal] = replicas }
    }

    /// Puts the callers in principal order, for the look-ups of late records.
    mutating func sort() {
        guard !isSorted else { return }
        entries.sort { $0.principal < $1.principal }
        isSorted = true
    }

    /// One more call by `principal` on `object` (a late record); `newCaller` and `newReplicas`
    /// are its limits, with no calls yet, when it had not called in the hour; `isUsualObject`
    /// tells the objects its learned hours touched (nil: not known, none counted new). Returns the
    /// principal's calls in the hour now.
    mutating func addCall(
        by principal: Symbol, object: Symbol, newCaller: Caller, newReplicas: Replicas?, isUsualObject: ((Symbol) -> Bool)? = nil
    ) -> Caller {
        let (found, insertion) = position(of: principal)
        var caller = newCaller
        if let found {
            caller = entries[found].caller
        } else if let newReplicas {
            replicas[principal] = newReplicas
        }
        caller.count += 1
        if let found {
            entries[found].caller = caller
        } else {
            entries.insert(Entry(principal: principal, caller: caller), at: insertion)
        }
        if let index = replicas.index(forKey: principal) {
            // Once more than a quarter above its usual objects the hour is held to its threshold
            // for good, but its objects are still counted: the alert's reasons say how many the
            // whole hour touched and how many were new, as for an hour closing in order.
            if replicas.values[index].objects.insert(object), let isUsualObject, !isUsualObject(object) {
                replicas.values[index].newObjects += 1
            }
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

    /// Marks `principal`'s hour as one whose listing raised `KV_ListGetAnomaly`, the listing late:
    /// its objects kept as more replicas are not taught (`Replicas.listingAlerted`), as in order.
    /// A caller that keeps no objects teaches none already.
    mutating func markListingAlerted(of principal: Symbol) {
        replicas[principal]?.listingAlerted = true
    }

    /// Notes the late call that took `principal` over its threshold in an hour still within its
    /// ceiling, the first such call kept.
    mutating func noteCrossing(_ event: AuditEvent, of principal: Symbol) {
        guard let index = replicas.index(forKey: principal), replicas.values[index].crossing == nil else { return }
        replicas.values[index].crossing = event
    }

    /// The most calls `principal`'s hour holds within its habit (`BurstHistory.limit`): its
    /// ceiling while its objects are its usual load's, else its threshold.
    func limit(of principal: Symbol, _ caller: Caller) -> Int {
        guard let replicas = replicas[principal] else { return caller.threshold }
        return BurstHistory.limit(
            threshold: caller.threshold, ceiling: replicas.ceiling, objects: replicas.objects.count, newObjects: replicas.newObjects,
            usualObjects: replicas.usualObjects)
    }

    /// How many of a caller's calls its habit explains at most: up to its ceiling while its hour
    /// is more replicas of its usual load, else `Caller.habit`.
    func habit(of principal: Symbol, _ caller: Caller) -> Int {
        let limit = limit(of: principal, caller)
        return limit > caller.threshold ? limit : caller.habit
    }

    /// The calls of the hour the callers' habits explain: the sum of min(count, habit).
    /// Computed when asked (an hour whose vault count crossed its band): a late object may end
    /// a caller's replicas, and with them what its habit explains.
    var explained: Int { entries.reduce(0) { $0 + min($1.caller.count, habit(of: $1.principal, $1.caller)) } }

    /// Whether an hour of `count` calls is above `band` once the callers' habits are taken out.
    func isAnomalous(count: Int, band: VolumeBand) -> Bool { count - explained > band.threshold }

    /// The principals whose habit explains part of the hour, most calls first (at most three),
    /// for the alert's reasons.
    var habits: [HourReports.Habit] {
        let explaining = entries.filter { min($0.caller.count, habit(of: $0.principal, $0.caller)) > 0 }.map { entry in
            HourReports.Habit(principal: entry.principal, count: entry.caller.count, usualBurst: entry.caller.usualBurst)
        }
        return Array(explaining.sorted { ($0.count, $0.principal.rawValue) > ($1.count, $1.principal.rawValue) }.prefix(3))
    }
}
