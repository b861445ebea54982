import Foundation
import Testing
@testable import VaultWatchCore

/// The habits of real tenants are learned, not alerted on (issue 8, DESIGN §4), and each habit
/// keeps its attack: every test has the habit (quiet), the attack it could hide (fires) and,
/// where it matters, the learning period.
@Suite("Habits of real tenants")
struct HabitTests {
    let fixture = BehaviourFixture()
    static let deployer = "dededede-0000-4000-8000-00000000de01"
    static let deployApp = "dededede-0000-4000-8000-0000000da001"
    static let renewer = "cececece-0000-4000-8000-00000000ce01"
    static let bob = "b0b0b0b0-0000-4000-8000-00000000b0b1"

    /// Every replica of a service that loads its configuration lists the vault and reads its 35 secrets.
    func deploy(at start: EventTime, replicas: Int = 3, vault: String = BehaviourFixture.vault) -> [AuditEvent] {
        var events: [AuditEvent] = []
        for replica in 0..<replicas {
            let at = start + .seconds(Int64(replica * 20))
            events.append(fixture.serviceCall(at: at, vault: vault, operation: "SecretList", principalID: Self.deployer, appID: Self.deployApp, ip: "20.60.3.\(10 + replica)"))
            for secret in 0..<35 {
                events.append(fixture.serviceCall(
                    at: at + .seconds(Int64(1 + secret)), vault: vault, principalID: Self.deployer, appID: Self.deployApp,
                    ip: "20.60.3.\(10 + replica)", secret: "config-\(secret)"))
            }
        }
        return events
    }

    /// One to three deploys every working day at any hour, and a node-pool restart most nights.
    func deployHabit(days: Int) -> [AuditEvent] {
        var events: [AuditEvent] = []
        for day in 0..<days {
            var random = SeededRandom(seed: 7, stream: "deploys", day)
            let weekday = (BehaviourFixture.start + .days(Int64(day))).weekday
            if (1...5).contains(weekday) {
                for _ in 0..<random.number(in: 1...3) {
                    events += deploy(at: BehaviourFixture.time(day: day, hour: random.number(in: 7...19), minute: random.below(50)))
                }
            }
            if random.chance(percent: 70) {
                events += deploy(at: BehaviourFixture.time(day: day, hour: random.number(in: 0...4), minute: random.below(50)))
            }
        }
        return events
    }

    @Test("deploys and restarts reading every secret at any hour raise nothing; six deploys in an hour do, naming the usual burst")
    func burstsAtAnyHour() async {
        var quiet = fixture.history(days: 22) + deployHabit(days: 22)
        quiet.sort { $0.time < $1.time }
        let quietAlerts = await fixture.run(quiet)
        #expect(quietAlerts.isEmpty, "\(quietAlerts.map { "\($0.kind) \($0.firstSeen) \($0.reasons.first ?? "")" })")

        var attack = quiet
        for replica in 0..<6 { attack += deploy(at: BehaviourFixture.time(day: 22, hour: 3, minute: replica * 5)) }
        attack += fixture.history(days: 23).filter { $0.time >= BehaviourFixture.time(day: 22, hour: 0) }
        attack.sort { $0.time < $1.time }
        let volume = await fixture.run(attack).filter { $0.kind == .operationVolumeAnomaly }
        #expect(volume.count == 1)
        #expect(volume.first?.principalID == Self.deployer)
        #expect(volume.first?.reasons.first?.contains("its usual burst there is 108 ± 0") == true, "\(volume.first?.reasons ?? [])")
        #expect(volume.first?.reasons.dropFirst().first?.hasPrefix("vault kv-payments usually sees") == true)

        var learning = fixture.history(days: 4) + deployHabit(days: 4)
        for replica in 0..<6 { learning += deploy(at: BehaviourFixture.time(day: 3, hour: 3, minute: replica * 5)) }
        learning.sort { $0.time < $1.time }
        #expect(await !fixture.run(learning).contains { $0.kind == .operationVolumeAnomaly })
    }

    /// The weekly renewal: the renewer reads `reads` secrets on a vault that sees nothing else.
    func renewal(day: Int, hour: Int, reads: Int = 25) -> [AuditEvent] {
        (0..<reads).map {
            fixture.serviceCall(
                at: BehaviourFixture.time(day: day, hour: hour, minute: $0), vault: "kv-certs", principalID: Self.renewer,
                ip: "20.61.1.5", secret: "cert-\($0)")
        }
    }

    @Test("a sparse vault's weekly job at a different hour each week raises nothing; four times the job does")
    func sparseVault() async {
        var events = fixture.history(days: 29)
        for week in 0..<4 { events += renewal(day: week * 7, hour: [3, 11, 17, 8][week]) }
        events.sort { $0.time < $1.time }
        let quiet = await fixture.run(events)
        #expect(quiet.isEmpty, "\(quiet.map { "\($0.kind) \($0.firstSeen) \($0.reasons.first ?? "")" })")

        var attack = events + renewal(day: 23, hour: 14, reads: 59) + renewal(day: 23, hour: 15, reads: 59)
        attack = attack.filter { !($0.vault == fixture.symbols.intern("kv-certs") && $0.time >= BehaviourFixture.time(day: 23, hour: 15)) }
        attack += (0..<100).map {
            fixture.serviceCall(
                at: BehaviourFixture.time(day: 23, hour: 14) + .seconds(Int64($0 * 30)), vault: "kv-certs",
                principalID: Self.renewer, ip: "20.61.1.5", secret: "cert-\($0 % 25)")
        }
        attack.sort { $0.time < $1.time }
        let volume = await fixture.run(attack).filter { $0.kind == .operationVolumeAnomaly }
        #expect(volume.count == 1, "\(volume.map { $0.reasons })")
    }

    /// alice from home: a new address every day, always inside one provider's block.
    @Test("a home address in a new /24 each day inside one /16 (IPv6: /48 inside one /32) is familiar; another provider alerts")
    func dynamicAddresses() async {
        for (home, elsewhere) in [({ (day: Int) in "86.247.\(40 + day).17" }, "5.160.9.9"), ({ (day: Int) in "2a01:e0a:\(100 + day)::5" }, "2001:db8:77::1")] {
            var events = fixture.history(days: 14)
            for day in 0..<14 {
                events.append(fixture.userCall(at: BehaviourFixture.time(day: day, hour: 20), ip: home(day)))
            }
            events.sort { $0.time < $1.time }
            let quiet = await fixture.run(events)
            #expect(!quiet.contains { $0.kind == .unusualAccessSuspiciousIP }, "\(quiet.map { $0.reasons.first ?? "" })")
            let attack = events + [fixture.userCall(at: BehaviourFixture.time(day: 14, hour: 20), ip: elsewhere)]
            #expect(await fixture.run(attack).filter { $0.kind == .unusualAccessSuspiciousIP }.count == 1)
        }
        // A new block alerts on its first range. A second range beside one used on a single day
        // is the line moving (`dynamic_range_days`); beside one used on three days, a static
        // line's neighbour, it alerts too.
        for (firstRangeDays, expected) in [([16], 1), ([14, 15, 16], 2)] {
            var twice = fixture.history(days: 18)
            for day in firstRangeDays { twice.append(fixture.userCall(at: BehaviourFixture.time(day: day, hour: 20), ip: "86.247.1.17")) }
            twice.append(fixture.userCall(at: BehaviourFixture.time(day: 17, hour: 20), ip: "86.247.2.17"))
            twice.sort { $0.time < $1.time }
            let unusual = await fixture.run(twice).filter { $0.kind == .unusualAccessSuspiciousIP }
            #expect(unusual.count == expected, "first range used on days \(firstRangeDays): \(unusual.map(\.firstSeen))")
        }
    }

    /// A pipeline on hosted runners: two runs a day, each from a new address of the cloud's pool
    /// in a block (/16) it never used, across dozens of blocks of one /8.
    static let pipeline = "c1c1c1c1-0000-4000-8000-0000000000c1"
    func hostedRun(day: Int, run: Int) -> [AuditEvent] {
        let index = day * 2 + run
        let start = BehaviourFixture.time(day: day, hour: 6 + run * 8, minute: index % 50)
        return (0..<3).map {
            fixture.serviceCall(
                at: start + .seconds(Int64($0 * 4)), principalID: Self.pipeline, appID: Self.deployApp,
                ip: "52.\(100 + index).\((index * 37) % 250).\(10 + index)", secret: "deploy-key-\($0)")
        }
    }

    @Test("a pipeline on hosted runners, a new block of its cloud's pool at each run, is quiet; another network alerts")
    func hostedRunners() async {
        var events = fixture.history(days: 16)
        for day in 0..<16 { events += hostedRun(day: day, run: 0) + hostedRun(day: day, run: 1) }
        events.sort { $0.time < $1.time }
        let quiet = await fixture.run(events).filter { $0.kind == .unusualAccessSuspiciousIP }
        #expect(quiet.count == 0, "\(quiet.map { "\($0.firstSeen) \($0.reasons.first ?? "")" })")
        // Its stolen secret used from a host elsewhere (another /8) still alerts.
        let stolen = fixture.serviceCall(
            at: BehaviourFixture.time(day: 15, hour: 23), principalID: Self.pipeline, appID: Self.deployApp, ip: "5.160.9.9")
        let attack = await fixture.run((events + [stolen]).sorted { $0.time < $1.time }).filter { $0.kind == .unusualAccessSuspiciousIP }
        #expect(attack.count == 1 && attack.first?.lastSeen == stolen.time, "\(attack.map(\.reasons))")
        // Without `roaming_blocks` each new block alerts, as before.
        var configuration = fixture.configuration()
        configuration.behaviour.unusualIP.roamingBlocks = 0
        let strict = await fixture.run(events, configuration: configuration).filter { $0.kind == .unusualAccessSuspiciousIP }
        #expect(strict.count >= 8, "\(strict.count)")
    }

    @Test("a user who writes secrets elsewhere writing one on a vault they read, where others write, is quiet; the reading service writing alerts")
    func occasionalWriter() async {
        var events = fixture.history(days: 12)
        for day in [2, 6, 9] {
            events.append(fixture.userCall(at: BehaviourFixture.time(day: day, hour: 10), vault: "kv-team", operation: "SecretSet", secret: "team-token"))
        }
        // The vault's own writer: SecretSet is known on it.
        for day in [1, 4, 8] {
            events.append(fixture.serviceCall(at: BehaviourFixture.time(day: day, hour: 3), operation: "SecretSet", principalID: Self.deployer, appID: Self.deployApp))
        }
        let write = fixture.userCall(at: BehaviourFixture.time(day: 10, hour: 11), operation: "SecretSet", secret: "rotated-key")
        let pattern = await fixture.run((events + [write]).sorted { $0.time < $1.time }).filter { $0.kind == .operationPatternAnomaly }
        #expect(pattern.count == 0, "\(pattern.map { $0.reasons.first ?? "" })")
        // The service that only ever reads, here and everywhere, suddenly writing still alerts.
        let serviceWrite = fixture.serviceCall(at: BehaviourFixture.time(day: 10, hour: 12), operation: "SecretSet", secret: "api-key-0")
        let alerted = await fixture.run((events + [write, serviceWrite]).sorted { $0.time < $1.time }).filter { $0.kind == .operationPatternAnomaly }
        #expect(alerted.count == 1 && alerted.first?.principalID == BehaviourFixture.service, "\(alerted.map { $0.reasons.first ?? "" })")
    }

    /// carol, an admin, sets secrets and lists their versions now and then on the vaults she runs.
    static let carol = "ca0ca0ca-0000-4000-8000-0000000ca201"
    func adminCall(at time: EventTime, vault: String, operation: String) -> AuditEvent {
        fixture.userCall(
            at: time, vault: vault, operation: operation, principalID: Self.carol, upn: "carol@contoso.com", ip: "198.51.100.20",
            secret: "rotated-key")
    }

    @Test("an admin's write and version listing, her habit on other vaults, arriving on a vault that never saw them is quiet; a type she uses nowhere, or a service doing hers, alerts")
    func adminHabitArrives() async {
        var events = fixture.history(days: 14)
        for day in [1, 4, 8] {
            events.append(adminCall(at: BehaviourFixture.time(day: day, hour: 16), vault: "kv-ops", operation: "SecretGet"))
            events.append(adminCall(at: BehaviourFixture.time(day: day, hour: 16, minute: 5), vault: "kv-ops", operation: "SecretListVersions"))
            events.append(adminCall(at: BehaviourFixture.time(day: day, hour: 16, minute: 9), vault: "kv-ops", operation: "SecretSet"))
        }
        // Day 11, on the vault where nobody ever wrote or listed versions: her habit arriving.
        let arrival = [
            adminCall(at: BehaviourFixture.time(day: 11, hour: 15), vault: BehaviourFixture.vault, operation: "SecretListVersions"),
            adminCall(at: BehaviourFixture.time(day: 11, hour: 15, minute: 2), vault: BehaviourFixture.vault, operation: "SecretSet"),
        ]
        let quiet = await fixture.run((events + arrival).sorted { $0.time < $1.time }).filter { $0.kind == .operationPatternAnomaly }
        #expect(quiet.isEmpty, "\(quiet.map { $0.reasons.first ?? "" })")
        // The reading service listing versions there (her habit, not its own), and a type she
        // performs nowhere, first used on two vaults in one hour (a spree is not made usual by its
        // own first call), still alert.
        let serviceListing = fixture.serviceCall(at: BehaviourFixture.time(day: 10, hour: 12), operation: "SecretListVersions")
        let spree = [
            adminCall(at: BehaviourFixture.time(day: 12, hour: 16), vault: "kv-ops", operation: "KeyCreate"),
            adminCall(at: BehaviourFixture.time(day: 12, hour: 16, minute: 10), vault: BehaviourFixture.vault, operation: "KeyCreate"),
        ]
        let alerted = await fixture.run((events + arrival + spree + [serviceListing]).sorted { $0.time < $1.time })
            .filter { $0.kind == .operationPatternAnomaly }
        let seen = alerted.map { "\($0.vault ?? "?") \($0.principalID ?? "?")" }.sorted()
        #expect(
            seen == ["kv-ops \(Self.carol)", "kv-payments \(BehaviourFixture.service)", "kv-payments \(Self.carol)"],
            "\(alerted.map { $0.reasons.first ?? "" })")
    }

    /// The backup job backs up three secrets, and a clean-up deletes the temporary secret it made.
    func nightly(day: Int) -> [AuditEvent] {
        let start = BehaviourFixture.time(day: day, hour: 2, minute: day % 7)
        return (0..<3).map { fixture.serviceCall(at: start + .seconds(Int64($0)), operation: "SecretBackup", secret: "api-key-\($0)") }
            + [fixture.serviceCall(at: start + .minutes(5), operation: "SecretSet", secret: "scratch-\(day)"),
               fixture.serviceCall(at: start + .minutes(6), operation: "SecretDelete", secret: "scratch-\(day)")]
    }

    @Test("a nightly backup and clean-up are routine from the fourth night; deleting what it never wrote alerts")
    func routineSensitiveOperations() async {
        var events = fixture.history(days: 12)
        for day in 0..<12 { events += nightly(day: day) }
        events.sort { $0.time < $1.time }
        let sensitive = await fixture.run(events).filter { $0.kind == .sensitiveOperation }
        #expect(!sensitive.isEmpty, "the first nights alert")
        #expect(sensitive.allSatisfy { $0.lastSeen < BehaviourFixture.time(day: 3, hour: 0) }, "\(sensitive.map { "\($0.reasons.first ?? "") \($0.lastSeen)" })")

        let stray = events + [fixture.serviceCall(at: BehaviourFixture.time(day: 11, hour: 14), operation: "SecretDelete", secret: "db-password")]
        let strayAlerts = await fixture.run(stray.sorted { $0.time < $1.time }).filter { $0.kind == .sensitiveOperation }
        #expect(strayAlerts.contains { $0.lastSeen == BehaviourFixture.time(day: 11, hour: 14) })

        var configuration = fixture.configuration()
        configuration.behaviour.sensitiveOperation.routineDays = 0
        let always = await fixture.run(events, configuration: configuration).filter { $0.kind == .sensitiveOperation }
        #expect(always.contains { $0.lastSeen >= BehaviourFixture.time(day: 11, hour: 0) })
    }

    /// An SDK's unauthenticated first request: 401, no identity.
    func challenge(at time: EventTime, vault: String) -> AuditEvent {
        fixture.base.event(
            at: time, vault: vault, operation: "SecretGet", principalID: nil, upn: nil, appID: nil, callerIP: "20.50.1.4",
            httpStatusCode: 401)
    }

    @Test("SDK challenge requests are counted, never a denial, a stranger or a many-vaults refusal")
    func challengeRequests() async {
        var events = fixture.history(days: 10)
        var challenges = 0
        for day in 0..<10 {
            for index in 0..<8 {
                events.append(challenge(at: BehaviourFixture.time(day: day, hour: 10, minute: index), vault: "kv-team-\(index)"))
                challenges += 1
            }
        }
        events.sort { $0.time < $1.time }
        let detector = Detector(symbols: fixture.symbols, configuration: fixture.configuration())
        await detector.process(EventBatch(events: events))
        await detector.finish()
        var alerts: [Alert] = []
        for await alert in detector.alerts { alerts.append(alert) }
        #expect(alerts.isEmpty, "\(alerts.map(\.kind))")
        #expect(await detector.currentCounters.challengeRequests == challenges)

        // Recall: a principal's real refusals on six vaults still raise the many-vaults alert.
        let stranger = "57575757-0000-4000-8000-000000005701"
        let refusals = (0..<6).map {
            fixture.serviceCall(
                at: BehaviourFixture.time(day: 10, hour: 18, minute: $0), vault: "kv-team-\($0)", operation: "SecretList",
                principalID: stranger, status: 403)
        }
        let kinds = BehaviourFixture.kinds(await fixture.run(events + refusals))
        #expect(kinds.contains(.accountVolumeAccessDeniedAnomaly))
    }

    /// Three Sydney engineers read 30–50 times an hour, 09:00–17:00 Sydney time (UTC+10), weekdays.
    func sydneyTeam(days: Int) -> [AuditEvent] {
        var events: [AuditEvent] = []
        for day in 0..<days {
            var random = SeededRandom(seed: 11, stream: "sydney", day)
            // Sydney's day `day` starts at 14:00 UTC the day before.
            let localMidnight = BehaviourFixture.time(day: day, hour: 0) + .hours(-10)
            let weekday = (BehaviourFixture.start + .days(Int64(day))).weekday
            guard (1...5).contains(weekday) else { continue }
            for hour in 9..<17 {
                // Monday mornings are the busiest hour of the week, and busier every week.
                let count = weekday == 1 && hour == 9 ? 60 + day : random.number(in: 30...50)
                for call in 0..<count {
                    events.append(fixture.userCall(
                        at: localMidnight + .hours(Int64(hour)) + .seconds(Int64(call * 3600 / count)), vault: "kv-orders-au",
                        principalID: "5d5d5d5d-0000-4000-8000-00000000000\(call % 3)", upn: "eng\(call % 3)@contoso.com.au",
                        ip: "1.120.8.\(call % 3 + 10)", secret: "orders-\(call % 9)"))
                }
            }
        }
        return events.sorted { $0.time < $1.time }
    }

    @Test("a Sydney team's Monday morning raises nothing, with the zone configured or inferred from its rhythm")
    func localTime() async {
        let events = sydneyTeam(days: 29)
        let inferred = await fixture.run(events)
        #expect(inferred.isEmpty, "\(inferred.map { "\($0.kind) \($0.firstSeen) \($0.reasons.first ?? "")" })")
        var configured = fixture.configuration()
        configured.behaviour.timeZones = TimeZoneSettings(rules: [.init(pattern: "kv-*-au", timeZone: TimeZone(identifier: "Australia/Sydney")!)])
        #expect(await fixture.run(events, configuration: configured).isEmpty)
        // The mechanism: the band of Sydney's Monday 09:00 (Sunday 23:00 UTC) is a weekday band
        // when the clock is read from the rhythm, a half-empty weekend band when judged in UTC.
        var utc = fixture.configuration()
        utc.behaviour.timeZones.infersFromRhythm = false
        func mondayMorningBand(_ configuration: DetectorConfiguration) async -> VolumeBand? {
            let detector = Detector(symbols: fixture.symbols, configuration: configuration)
            await detector.process(EventBatch(events: events))
            await detector.flush()
            return await detector.baselineSummary(vault: "kv-orders-au")?.band(weekday: 0, hour: 23)
        }
        let local = await mondayMorningBand(fixture.configuration())
        let judgedInUTC = await mondayMorningBand(utc)
        #expect((local?.median ?? 0) >= 30, "\(String(describing: local))")
        #expect((judgedInUTC?.median ?? 0) < 30, "\(String(describing: judgedInUTC))")

        // Recall, with the reason in local time: a 400-read hour on a Sydney Tuesday morning.
        var spike = events
        let tuesday = BehaviourFixture.time(day: 29, hour: 0)
        for call in 0..<400 {
            spike.append(fixture.userCall(
                at: tuesday + .seconds(Int64(call * 8)), vault: "kv-orders-au", principalID: "5d5d5d5d-0000-4000-8000-000000000000",
                upn: "eng0@contoso.com.au", ip: "1.120.8.10", secret: "orders-\(call % 9)"))
        }
        spike.sort { $0.time < $1.time }
        let volume = await fixture.run(spike, configuration: configured).filter { $0.kind == .operationVolumeAnomaly }
        #expect(volume.count == 1)
        #expect(volume.first?.reasons.contains { $0.contains("at Tuesday 10:00 Australia/Sydney (weekdays)") } == true, "\(volume.first?.reasons ?? [])")
    }

    @Test("the weekly rhythm of a UTC+10 team is read as UTC+10; a round-the-clock vault stays UTC")
    func inferredOffset() {
        var week = [Double](repeating: 0, count: 168)
        for day in 1...5 {
            for localHour in 9..<17 {
                let utc = ((day * 24 + localHour - 10) + 168) % 168
                week[utc] += 40
            }
        }
        #expect(LocalClock.inferredOffset(fromWeek: week) == 10)
        #expect(LocalClock.inferredOffset(fromWeek: [Double](repeating: 5, count: 168)) == 0)
        #expect(LocalClock.inferredOffset(fromWeek: [Double](repeating: 0, count: 168)) == nil)
    }

    /// bob browses the vault in the portal: the operation types an admin uses every week.
    func browse(at start: EventTime, principal: String = HabitTests.bob, upn: String? = "bob@contoso.com") -> [AuditEvent] {
        let operations = ["VaultGet", "SecretList", "KeyList", "CertificateList"]
            + Array(repeating: "KeyGet", count: 6) + Array(repeating: "CertificateGet", count: 6)
            + Array(repeating: "SecretListVersions", count: 6) + Array(repeating: "CertificatePolicyGet", count: 6)
        return operations.enumerated().map { index, operation in
            fixture.base.event(
                at: start + .seconds(Int64(index * 30)), vault: BehaviourFixture.vault, operation: operation, principalID: principal,
                upn: upn, appID: upn == nil ? BehaviourFixture.serviceApp : BehaviourFixture.portal,
                callerIP: upn == nil ? "20.50.1.4" : "198.51.100.12", objectName: "object-\(index % 8)")
        }
    }

    @Test("an admin browsing the operation types they use every week raises nothing; a service suddenly doing it does")
    func portalBrowsing() async {
        var events = fixture.history(days: 29)
        for week in 0..<4 { events += browse(at: BehaviourFixture.time(day: week * 7, hour: 10)) }
        events.sort { $0.time < $1.time }
        let quiet = await fixture.run(events)
        #expect(quiet.isEmpty, "\(quiet.map { "\($0.kind) \($0.firstSeen) \($0.reasons.first ?? "")" })")
        var attack = events + browse(at: BehaviourFixture.time(day: 23, hour: 15), principal: BehaviourFixture.service, upn: nil)
        attack.sort { $0.time < $1.time }
        let all = await fixture.run(attack)
        let pattern = all.filter { $0.kind == .operationPatternAnomaly }
        #expect(pattern.count == 1, "\(all.map { "\($0.kind) \($0.reasons.first ?? "")" })")
    }
}
