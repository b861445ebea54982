import Testing
@testable import VaultWatchCore

/// DESIGN §7's memory budget (≤ 300 MB after 10M events over 100k principals and 1k vaults)
/// holds some 200,000 pairs (`PairBaselines`: room for 200,000 to 300,000 of them): every byte of
/// a pair's stride is a quarter of a megabyte there. The pair keeps its fields in the order that
/// packs them (`PairBaseline`, `BurstHistory`); in topic order it took 120 bytes a slot and the
/// budget run (then a dictionary of 524,288 slots) went over 300 MB. These catch a field added or moved that brings the padding back.
@Suite("Pair baseline layout")
struct PairBaselineLayoutTests {
    @Test("a pair takes 96 bytes a slot, the day band included")
    func pairStride() {
        #expect(MemoryLayout<PairBaseline>.stride <= 96, "PairBaseline: \(MemoryLayout<PairBaseline>.size) bytes, stride \(MemoryLayout<PairBaseline>.stride)")
    }

    @Test("a principal takes 48 bytes a slot")
    func principalStride() {
        #expect(MemoryLayout<PrincipalBaseline>.stride <= 48, "PrincipalBaseline: stride \(MemoryLayout<PrincipalBaseline>.stride)")
    }

    @Test("the bursts end on their two-byte fields, with no padding the pair cannot use")
    func burstsSize() {
        // 8 (the days' pointer) + 16 (the day band) + 2 + 2 + 6 (`PeriodMaximum`).
        #expect(MemoryLayout<BurstHistory>.size == 34, "BurstHistory: \(MemoryLayout<BurstHistory>.size) bytes")
        #expect(MemoryLayout<BurstHistory.DayBand>.size <= 16)
    }
}
