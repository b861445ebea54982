import Testing
@testable import VaultWatchCore

/// KV_ListGetAnomaly and KV_PutGetAnomaly.
@Suite("Sequence rules")
struct SequenceRuleTests {
    let fixture = BehaviourFixture()

    /// The service lists the vault at 13:15 on day `day`, then reads `reads` distinct secrets.
    func dump(day: Int, reads: Int) -> [AuditEvent] {
        fixture.listThenRead(at: BehaviourFixture.time(day: day, hour: 13, minute: 15), reads: reads)
    }

    @Test("a list then reads of 24 secrets by a principal that never lists raises one KV_ListGetAnomaly at the fifth read")
    func listGetFires() async {
        let alerts = await fixture.run(fixture.history(days: 10) + dump(day: 10, reads: 24))
        let listGet = alerts.filter { $0.kind == .listGetAnomaly }
        #expect(listGet.count == 1)
        #expect(listGet.first?.firstSeen == BehaviourFixture.time(day: 10, hour: 13, minute: 15) + .seconds(25))
        #expect(listGet.first?.reasons.first?.contains("then read 5 distinct secrets within 60 minutes; the most it read after a list in the window is 0") == true)
    }

    @Test("KV_ListGetAnomaly's evidence is the sequence: the read that fired, then the listing and the reads before it")
    func listGetEvidenceIsTheSequence() async {
        let alerts = await fixture.run(fixture.history(days: 10) + dump(day: 10, reads: 24))
        let evidence = alerts.first { $0.kind == .listGetAnomaly }?.evidence ?? []
        #expect(evidence.map(\.operation) == ["SecretGet", "SecretList", "SecretGet", "SecretGet", "SecretGet", "SecretGet"])
        #expect(evidence.dropFirst().map(\.time) == evidence.dropFirst().map(\.time).sorted(), "the sequence in its order")
        #expect(Set(evidence.filter { $0.operation == "SecretGet" }.compactMap(\.objectName)).count == 5, "five distinct secrets read")
    }

    @Test("a restart between a slow listing's reads keeps the sequence for the alert's evidence")
    func listGetEvidenceSurvivesARestart() async throws {
        // Reads 11 minutes apart: by the third, the listing and two reads have left the reorder
        // buffer, so the open sequence, its events included, is what the saved state must carry.
        let start = BehaviourFixture.time(day: 10, hour: 13, minute: 15)
        let slowDump = [fixture.serviceCall(at: start, operation: "SecretList")]
            + (0..<5).map { fixture.serviceCall(at: start + .minutes(Int64(11 * ($0 + 1))), secret: "build-token-\($0)") }
        let events = fixture.history(days: 10) + slowDump
        let uninterrupted = await fixture.run(events).first { $0.kind == .listGetAnomaly }
        #expect(uninterrupted?.evidence.count == 6)

        let cut = events.count - 2
        let first = Detector(symbols: fixture.symbols, configuration: fixture.configuration())
        await first.process(EventBatch(events: Array(events[..<cut])))
        let state = try await first.exportState()
        let restored = try Detector(symbols: fixture.symbols, configuration: fixture.configuration(), restoring: state)
        await restored.restore(openAlerts: await first.openAlerts, eventClock: await first.eventClock)
        let afterRestart = await finalAlerts(of: Array(events[cut...]), through: restored, batchSize: 500)
        #expect(afterRestart.first { $0.kind == .listGetAnomaly }?.evidence == uninterrupted?.evidence)
    }

    @Test("four reads after a list, or a usual list-then-read routine, are near misses; nothing while learning")
    func listGetNearMiss() async {
        #expect(await !fixture.run(fixture.history(days: 10) + dump(day: 10, reads: 4)).contains { $0.kind == .listGetAnomaly })
        // A web app that lists and reads ten secrets at each restart, every day.
        var routine = fixture.history(days: 12)
        for day in 0..<12 { routine += dump(day: day, reads: 10) }
        routine.sort { $0.time < $1.time }
        #expect(await !fixture.run(routine).contains { $0.kind == .listGetAnomaly })
        #expect(await !fixture.run(fixture.history(days: 3) + dump(day: 3, reads: 24)).contains { $0.kind == .listGetAnomaly })
    }

    /// alice changes the vault's access, granting `granted`; six minutes later `reader` reads.
    func change(day: Int, granted: String, reader: String) -> [AuditEvent] {
        let start = BehaviourFixture.time(day: day, hour: 12, minute: 30)
        return [fixture.accessChange(at: start, granted: granted), fixture.serviceCall(at: start + .minutes(6), principalID: reader, secret: "warehouse-password")]
    }

    @Test("an access change then a read by the granted principal raises KV_PutGetAnomaly about the changer")
    func putGetFires() async {
        let newcomer = "99999999-0000-4000-8000-000000000099"
        let alerts = await fixture.run(fixture.history(days: 10) + change(day: 10, granted: newcomer, reader: newcomer))
        let putGet = alerts.filter { $0.kind == .putGetAnomaly }
        #expect(putGet.count == 1)
        #expect(putGet.first?.principalID == BehaviourFixture.alice)
        #expect(putGet.first?.evidence.count == 2)
        #expect(putGet.first?.reasons.contains("the change granted access to \(newcomer)") == true)
    }

    @Test("a read by someone else, a read after the window, or a learned routine does not; nothing while learning")
    func putGetNearMiss() async {
        let newcomer = "99999999-0000-4000-8000-000000000099"
        let unrelated = await fixture.run(fixture.history(days: 10) + change(day: 10, granted: newcomer, reader: BehaviourFixture.service))
        #expect(!unrelated.contains { $0.kind == .putGetAnomaly })
        var routine = fixture.history(days: 12)
        for day in 0..<12 { routine += change(day: day, granted: newcomer, reader: newcomer) }
        routine.sort { $0.time < $1.time }
        #expect(await !fixture.run(routine).contains { $0.kind == .putGetAnomaly })
        let learning = await fixture.run(fixture.history(days: 3) + change(day: 3, granted: newcomer, reader: newcomer))
        #expect(!learning.contains { $0.kind == .putGetAnomaly })
    }

    @Test("an admin's weekly onboarding, first run after the learning days, alerts its first three weeks, then is routine; another changer still alerts")
    func weeklyOnboarding() async {
        var events = fixture.history(days: 40)
        let weeks = [8, 15, 22, 29, 36]
        for (index, day) in weeks.enumerated() {
            // alice grants a new member each Tuesday, then reads a secret to check within 20 minutes.
            let start = BehaviourFixture.time(day: day, hour: 15, minute: 5)
            events.append(fixture.accessChange(at: start, granted: "99999999-0000-4000-8000-0000000000\(10 + index)"))
            events.append(fixture.userCall(at: start + .minutes(17), secret: "onboarding-check"))
        }
        events.sort { $0.time < $1.time }
        let putGet = await fixture.run(events).filter { $0.kind == .putGetAnomaly }
        #expect(putGet.map { $0.firstSeen.dayNumber - BehaviourFixture.start.dayNumber } == [8, 15, 22], "\(putGet.map(\.firstSeen))")
        // Someone else's grant then read is not alice's routine.
        let intruder = "77777777-0000-4000-8000-000000000077"
        var grant = fixture.userCall(at: BehaviourFixture.time(day: 37, hour: 2), operation: "VaultPut", principalID: intruder, upn: "mallory@contoso.com")
        grant.objectKind = .vault
        let read = fixture.userCall(
            at: BehaviourFixture.time(day: 37, hour: 2, minute: 4), principalID: intruder, upn: "mallory@contoso.com", secret: "db-password")
        let attack = await fixture.run((events + [grant, read]).sorted { $0.time < $1.time }).filter { $0.kind == .putGetAnomaly }
        #expect(attack.count == 4 && attack.last?.principalID == intruder, "\(attack.map { $0.principalID ?? "" })")
        // `routine_days` 0: only sequences that raised nothing are learned, so every week alerts.
        var configuration = fixture.configuration()
        configuration.behaviour.putGet.routineDays = 0
        #expect(await fixture.run(events, configuration: configuration).filter { $0.kind == .putGetAnomaly }.count == weeks.count)
    }

    /// `admin` (a user) changes the vault at `start`, granting `granted`, and reads a secret to check 17 minutes later.
    func onboarding(by admin: String, upn: String, at start: EventTime, granted: String) -> [AuditEvent] {
        var grant = fixture.userCall(at: start, operation: "VaultPut", principalID: admin, upn: upn)
        grant.objectKind = .vault
        grant.grantedPrincipalID = fixture.symbols.intern(granted)
        return [grant, fixture.userCall(at: start + .minutes(17), principalID: admin, upn: upn, secret: "onboarding-check")]
    }

    @Test("a weekly onboarding done in turn by two admins alerts its first three weeks, then is the vault's routine; an admin who never ran it there still alerts")
    func onboardingInTurn() async {
        let dave = "dadadada-0000-4000-8000-0000000000da"
        var events = fixture.history(days: 50)
        let weeks = [8, 15, 22, 29, 36, 43]
        for (index, day) in weeks.enumerated() {
            let (admin, upn) = index % 2 == 0 ? (BehaviourFixture.alice, "alice@contoso.com") : (dave, "dave@contoso.com")
            events += onboarding(
                by: admin, upn: upn, at: BehaviourFixture.time(day: day, hour: 15, minute: 5), granted: "99999999-0000-4000-8000-0000000000\(10 + index)")
        }
        events.sort { $0.time < $1.time }
        let putGet = await fixture.run(events).filter { $0.kind == .putGetAnomaly }
        #expect(putGet.map { $0.firstSeen.dayNumber - BehaviourFixture.start.dayNumber } == [8, 15, 22], "\(putGet.map(\.firstSeen))")
        // erin, an admin who never ran it on this vault, granting then reading: not her routine.
        let erin = "e1e1e1e1-0000-4000-8000-0000000000e1"
        let grant = onboarding(by: erin, upn: "erin@contoso.com", at: BehaviourFixture.time(day: 44, hour: 2), granted: erin)
        let attack = await fixture.run((events + grant).sorted { $0.time < $1.time }).filter { $0.kind == .putGetAnomaly }
        #expect(attack.count == 4 && attack.last?.principalID == erin, "\(attack.map { $0.principalID ?? "" })")
    }
}
