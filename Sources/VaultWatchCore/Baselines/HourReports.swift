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
    }

    /// A principal's hour on a vault went above its usual.
    struct PrincipalVolume {
        var vault: Symbol
        var principal: Symbol
        var hour: Int32
        var count: Int
        var usual: Int
        var threshold: Int
        var crossing: AuditEvent
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
    }

    var vaultVolumes: [VaultVolume] = []
    var principalVolumes: [PrincipalVolume] = []
    var rareMixes: [RareMix] = []

    var isEmpty: Bool { vaultVolumes.isEmpty && principalVolumes.isEmpty && rareMixes.isEmpty }

    mutating func removeAll() {
        vaultVolumes.removeAll(keepingCapacity: true)
        principalVolumes.removeAll(keepingCapacity: true)
        rareMixes.removeAll(keepingCapacity: true)
    }
}
