import Testing
@testable import VaultWatchCore

/// The edges of the rule table (README "Alerts", DESIGN.md §4) that the per-rule suites leave
/// open: the learning period to the minute for every behavioural rule, the rare-operation hour
/// of `KV_OperationPatternAnomaly`, the 60-minute window of `KV_PutGetAnomaly`, the 30-day
/// memory, what is never behaviour (first-party indexers, allow-listed applications,
/// service-generated operations), and the stateless rules, which need no learning.
@Suite("Rule boundaries")
struct RuleBoundaryTests {
    let fixture = BehaviourFixture()
    static let stranger = "cccccccc-0000-4000-8000-000000000003"
    static let cli = "04b07795-8ddb-461a-bbee-02f9e1bf7b46"

    // MARK: The learning period

    /// What each behavioural rule needs to fire at `time` on a vault with the fixture's routine.
    static func probe(_ kind: AlertKind, at time: EventTime, _ fixture: BehaviourFixture) -> [AuditEvent] {
        switch kind {
        case .userAnomaly:
            return [fixture.userCall(at: time, principalID: stranger, upn: "bob@contoso.com")]
        case .appAnomaly:
            return [fixture.serviceCall(at: time, appID: "eeeeeeee-0000-4000-8000-00000000a003")]
        case .userAppAnomaly:
            return [fixture.userCall(at: time, appID: BehaviourFixture.serviceApp)]
        case .userAccessDeniedAnomaly:
            return [fixture.userCall(at: time, principalID: stranger, upn: "bob@contoso.com", status: 403)]
        case .operationPatternAnomaly:
            return [fixture.userCall(at: time, operation: "KeyBackup")]
        case .unusualAccessSuspiciousIP:
            return [fixture.userCall(at: time, ip: "88.27.140.61")]
        case .listGetAnomaly:
            return fixture.listThenRead(at: time, reads: 8)
        case .putGetAnomaly:
            return [fixture.accessChange(at: time, granted: stranger), fixture.serviceCall(at: time + .minutes(4), principalID: stranger, secret: "warehouse-password")]
        case .operationVolumeAnomaly:
            // 900 reads within ten minutes of the probe, then a call two hours later closes the hour.
            return fixture.burst(at: time, count: 900, within: .minutes(10)) + [fixture.serviceCall(at: time + .hours(2))]
        case .accountVolumeAnomaly, .accountVolumeAccessDeniedAnomaly:
            let denied = kind == .accountVolumeAccessDeniedAnomaly
            return fixture.spree(
                vaults: 9, at: time, spacing: .seconds(20), denied: denied, principal: denied ? stranger : BehaviourFixture.service)
        default:
            return []
        }
    }

    static let behaviouralKinds: [AlertKind] = [
        .userAnomaly, .appAnomaly, .userAppAnomaly, .userAccessDeniedAnomaly, .operationPatternAnomaly,
        .unusualAccessSuspiciousIP, .listGetAnomaly, .putGetAnomaly, .operationVolumeAnomaly, .accountVolumeAnomaly,
        .accountVolumeAccessDeniedAnomaly,
    ]

    @Test("each behavioural rule is quiet until the vault has learning_days of history, and fires from then on",
          arguments: behaviouralKinds)
    func armsAtTheEndOfLearning(kind: AlertKind) async {
        // The history starts Monday 00:00: it has seven days at day 7 00:00.
        let history = fixture.history(days: 8)
        func run(at time: EventTime, learningDays: Int = 7) async -> Bool {
            let events = (history.filter { $0.time < time } + Self.probe(kind, at: time, fixture)
                + history.filter { $0.time >= time }).sorted { $0.time < $1.time }
            return await fixture.run(events, configuration: fixture.configuration(learningDays: learningDays)).contains { $0.kind == kind }
        }
        #expect(await !run(at: BehaviourFixture.time(day: 6, hour: 23, minute: 45)), "\(kind) fired while learning")
        #expect(await run(at: BehaviourFixture.time(day: 7, hour: 0, minute: 15)), "\(kind) did not fire after learning")
        // --learning-days / learning_days moves the boundary.
        #expect(await run(at: BehaviourFixture.time(day: 3, hour: 0, minute: 15), learningDays: 3), "\(kind) with learning_days = 3")
        #expect(await !run(at: BehaviourFixture.time(day: 2, hour: 23, minute: 45), learningDays: 3), "\(kind) with learning_days = 3")
    }

    @Test("the stateless rules fire on a vault's first record: they need no learning")
    func statelessRulesNeedNoHistory() async {
        let base = DetectionFixture()
        let detector = base.detector()
        let start = DetectionFixture.start
        await detector.process(EventBatch(events: [
            base.event(at: start, vault: "kv-brand-new", callerIP: DetectionFixture.torAddress),
            base.event(at: start + .seconds(1), vault: "kv-brand-new", callerIP: "203.0.113.9"),
            base.event(at: start + .seconds(2), vault: "kv-brand-new", callerIP: "192.0.2.66", httpStatusCode: 403),
            base.event(at: start + .seconds(3), vault: "kv-brand-new", operation: "SecretPurge"),
            base.event(at: start + .seconds(4), vault: "kv-brand-new", objectName: "vaultwatch-test-alert"),
        ]))
        await detector.finish()
        let kinds = Set(await collect(detector.alerts).map(\.kind))
        #expect(kinds == [.torAccess, .suspiciousIPAccess, .suspiciousIPAccessDenied, .sensitiveOperation, .testAlert])
    }

    // MARK: KV_OperationPatternAnomaly: an hour dominated by rare operations

    /// Ten days of routine in which alice wrote a secret once (SecretSet: known on the vault, but
    /// a sliver of its mix), then, on day `day` from 15:00, `rare` SecretSets by a service
    /// principal new to them (the mix test counts only types new to their caller) and `reads`
    /// reads by alice beside the service's usual five.
    func rareHour(day: Int = 10, rare: Int, reads: Int) -> [AuditEvent] {
        var events = fixture.history(days: day + 1).filter { $0.time < BehaviourFixture.time(day: day, hour: 18) }
        events.append(fixture.userCall(at: BehaviourFixture.time(day: 1, hour: 10), operation: "SecretSet", secret: "rotated"))
        for index in 0..<rare {
            events.append(fixture.serviceCall(
                at: BehaviourFixture.time(day: day, hour: 15, minute: 1 + index % 50), operation: "SecretSet",
                principalID: Self.stranger, secret: "bulk-\(index)"))
        }
        for index in 0..<reads {
            events.append(fixture.userCall(at: BehaviourFixture.time(day: day, hour: 15, minute: 2 + index % 50), secret: "read-\(index % 3)"))
        }
        events.append(fixture.serviceCall(at: BehaviourFixture.time(day: day, hour: 17, minute: 30)))
        return events.sorted { $0.time < $1.time }
    }

    func rareMixAlerts(_ events: [AuditEvent]) async -> [Alert] {
        await fixture.run(events).filter { $0.kind == .operationPatternAnomaly }
    }

    @Test("an hour of 30 operations, most of a type under 1% of the vault's mix, raises a vault-wide KV_OperationPatternAnomaly")
    func rareHourFires() async {
        // 16 SecretSets of 30 operations (53%): the service's 5 reads and 9 of alice's.
        let alerts = await rareMixAlerts(rareHour(rare: 16, reads: 9))
        #expect(alerts.count == 1)
        #expect(alerts.first?.principalID == nil)
        #expect(alerts.first?.reasons.first?.hasPrefix("16 of the 30 operations on vault kv-payments") == true, "\(alerts.first?.reasons ?? [])")
        #expect(alerts.first?.reasons.first?.contains("were of types that make up under 1% of its usual mix: SecretSet ×16") == true)
    }

    @Test("near misses: rare types under half of the hour, or an hour under 30 operations")
    func rareHourNearMisses() async {
        // 14 of 30 (47%).
        #expect(await rareMixAlerts(rareHour(rare: 14, reads: 11)).isEmpty)
        // 24 of 29: a clear majority, but too few operations to judge a mix.
        #expect(await rareMixAlerts(rareHour(rare: 24, reads: 0)).isEmpty)
        #expect(await rareMixAlerts(rareHour(rare: 25, reads: 0)).count == 1)
    }

    @Test("a rare-dominated hour while the vault is learning raises nothing")
    func rareHourWhileLearning() async {
        #expect(await rareMixAlerts(rareHour(day: 5, rare: 25, reads: 0)).isEmpty)
    }

    // MARK: KV_OperationVolumeAnomaly: the band to the operation

    /// Day 10's 16:00 hour with `extra` calls by as many service principals new to the vault,
    /// beside the service's usual five (which its own habit explains).
    func crowdedHour(extra: Int) async -> [Alert] {
        var events = fixture.history(days: 11).filter { $0.time < BehaviourFixture.time(day: 10, hour: 18) }
        for index in 0..<extra {
            events.append(fixture.serviceCall(
                at: BehaviourFixture.time(day: 10, hour: 16, minute: 1 + index),
                principalID: String(format: "77777777-0000-4000-8000-%012d", index)))
        }
        events.append(fixture.serviceCall(at: BehaviourFixture.time(day: 10, hour: 17, minute: 30)))
        return await fixture.run(events.sorted { $0.time < $1.time }).filter { $0.kind == .operationVolumeAnomaly }
    }

    @Test("a vault hour one operation above its band, once its callers' habits are taken out, fires; at the band it is quiet")
    func volumeAtTheBand() async {
        // The band: median 5, MAD 0, margin max(5·0, 20, 1·5) = 20: alert above 25 unexplained operations.
        #expect(await crowdedHour(extra: 25).isEmpty)
        let above = await crowdedHour(extra: 26)
        #expect(above.count == 1)
        #expect(above.first?.principalID == nil)
        #expect(above.first?.reasons.first?.hasPrefix("31 operations on vault kv-payments between 16:00 and 17:00 on Thursday 2025-05-15; usual for Thursday 16:00 (weekdays) is 5 ± 0") == true, "\(above.first?.reasons ?? [])")
        #expect(above.first?.reasons.first?.hasSuffix("alert above 25") == true)
    }

    // MARK: KV_AccountVolumeAnomaly above a usual that is not the floor

    /// The service reads its vault and three others every day at 17:00 (a usual maximum of four
    /// vaults in 24 hours); on day 10 it reaches `others` other vaults.
    func wideningSweep(others: Int) async -> [Alert] {
        var events = fixture.history(days: 11).filter { $0.time < BehaviourFixture.time(day: 10, hour: 17) }
        for day in 0..<10 { events += fixture.spree(vaults: 3, at: BehaviourFixture.time(day: day, hour: 17)) }
        events += fixture.spree(vaults: others, at: BehaviourFixture.time(day: 10, hour: 17))
        return await fixture.run(events.sorted { $0.time < $1.time }).filter { $0.kind == .accountVolumeAnomaly }
    }

    @Test("an identity that usually reaches four vaults alerts at seven (usual + 3), not at six")
    func accountVolumeAboveItsUsual() async {
        #expect(await wideningSweep(others: 5).isEmpty)
        let alerts = await wideningSweep(others: 6)
        #expect(alerts.count == 1)
        #expect(alerts.first?.reasons.first?.contains("reached 7 distinct vaults in 24 hours; its usual maximum is 4, alert from 7") == true, "\(alerts.first?.reasons ?? [])")
    }

    // MARK: KV_ListGetAnomaly above a usual that is not the floor

    /// A service that lists the vault every day at 13:15 and reads ten secrets, beside the five
    /// it reads every hour: fifteen distinct secrets within the hour after each list. On day
    /// 12 the history stops at 13:00 and it reads `reads` secrets after its list.
    func restartThenDump(reads: Int) async -> [Alert] {
        var events = fixture.history(days: 13).filter { $0.time < BehaviourFixture.time(day: 12, hour: 13) }
        for day in 0..<12 { events += fixture.listThenRead(at: BehaviourFixture.time(day: day, hour: 13, minute: 15), reads: 10) }
        events += fixture.listThenRead(at: BehaviourFixture.time(day: 12, hour: 13, minute: 15), reads: reads)
        return await fixture.run(events.sorted { $0.time < $1.time }).filter { $0.kind == .listGetAnomaly }
    }

    @Test("a caller that usually reads 15 secrets after a list alerts at 31 (twice its usual, plus one), not at 30")
    func listGetAboveItsUsual() async {
        #expect(await restartThenDump(reads: 30).isEmpty)
        let alerts = await restartThenDump(reads: 31)
        #expect(alerts.count == 1)
        #expect(alerts.first?.reasons.first?.contains("then read 31 distinct secrets within 60 minutes; the most it read after a list in the window is 15, alert from 31") == true, "\(alerts.first?.reasons ?? [])")
    }

    // MARK: KV_PutGetAnomaly: the changer, the granted principal, the 60 minutes

    func change(at time: EventTime, reader: String, after delay: EventTime.Duration) -> [AuditEvent] {
        let put = fixture.accessChange(at: time, operation: "VaultAccessPolicyChanged", granted: Self.stranger)
        let read = reader == BehaviourFixture.alice
            ? fixture.userCall(at: time + delay, secret: "warehouse-password")
            : fixture.serviceCall(at: time + delay, principalID: reader, secret: "warehouse-password")
        return [put, read]
    }

    @Test("a read 59 minutes after the change completes the sequence; 61 minutes after, it does not")
    func putGetWindow() async {
        let time = BehaviourFixture.time(day: 10, hour: 12, minute: 30)
        func putGet(after minutes: Int64) async -> [Alert] {
            let events = (fixture.history(days: 11) + change(at: time, reader: Self.stranger, after: .minutes(minutes))).sorted { $0.time < $1.time }
            return await fixture.run(events).filter { $0.kind == .putGetAnomaly }
        }
        #expect(await putGet(after: 59).count == 1)
        #expect(await putGet(after: 61).isEmpty)
    }

    @Test("the changer reading the secrets itself completes the sequence too")
    func putGetByTheChanger() async {
        let time = BehaviourFixture.time(day: 10, hour: 12, minute: 30)
        let events = (fixture.history(days: 11) + change(at: time, reader: BehaviourFixture.alice, after: .minutes(10))).sorted { $0.time < $1.time }
        let alerts = await fixture.run(events).filter { $0.kind == .putGetAnomaly }
        #expect(alerts.count == 1)
        #expect(alerts.first?.principalID == BehaviourFixture.alice)
    }

    @Test("a read may be a listing: a change then SecretList by the granted principal completes the sequence")
    func putGetByAListing() async {
        let time = BehaviourFixture.time(day: 10, hour: 12, minute: 30)
        var events = fixture.history(days: 11)
        events.append(fixture.accessChange(at: time, granted: Self.stranger))
        events.append(fixture.serviceCall(at: time + .minutes(3), operation: "SecretList", principalID: Self.stranger))
        let alerts = await fixture.run(events.sorted { $0.time < $1.time }).filter { $0.kind == .putGetAnomaly }
        #expect(alerts.count == 1)
    }

    // MARK: Newcomers who are not people, addresses that are IPv6

    @Test("a service principal new to the vault and refused raises KV_UserAccessDeniedAnomaly too; a known one refused does not")
    func refusedNewServicePrincipal() async {
        let probe = BehaviourFixture.time(day: 10, hour: 11)
        let stranger = await fixture.run(fixture.history(days: 10) + [fixture.serviceCall(at: probe, principalID: Self.stranger, status: 403)])
        #expect(BehaviourFixture.kinds(stranger) == [.userAccessDeniedAnomaly])
        let known = await fixture.run(fixture.history(days: 10) + [fixture.serviceCall(at: probe, status: 403)])
        #expect(known.isEmpty)
    }

    @Test("IPv6: a new /48 for the caller raises KV_UnusualAccessSuspiciousIP; another address in a /48 it used does not")
    func unusualIPv6Range() async throws {
        // alice works from one IPv6 /48 throughout the history: fifteen days, past her first two
        // learning periods, within which one range would make its whole provider block (the /32)
        // familiar (a home line used one day a week moves only once in two weeks).
        let office = try #require(IPAddress("2001:db8:aaaa:1::10"))
        let history = fixture.history(days: 15).map { event -> AuditEvent in
            var event = event
            if event.principalID == fixture.symbols.intern(BehaviourFixture.alice) { event.callerIP = office }
            return event
        }
        let probe = BehaviourFixture.time(day: 15, hour: 9, minute: 5)
        let elsewhere = await fixture.run(history + [fixture.userCall(at: probe, ip: "2001:db8:bbbb:7::5")])
        #expect(BehaviourFixture.kinds(elsewhere) == [.unusualAccessSuspiciousIP])
        #expect(elsewhere.first?.reasons.first?.contains("(range 2001:db8:bbbb::/48)") == true, "\(elsewhere.first?.reasons ?? [])")
        let sameRange = await fixture.run(history + [fixture.userCall(at: probe, ip: "2001:db8:aaaa:ffff::99")])
        #expect(sameRange.isEmpty)
    }

    // MARK: The memory (memory_days, longer than the 30-day window)

    @Test("a user unseen for more than the memory is new again; within it, still known")
    func baselinesForgetAfterTheMemory() async {
        let memory = fixture.configuration().behaviour.rememberedDays
        func returns(onDay day: Int) async -> [AlertKind] {
            var events = fixture.history(days: day + 1)
            events.append(fixture.userCall(at: BehaviourFixture.time(day: 0, hour: 10), principalID: Self.stranger, upn: "carol@contoso.com"))
            events.append(fixture.userCall(at: BehaviourFixture.time(day: day, hour: 10, minute: 30), principalID: Self.stranger, upn: "carol@contoso.com"))
            return BehaviourFixture.kinds(await fixture.run(events.sorted { $0.time < $1.time }))
        }
        #expect(await returns(onDay: memory - 1) == [])
        #expect(await returns(onDay: memory + 2) == [.userAnomaly])
    }

    // MARK: What is never behaviour

    @Test("first-party indexers and allow-listed applications are not behaviour; another new application is",
          arguments: [
              ("509e4652-da8d-478d-a730-e9d4a1996ca4", false),  // Azure Resource Graph
              ("8cae6e77-e04e-42ce-b5cb-50d82bce26b1", false),  // Policy Insights
              ("0f1e2d3c-4b5a-4697-8877-665544332211", false),  // allowed in the configuration
              ("eeeeeeee-0000-4000-8000-00000000a003", true),
          ])
    func ignoredApplications(application: String, alerts: Bool) async throws {
        var configuration = fixture.configuration()
        configuration = try ConfigurationFile.parse(
            "[allow]\napplications = [\"0F1E2D3C-4B5A-4697-8877-665544332211\"]\n", file: "vw.toml", over: configuration)
        // A stranger from an unknown network, through the application, doing what nobody did there.
        var events = fixture.history(days: 10)
        for (index, operation) in ["SecretList", "SecretGet", "KeyBackup", "SecretList"].enumerated() {
            events.append(fixture.serviceCall(
                at: BehaviourFixture.time(day: 10, hour: 11, minute: index), operation: operation, principalID: Self.stranger,
                appID: application, ip: "88.27.140.61"))
        }
        let raised = await fixture.run(events, configuration: configuration)
            .filter { $0.kind != .sensitiveOperation }  // a backup is sensitive whoever makes it
        #expect(raised.isEmpty != alerts, "\(BehaviourFixture.kinds(raised))")
    }

    @Test("service-generated operations new to a vault raise nothing")
    func serviceGeneratedOperations() async {
        var events = fixture.history(days: 10)
        for (index, operation) in ["KeyRotateIfDue", "SecretNearExpiryEventGridNotification", "CertificateExpiredEventGridNotification"].enumerated() {
            events.append(fixture.serviceCall(at: BehaviourFixture.time(day: 10, hour: 11, minute: index), operation: operation, principalID: Self.stranger))
        }
        #expect(await fixture.run(events).isEmpty)
    }
}
