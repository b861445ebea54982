import Foundation
import Testing
@testable import VaultWatchCore

/// `VaultBaseline.band(for:settings:)` walks back over the window a day at a time stepping the
/// local weekday and the ring's slot (it runs at every hour a vault opens); these check it
/// against the walk as written with `count(at:)` and the calendar, on random rings, clocks
/// (UTC, an inferred offset, zones with daylight saving, one of half an hour), alerted hours,
/// gaps and young vaults.
@Suite("Vault band")
struct VaultBandTests {
    /// The band as the rule is written: each earlier day's same local hour through `count(at:)`.
    static func referenceBand(_ vault: VaultBaseline, for hour: Int32, settings: BehaviourSettings) -> VolumeBand? {
        let clock = vault.clock
        let local = clock.localHour(hour)
        let weekend = HourCalendar.isWeekend(hour: local)
        var samples: [Double] = []
        var sameWeekday = 0
        var days: Int32 = 1
        while days < Int32(settings.windowDays) {
            let earlierLocal = local - 24 * days
            let earlier = clock.utcHour(ofLocal: earlierLocal)
            if earlier < vault.firstSeen.hourNumber || earlier <= vault.lastHourWritten - Int32(vault.hourly.count) { break }
            days += 1
            guard let value = earlier <= vault.lastHourWritten ? vault.count(at: earlier) : 0 else { continue }
            if HourCalendar.isWeekend(hour: earlierLocal) == weekend { samples.append(Double(value)) }
            if (days - 1) % 7 == 0 { sameWeekday = max(sameWeekday, value) }
        }
        guard samples.count >= 2 else { return nil }
        let volume = settings.operationVolume
        return VolumeBand.make(
            samples: &samples, madMultiplier: volume.madMultiplier, minimumMargin: Double(volume.minimumMargin),
            relativeMargin: volume.relativeMargin, floor: sameWeekday, maximum: sameWeekday)
    }

    static let clocks: [LocalClock] = [
        .utc, LocalClock(source: .inferred(hours: -7)), LocalClock(source: .inferred(hours: 10)),
        LocalClock(source: .configured(TimeZone(identifier: "America/New_York")!)),
        LocalClock(source: .configured(TimeZone(identifier: "Europe/Paris")!)),
        LocalClock(source: .configured(TimeZone(identifier: "Australia/Lord_Howe")!)),
    ]

    @Test("the band of 6,000 random vaults (rings of 2 to 30 days, six clocks, alerted hours, gaps) is the walk's as written")
    func matchesTheWalk() {
        var random = SeededRandom(seed: 11)
        // 2026-03-01T00:00Z: the window crosses March's daylight-saving changes in both hemispheres.
        let base = Int32(20_513 * 24)
        for round in 0..<6_000 {
            var settings = BehaviourSettings()
            settings.windowDays = [2, 3, 7, 14, 30][round % 5]
            let ringHours = settings.windowDays * 24
            let firstSeenHour = base + Int32(random.below(24 * 40))
            var vault = VaultBaseline(
                vault: .none, firstSeen: EventTime(ticks: Int64(firstSeenHour) * EventTime.ticksPerHour + 17), ringHours: ringHours)
            vault.clock = Self.clocks[round % Self.clocks.count]
            // Quiet, busy, and some hours that alerted.
            let range = [3, 40, 5_000][random.below(3)]
            for slot in vault.hourly.indices {
                vault.hourly[slot] = random.below(13) == 0 ? VaultBaseline.alertedHour : UInt32(random.below(range))
            }
            vault.lastHourWritten = firstSeenHour - 1 + Int32(random.below(24 * 45))
            let hour = vault.lastHourWritten + 1 - Int32(random.below(3)) + (random.below(4) == 0 ? Int32(random.below(60)) : 0)
            let band = vault.band(for: hour, settings: settings)
            let expected = Self.referenceBand(vault, for: hour, settings: settings)
            #expect(band == expected, "round \(round): \(vault.clock.label), window \(settings.windowDays), hour \(hour)")
        }
    }
}
