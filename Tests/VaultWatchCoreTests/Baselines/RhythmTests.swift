import Testing
@testable import VaultWatchCore

/// Issue 3, point 3: real rhythms are not attacks. Three weeks of them on two vaults raise
/// nothing once learned; the same tenant with one spike does alert.
@Suite("Rhythms")
struct RhythmTests {
    let fixture = BehaviourFixture()
    static let etl = "e7000000-0000-4000-8000-000000000001"
    static let web = "e7000000-0000-4000-8000-000000000002"
    static let ci = "e7000000-0000-4000-8000-000000000003"
    static let emily = "e7000000-0000-4000-8000-000000000004"
    static let resourceGraph = "509e4652-da8d-478d-a730-e9d4a1996ca4"

    func tenant(days: Int) -> [AuditEvent] {
        var events: [AuditEvent] = []
        var random = SeededRandom(seed: 3)
        for day in 0..<days {
            let weekday = (BehaviourFixture.start + .days(Int64(day))).weekday
            let workday = (1...5).contains(weekday)
            for hour in 0..<24 {
                let base = BehaviourFixture.time(day: day, hour: hour)
                // Nightly batch: 5–7 reads an hour, four times more 01:00–03:00.
                let etlReads = (5 + Int(random.next() % 3)) * (hour >= 1 && hour < 3 ? 4 : 1)
                for read in 0..<etlReads {
                    events.append(fixture.serviceCall(at: base + .seconds(Int64(read * 3600 / etlReads)), vault: "kv-data", principalID: Self.etl, appID: "e7a00000-0000-4000-8000-00000000a001", ip: "20.60.1.4", secret: "warehouse-\(read % 4)"))
                }
                // Web app: restarts at 06, 14, 22 list and read ten secrets; 2–3 refreshes otherwise.
                if hour == 6 || hour == 14 || hour == 22 {
                    events.append(fixture.serviceCall(at: base + .minutes(1), vault: "kv-web", operation: "SecretList", principalID: Self.web, appID: "e7a00000-0000-4000-8000-00000000a002", ip: "20.70.1.4"))
                    for secret in 0..<10 {
                        events.append(fixture.serviceCall(at: base + .minutes(1) + .seconds(Int64(secret + 1)), vault: "kv-web", principalID: Self.web, appID: "e7a00000-0000-4000-8000-00000000a002", ip: "20.70.1.4", secret: "web-\(secret)"))
                    }
                } else {
                    for refresh in 0..<(2 + Int(random.next() % 2)) {
                        events.append(fixture.serviceCall(at: base + .minutes(Int64(10 + refresh * 15)), vault: "kv-web", principalID: Self.web, appID: "e7a00000-0000-4000-8000-00000000a002", ip: "20.70.1.4", secret: "web-\(refresh)"))
                    }
                }
                // CI: 2–4 builds an hour 07–19 on weekdays (four secrets each), one at 02:00 every day.
                let builds = workday && hour >= 7 && hour < 19 ? 2 + Int(random.next() % 3) : (hour == 2 ? 1 : 0)
                for build in 0..<builds {
                    for secret in 0..<4 {
                        events.append(fixture.serviceCall(at: base + .minutes(Int64(build * 15)) + .seconds(Int64(secret)), vault: "kv-data", principalID: Self.ci, appID: "e7a00000-0000-4000-8000-00000000a003", ip: "20.80.1.4", secret: "token-\(secret)"))
                    }
                }
                // The indexer reads every vault each hour.
                for vault in ["kv-data", "kv-web"] {
                    var indexer = fixture.serviceCall(at: base + .minutes(50), vault: vault, operation: "VaultGet", principalID: "e7000000-0000-4000-8000-0000000000ff", appID: Self.resourceGraph, ip: "52.1.1.1")
                    indexer.objectKind = .vault
                    events.append(indexer)
                }
                // Business hours: Emily reads the data vault, and is sometimes refused one secret.
                if workday && hour == 9 {
                    events.append(fixture.userCall(at: base + .minutes(5), vault: "kv-data", operation: "SecretList", principalID: Self.emily, upn: "emily@contoso.com"))
                    events.append(fixture.userCall(at: base + .minutes(6), vault: "kv-data", principalID: Self.emily, upn: "emily@contoso.com", secret: "warehouse-0"))
                    if random.next() % 10 < 4 {
                        events.append(fixture.userCall(at: base + .minutes(7), vault: "kv-data", principalID: Self.emily, upn: "emily@contoso.com", status: 403, secret: "pii-export-key"))
                    }
                }
            }
        }
        return events.sorted { $0.time < $1.time }
    }

    @Test("three weeks of business hours, a nightly batch, restarts, CI, an indexer and an engineer sometimes refused raise nothing")
    func rhythmsAreQuiet() async {
        let alerts = await fixture.run(tenant(days: 21))
        #expect(alerts.isEmpty, "unexpected: \(alerts.map { "\($0.kind.rawValue) \($0.firstSeen.iso8601) \($0.reasons.first ?? "")" })")
    }

    @Test("the same tenant with the batch job reading 900 times in an afternoon hour alerts")
    func spikeStillAlerts() async {
        var events = tenant(days: 21)
        for read in 0..<900 {
            events.append(fixture.serviceCall(at: BehaviourFixture.time(day: 20, hour: 16) + .seconds(Int64(read * 3)), vault: "kv-data", principalID: Self.etl, appID: "e7a00000-0000-4000-8000-00000000a001", ip: "20.60.1.4", secret: "warehouse-\(read % 4)"))
        }
        events.sort { $0.time < $1.time }
        let kinds = BehaviourFixture.kinds(await fixture.run(events))
        #expect(kinds == [.operationVolumeAnomaly])
    }
}
