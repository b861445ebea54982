import Testing
@testable import VaultWatchCore

/// `VolumeBand.medianAndMAD` finds the median deviation by merging the two runs of deviations
/// around the median instead of sorting them (it runs at every hour a vault or a caller opens);
/// these check it against the rule as written: sort, take the middle, sort the deviations, take
/// their middle.
@Suite("Volume band")
struct VolumeBandTests {
    /// The rule as written.
    static func referenceMedianAndMAD(_ values: [Double]) -> (Double, Double) {
        guard !values.isEmpty else { return (0, 0) }
        func median(_ sorted: [Double]) -> Double {
            let middle = sorted.count / 2
            return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
        }
        let sorted = values.sorted()
        let center = median(sorted)
        return (center, median(sorted.map { abs($0 - center) }.sorted()))
    }

    @Test("median and MAD of 20,000 random sample sets (1 to 64 samples, ties, fractions, zeros) are the rule's, to the bit")
    func matchesTheRule() {
        var random = SeededRandom(seed: 7)
        for round in 0..<20_000 {
            let count = 1 + random.below(64)
            // Small ranges give many ties (a quiet vault's hours), wide ones none.
            let range = [2, 5, 40, 1_000, 65_535][round % 5]
            let values = (0..<count).map { _ in
                let whole = Double(random.below(range))
                return round % 7 == 0 ? whole / 3 : whole
            }
            var sorted = values
            let (median, mad) = VolumeBand.medianAndMAD(&sorted)
            let (expectedMedian, expectedMAD) = Self.referenceMedianAndMAD(values)
            #expect(median.bitPattern == expectedMedian.bitPattern, "median of \(values)")
            #expect(mad.bitPattern == expectedMAD.bitPattern, "MAD of \(values)")
            #expect(sorted == values.sorted())
        }
    }

    @Test("the band of a few known sets")
    func knownSets() {
        var empty: [Double] = []
        #expect(VolumeBand.medianAndMAD(&empty) == (0, 0))
        var one: [Double] = [7]
        #expect(VolumeBand.medianAndMAD(&one) == (7, 0))
        // Median 3; deviations 2, 1, 0, 1, 97: sorted 0, 1, 1, 2, 97, median 1.
        var skewed: [Double] = [100, 1, 3, 2, 4]
        #expect(VolumeBand.medianAndMAD(&skewed) == (3, 1))
        // Median (2 + 3) / 2 = 2.5; deviations 1.5, 0.5, 0.5, 1.5: MAD 1.
        var even: [Double] = [4, 1, 3, 2]
        #expect(VolumeBand.medianAndMAD(&even) == (2.5, 1))
        // All below the median but one: deviations 10, 0, 0, 0 → (0 + 0) / 2.
        var lopsided: [Double] = [10, 20, 20, 20]
        #expect(VolumeBand.medianAndMAD(&lopsided) == (20, 0))
    }
}
