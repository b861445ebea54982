/// A vault's usual operations per hour at one time of day, from the same hour of the days in
/// the window that are of the same kind (weekdays or weekend days).
public struct VolumeBand: Sendable, Hashable {
    public var median: Double
    /// Median absolute deviation around the median.
    public var mad: Double
    /// Days the band was computed from.
    public var samples: Int
    /// The busiest same hour on the same weekday in the window: a weekly job is not a spike.
    public var sameWeekdayMaximum: Int
    /// Counts above this raise `KV_OperationVolumeAnomaly`.
    public var threshold: Int

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
