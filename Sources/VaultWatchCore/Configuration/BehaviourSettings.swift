/// Windows and thresholds of the behavioural rules (DESIGN.md §4), each with the default the
/// rule files explain. Every value can be set in the `[rules.KIND]` tables of `--config`.
public struct BehaviourSettings: Sendable, Hashable {
    /// Days of its own history a vault needs before its behavioural rules arm; the many-vaults
    /// rules arm once the detector has this much history.
    public var learningDays: Int = 7
    /// Days of history the baselines keep; an entity unseen for longer is forgotten.
    public var windowDays: Int = 30
    /// Days the baselines remember what was familiar, beyond the window: the principals on
    /// each vault, applications, user–application pairs, operation types, network ranges and
    /// provider blocks (as last-seen days), and a job's bursts and list→reads once it has been
    /// away longer than the window (`BurstHistory`, `PairBaseline.listReadMemory`). A job rarer
    /// than the window (a month-end close, a quarterly audit) is then not new at each run.
    /// Never less than `windowDays` (`rememberedDays`).
    public var memoryDays: Int = 90
    /// How far out of order records may arrive and still be evaluated in event-time order.
    public var reorderToleranceMinutes: Int = 10
    /// Kinds switched off by configuration.
    public var disabledKinds: Set<AlertKind> = []

    public var putGet = PutGet()
    public var listGet = ListGet()
    public var operationPattern = OperationPattern()
    public var operationVolume = OperationVolume()
    public var accountVolume = AccountVolume()
    public var accountVolumeDenied = AccountVolumeDenied()
    public var unusualIP = UnusualIP()
    public var sensitiveOperation = SensitiveOperation()
    /// The vaults' time zones (`timezone`, `[timezones]`); a vault without one has its clock
    /// inferred from its weekly rhythm.
    public var timeZones = TimeZoneSettings()

    public init() {}

    public struct PutGet: Sendable, Hashable {
        /// Minutes after an access change within which a secret read completes the sequence.
        public var windowMinutes: Int = 60
        /// The same change→read sequence (vault, change operation) on this many distinct
        /// earlier days within the window, by any of the vault's changers, is routine for a
        /// changer that ran it there itself before within the window, whether it alerted or not,
        /// as `SensitiveOperation.routineDays` (`RoutineOperations`): an admin's weekly
        /// onboarding, or one done in turn by two admins, alerts its first three weeks, not
        /// forever. 0 = only sequences that raised nothing are learned.
        public var routineDays: Int = 3
        public init() {}
    }

    public struct ListGet: Sendable, Hashable {
        public var windowMinutes: Int = 60
        /// Distinct secrets read after one listing before the sequence counts as mass reads.
        public var minimumDistinctReads: Int = 5
        /// Reads must also exceed this multiple of the most the principal usually reads after a list.
        public var usualRatio: Double = 2
        public init() {}
    }

    public struct OperationPattern: Sendable, Hashable {
        /// Raise for an operation type the vault has not performed within the window.
        public var newOperations: Bool = true
        /// An hour's mix is judged only when it has at least this many operations.
        public var mixMinimumOperations: Int = 30
        /// An operation type is rare on a vault below this share of its usual mix.
        public var rareShare: Double = 0.01
        /// Raise when rare operation types make up at least this share of an hour.
        public var rareHourShare: Double = 0.5
        public init() {}
    }

    public struct OperationVolume: Sendable, Hashable {
        /// Vault hours: alert above median + max(madMultiplier·MAD, margin).
        public var madMultiplier: Double = 5
        /// The margin's floor, in operations: keeps near-constant series (MAD 0) quiet.
        public var minimumMargin: Int = 20
        /// The margin is at least this multiple of the median (1 = twice the usual volume).
        public var relativeMargin: Double = 1
        /// Principal-on-vault hours: alert above max(principalMinimum, ratio·usual, usual + margin).
        public var principalMinimum: Int = 60
        public var principalRatio: Double = 3
        public var principalMargin: Int = 40
        /// A principal's hour above its threshold that touched no more distinct objects than its
        /// busiest hours in the window is more replicas of its usual load, not a dump: it alerts
        /// only above this multiple of its usual burst (`BurstHistory.replicaCeiling`): a runaway job.
        public var replicaRatio: Double = 5
        public init() {}
    }

    public struct AccountVolume: Sendable, Hashable {
        /// Distinct vaults reached in 24 h below this never alert.
        public var minimumVaults: Int = 5
        /// Above the usual maximum by at least this many vaults …
        public var margin: Int = 3
        /// … and by this ratio.
        public var ratio: Double = 1.5
        public init() {}
    }

    public struct AccountVolumeDenied: Sendable, Hashable {
        public var minimumVaults: Int = 5
        public var margin: Int = 2
        public init() {}
    }

    public struct UnusualIP: Sendable, Hashable {
        /// Also require that nobody reached the vault from the range within the window: shared
        /// corporate and cloud egress ranges are then familiar to everyone.
        public var requireUnfamiliarToVault: Bool = true
        /// Distinct ranges (/24, IPv6 /48) a principal must have used inside one provider block
        /// (/16, IPv6 /32) for the block to be familiar (a dynamic home address); 0 = never.
        /// Two: a line that has already moved once inside its block is a dynamic line. Three
        /// made a hybrid worker at home one or two days a week alert on each of their first
        /// home days after the learning week (random tenants, `scripts/tenant-sweep.sh`).
        public var familiarBlockRanges: Int = 2
        /// A block where the principal used fewer ranges is still familiar when each of them was
        /// used on at most this many distinct days: the footprint of a line whose address moves
        /// (a home day a week, skipped for two weeks, left one range used on one day and alerted
        /// on the next: random seeds 14 and 29). Two, not one: a working day that straddles
        /// midnight UTC puts one day's address on two days. A range used on more days (an office,
        /// a static line) keeps a new range beside it unfamiliar. 0 = only `familiarBlockRanges`.
        public var dynamicRangeDays: Int = 2
        /// A new block is familiar for a principal that already roams its pool (IPv4 /8, IPv6
        /// /24): one that used at least this many other blocks in it, each only with ranges used
        /// on at most `dynamicRangeDays` days (`AddressBlocks.roamsPool`): a CI service on hosted
        /// runners, a new cloud address at each run across dozens of the provider's /16s (a
        /// held-out tenant's pipeline alerted 17 times a month). Three, not two: a home line
        /// that moved once between two blocks of its ISP is not yet a pool. 0 = never.
        public var roamingBlocks: Int = 3
        public init() {}
    }

    public struct SensitiveOperation: Sendable, Hashable {
        /// The same sensitive operation by the same principal on the same vault on this many
        /// distinct earlier days within the window is routine and raises nothing (a delete or
        /// purge only of an object the principal wrote before); 0 = always alert.
        public var routineDays: Int = 3
        public init() {}
    }

    /// The days the familiar is remembered: `memoryDays`, at least the window.
    public var rememberedDays: Int { max(memoryDays, windowDays) }

    /// Whether a kind is on.
    public func isEnabled(_ kind: AlertKind) -> Bool { !disabledKinds.contains(kind) }
}
