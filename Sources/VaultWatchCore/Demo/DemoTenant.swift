/// A demo tenant's audit logs: a scenario, a seed and a length of history, turned into
/// records deterministically (one seed, byte-identical records on every machine).
///
/// The history is `historyDays` ordinary days ending just before the scenario's attack day;
/// then the attack day, an ordinary day plus the scenario's stories (or without them when
/// `includesAttackDay` is false: the "no false positives" tenant).
///
/// Each day is generated on its own from streams keyed by the seed and the calendar date, so
/// a day's records are the same whatever the length of history, and a replay can start at any
/// day without generating the ones before it.
public struct DemoTenant: Sendable {
    public static let defaultSeed: UInt64 = 1
    /// Changes whenever the same seed would give different bytes (a new habit, a new field):
    /// a cache of generated logs keyed by seed and days should include it.
    public static let generatorVersion = 5
    public static let defaultHistoryDays = 15

    public let scenario: DemoScenario
    public let seed: UInt64
    public let historyDays: Int
    public let includesAttackDay: Bool

    let identities: [String: DemoIdentity]
    let applications: [String: DemoApplication]
    let vaults: [String: DemoVault]

    /// - Parameter days: days of history before the attack day, at least 1.
    public init(seed: UInt64 = DemoTenant.defaultSeed, days: Int = DemoTenant.defaultHistoryDays, includesAttackDay: Bool = true,
                scenario: DemoScenario = .standard) {
        self.seed = seed
        self.historyDays = max(1, days)
        // The seventeenth story sized on this seed's days (the scenario's is sized on drawn ones):
        // the window's days before the attack day whatever the length of history, so that a day's
        // records do not depend on it (a history shorter than the window learns from fewer days).
        self.scenario = scenario.sizedStolenServiceCredential(seed: seed)
        self.includesAttackDay = includesAttackDay
        identities = Dictionary(scenario.identities.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        applications = Dictionary(scenario.applications.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        vaults = Dictionary(scenario.vaults.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Days generated: the history and the attack day.
    public var dayCount: Int { historyDays + 1 }

    /// Midnight UTC of the attack day.
    public var attackDayStart: EventTime {
        EventTime(year: scenario.attackYear, month: scenario.attackMonth, day: scenario.attackDay)
    }

    /// Midnight UTC of day `index` (0 is the first day of history; `historyDays` the attack day).
    public func dayStart(_ index: Int) -> EventTime {
        EventTime(ticks: attackDayStart.ticks - Int64(historyDays - index) * EventTime.ticksPerDay)
    }

    /// The attack day as `YYYY-MM-DD`.
    public var attackDate: String {
        String(DemoText.wholeSecondTimestamp(attackDayStart).prefix(10))
    }

    /// The records of one day, in time order.
    /// - Complexity: proportional to the day's records (a few thousand).
    public func records(onDay index: Int) -> [DemoRecord] {
        let start = dayStart(index)
        let dayNumber = Int(start.ticks / EventTime.ticksPerDay)
        var calls = backgroundCalls(dayStart: start, dayNumber: dayNumber)
        if index == historyDays, includesAttackDay {
            calls += storyCalls(dayStart: start, firstSequence: calls.count)
        }
        calls.sort { ($0.ticks, $0.sequence) < ($1.ticks, $1.sequence) }
        let renderer = DemoRecordRenderer(tenantID: scenario.tenantID)
        var random = SeededRandom(seed: seed, stream: "records", dayNumber)
        return calls.map { call in
            let line = renderer.render(call, random: &random)
            return DemoRecord(
                time: EventTime(ticks: call.ticks), vault: call.vault.name.lowercased(), resourceID: call.vault.resourceID,
                line: Array(line.utf8))
        }
    }

    /// Every record of the tenant in time order, generated a day at a time as it is iterated
    /// (for a replay that feeds a detector without files).
    public var records: DemoRecordSequence { DemoRecordSequence(tenant: self, firstDay: 0) }

    /// The records from day `index` on (`historyDays` alone: the attack day), in time order.
    public func records(fromDay index: Int) -> DemoRecordSequence {
        DemoRecordSequence(tenant: self, firstDay: max(0, index))
    }
}
