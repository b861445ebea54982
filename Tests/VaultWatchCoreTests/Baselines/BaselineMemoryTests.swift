import Testing
@testable import VaultWatchCore

@Suite("Baseline memory")
struct BaselineMemoryTests {
    @Test("10k principals over 40 days: the baseline holds only what the 30-day window holds")
    func boundedByWindow() async {
        let fixture = DetectionFixture()
        let detector = Detector(symbols: fixture.symbols, configuration: DetectorConfiguration())
        let start = EventTime(year: 2025, month: 1, day: 6)
        var countAtDay: [Int: Int] = [:]
        for day in 0..<40 {
            var events: [AuditEvent] = []
            // 250 principals a day, each seen on one day only: 10,000 over 40 days.
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
        // Without forgetting it would grow for 40 days; with a 30-day window it stops after ~31.
        let final = await detector.baselineEntityCount
        #expect(final <= (countAtDay[31] ?? 0) + perDay)
        #expect(final < (countAtDay[0] ?? 0) + 33 * perDay)
        #expect(final < 40 * perDay * 9 / 10)
    }
}
