import Testing
@testable import VaultWatchCore

/// `BurstHistory.dayBand` keeps a principal's band for the day instead of computing it at each
/// hour the principal calls (the baseline opens a pair's hour with it); these check that what it
/// gives is always `band(before:settings:)` computed afresh, through whatever changes the
/// history in between: hours closing in order, the first hour of a new day, late hours of
/// earlier days, quiet spells longer than the window (the remembered runs), and bands asked for
/// a later day than the one being counted.
@Suite("Burst day band")
struct BurstDayBandTests {
    @Test("the day band of 1,500 random histories is the band computed afresh, at every step")
    func matchesTheBandComputedAfresh() {
        var random = SeededRandom(seed: 29)
        var kept = 0
        for round in 0..<1_500 {
            var settings = BehaviourSettings()
            settings.windowDays = [3, 7, 14, 30][round % 4]
            settings.memoryDays = [settings.windowDays, 60, 90][random.below(3)]
            var history = BurstHistory()
            var day = UInt16(200 + random.below(50))
            // Busy and quiet principals; some bursts above the UInt16 peaks clamp.
            let scale = [3, 60, 2_000, 70_000][random.below(4)]
            for _ in 0..<(5 + random.below(120)) {
                // Quiet days between active ones, now and then a spell longer than the window.
                let gap = random.below(10) == 0 ? settings.windowDays + random.below(40) : random.below(3)
                day &+= UInt16(gap)
                let hours = 1 + random.below(6)
                for _ in 0..<hours {
                    // The pair's hour opens with the day band, then closes and is learned.
                    let expected = history.band(before: day, settings: settings)
                    let band = history.dayBand(before: day, settings: settings)
                    #expect(band == expected, "round \(round), day \(day): an hour opening")
                    if random.below(8) == 0 {
                        // A band asked for a later day than the one being counted; then, now and
                        // then, an hour of the day being counted learned (its records came late)
                        // and the later day's band asked again: that hour's peak is one of its samples.
                        let later = day &+ UInt16(1 + random.below(3))
                        #expect(history.dayBand(before: later, settings: settings) == history.band(before: later, settings: settings),
                            "round \(round), day \(later): a later day")
                        if random.below(2) == 0, history.today > 0 {
                            history.observe(count: random.below(scale), objects: nil, day: history.today, settings: settings)
                            #expect(
                                history.dayBand(before: later, settings: settings) == history.band(before: later, settings: settings),
                                "round \(round), day \(later): a later day, after an hour of the day being counted")
                        }
                    }
                    history.observe(count: random.below(scale), objects: random.below(5), day: day, settings: settings)
                    if random.below(12) == 0, day > 40 {
                        // A late hour of an earlier day (a backlog), sometimes older than the window.
                        let earlier = day - UInt16(1 + random.below(min(Int(day) - 1, 2 * settings.windowDays)))
                        history.observe(count: random.below(scale), objects: nil, day: earlier, settings: settings)
                    }
                    let after = history.dayBand(before: day, settings: settings)
                    #expect(after == history.band(before: day, settings: settings), "round \(round), day \(day): after an hour closed")
                    if after != nil { kept += 1 }
                }
            }
        }
        #expect(kept > 30_000, "the histories had bands")
    }

    @Test("the day band kept is not a learned fact: equal histories stay equal whatever was asked of them")
    func keptBandIsNotAFact() {
        let settings = BehaviourSettings()
        var asked = BurstHistory()
        var restored = BurstHistory()
        for day in UInt16(300)..<UInt16(320) {
            asked.observe(count: 10 + Int(day % 7), objects: 3, day: day, settings: settings)
            restored.observe(count: 10 + Int(day % 7), objects: 3, day: day, settings: settings)
        }
        #expect(asked.dayBand(before: 320, settings: settings) != nil)
        #expect(asked == restored)
        #expect(asked.hashValue == restored.hashValue)
        let saved = BurstHistory(days: asked.days, today: asked.today, todayPeak: asked.todayPeak, objectsPerHour: asked.objectsPerHour)
        #expect(saved == asked)
        #expect(saved.band(before: 320, settings: settings) == asked.band(before: 320, settings: settings))
    }
}
