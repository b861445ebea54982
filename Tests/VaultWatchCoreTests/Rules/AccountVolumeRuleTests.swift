import Testing
@testable import VaultWatchCore

@Suite("Many-vaults rules")
struct AccountVolumeRuleTests {
    let fixture = BehaviourFixture()

    /// The service touches one vault a day; `vaults` more, a minute apart, from 17:00 on day `day`.
    func spree(vaults: Int, day: Int, denied: Bool = false, principal: String = BehaviourFixture.service) -> [AuditEvent] {
        fixture.spree(vaults: vaults, at: BehaviourFixture.time(day: day, hour: 17), denied: denied, principal: principal)
    }

    @Test("an identity reaching nine vaults in ten minutes raises one KV_AccountVolumeAnomaly")
    func fires() async {
        var events = fixture.history(days: 10)
        events += spree(vaults: 9, day: 10)
        let alerts = await fixture.run(events).filter { $0.kind == .accountVolumeAnomaly }
        #expect(alerts.count == 1)
        #expect(alerts.first?.principalID == BehaviourFixture.service)
        #expect(alerts.first?.reasons.first?.contains("reached 5 distinct vaults in 24 hours; its usual maximum is 1") == true)
    }

    @Test("three more vaults than usual is a near miss")
    func nearMiss() async {
        var events = fixture.history(days: 10)
        events += spree(vaults: 3, day: 10)
        let alerts = await fixture.run(events)
        #expect(!alerts.contains { $0.kind == .accountVolumeAnomaly })
    }

    @Test("nothing while the detector is learning")
    func learning() async {
        var events = fixture.history(days: 3)
        events += spree(vaults: 9, day: 3)
        let alerts = await fixture.run(events)
        #expect(!alerts.contains { $0.kind == .accountVolumeAnomaly })
    }

    @Test("a stranger refused by six vaults raises KV_AccountVolumeAccessDeniedAnomaly; four do not")
    func denied() async {
        var events = fixture.history(days: 10)
        events += spree(vaults: 6, day: 10, denied: true, principal: "eeeeeeee-0000-4000-8000-000000000009")
        let alerts = await fixture.run(events).filter { $0.kind == .accountVolumeAccessDeniedAnomaly }
        #expect(alerts.count == 1)
        #expect(alerts.first?.severity == .low)

        var fewer = fixture.history(days: 10)
        fewer += spree(vaults: 4, day: 10, denied: true, principal: "eeeeeeee-0000-4000-8000-000000000009")
        #expect(await !fixture.run(fewer).contains { $0.kind == .accountVolumeAccessDeniedAnomaly })

        var early = fixture.history(days: 2)
        early += spree(vaults: 6, day: 2, denied: true, principal: "eeeeeeee-0000-4000-8000-000000000009")
        #expect(await !fixture.run(early).contains { $0.kind == .accountVolumeAccessDeniedAnomaly })
    }
}
