import Testing
@testable import VaultWatchCore

/// A service's stolen credential reading as many objects as the service's busiest hour, but
/// other ones, at three to five times its usual burst: above its threshold, within the ceiling
/// of more replicas (`replica_ratio`). Counting objects called that hour more replicas of its
/// usual load and it raised nothing; the objects are now named (`ObjectFingerprint`): more
/// replicas must touch the objects the principal's learned hours touched, a quarter new at most.
@Suite("A stolen service credential reading other objects")
struct StolenServiceCredentialTests {
    /// `TenantHabitTests`' gateway: three replicas a day (108 calls on its 35 secrets) for 29
    /// days: threshold 324, ceiling of more replicas 540, usual objects 35.
    /// The late runs' helpers, on the same symbol table.
    let late = LateReplicaTests()
    var tenant: TenantHabitTests { late.tenant }
    var fixture: BehaviourFixture { tenant.fixture }

    /// 400 reads from 11:00 of day 29 by the gateway's credential, eight seconds apart, of the 35
    /// secrets `name` gives.
    func reads(of name: (Int) -> String) -> [AuditEvent] {
        reads((0..<400).map { name($0 % 35) })
    }

    /// Reads of `secrets` in turn by the gateway's credential from 11:00 of day 29, eight seconds apart.
    func reads(_ secrets: [String]) -> [AuditEvent] {
        let at = BehaviourFixture.time(day: 29, hour: 11)
        return secrets.enumerated().map { index, secret in
            fixture.serviceCall(
                at: at + .seconds(Int64(index * 8)), principalID: TenantHabitTests.gateway, appID: TenantHabitTests.gatewayApp,
                ip: "20.60.4.10", secret: secret)
        }
    }

    /// Whether `reason` says the hour was held to its threshold because about `new` of its 35
    /// objects are not the gateway's: the fingerprint may take one for the gateway's now and
    /// then (a Bloom filter), so "at least" one or two fewer.
    static func otherObjects(_ new: Int) -> (String) -> Bool {
        { reason in
            let prefix = "not more replicas of its usual load: at least "
            let suffix = " of the 35 distinct objects it touched were not among those its hours there touched in the window, where more replicas would bring at most 8 such objects (a quarter of its busiest hours' 35), so the hour is held to its threshold 324, not the replicas' ceiling 540"
            guard reason.hasPrefix(prefix), reason.hasSuffix(suffix), let counted = Int(reason.dropFirst(prefix.count).dropLast(suffix.count)) else { return false }
            return (new - 2...new).contains(counted)
        }
    }

    func volumeAlerts(_ events: [AuditEvent]) async -> [Alert] {
        await fixture.run(late.events(events)).filter { $0.kind == .operationVolumeAnomaly }
    }

    @Test("as many objects as its busiest hour, none of them its own, 400 calls: a volume alert; the same count on its own secrets, or two new ones among them, raises nothing")
    func otherObjectsAlert() async {
        let stolen = await volumeAlerts(reads { "stolen-\($0)" })
        #expect(stolen.map(\.principalID) == [TenantHabitTests.gateway], "\(stolen.map(\.reasons))")
        #expect(stolen.first?.reasons.first?.contains("400 operations") == true, "\(stolen.first?.reasons ?? [])")
        #expect(stolen.first?.reasons.first?.contains("alert above 324") == true, "\(stolen.first?.reasons ?? [])")
        // The reasons say why the hour was held to its threshold, not to the replicas' ceiling.
        #expect(stolen.first?.reasons.contains(where: Self.otherObjects(35)) == true, "\(stolen.first?.reasons ?? [])")

        // Twenty of its own secrets and fifteen others: more than a quarter of its 35 are new.
        let mixed = await volumeAlerts(reads { $0 < 20 ? "config-\($0)" : "stolen-\($0)" })
        #expect(mixed.map(\.principalID) == [TenantHabitTests.gateway], "\(mixed.map(\.reasons))")
        #expect(mixed.first?.reasons.contains(where: Self.otherObjects(15)) == true, "\(mixed.first?.reasons ?? [])")

        // Its own 35 secrets 400 times (more replicas), and a configuration that gained two
        // secrets (33 of its own, 2 new: within a quarter): its habit.
        let own = await volumeAlerts(reads { "config-\($0)" })
        #expect(own.isEmpty, "\(own.map(\.reasons))")
        let gained = await volumeAlerts(reads { $0 < 33 ? "config-\($0)" : "config-new-\($0)" })
        #expect(gained.isEmpty, "\(gained.map(\.reasons))")
    }

    @Test("the stolen credential's hour raises the in-order alert when its records come after the hour closed, all or the second half")
    func otherObjectsLate() async {
        let hour = reads { "stolen-\($0)" }
        let whole = await late.expectSameLate("stolen, whole hour late", hour)
        #expect(whole.contains { $0.contains("400 operations") && $0.contains("alert above 324") && $0.split(separator: " | ").map(String.init).contains(where: Self.otherObjects(35)) }, "\(whole)")
        // Ten of its own secrets in order (100 calls: more replicas so far), then 300 reads of 25
        // others late: 35 objects, as many as its busiest hour, 25 of them new.
        let ownThenStolen = reads((0..<100).map { "config-\($0 % 10)" } + (0..<300).map { "stolen-\($0 % 25)" })
        let second = await late.expectSameLate(
            "own secrets in order, stolen ones late", ownThenStolen,
            lateFrom: BehaviourFixture.time(day: 29, hour: 11, minute: 13) + .seconds(20))
        // The reasons count the whole hour's objects, the late ones after the verdict too.
        #expect(second.contains { $0.contains("400 operations") && $0.contains("alert above 324") && $0.split(separator: " | ").map(String.init).contains(where: Self.otherObjects(25)) }, "\(second)")
        // Its own secrets late are still its habit.
        #expect(await late.expectSameLate("own secrets late", reads { "config-\($0)" }).isEmpty)
    }

    @Test("a restart before the stolen credential's hour keeps the fingerprint of the gateway's objects")
    func restartKeepsTheFingerprint() async throws {
        let events = late.events(reads { "stolen-\($0)" })
        let cut = try #require(events.firstIndex { $0.time >= BehaviourFixture.time(day: 29, hour: 10, minute: 30) })
        let saving = Detector(symbols: fixture.symbols, configuration: fixture.configuration())
        await saving.process(EventBatch(events: Array(events[..<cut])))
        let saved = try await saving.exportState()
        let gatewayPair = try #require(BaselineSnapshot.decode(saved).pairs.first { $0.principal == TenantHabitTests.gateway })
        #expect(gatewayPair.objectFingerprint != nil)

        let restored = try Detector(symbols: fixture.symbols, configuration: fixture.configuration(), restoring: saved)
        let after = await finalAlerts(of: Array(events[cut...]), through: restored, batchSize: 500).filter { $0.kind == .operationVolumeAnomaly }
        let uninterrupted = await fixture.run(events).filter { $0.kind == .operationVolumeAnomaly }
        #expect(after.map(\.principalID) == [TenantHabitTests.gateway], "\(after.map(\.reasons))")
        #expect(after.map(\.reasons) == uninterrupted.map(\.reasons))
    }

    @Test("an object fingerprint knows what it learned within the window and forgets it after, as the usual objects are counted")
    func fingerprintWindow() {
        var fingerprint = ObjectFingerprint()
        let known = ObjectFingerprint.hash(of: "config-1")
        fingerprint.learn([known], at: 10)
        #expect(fingerprint.contains(known, at: 10) && fingerprint.contains(known, at: 11) && fingerprint.contains(known, at: 12))
        #expect(!fingerprint.contains(known, at: 13))
        // Forty other names: a few may share its bits, most do not.
        let others = (0..<40).map { ObjectFingerprint.hash(of: "stolen-\($0)") }
        #expect(others.count { fingerprint.contains($0, at: 10) } <= 2)
        // The same periods as `PeriodMaximum`'s read over the window.
        var maximum = PeriodMaximum()
        maximum.record(1, at: 10)
        for period in UInt16(9)...14 { #expect((maximum.valueOverWindow(at: period) > 0) == fingerprint.contains(known, at: period), "\(period)") }
        #expect(ObjectFingerprint(period: 1, words: [1, 2]) == nil)
    }
}

