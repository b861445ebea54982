import Testing
@testable import VaultWatchCore

/// KV_UserAnomaly, KV_AppAnomaly, KV_UserAppAnomaly, KV_UserAccessDeniedAnomaly.
@Suite("Newcomer rules")
struct NewcomerRuleTests {
    let fixture = BehaviourFixture()
    static let bob = "cccccccc-0000-4000-8000-000000000003"
    static let cli = "04b07795-8ddb-461a-bbee-02f9e1bf7b46"

    func newcomer(day: Int, principal: String = NewcomerRuleTests.bob, upn: String = "bob@contoso.com", app: String = BehaviourFixture.portal, status: UInt16 = 200) -> AuditEvent {
        fixture.userCall(
            at: BehaviourFixture.time(day: day, hour: 11), principalID: principal, upn: upn, appID: app, status: status)
    }

    @Test("a new user raises KV_UserAnomaly alone, with the numbers, in English and French")
    func userFires() async {
        let events = fixture.history(days: 10) + [newcomer(day: 10, app: Self.cli)]
        let alerts = await fixture.run(events)
        #expect(BehaviourFixture.kinds(alerts) == [.userAnomaly])
        #expect(alerts.first?.reasons.first == "user bob@contoso.com has not accessed vault kv-payments in 10 days of history; kv-payments has 1 known users")
        #expect(alerts.first?.principalID == Self.bob)

        var french = fixture.configuration()
        french.language = .fr
        let other = BehaviourFixture()
        let frenchAlerts = await other.run(
            other.history(days: 10) + [other.userCall(at: BehaviourFixture.time(day: 10, hour: 11), principalID: Self.bob, upn: "bob@contoso.com")],
            configuration: french)
        #expect(frenchAlerts.first?.reasons.first?.hasPrefix("l'utilisateur bob@contoso.com n'a pas accédé au coffre kv-payments en 10 jours") == true)
    }

    @Test("a known user and a refused newcomer's second call are near misses; nothing while learning")
    func userNearMissAndLearning() async {
        let known = fixture.history(days: 10) + [fixture.userCall(at: BehaviourFixture.time(day: 10, hour: 11))]
        #expect(await fixture.run(known).isEmpty)
        let learning = fixture.history(days: 3) + [newcomer(day: 3)]
        #expect(await fixture.run(learning).isEmpty)
    }

    @Test("a new application raises KV_AppAnomaly; a known one does not; nothing while learning")
    func application() async {
        let newApp = fixture.history(days: 10) + [
            fixture.serviceCall(at: BehaviourFixture.time(day: 10, hour: 11), appID: "eeeeeeee-0000-4000-8000-00000000a003")
        ]
        let alerts = await fixture.run(newApp)
        #expect(BehaviourFixture.kinds(alerts) == [.appAnomaly])
        #expect(alerts.first?.reasons.first?.contains("has not accessed vault kv-payments in 10 days of history; kv-payments has 2 known applications") == true)
        // An application's alert names its caller too: the service principal's object id.
        #expect(alerts.first?.principalID == BehaviourFixture.service)
        let knownApp = fixture.history(days: 10) + [
            fixture.serviceCall(at: BehaviourFixture.time(day: 10, hour: 11), principalID: "ffffffff-0000-4000-8000-000000000004")
        ]
        #expect(await fixture.run(knownApp).isEmpty)
        let learning = fixture.history(days: 5) + [
            fixture.serviceCall(at: BehaviourFixture.time(day: 5, hour: 11), appID: "eeeeeeee-0000-4000-8000-00000000a003")
        ]
        #expect(await fixture.run(learning).isEmpty)
    }

    @Test("a known user through a known application never used together raises KV_UserAppAnomaly")
    func userApplication() async {
        // alice uses the portal; the service's application is known on the vault.
        let pair = fixture.history(days: 10) + [
            fixture.userCall(at: BehaviourFixture.time(day: 10, hour: 11), appID: BehaviourFixture.serviceApp)
        ]
        #expect(BehaviourFixture.kinds(await fixture.run(pair)) == [.userAppAnomaly])
        // Near miss: an application nobody used there is the application alert, not the pair's.
        let newApp = fixture.history(days: 10) + [
            fixture.userCall(at: BehaviourFixture.time(day: 10, hour: 11), appID: Self.cli)
        ]
        #expect(BehaviourFixture.kinds(await fixture.run(newApp)) == [.appAnomaly])
        let learning = fixture.history(days: 4) + [
            fixture.userCall(at: BehaviourFixture.time(day: 4, hour: 11), appID: BehaviourFixture.serviceApp)
        ]
        #expect(await fixture.run(learning).isEmpty)
    }

    @Test("a stranger refused raises KV_UserAccessDeniedAnomaly (Low); a known user refused does not")
    func denied() async {
        let stranger = fixture.history(days: 10) + [newcomer(day: 10, status: 403)]
        let alerts = await fixture.run(stranger)
        #expect(BehaviourFixture.kinds(alerts) == [.userAccessDeniedAnomaly])
        #expect(alerts.first?.severity == .low)
        let knownRefused = fixture.history(days: 10) + [fixture.userCall(at: BehaviourFixture.time(day: 10, hour: 11), status: 403)]
        #expect(await fixture.run(knownRefused).isEmpty)
        let learning = fixture.history(days: 2) + [newcomer(day: 2, status: 403)]
        #expect(await fixture.run(learning).isEmpty)
    }
}
