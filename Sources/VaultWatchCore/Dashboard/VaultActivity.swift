/// One vault's activity as the dashboard shows it: counts now, over the last hours, and the
/// baseline they are compared to.
public struct VaultActivity: Sendable, Equatable {
    public var name: String
    /// Operations per minute over the last `ActivityTracker.minuteWindow` minutes, oldest
    /// first, the last entry being the minute of the event clock (still filling).
    public var minuteCounts: [Int]
    /// Operations per hour over the last `ActivityTracker.hourWindow` hours, oldest first, the
    /// last entry being the hour of the event clock (still filling).
    public var hourlyCounts: [Int]
    /// The baseline band for each entry of `hourlyCounts`; nil while there is no history for
    /// that hour of the week.
    public var hourlyBand: [BaselineBand?]
    /// Distinct principals seen on the vault.
    public var principalCount: Int
    /// Operations in the current hour, by operation name, most frequent first.
    public var operationMixNow: [OperationShare]
    /// The usual operation mix (all history), most frequent first.
    public var operationMixUsual: [OperationShare]
    /// Active alerts on this vault.
    public var openAlerts: Int
    /// Days of history seen for this vault.
    public var daysOfHistory: Int

    public init(
        name: String, minuteCounts: [Int] = [], hourlyCounts: [Int] = [], hourlyBand: [BaselineBand?] = [],
        principalCount: Int = 0, operationMixNow: [OperationShare] = [], operationMixUsual: [OperationShare] = [],
        openAlerts: Int = 0, daysOfHistory: Int = 0
    ) {
        self.name = name
        self.minuteCounts = minuteCounts
        self.hourlyCounts = hourlyCounts
        self.hourlyBand = hourlyBand
        self.principalCount = principalCount
        self.operationMixNow = operationMixNow
        self.operationMixUsual = operationMixUsual
        self.openAlerts = openAlerts
        self.daysOfHistory = daysOfHistory
    }

    /// Operations per minute now: the mean of the last five complete minutes.
    public var operationsPerMinuteNow: Double {
        let complete = minuteCounts.dropLast().suffix(5)
        guard !complete.isEmpty else { return Double(minuteCounts.last ?? 0) }
        return Double(complete.reduce(0, +)) / Double(complete.count)
    }

    /// The usual operations per minute for this hour of the week, nil while unknown.
    public var baselinePerMinute: Double? {
        guard let band = hourlyBand.last ?? nil else { return nil }
        return band.median / 60
    }
}

/// The usual range of an hourly count: the median and the median absolute deviation of the
/// same hour in past weeks (or past days, while there are too few weeks).
public struct BaselineBand: Sendable, Equatable {
    public var median: Double
    public var medianAbsoluteDeviation: Double
    /// The detector's alerting threshold for this hour when the band is the detector's own
    /// (`KV_OperationVolumeAnomaly` fires above it); nil for the dashboard's estimate.
    public var threshold: Double?

    public init(median: Double, medianAbsoluteDeviation: Double, threshold: Double? = nil) {
        self.median = median
        self.medianAbsoluteDeviation = medianAbsoluteDeviation
        self.threshold = threshold
    }

    /// The usual range drawn around the median: ± 3 MAD, at least ± 2 operations so that a
    /// quiet, constant series still shows a visible band.
    public var lower: Double { max(0, median - max(3 * medianAbsoluteDeviation, 2)) }
    public var upper: Double { median + max(3 * medianAbsoluteDeviation, 2) }
    /// Counts above this are marked as anomalous: the detector's threshold when known (it
    /// alerts above it), else the top of the usual range.
    public var alertLevel: Double { threshold ?? upper }
}

/// One operation's share of a vault's traffic.
public struct OperationShare: Sendable, Equatable {
    public var operation: String
    public var count: Int
    /// 0…1 of the vault's operations in the same period.
    public var fraction: Double

    public init(operation: String, count: Int, fraction: Double) {
        self.operation = operation
        self.count = count
        self.fraction = fraction
    }
}
