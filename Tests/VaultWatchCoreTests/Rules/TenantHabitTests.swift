import Testing
@testable import VaultWatchCore

/// Habits found on tenants the detector was not tuned on (Woodgrove, `demo generate --tenant
/// woodgrove`; the random family, `--tenant random --seed N` swept by scripts/tenant-sweep.sh),
/// each with the attack it resembles: the habit stays quiet, the attack still alerts.
@Suite("Habits of other tenants")
struct TenantHabitTests {
    let fixture = BehaviourFixture()
    static let gateway = "9a7e0000-0000-4000-8000-00000000ga01"
    static let gatewayApp = "9a7e0000-0000-4000-8000-0000000ga0a1"
    static let bob = "b0b0b0b0-0000-4000-8000-00000000b0b1"

    /// Each replica of a configuration provider lists the vault and reads its 35 secrets: 36 calls.
    func deploy(day: Int, hour: Int, minute: Int = 0, replicas: Int) -> [AuditEvent] {
        var events: [AuditEvent] = []
        for replica in 0..<replicas {
            let at = BehaviourFixture.time(day: day, hour: hour, minute: minute) + .seconds(Int64(replica * 20))
            let ip = "20.60.4.\(10 + replica)"
            events.append(fixture.serviceCall(at: at, operation: "SecretList", principalID: Self.gateway, appID: Self.gatewayApp, ip: ip))
            for secret in 0..<35 {
                events.append(fixture.serviceCall(
                    at: at + .seconds(Int64(1 + secret)), principalID: Self.gateway, appID: Self.gatewayApp, ip: ip, secret: "config-\(secret)"))
            }
        }
        return events
    }

    /// Twenty days of one three-replica deploy a day (108 calls), then nine days of six replicas (216).
    func scaledOutHistory() -> [AuditEvent] {
        var events = fixture.history(days: 30)
        for day in 0..<20 { events += deploy(day: day, hour: 10 + day % 5, replicas: 3) }
        for day in 20..<29 { events += deploy(day: day, hour: 10 + day % 5, replicas: 6) }
        return events
    }

    @Test("a service whose replicas double is judged by its new size within a week; ten deploys in an hour still alert")
    func scaledOut() async {
        // Two deploys in one hour after the scale-out: 432 calls, twice the new burst, four times the old.
        var quiet = scaledOutHistory() + deploy(day: 29, hour: 11, replicas: 6) + deploy(day: 29, hour: 11, minute: 30, replicas: 6)
        quiet.sort { $0.time < $1.time }
        let quietAlerts = await fixture.run(quiet)
        #expect(quietAlerts.isEmpty, "\(quietAlerts.map { "\($0.kind) \($0.firstSeen) \($0.reasons.first ?? "")" })")

        var attack = scaledOutHistory()
        for deploy in 0..<10 { attack += self.deploy(day: 29, hour: 11, minute: deploy * 5, replicas: 6) }
        attack.sort { $0.time < $1.time }
        let volume = await fixture.run(attack).filter { $0.kind == .operationVolumeAnomaly }
        #expect(volume.count == 1, "\(volume.map(\.reasons))")
        #expect(volume.first?.principalID == Self.gateway)
        // The reason names the new usual (six replicas), not the old one.
        #expect(volume.first?.reasons.first?.contains("its usual burst there is 216 ± 0") == true, "\(volume.first?.reasons ?? [])")
    }

    /// Bob joins on day 14 (a Monday): the office, whose range the vault knows, on weekdays, his
    /// home line on Thursdays.
    func newEmployee(until lastDay: Int) -> [AuditEvent] {
        var events = fixture.history(days: lastDay + 1)
        for day in 14...lastDay {
            let weekday = (BehaviourFixture.start + .days(Int64(day))).weekday
            guard (1...5).contains(weekday) else { continue }
            events.append(fixture.userCall(
                at: BehaviourFixture.time(day: day, hour: 10), principalID: Self.bob, upn: "bob@contoso.com",
                ip: weekday == 4 ? "71.190.44.12" : "198.51.100.10"))
        }
        return events
    }

    @Test("a new employee's home line on his first home-working day is not a stranger's network; a week on, a new network alerts")
    func newEmployee() async {
        var quiet = newEmployee(until: 24)
        quiet.sort { $0.time < $1.time }
        let quietAlerts = await fixture.run(quiet)
        // His arrival asks its question once (KV_UserAnomaly); his home line does not.
        #expect(BehaviourFixture.kinds(quietAlerts) == [.userAnomaly], "\(quietAlerts.map { "\($0.kind) \($0.reasons.first ?? "")" })")

        var attack = newEmployee(until: 24)
        attack.append(fixture.userCall(
            at: BehaviourFixture.time(day: 23, hour: 15), principalID: Self.bob, upn: "bob@contoso.com", ip: "5.160.9.9"))
        attack.sort { $0.time < $1.time }
        let unusual = await fixture.run(attack).filter { $0.kind == .unusualAccessSuspiciousIP }
        #expect(unusual.count == 1)
        #expect(unusual.first?.principalID == Self.bob)

    }

    static let closer = "c1c1c1c1-0000-4000-8000-00000000c105"
    static let closerApp = "c1c1c1c1-0000-4000-8000-0000000c1a05"

    /// A month-end close: from 18:00, each hour for four hours, the job lists the vault and
    /// reads its `feeds` ledger feeds (from its own range; nobody else on the vault uses it).
    func monthEndRun(day: Int, feeds: Int = 25, ip: String = "20.70.8.4") -> [AuditEvent] {
        var events: [AuditEvent] = []
        for hour in 18..<22 {
            let at = BehaviourFixture.time(day: day, hour: hour, minute: 5)
            events.append(fixture.serviceCall(at: at, operation: "SecretList", principalID: Self.closer, appID: Self.closerApp, ip: ip))
            for feed in 0..<feeds {
                events.append(fixture.serviceCall(
                    at: at + .seconds(Int64(2 + feed)), principalID: Self.closer, appID: Self.closerApp, ip: ip, secret: "ledger-feed-\(feed)"))
            }
        }
        return events
    }

    /// Found on Woodgrove and random tenants: a month-end close whose runs are 32 days apart,
    /// more than the 30-day window, raised at each run a new application, list→reads and an
    /// hour's volume (and a new operation where nobody else lists). Its first run, after the
    /// learning period, is an arrival and asks its question once; the next is familiar.
    @Test("a month-end job rarer than the window asks once, then is familiar 32 days later; the dump it resembles, its credential elsewhere and its run at four times its size still alert")
    func monthEndClose() async {
        let history = fixture.history(days: 44)
        var quiet = history + monthEndRun(day: 10) + monthEndRun(day: 42)
        quiet.sort { $0.time < $1.time }
        let quietAlerts = await fixture.run(quiet)
        let secondRun = BehaviourFixture.time(day: 42, hour: 0)
        let first = quietAlerts.filter { $0.lastSeen < secondRun }
        let second = quietAlerts.filter { $0.lastSeen >= secondRun }
        // The arrival: a new application listing the vault and reading 25 feeds, in an hour five times the vault's.
        #expect(Set(BehaviourFixture.kinds(first)) == [.appAnomaly, .listGetAnomaly, .operationVolumeAnomaly], "\(first.map { "\($0.kind) \($0.reasons.first ?? "")" })")
        #expect(second.isEmpty, "\(second.map { "\($0.kind) \($0.firstSeen) \($0.reasons.first ?? "")" })")

        // The memory is the setting's: as long as the window, the second run is new again.
        var windowOnly = fixture.configuration()
        windowOnly.behaviour.memoryDays = 30
        #expect(await fixture.run(quiet, configuration: windowOnly).contains { $0.firstSeen >= secondRun })

        // What it resembles: the vault's daily service, which never lists, dumping the vault;
        // the job's credential used from another provider; the job at four times its size.
        var attack = history + monthEndRun(day: 10) + monthEndRun(day: 42, feeds: 100)
        attack += fixture.listThenRead(at: BehaviourFixture.time(day: 42, hour: 3), reads: 12)
        attack += monthEndRun(day: 43, feeds: 2, ip: "5.160.9.9").prefix(3)
        attack.sort { $0.time < $1.time }
        let alerts = await fixture.run(attack).filter { $0.lastSeen >= secondRun }
        let raised = alerts.map { "\($0.kind) \($0.principalID ?? "-") \($0.reasons.first ?? "")" }
        #expect(alerts.contains { $0.kind == .listGetAnomaly && $0.principalID == BehaviourFixture.service }, "\(raised)")
        #expect(alerts.contains { $0.kind == .unusualAccessSuspiciousIP && $0.principalID == Self.closer }, "\(raised)")
        #expect(alerts.contains { $0.kind == .operationVolumeAnomaly && $0.principalID == Self.closer }, "\(raised)")
    }

    /// A new application dumps the vault after the learning period (its arrival alerts), then
    /// does it again two weeks later: within the window, what alerted is not its usual.
    @Test("a newcomer's dump, repeated within the window, alerts again")
    func newcomerDumpRepeated() async {
        var events = fixture.history(days: 26) + monthEndRun(day: 10) + monthEndRun(day: 24)
        events.sort { $0.time < $1.time }
        let alerts = await fixture.run(events)
        let repeated = alerts.filter { $0.kind == .listGetAnomaly && $0.lastSeen >= BehaviourFixture.time(day: 24, hour: 0) }
        #expect(repeated.map(\.principalID) == [Self.closer], "\(alerts.map { "\($0.kind) \($0.firstSeen) \($0.lastSeen) \($0.count) \($0.reasons.first ?? "")" })")
    }

    static let carol = "ca401ca4-0000-4000-8000-00000000ca01"

    /// Carol works at the office Monday to Thursday and from home on Fridays, where her line has
    /// a new /24 inside one /16 each week; her first Friday is in the learning week.
    func weeklyHomeDay(days: Int) -> [AuditEvent] {
        var events = fixture.history(days: days)
        for day in 0..<days {
            let weekday = (BehaviourFixture.start + .days(Int64(day))).weekday
            guard (1...5).contains(weekday) else { continue }
            events.append(fixture.userCall(
                at: BehaviourFixture.time(day: day, hour: 10), principalID: Self.carol, upn: "carol@contoso.com",
                ip: weekday == 5 ? "86.247.\(40 + day).17" : "198.51.100.10"))
        }
        return events
    }

    /// Found on random tenants: one home day a week on a dynamic line alerted once, on the
    /// first home day after the learning week (the block held one range until the line moved).
    @Test("one home day a week on a dynamic line raises nothing; another provider, or a new range beside a known one after two weeks, still alerts")
    func weeklyHomeDayOnDynamicLine() async {
        var quiet = weeklyHomeDay(days: 29)
        quiet.sort { $0.time < $1.time }
        let quietAlerts = await fixture.run(quiet)
        #expect(!quietAlerts.contains { $0.kind == .unusualAccessSuspiciousIP }, "\(quietAlerts.map { "\($0.firstSeen) \($0.reasons.first ?? "")" })")

        var attack = weeklyHomeDay(days: 29)
        // Another provider; then, after her first two weeks, a range beside her office's (one range in its block).
        attack.append(fixture.userCall(
            at: BehaviourFixture.time(day: 9, hour: 15), principalID: Self.carol, upn: "carol@contoso.com", ip: "5.160.9.9"))
        attack.append(fixture.userCall(
            at: BehaviourFixture.time(day: 22, hour: 15), principalID: Self.carol, upn: "carol@contoso.com", ip: "198.51.7.20"))
        attack.sort { $0.time < $1.time }
        let unusual = await fixture.run(attack).filter { $0.kind == .unusualAccessSuspiciousIP && $0.principalID == Self.carol }
        #expect(unusual.sorted { $0.firstSeen < $1.firstSeen }.map { $0.ip.map { "\($0)" } } == ["5.160.9.9", "198.51.7.20"], "\(unusual.map(\.reasons))")
    }

    /// Alice works at the office, and from home on Mondays and Thursdays, where her line gets a
    /// new /24 inside one /16 each time (days 0 and 3 are her first week's home days).
    func hybridWorker(days: Int) -> [AuditEvent] {
        var events = fixture.history(days: days)
        for day in 0..<days {
            let weekday = (BehaviourFixture.start + .days(Int64(day))).weekday
            guard (1...5).contains(weekday) else { continue }
            let home = weekday == 1 || weekday == 4
            events.append(fixture.userCall(at: BehaviourFixture.time(day: day, hour: 9), ip: home ? "86.247.\(40 + day).17" : "198.51.100.10"))
        }
        return events
    }

    /// Found on random tenants: with three ranges needed, a hybrid worker's dynamic line alerted
    /// on each of its first home days after the learning week (twelve alerts on one seed).
    @Test("a hybrid worker's dynamic home line is familiar once it has moved once inside its block; another provider, or a second range in a service's cloud block, still alerts")
    func hybridWorkerHomeLine() async {
        var quiet = hybridWorker(days: 22)
        quiet.sort { $0.time < $1.time }
        let quietAlerts = await fixture.run(quiet)
        #expect(!quietAlerts.contains { $0.kind == .unusualAccessSuspiciousIP }, "\(quietAlerts.map { "\($0.firstSeen) \($0.reasons.first ?? "")" })")

        var attack = hybridWorker(days: 22)
        attack.append(fixture.userCall(at: BehaviourFixture.time(day: 21, hour: 15), ip: "5.160.9.9"))
        // The service has only ever called from one range of its cloud block: a neighbour in the
        // block is not its network.
        attack.append(fixture.serviceCall(at: BehaviourFixture.time(day: 21, hour: 16), ip: "20.50.77.9"))
        attack.sort { $0.time < $1.time }
        let unusual = await fixture.run(attack).filter { $0.kind == .unusualAccessSuspiciousIP }
        #expect(Set(unusual.map(\.principalID)) == [BehaviourFixture.alice, BehaviourFixture.service], "\(unusual.map(\.reasons))")
    }
}
