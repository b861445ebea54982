import Testing
@testable import VaultWatchCore

/// What the baselines learn, and what they must not (issue 8, "logic gaps"): only successful
/// calls teach, a call without an object id still teaches its application, and what raised an
/// alert is never learned, so the same attack later alerts again.
@Suite("What the baselines learn")
struct LearningGapTests {
    let fixture = BehaviourFixture()
    static let tool = "eeeeeeee-0000-4000-8000-00000000e001"

    @Test("a refused probe teaches nothing: the application and range then granted still alert")
    func refusedCallsTeachNothing() async {
        var events = fixture.history(days: 10)
        // alice, with a tool never used on the vault, from a network nobody used: refused twice, then granted.
        for minute in [0, 5] {
            events.append(fixture.userCall(
                at: BehaviourFixture.time(day: 10, hour: 10, minute: minute), appID: Self.tool, ip: "203.0.113.50", status: 403))
        }
        events.append(fixture.userCall(at: BehaviourFixture.time(day: 10, hour: 10, minute: 30), appID: Self.tool, ip: "203.0.113.50"))
        let kinds = Set(BehaviourFixture.kinds(await fixture.run(events)))
        #expect(kinds.contains(.appAnomaly))
        #expect(kinds.contains(.unusualAccessSuspiciousIP))
        // Near miss: the same application and network, used successfully every day of the history, are known.
        var known = fixture.history(days: 10)
        for day in 0..<10 {
            known.append(fixture.userCall(at: BehaviourFixture.time(day: day, hour: 11), appID: Self.tool, ip: "203.0.113.50"))
        }
        known.sort { $0.time < $1.time }
        known.append(fixture.userCall(at: BehaviourFixture.time(day: 10, hour: 10, minute: 30), appID: Self.tool, ip: "203.0.113.50"))
        let quiet = Set(BehaviourFixture.kinds(await fixture.run(known)))
        #expect(!quiet.contains(.appAnomaly) && !quiet.contains(.unusualAccessSuspiciousIP))
    }

    /// A call by an application whose record names no object id (no principal).
    func applicationOnly(at time: EventTime, appID: String = BehaviourFixture.serviceApp) -> AuditEvent {
        fixture.base.event(at: time, vault: BehaviourFixture.vault, principalID: nil, upn: nil, appID: appID, callerIP: "20.50.1.9")
    }

    @Test("a successful call without an object id teaches its application; a new one still alerts")
    func applicationWithoutObjectID() async {
        var events = fixture.history(days: 10)
        let other = "abababab-0000-4000-8000-00000000ab01"
        for day in 0..<10 { events.append(applicationOnly(at: BehaviourFixture.time(day: day, hour: 6), appID: other)) }
        events.sort { $0.time < $1.time }
        events.append(applicationOnly(at: BehaviourFixture.time(day: 10, hour: 6, minute: 30), appID: other))
        #expect(await !fixture.run(events).contains { $0.kind == .appAnomaly })
        let fresh = fixture.history(days: 10) + [applicationOnly(at: BehaviourFixture.time(day: 10, hour: 6), appID: Self.tool)]
        #expect(await fixture.run(fresh).filter { $0.kind == .appAnomaly }.count == 1)
        let learning = fixture.history(days: 3) + [applicationOnly(at: BehaviourFixture.time(day: 3, hour: 6), appID: Self.tool)]
        #expect(await !fixture.run(learning).contains { $0.kind == .appAnomaly })
    }

    @Test("the same volume spike two weeks later alerts again: the alerting hour was not learned")
    func repeatedSpikeAlertsAgain() async {
        var events = fixture.history(days: 26) + fixture.burst(at: BehaviourFixture.time(day: 10, hour: 16), count: 900) + fixture.burst(at: BehaviourFixture.time(day: 24, hour: 16), count: 900)
        events.sort { $0.time < $1.time }
        let volume = await fixture.run(events).filter { $0.kind == .operationVolumeAnomaly }
        #expect(volume.count == 2, "\(volume.map(\.firstSeen))")
    }

    @Test("the same list-then-dump two weeks later alerts again: the alerting sequence was not learned")
    func repeatedDumpAlertsAgain() async {
        var events = fixture.history(days: 26) + fixture.listThenRead(at: BehaviourFixture.time(day: 10, hour: 13, minute: 15), reads: 24) + fixture.listThenRead(at: BehaviourFixture.time(day: 24, hour: 13, minute: 15), reads: 24)
        events.sort { $0.time < $1.time }
        #expect(await fixture.run(events).filter { $0.kind == .listGetAnomaly }.count == 2)
    }

    @Test("the same access change then read two weeks later alerts again")
    func repeatedChangeReadAlertsAgain() async {
        var events = fixture.history(days: 26)
        for day in [10, 24] {
            let start = BehaviourFixture.time(day: day, hour: 12, minute: 30)
            events.append(fixture.accessChange(at: start))
            events.append(fixture.userCall(at: start + .minutes(6)))
        }
        events.sort { $0.time < $1.time }
        #expect(await fixture.run(events).filter { $0.kind == .putGetAnomaly }.count == 2)
    }

    @Test("a spree over nine vaults two days later alerts again: the spree did not raise the usual")
    func repeatedSpreeAlertsAgain() async {
        var events = fixture.history(days: 13) + fixture.spree(vaults: 9, at: BehaviourFixture.time(day: 9, hour: 17)) + fixture.spree(vaults: 9, at: BehaviourFixture.time(day: 11, hour: 17))
        events.sort { $0.time < $1.time }
        #expect(await fixture.run(events).filter { $0.kind == .accountVolumeAnomaly }.count == 2)
    }
}
