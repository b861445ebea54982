/// What closing an hour found, for the hourly rules (volume and mix).
struct HourReports {
    /// A vault's hour went above its band.
    struct VaultVolume {
        var vault: Symbol
        var hour: Int32
        var count: Int
        var band: VolumeBand
        /// The event that took the count over the threshold: the alert's time and first evidence.
        var crossing: AuditEvent
        var isLate: Bool
        /// Calls of the hour that principals' usual bursts explain (`BurstHistory.explained`):
        /// the hour alerted because `count − explained` was still above the band.
        var explained: Int = 0
        /// The principals whose habit explains part of the hour, most first (at most three).
        var habits: [Habit] = []
        /// The vault's clock for wording (local hour, weekday).
        var clock: LocalClock = .utc
        /// The hour closed more than `ClosedHours.keptHours` before its late records: only they
        /// were put down to their callers.
        var lateCallersOnly = false
    }

    /// A principal whose usual burst explains part of a vault's hour.
    struct Habit {
        var principal: Symbol
        var count: Int
        var usualBurst: Int
    }

    /// A principal's hour on a vault went above its usual.
    struct PrincipalVolume {
        var vault: Symbol
        var principal: Symbol
        var hour: Int32
        var count: Int
        /// The principal's usual burst on the vault (nil: no active day in the window yet).
        var band: VolumeBand?
        var threshold: Int
        var crossing: AuditEvent
        /// The vault's band for the same hour, to say what the vault usually sees.
        var vaultBand: VolumeBand?
        var clock: LocalClock = .utc
        /// The record that took the hour over arrived after the hour closed.
        var isLate = false
        /// Only the principal's late calls are counted (`VaultVolume.lateCallersOnly`).
        var lateCallersOnly = false
        /// What the hour's objects said about its limit (nil when they could not change it).
        var replicas: ReplicaVerdict?
    }

    /// Why a principal's hour was held to its threshold or to the higher ceiling of more replicas
    /// of its usual load (`BurstHistory.limit`), for the alert's reasons: the hour's distinct
    /// objects against those of its busiest hours. Only for a principal whose ceiling is above its
    /// threshold and whose hours' objects are known (the objects could change its limit), the
    /// same whether the hour's records came in order or late (`HourCallers.Replicas` keeps
    /// counting a late hour's objects after they decided).
    struct ReplicaVerdict: Equatable {
        /// The limit of an hour of more replicas of its usual load (`BurstHistory.replicaCeiling`).
        var ceiling: Int
        /// The most distinct objects of one of its learned hours (`BurstHistory.usualObjects`).
        var usualObjects: Int
        /// The distinct objects of the hour (at most `HourObjects.limit`).
        var objects: Int
        /// How many of them its learned hours did not touch (`ObjectFingerprint`; nil: the pair
        /// keeps no fingerprint, as one restored from a state saved before format 14).
        var newObjects: Int?

        /// Whether the hour was held to `ceiling` (`BurstHistory.isUsualLoad`).
        var isUsualLoad: Bool { BurstHistory.isUsualLoad(objects: objects, newObjects: newObjects ?? 0, usual: usualObjects) }
        /// The most objects, and new ones, an hour of more replicas may touch.
        var mostObjects: Int { BurstHistory.mostObjects(usual: usualObjects) }
        var mostNewObjects: Int { BurstHistory.mostNewObjects(usual: usualObjects) }
    }

    /// Operation types that are rare on the vault made up most of an hour.
    struct RareMix {
        var vault: Symbol
        var hour: Int32
        var total: Int
        var rareCount: Int
        /// The rare types with their count this hour and usual share, busiest first.
        var rareOperations: [(name: String, count: Int, usualShare: Double)]
        var sample: AuditEvent
        var clock: LocalClock = .utc
    }

    var vaultVolumes: [VaultVolume] = []
    var principalVolumes: [PrincipalVolume] = []
    var rareMixes: [RareMix] = []

    var isEmpty: Bool { vaultVolumes.isEmpty && principalVolumes.isEmpty && rareMixes.isEmpty }

    mutating func removeAll() {
        // The detector empties the reports before every in-order event, and almost always they
        // are empty already: three `removeAll`s cost a uniqueness check each even then.
        guard !isEmpty else { return }
        vaultVolumes.removeAll(keepingCapacity: true)
        principalVolumes.removeAll(keepingCapacity: true)
        rareMixes.removeAll(keepingCapacity: true)
    }
}
