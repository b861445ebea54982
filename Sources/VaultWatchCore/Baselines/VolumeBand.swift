/// The usual size of an hourly count and the count above which it is anomalous:
/// median + max(k·MAD, margin, relative·median) of a set of samples (DESIGN.md §4), at least a
/// floor. One implementation for every volume the detector judges: a vault's hour (samples:
/// the same local hour on the window's days of the same kind) and a principal's busiest hour
/// on a vault (samples: its busiest hour on each day it was active), and the dashboard shows
/// the same bands (`VaultBaselineSummary`).
public struct VolumeBand: Sendable, Hashable {
    public var median: Double
    /// Median absolute deviation around the median.
    public var mad: Double
    /// Samples the band was computed from (days).
    public var samples: Int
    /// The busiest same hour on the same weekday in the window: a weekly job is not a spike.
    /// (For a principal's band: its largest burst in the window.)
    public var sameWeekdayMaximum: Int
    /// Counts above this are anomalous.
    public var threshold: Int

    public init(median: Double, mad: Double, samples: Int, sameWeekdayMaximum: Int, threshold: Int) {
        self.median = median
        self.mad = mad
        self.samples = samples
        self.sameWeekdayMaximum = sameWeekdayMaximum
        self.threshold = threshold
    }

    /// The band of `samples` (reordered in place): threshold = max(median + max(`madMultiplier`·MAD,
    /// `minimumMargin`, `relativeMargin`·median), `floor`). The margin keeps near-constant
    /// series (MAD 0) quiet; `floor` is the largest value that must never alert (the busiest
    /// same weekday hour of a vault, a fixed minimum for a principal).
    static func make(
        samples: inout [Double], madMultiplier: Double, minimumMargin: Double, relativeMargin: Double, floor: Int,
        maximum: Int
    ) -> VolumeBand {
        let (median, mad) = medianAndMAD(&samples)
        let margin = max(madMultiplier * mad, minimumMargin, relativeMargin * median)
        let threshold = max(Int((median + margin).rounded(.up)), floor)
        return VolumeBand(median: median, mad: mad, samples: samples.count, sameWeekdayMaximum: maximum, threshold: threshold)
    }

    /// Median and MAD of `values` (sorted in place).
    static func medianAndMAD(_ values: inout [Double]) -> (Double, Double) {
        guard !values.isEmpty else { return (0, 0) }
        values.sort()
        let median = Self.median(sorted: values)
        var deviations = values.map { abs($0 - median) }
        deviations.sort()
        return (median, Self.median(sorted: deviations))
    }

    private static func median(sorted values: [Double]) -> Double {
        let middle = values.count / 2
        return values.count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2
    }
}
