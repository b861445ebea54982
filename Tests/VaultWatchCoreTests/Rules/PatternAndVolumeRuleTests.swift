import Testing
@testable import VaultWatchCore

/// KV_OperationPatternAnomaly, KV_OperationVolumeAnomaly, KV_UnusualAccessSuspiciousIP.
@Suite("Pattern, volume and network rules")
struct PatternAndVolumeRuleTests {
    let fixture = BehaviourFixture()

    @Test("an operation type new to the vault raises KV_OperationPatternAnomaly; a known one does not")
    func newOperation() async {
        let alerts = await fixture.run(
            fixture.history(days: 10) + [fixture.userCall(at: BehaviourFixture.time(day: 10, hour: 9, minute: 30), operation: "SecretBackup")])
        #expect(alerts.filter { $0.kind == .operationPatternAnomaly }.count == 1)
        #expect(alerts.first { $0.kind == .operationPatternAnomaly }?.reasons.first == "operation SecretBackup has not been performed on vault kv-payments in 10 days of history")
        let known = await fixture.run(
            fixture.history(days: 10) + [fixture.userCall(at: BehaviourFixture.time(day: 10, hour: 9, minute: 30), operation: "SecretList")])
        #expect(!known.contains { $0.kind == .operationPatternAnomaly })
        let learning = await fixture.run(
            fixture.history(days: 4) + [fixture.userCall(at: BehaviourFixture.time(day: 4, hour: 9, minute: 30), operation: "SecretBackup")])
        #expect(!learning.contains { $0.kind == .operationPatternAnomaly })
    }

    @Test("a reading service that writes raises KV_OperationPatternAnomaly though the vault knows writes")
    func principalNewOperation() async {
        var events = fixture.history(days: 10)
        events.append(fixture.userCall(at: BehaviourFixture.time(day: 1, hour: 10), operation: "SecretSet"))
        events.sort { $0.time < $1.time }
        events.append(fixture.serviceCall(at: BehaviourFixture.time(day: 10, hour: 20, minute: 15), operation: "SecretSet"))
        let alerts = await fixture.run(events).filter { $0.kind == .operationPatternAnomaly }
        #expect(alerts.count == 1)
        #expect(alerts.first?.principalID == BehaviourFixture.service)
    }

    @Test("900 reads in an hour raise KV_OperationVolumeAnomaly when the hour closes, with the numbers")
    func volumeFires() async {
        var events = fixture.history(days: 10) + fixture.burst(at: BehaviourFixture.time(day: 10, hour: 16), count: 900)
        events.append(fixture.serviceCall(at: BehaviourFixture.time(day: 10, hour: 18)))
        events.sort { $0.time < $1.time }
        let alerts = await fixture.run(events).filter { $0.kind == .operationVolumeAnomaly }
        #expect(alerts.count == 1)
        #expect(alerts.first?.reasons.first?.contains("performed 900 operations on vault kv-payments between 16:00 and 17:00 on Thursday 2025-05-15; its usual burst there is 5 ± 0 (its busiest hour on each of 10 active days, largest 5), alert above 60") == true, "\(alerts.first?.reasons ?? [])")
        #expect(alerts.first?.reasons.dropFirst().first?.hasPrefix("vault kv-payments usually sees 5 ± 0 operations at Thursday 16:00 (weekdays), alert above 25") == true, "\(alerts.first?.reasons ?? [])")
        #expect(alerts.first?.principalID == BehaviourFixture.service)
    }

    @Test("a vault-wide spike from many callers names no principal")
    func vaultWideVolume() async {
        var events = fixture.history(days: 10)
        for caller in 0..<30 {
            events += fixture.burst(at: BehaviourFixture.time(day: 10, hour: 16), count: 20, principal: "77777777-0000-4000-8000-0000000000\(10 + caller)")
        }
        events.sort { $0.time < $1.time }
        let alerts = await fixture.run(events).filter { $0.kind == .operationVolumeAnomaly }
        #expect(alerts.count == 1)
        #expect(alerts.first?.principalID == nil)
        #expect(alerts.first?.reasons.first?.contains("usual for Thursday 16:00 (weekdays) is 5 ± 0 (median ± MAD of") == true)
    }

    @Test("a modest rise, a nightly batch learned as usual, and a spike while learning are near misses")
    func volumeNearMiss() async {
        #expect(await !fixture.run(fixture.history(days: 10) + fixture.burst(at: BehaviourFixture.time(day: 10, hour: 16), count: 15)).contains { $0.kind == .operationVolumeAnomaly })
        var nightly = fixture.history(days: 12)
        for day in 0..<12 { nightly += fixture.burst(at: BehaviourFixture.time(day: day, hour: 1), count: 20) + fixture.burst(at: BehaviourFixture.time(day: day, hour: 2), count: 20) }
        nightly.sort { $0.time < $1.time }
        #expect(await !fixture.run(nightly).contains { $0.kind == .operationVolumeAnomaly })
        #expect(await !fixture.run(fixture.history(days: 3) + fixture.burst(at: BehaviourFixture.time(day: 3, hour: 16), count: 900)).contains { $0.kind == .operationVolumeAnomaly })
    }

    @Test("a known user from a range nobody used raises KV_UnusualAccessSuspiciousIP; trusted or familiar ranges do not")
    func unusualIP() async {
        let hotel = fixture.userCall(at: BehaviourFixture.time(day: 10, hour: 9, minute: 5), ip: "88.27.140.61")
        let alerts = await fixture.run(fixture.history(days: 10) + [hotel])
        #expect(BehaviourFixture.kinds(alerts) == [.unusualAccessSuspiciousIP])
        #expect(alerts.first?.reasons.first?.contains("from 88.27.140.61 (range 88.27.140.0/24), a network range it has not used in 10 days of history") == true)

        var trusted = fixture.configuration()
        trusted.trustedRanges = IPRangeSet([IPNetwork("88.27.0.0/16")].compactMap { $0 })
        #expect(await fixture.run(fixture.history(days: 10) + [hotel], configuration: trusted).isEmpty)
        // The service's range is familiar to the vault (default: unfamiliar to both is required).
        let shared = fixture.userCall(at: BehaviourFixture.time(day: 10, hour: 9, minute: 5), ip: "20.50.1.77")
        #expect(await fixture.run(fixture.history(days: 10) + [shared]).isEmpty)
        #expect(await fixture.run(fixture.history(days: 3) + [fixture.userCall(at: BehaviourFixture.time(day: 3, hour: 9, minute: 5), ip: "88.27.140.61")]).isEmpty)
    }
}
