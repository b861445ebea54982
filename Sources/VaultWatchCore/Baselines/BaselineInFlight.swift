/// What the baselines hold between events that is not learned yet: the open hour's counters,
/// the open list→read and change→read sequences. Saved beside `BaselineSnapshot` (its
/// `inFlight` section) so that a detector restored at any record boundary goes on exactly as
/// the uninterrupted one: the hour is closed with the same count, band and mix, a listing is
/// followed by the same reads, a change waits for the same read.
///
/// Names, not symbols, as in the rest of the snapshot; events as `NamedEvent`s.
struct BaselineInFlight: Codable, Sendable, Equatable {
    /// A vault's hour being counted (`VaultBaseline.isOpen`).
    struct OpenVaultHour: Codable, Sendable, Equatable {
        var vault: String
        var hour: Int32
        var count: Int
        var band: Band?
        var crossing: NamedEvent?
        /// Operations of the hour by name, and the names first performed in it (in order).
        var operations: [String: UInt32]
        var newOperations: [String]
        var rareSample: NamedEvent?
        /// Operations of the hour by callers that had not used them before (the rare-mix test).
        var unexplained: [String: UInt32]
    }

    /// `VolumeBand`, as saved.
    struct Band: Codable, Sendable, Equatable {
        var median: Double
        var mad: Double
        var samples: Int
        var sameWeekdayMaximum: Int
        var threshold: Int
    }

    /// A principal's hour on a vault being counted (`BehaviourBaseline.OpenPairHour`).
    struct OpenPairHour: Codable, Sendable, Equatable {
        var vault: String
        var principal: String
        var count: Int
        /// The principal's usual burst when the hour opened (`BurstHistory`).
        var band: Band?
        var threshold: Int
        var crossing: NamedEvent?
        /// The limit of an hour of more replicas of the usual load and the distinct objects
        /// touched so far (format 11; nil in older states: the hour is held to `threshold`, as
        /// the detector that saved it held it).
        var ceiling: Int?
        var objects: [String]?
        /// A listing that raised `KV_ListGetAnomaly` was open in the hour (format 13; nil in older
        /// states: taken from the open listings).
        var listingAlerted: Bool?
    }

    /// A listing waiting for reads (`BehaviourBaseline.ListSequence`).
    struct OpenList: Codable, Sendable, Equatable {
        var vault: String
        var principal: String
        var start: Int64
        var secrets: [String]
        var distinct: Int
        /// The sequence raised `KV_ListGetAnomaly` (its reads will not be learned).
        var alerted: Bool
        /// The listing and the first reads, the alert's evidence (nil in a state saved before
        /// format 5).
        var events: [NamedEvent]?
    }

    /// An access change waiting for a read (`BehaviourBaseline.AccessChange`): everything else
    /// in it is the change event's.
    struct OpenChange: Codable, Sendable, Equatable {
        var event: NamedEvent
        var consumed: Bool
    }

    /// A vault's closed hour's callers (`HourCallers`), kept for the records that arrive late
    /// (`ClosedHours`).
    struct ClosedHour: Codable, Sendable, Equatable {
        struct Caller: Codable, Sendable, Equatable {
            var principal: String
            var count: Int
            var habit: Int
            var threshold: Int
            var usualBurst: Int
            /// Its hour was more replicas of its usual load (`HourCallers.Replicas`; format 13).
            var replicas: Replicas?
        }
        /// `HourCallers.Replicas`, as saved.
        struct Replicas: Codable, Sendable, Equatable {
            var ceiling: Int
            var usualObjects: Int
            /// How many of `objects` were not among the usual ones (format 14; 0 before).
            var newObjects = 0
            var objects: [String]
            var crossing: NamedEvent?
            /// A listing that alerted was open in its hour (`HourCallers.Replicas.listingAlerted`;
            /// format 15, false before).
            var listingAlerted = false
        }
        var vault: String
        var hour: Int32
        var callers: [Caller]
    }

    /// A closed hour late records are adding to (`ReopenedHours`), waiting for its late run to end.
    struct ReopenedHour: Codable, Sendable, Equatable {
        var vault: String
        var hour: Int32
        var lastArrival: Int64
        var attributed: Bool
        var armed: Bool
        var crossing: NamedEvent?
        /// The late record that took each caller above its threshold (its principal is the caller).
        var principalCrossings: [NamedEvent]
    }

    /// Operation names in index order: the order ties are listed in (a rare mix's operations)
    /// and the order operations past the 63rd share a bit in, kept as the first process had it.
    var operations: [String]
    var vaultHours: [OpenVaultHour]
    var pairHours: [OpenPairHour]
    var lists: [OpenList]
    var changes: [OpenChange]
    /// Nil in a state saved before format 7 (no closed hour's callers: late records of the hours
    /// closed before the restart are judged with nothing attributed).
    var closedHours: [ClosedHour]? = nil
    /// Nil in a state saved before format 9 (its detector judged late records at once).
    var reopenedHours: [ReopenedHour]? = nil
}
