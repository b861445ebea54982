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
        samples.withUnsafeMutableBufferPointer { samples in
            make(
                samples: samples, madMultiplier: madMultiplier, minimumMargin: minimumMargin, relativeMargin: relativeMargin,
                floor: floor, maximum: maximum)
        }
    }

    /// The same on a buffer (a vault's hour keeps its samples on the stack: `VaultBaseline.band`).
    static func make(
        samples: UnsafeMutableBufferPointer<Double>, madMultiplier: Double, minimumMargin: Double, relativeMargin: Double,
        floor: Int, maximum: Int
    ) -> VolumeBand {
        let (median, mad) = medianAndMAD(sorting: samples)
        return make(
            median: median, mad: mad, samples: samples.count, madMultiplier: madMultiplier, minimumMargin: minimumMargin,
            relativeMargin: relativeMargin, floor: floor, maximum: maximum)
    }

    /// The band of `samples` samples whose median and MAD are known: the threshold as `make`
    /// above computes it (a band kept without its threshold, `BurstHistory`'s day band, is made
    /// again with it).
    static func make(
        median: Double, mad: Double, samples: Int, madMultiplier: Double, minimumMargin: Double, relativeMargin: Double,
        floor: Int, maximum: Int
    ) -> VolumeBand {
        let margin = max(madMultiplier * mad, minimumMargin, relativeMargin * median)
        let threshold = max(Int((median + margin).rounded(.up)), floor)
        return VolumeBand(median: median, mad: mad, samples: samples, sameWeekdayMaximum: maximum, threshold: threshold)
    }

    /// Median and MAD of `values` (sorted in place).
    ///
    /// The deviations are not sorted again: in the sorted values, those below the median
    /// deviate more the further left they are and those above it the further right, so the
    /// deviations are two ascending runs from the median outwards, and merging them up to the
    /// middle rank finds the median deviation in one pass, without the array of deviations.
    /// The same deviations (`abs(value - median)`, rounding is monotonic) in the same order as
    /// sorting them: the same MAD to the bit (`VolumeBandTests`).
    /// - Complexity: the sort, then O(n) with no allocation. Every band's hour opening
    ///   (a vault's hour, a principal's hour on a vault) runs it.
    static func medianAndMAD(_ values: inout [Double]) -> (Double, Double) {
        values.withUnsafeMutableBufferPointer { medianAndMAD(sorting: $0) }
    }

    /// The same on a buffer (sorted in place).
    static func medianAndMAD(sorting values: UnsafeMutableBufferPointer<Double>) -> (Double, Double) {
        guard !values.isEmpty else { return (0, 0) }
        sortSamples(values)
        let sorted = UnsafeBufferPointer(values)
        let median = Self.median(sorted: sorted)
        return (median, Self.medianDeviation(sorted: sorted, from: median))
    }

    /// The most samples sorted by insertion: a band's samples are days of a window (30 by
    /// default), where the standard sort cost more than the rest of the band.
    static let insertionSortLimit = 40

    /// Sorts ascending. Which sort does it does not change the result: samples are counts,
    /// with no NaN and no negative zero, so values that compare equal are the same bits.
    private static func sortSamples(_ values: UnsafeMutableBufferPointer<Double>) {
        guard values.count <= insertionSortLimit else {
            var values = values
            values.sort()
            return
        }
        var next = 1
        while next < values.count {
            let value = values[next]
            var position = next
            while position > 0, values[position - 1] > value {
                values[position] = values[position - 1]
                position -= 1
            }
            values[position] = value
            next += 1
        }
    }

    private static func median(sorted values: UnsafeBufferPointer<Double>) -> Double {
        let middle = values.count / 2
        return values.count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2
    }

    /// The median of `abs(value - median)` over `sorted`, by merging the run left of the middle
    /// (walked leftwards) with the run from it (walked rightwards) up to the middle rank.
    private static func medianDeviation(sorted values: UnsafeBufferPointer<Double>, from median: Double) -> Double {
        let count = values.count
        // Everything left of the middle index is at most the median, everything from it at least.
        var left = count / 2 - 1
        var right = count / 2
        // Take deviations in ascending order up to rank count / 2, keeping the one before it.
        var previous = 0.0
        var current = 0.0
        for _ in 0...(count / 2) {
            previous = current
            let fromLeft = left >= 0 ? abs(values[left] - median) : Double.infinity
            let fromRight = right < count ? abs(values[right] - median) : Double.infinity
            if fromLeft <= fromRight {
                current = fromLeft
                left -= 1
            } else {
                current = fromRight
                right += 1
            }
        }
        return count % 2 == 1 ? current : (previous + current) / 2
    }
}
