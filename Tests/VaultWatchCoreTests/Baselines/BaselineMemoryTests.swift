import Testing
@testable import VaultWatchCore

@Suite("Baseline memory")
struct BaselineMemoryTests {
    @Test("principals seen once, for a third longer than the memory: the baseline holds only what the memory holds")
    func boundedByMemory() async {
        let fixture = DetectionFixture()
        let configuration = DetectorConfiguration()
        // What is familiar is remembered for `memory_days` (90 by default), longer than the
        // habits' 30-day window: entities seen once are forgotten after the longer of the two.
        let horizon = configuration.behaviour.rememberedDays
        let days = horizon + horizon / 3
        let detector = Detector(symbols: fixture.symbols, configuration: configuration)
        let start = EventTime(year: 2025, month: 1, day: 6)
        var countAtDay: [Int: Int] = [:]
        for day in 0..<days {
            var events: [AuditEvent] = []
            // 250 principals a day, each seen on one day only.
            for index in 0..<250 {
                let principal = day * 250 + index
                for call in 0..<3 {
                    events.append(
                        fixture.event(
                            at: start + .days(Int64(day)) + .minutes(Int64(index * 5 + call)),
                            vault: "kv-\(principal % 50)", principalID: "p-\(principal)", upn: nil,
                            appID: "app-\(principal % 20)", callerIP: "10.\(principal % 200).\(principal / 200 % 250).7"))
                }
            }
            await detector.process(EventBatch(events: events))
            countAtDay[day] = await detector.baselineEntityCount
        }
        let perDay = (countAtDay[1] ?? 0) - (countAtDay[0] ?? 0)
        #expect(perDay > 250)
        // Without forgetting it would grow every day; with the memory it stops after ~horizon + 1.
        let final = await detector.baselineEntityCount
        #expect(final <= (countAtDay[horizon + 1] ?? 0) + perDay)
        #expect(final < (countAtDay[0] ?? 0) + (horizon + 3) * perDay)
        #expect(final < days * perDay * 9 / 10)
    }
}
