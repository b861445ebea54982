import Foundation
import Testing
@testable import VaultWatchCore

/// More replicas of a principal's usual load (`BurstHistory.limit`: an hour that touched no more
/// distinct objects than its busiest hours is held to its ceiling, five times its usual burst,
/// not its threshold) judged the same whether the hour's records come in order or after the hour
/// closed (`HourCallers.Replicas`), and across a restart inside the late run. Before, a late
/// record was judged by the threshold alone: a scale-out's stacked deploys arriving late alerted
/// where in order they did not.
@Suite("Late records of more replicas")
struct LateReplicaTests {
    /// `TenantHabitTests`' gateway: three replicas a day (108 calls on its 35 secrets) for 29 days.
    let tenant = TenantHabitTests()
    var fixture: BehaviourFixture { tenant.fixture }

    /// The 30-day tenant with the gateway's daily deploys and `hour`'s calls on day 29.
    func events(_ hour: [AuditEvent]) -> [AuditEvent] {
        tenant.tenant(days: 30, tenant.dailyDeploys(0..<29, replicas: 3), hour)
    }

    /// Two six-replica deploys at 11:00 and 11:30 of day 29: 432 calls on its 35 secrets, above
    /// its threshold (324), within its ceiling (540).
    var stacked: [AuditEvent] {
        tenant.deploy(day: 29, hour: 11, replicas: 6) + tenant.deploy(day: 29, hour: 11, minute: 30, replicas: 6)
    }

    /// The indices of the gateway's records of day 29 from `from` (11:00 by default) to 12:00.
    func gatewayRecords(of events: [AuditEvent], from: EventTime = BehaviourFixture.time(day: 29, hour: 11)) -> Set<Int> {
        let gateway = fixture.symbols.intern(TenantHabitTests.gateway)
        let until = BehaviourFixture.time(day: 29, hour: 12)
        return Set(events.indices.filter { events[$0].principalID == gateway && events[$0].time >= from && events[$0].time < until })
    }

    func run(_ events: [AuditEvent]) async -> (alerts: [Alert], counters: DetectorCounters) {
        let detector = Detector(symbols: fixture.symbols, configuration: fixture.configuration())
        let alerts = await finalAlerts(of: events, through: detector, batchSize: 500)
        return (alerts, await detector.currentCounters)
    }

    /// Kind and principal of each alert, and a volume alert's numbers (`LateBurstTests.volumeNumbers`).
    static func verdicts(_ alerts: [Alert]) -> [String] {
        alerts.filter { $0.kind != .operationVolumeAnomaly }.map { "\($0.kind.rawValue) \($0.principalID ?? "-")" }.sorted()
            + LateBurstTests.volumeNumbers(alerts)
    }

    /// Runs `hour` in order, then with the gateway's records from `lateFrom` to 12:00 two hours
    /// late, and expects the same verdicts; returns them.
    func expectSameLate(_ name: String, _ hour: [AuditEvent], lateFrom: EventTime = BehaviourFixture.time(day: 29, hour: 11)) async
        -> [String]
    {
        let events = events(hour)
        let inOrder = Self.verdicts(await run(events).alerts)
        let delayed = gatewayRecords(of: events, from: lateFrom)
        let late = await run(LateBurstTests.delivered(events, delaying: delayed, by: .hours(2)))
        #expect(late.counters.lateRecords == delayed.count, "\(name): \(late.counters)")
        #expect(Self.verdicts(late.alerts) == inOrder, "\(name): in order \(inOrder)")
        return inOrder
    }

    @Test("a scale-out's stacked deploys raise nothing whether the hour's records come late, all or half; five deploys neither")
    func stackedDeploysLate() async {
        #expect(await expectSameLate("stacked, whole hour late", stacked).isEmpty)
        // The first deploy in order, the second late: its objects are the first one's.
        #expect(await expectSameLate("stacked, second deploy late", stacked, lateFrom: BehaviourFixture.time(day: 29, hour: 11, minute: 30)).isEmpty)
        // Five three-replica deploys (540 calls): the ceiling itself.
        let five = (0..<5).flatMap { tenant.deploy(day: 29, hour: 11, minute: $0 * 5, replicas: 3) }
        #expect(await expectSameLate("five deploys late", five).isEmpty)
    }

    @Test("a dump behind stacked deploys, or six deploys, raise the in-order alert late, with the in-order numbers")
    func loudHoursLate() async {
        // 60 reads of secrets the gateway never reads after a listing: 95 distinct objects, so the
        // hour is held to its threshold: 493 calls, alert above 324.
        let dumped = stacked + tenant.dumpAfterListing(day: 29, hour: 11, minute: 50, count: 60)
        let whole = await expectSameLate("dump, whole hour late", dumped)
        #expect(whole.contains { $0.contains("\(TenantHabitTests.gateway)") && $0.contains("493 operations") && $0.contains("alert above 324") }, "\(whole)")
        // Why the threshold, the same in order and late (the late objects counted after the verdict).
        #expect(whole.contains { $0.contains("not more replicas of its usual load: it touched 95 distinct objects, more than its busiest hours' 35 plus a quarter (43), at least 59 of them not among those its hours there touched in the window, so the hour is held to its threshold 324, not the replicas' ceiling 540") }, "\(whole)")
        // The stacked deploys in order (more replicas, within the ceiling), the dump late: its
        // objects end the replicas, and the alert is the one the hour raises in order.
        #expect(await expectSameLate("dump late", dumped, lateFrom: BehaviourFixture.time(day: 29, hour: 11, minute: 50)) == whole)
        // Six three-replica deploys (648 calls, its own secrets): above the ceiling.
        let runaway = (0..<6).flatMap { tenant.deploy(day: 29, hour: 11, minute: $0 * 5, replicas: 3) }
        let loud = await expectSameLate("six deploys late", runaway)
        #expect(loud.contains { $0.contains("648 operations") && $0.contains("alert above 324") }, "\(loud)")
        #expect(loud.contains { $0.contains("more replicas of its usual load: it touched 35 distinct objects, no more than its busiest hours' 35 plus a quarter, and at most 8 of them (a quarter of 35) were not among those its hours there touched in the window, so the hour is held to the replicas' ceiling 540, not its threshold 324") }, "\(loud)")
    }

    /// The gateway's records of day `day` from `from` to `until`, by index.
    func gatewayRecords(of events: [AuditEvent], day: Int, from: EventTime, until: EventTime) -> Set<Int> {
        let gateway = fixture.symbols.intern(TenantHabitTests.gateway)
        return Set(events.indices.filter { events[$0].principalID == gateway && events[$0].time >= from && events[$0].time < until })
    }

    /// What the gateway's hours taught it on the vault, from a state exported at the end of a
    /// run: its busiest hours, its usual distinct objects in an hour, and its fingerprint.
    func gatewayLearned(_ events: [AuditEvent]) async throws -> String {
        let detector = Detector(symbols: fixture.symbols, configuration: fixture.configuration())
        _ = await finalAlerts(of: events, through: detector, batchSize: 500)
        let snapshot = try BaselineSnapshot.decode(try await detector.exportState())
        let pair = try #require(snapshot.pairs.first { $0.principal == TenantHabitTests.gateway })
        return "days \(pair.burstDays) today \(pair.burstToday)/\(pair.burstTodayPeak) objects \(String(describing: pair.burstObjects)) "
            + "fingerprint \(String(describing: pair.objectFingerprint))"
    }

    /// Day 28, 11:00: one three-replica deploy (108 calls on its 35 secrets) and reads of five
    /// secrets it never read (`extra-N`): 40 objects, 5 new, more replicas of its usual load (at
    /// most 43, 8 new). In order the hour teaches those 40 objects (its usual objects in an hour
    /// become 40, its fingerprint holds the five): day 29's two six-replica deploys (432 calls,
    /// above its threshold 324) touching them and six more it never read (46 objects, 6 new) are
    /// more replicas still (at most 50, 10 new), and raise nothing.
    ///
    /// Before, an hour judged again with its late records taught its size only: delivered late,
    /// day 28's hour left the usual objects at 35 and the five out of the fingerprint, and day
    /// 29's hour (46 objects, more than 43) was held to its threshold and alerted.
    @Test("an hour of more replicas delivered late teaches its objects as in order: the next day's hour is judged the same")
    func lateHourTeachesItsObjects() async throws {
        let extra = (0..<5).map {
            fixture.serviceCall(
                at: BehaviourFixture.time(day: 28, hour: 11, minute: 10) + .seconds(Int64($0)), principalID: TenantHabitTests.gateway,
                appID: TenantHabitTests.gatewayApp, ip: "20.60.4.10", secret: "extra-\($0)")
        }
        let fresh = (0..<6).map {
            fixture.serviceCall(
                at: BehaviourFixture.time(day: 29, hour: 11, minute: 50) + .seconds(Int64($0)), principalID: TenantHabitTests.gateway,
                appID: TenantHabitTests.gatewayApp, ip: "20.60.4.10", secret: "fresh-\($0)")
        }
        let day28 = tenant.deploy(day: 28, hour: 11, replicas: 3) + extra
        let events = tenant.tenant(days: 30, tenant.dailyDeploys(0..<28, replicas: 3), day28, stacked, extra.map { event in
            var again = event
            again.time = event.time + .days(1) + .minutes(30)
            return again
        }, fresh)
        let hourStart = BehaviourFixture.time(day: 28, hour: 11)
        for (name, from) in [("whole hour late", hourStart), ("new objects late", hourStart + .minutes(10))] {
            let delayed = gatewayRecords(of: events, day: 28, from: from, until: hourStart + .hours(1))
            let late = LateBurstTests.delivered(events, delaying: delayed, by: .hours(2))
            let learnedLate = try await gatewayLearned(late)
            let learnedInOrder = try await gatewayLearned(events)
            #expect(learnedLate == learnedInOrder, "\(name)")
            let inOrder = Self.verdicts(await run(events).alerts)
            #expect(inOrder.isEmpty, "\(inOrder)")
            #expect(Self.verdicts(await run(late).alerts) == inOrder, "\(name)")
        }
    }

    /// The gateway reads 60 secrets it never reads, 100 times from 11:00 (95 objects with its 35
    /// at 11:30: not more replicas), in order, under its threshold (324); its two six-replica
    /// deploys at 11:30 and 11:45 (432 calls) come late and take the hour to 532. In order the
    /// alert says why the hour was held to its threshold, not the ceiling (its objects); late,
    /// the closed hour had kept no objects of a caller that was not more replicas, and the alert
    /// said nothing of them.
    @Test("a late alert for a caller whose in-order part was not more replicas gives the in-order reasons, its objects too")
    func lateAlertAfterNotReplicas() async {
        let hour = tenant.massReads(day: 29, hour: 11, minute: 0, count: 100, distinct: 60)
            + tenant.deploy(day: 29, hour: 11, minute: 30, replicas: 6) + tenant.deploy(day: 29, hour: 11, minute: 45, replicas: 6)
        let verdicts = await expectSameLate("deploys late", hour, lateFrom: BehaviourFixture.time(day: 29, hour: 11, minute: 30))
        #expect(verdicts.contains { $0.contains("532 operations") && $0.contains("not more replicas of its usual load: it touched 95 distinct objects") }, "\(verdicts)")
    }

    /// An intruder with the gateway's credential lists the vault and reads 150 secrets it never
    /// reads (`payroll-N`; the listing raises `KV_ListGetAnomaly`), the last 30 reads 90 minutes
    /// late, after the hour closed; two hours on it reads the same 150 secrets 400 times, above the gateway's threshold
    /// (324). Judged again with its late reads, the first hour still teaches its size, not its
    /// objects (as in order, `TenantHabitTests.alertedListingTeachesNoObjects`), so the second
    /// hour is not more replicas and alerts on volume. A closed hour's caller that keeps its
    /// objects (`HourCallers.Replicas`) teaches them when judged again: such an hour keeps none
    /// unless it was more replicas; had it kept them, the second hour (the same 150 objects,
    /// then usual) would be held to the ceiling (540) and raise nothing.
    @Test("an hour whose listing alerted, reopened by its late records, still teaches no objects: the same mass read again alerts")
    func alertedListingHourLateTeachesNoObjects() async {
        let firstHour = tenant.dumpAfterListing(day: 29, hour: 9, minute: 0, count: 150)
        let secondHour = (0..<400).map {
            fixture.serviceCall(
                at: BehaviourFixture.time(day: 29, hour: 11) + .seconds(Int64($0)), principalID: TenantHabitTests.gateway,
                appID: TenantHabitTests.gatewayApp, ip: "20.60.4.10", secret: "payroll-\($0 % 150)")
        }
        // Alice's call at 10:15 closes the first hour before its last reads come, at 10:32.
        let closing = fixture.userCall(at: BehaviourFixture.time(day: 29, hour: 10, minute: 15))
        let events = tenant.tenant(days: 30, tenant.dailyDeploys(0..<29, replicas: 3), firstHour, [closing], secondHour)
        let lastReads = BehaviourFixture.time(day: 29, hour: 9, minute: 0) + .seconds(121)
        let delayed = gatewayRecords(of: events, day: 29, from: lastReads, until: BehaviourFixture.time(day: 29, hour: 10))
        #expect(delayed.count == 30)
        let late = await run(LateBurstTests.delivered(events, delaying: delayed, by: .minutes(90)))
        #expect(late.counters.lateRecords == 30, "\(late.counters)")
        let volume = late.alerts.filter { $0.kind == .operationVolumeAnomaly }
        #expect(volume.map(\.principalID) == [TenantHabitTests.gateway], "\(volume.map(\.reasons))")
        #expect(volume.first?.reasons.first?.contains("400 operations") == true, "\(volume.first?.reasons ?? [])")
    }

    /// A gateway that never lists: its daily deploys without their listings (three replicas
    /// reading its 35 secrets, 105 calls; threshold 315, ceiling 525). On day 28 at 11:00 it lists
    /// the vault and reads five secrets it never read (`extra-N`): the listing raises
    /// `KV_ListGetAnomaly` (it never read after a list); its deploy at 11:10 makes the hour 111
    /// calls on 40 objects, 5 new: more replicas of its usual load (at most 43, 8 new), so the
    /// hour keeps its objects, yet teaches its size only (`alertedListingTeachesNoObjects`). Day
    /// 29: two six-replica deploys (420 calls), the five again and six more it never read: 46
    /// objects, more than 43, so the hour is held to its threshold and alerts. The day-28 deploy
    /// delayed two hours (`lateFrom`), or not.
    func alertedReplicasHour() -> [AuditEvent] {
        let at = BehaviourFixture.time(day: 28, hour: 11)
        let extra = (0..<5).map {
            fixture.serviceCall(
                at: at + .seconds(Int64(1 + $0)), principalID: TenantHabitTests.gateway, appID: TenantHabitTests.gatewayApp, ip: "20.60.4.10",
                secret: "extra-\($0)")
        }
        let fresh = (0..<6).map {
            fixture.serviceCall(
                at: BehaviourFixture.time(day: 29, hour: 11, minute: 50) + .seconds(Int64($0)), principalID: TenantHabitTests.gateway,
                appID: TenantHabitTests.gatewayApp, ip: "20.60.4.10", secret: "fresh-\($0)")
        }
        let unlisted = { (events: [AuditEvent]) in events.filter { !$0.objectName.isNone } }
        return tenant.tenant(
            days: 30, unlisted(tenant.dailyDeploys(0..<28, replicas: 3)), [tenant.listing(at: at, ip: "20.60.4.10")], extra,
            unlisted(tenant.deploy(day: 28, hour: 11, minute: 10, replicas: 3)), unlisted(stacked), extra.map { event in
                var again = event
                again.time = event.time + .days(1) + .minutes(30)
                return again
            }, fresh)
    }

    /// The alerts published when `delivered` is run by a detector that stops before `cut` and
    /// saves its state in `format`, and another, in a new process's symbols, restored from it
    /// that runs the rest; and the saved state.
    func restarted(_ delivered: [AuditEvent], at cut: Int, format: Int = BaselineSnapshot.currentVersion) async throws
        -> (published: [String: Alert], state: Data)
    {
        let first = Detector(symbols: fixture.symbols, configuration: fixture.configuration())
        var published: [String: Alert] = [:]
        for alert in await first.process(EventBatch(events: Array(delivered[..<cut]))) { published[alert.id] = alert }
        let state = await first.exportState(format: format)
        let symbols = RestartBoundaryTests.newProcessSymbols()
        let second = try Detector(symbols: symbols, configuration: fixture.configuration(), restoring: state)
        await second.restore(openAlerts: await first.openAlerts, eventClock: await first.eventClock)
        let rest = try delivered[cut...].map { try NamedEvent($0, symbols: fixture.symbols).event(symbols: symbols) }
        for alert in await second.process(EventBatch(events: rest)) { published[alert.id] = alert }
        for alert in await second.finish() { published[alert.id] = alert }
        return (published, state)
    }

    /// `alertedReplicasHour` with the gateway's day-28 records from `lateFrom` (the deploy, 11:10,
    /// by default) to 12:00 two hours late.
    func alertedReplicasHourLate(lateFrom: EventTime = BehaviourFixture.time(day: 28, hour: 11, minute: 10))
        -> (events: [AuditEvent], delivered: [AuditEvent], delayed: Set<Int>)
    {
        let events = alertedReplicasHour()
        let delayed = gatewayRecords(of: events, day: 28, from: lateFrom, until: BehaviourFixture.time(day: 28, hour: 12))
        return (events, LateBurstTests.delivered(events, delaying: delayed, by: .hours(2)), delayed)
    }

    /// Before, the closed hour kept no mark of its listing (format 14): judged again with its late
    /// deploy it taught its 40 objects, and day 29's hour (46 objects, 6 new) was more replicas and
    /// raised nothing, where in order it alerts.
    @Test("an hour of more replicas whose listing alerted teaches no objects, whether its last records come in order or late")
    func alertedListingReplicasHourLate() async throws {
        let (events, late, delayed) = alertedReplicasHourLate()
        #expect(delayed.count == 105)
        let inOrder = await run(events)
        let verdicts = Self.verdicts(inOrder.alerts)
        #expect(verdicts.contains("KV_ListGetAnomaly \(TenantHabitTests.gateway)"), "\(verdicts)")
        #expect(verdicts.contains { $0.contains("431 operations") && $0.contains("alert above 315") }, "\(verdicts)")
        let lateRun = await run(late)
        #expect(lateRun.counters.lateRecords == 105, "\(lateRun.counters)")
        #expect(Self.verdicts(lateRun.alerts) == verdicts)
        #expect(try await gatewayLearned(late) == gatewayLearned(events))
        // The whole hour late, its listing too.
        let whole = alertedReplicasHourLate(lateFrom: BehaviourFixture.time(day: 28, hour: 11))
        #expect(whole.delayed.count == 111)
        let wholeVerdicts = Self.verdicts(await run(whole.delivered).alerts)
        #expect(wholeVerdicts == verdicts, "whole hour late: \(wholeVerdicts)")
        #expect(try await gatewayLearned(whole.delivered) == gatewayLearned(events), "whole hour late")
    }

    /// `alertedReplicasHour`'s listing moved to 11:58 (its five reads of `extra-N` right after,
    /// so it alerts in hour 11), then, still within its 60 minutes, reads of five more secrets it
    /// never read (`more-N`, 12:01) and its deploy at 12:10: in order the listing that alerted is
    /// open in hour 12 too, which teaches its size but not its objects (`OpenPairHour.listingAlerted`).
    /// Delivered two hours late from 11:58: before, only the hour of the read that alerted (11)
    /// was marked, so hour 12 taught its 40 objects, `more-N` among them (stop 27's leftover).
    @Test("a late listing that alerted marks each later hour it is open in, as in order: they teach no objects")
    func lateListingMarksEachHourItIsOpenIn() async throws {
        let listed = BehaviourFixture.time(day: 28, hour: 11, minute: 58)
        let reads = { (name: String, at: EventTime) in
            (0..<5).map {
                fixture.serviceCall(
                    at: at + .seconds(Int64(1 + $0)), principalID: TenantHabitTests.gateway, appID: TenantHabitTests.gatewayApp,
                    ip: "20.60.4.10", secret: "\(name)-\($0)")
            }
        }
        let unlisted = { (events: [AuditEvent]) in events.filter { !$0.objectName.isNone } }
        let events = tenant.tenant(
            days: 30, unlisted(tenant.dailyDeploys(0..<28, replicas: 3)), [tenant.listing(at: listed, ip: "20.60.4.10")],
            reads("extra", listed), reads("more", BehaviourFixture.time(day: 28, hour: 12, minute: 1)),
            unlisted(tenant.deploy(day: 28, hour: 12, minute: 10, replicas: 3)))
        let delayed = gatewayRecords(of: events, day: 28, from: listed, until: BehaviourFixture.time(day: 28, hour: 13))
        #expect(delayed.count == 116, "\(delayed.count)")
        let inOrder = await run(events)
        #expect(Self.verdicts(inOrder.alerts).contains("KV_ListGetAnomaly \(TenantHabitTests.gateway)"), "\(Self.verdicts(inOrder.alerts))")
        let late = LateBurstTests.delivered(events, delaying: delayed, by: .hours(2))
        let lateRun = await run(late)
        #expect(lateRun.counters.lateRecords == 116, "\(lateRun.counters)")
        #expect(Self.verdicts(lateRun.alerts) == Self.verdicts(inOrder.alerts))
        #expect(try await gatewayLearned(late) == gatewayLearned(events))
    }

    @Test("a restart inside the late run of an hour whose listing alerted, the listing in order or late, gives the uninterrupted run's alerts; a format 14 state teaches its objects")
    func restartInsideAlertedListingReplicasHour() async throws {
        let hourStart = BehaviourFixture.time(day: 28, hour: 11)
        let hour = hourStart.hourNumber
        for (name, lateFrom) in [("deploy late", hourStart + .minutes(10)), ("whole hour late", hourStart)] {
            let (events, delivered, delayed) = alertedReplicasHourLate(lateFrom: lateFrom)
            let reference = await run(delivered)
            let expected = Dictionary(reference.alerts.map { ($0.id, $0) }, uniquingKeysWith: { $1 })
            #expect(expected.values.contains { $0.kind == .operationVolumeAnomaly }, "\(name)")
            let lateTimes = Set(delayed.map { events[$0].time })
            let firstLate = try #require(delivered.firstIndex { lateTimes.contains($0.time) })
            let lastLate = try #require(delivered.lastIndex { lateTimes.contains($0.time) })
            // Before the late run (the listing in order), inside it (past the late listing's
            // alert), right after it (the hour reopened, not judged yet).
            let cuts = (lateFrom == hourStart ? [] : [firstLate]) + [firstLate + (lastLate - firstLate) / 2, lastLate + 1]
            for cut in cuts {
                for format in [BaselineSnapshot.currentVersion, 14] {
                    let (published, state) = try await restarted(delivered, at: cut, format: format)
                    // The closed hour's gateway keeps its objects and the listing's mark (format 15).
                    let closed = try BaselineSnapshot.decode(state).inFlight?.baselines.closedHours ?? []
                    let gateway = closed.filter { $0.hour == hour }.flatMap(\.callers).filter { $0.principal == TenantHabitTests.gateway }
                    #expect(gateway.map { $0.replicas?.listingAlerted } == [format >= 15], "\(name), cut \(cut), format \(format)")
                    if format >= 15 {
                        #expect(
                            RestartBoundaryTests.difference(published, expected) == nil,
                            "\(name), cut \(cut): \(RestartBoundaryTests.difference(published, expected) ?? "")")
                    } else {
                        // A format 14 state has no mark: the hour judged again teaches its objects,
                        // as the detector that saved it taught them, and day 29's hour is more
                        // replicas: the same alerts but its volume alert.
                        let volume = published.values.filter { $0.kind == .operationVolumeAnomaly }
                        #expect(volume.isEmpty, "\(name), cut \(cut): \(volume.map(\.reasons))")
                        #expect(Set(published.keys) == Set(expected.keys.filter { expected[$0]?.kind != .operationVolumeAnomaly }), "\(name), cut \(cut)")
                    }
                }
            }
        }
    }

    @Test("a restart inside a late run of stacked deploys, or of a dump behind them, gives the uninterrupted run's alerts")
    func restartInsideLateReplicas() async throws {
        let dumped = stacked + tenant.dumpAfterListing(day: 29, hour: 11, minute: 50, count: 60)
        for (name, hour, lateFrom) in [
            ("stacked", stacked, BehaviourFixture.time(day: 29, hour: 11)),
            ("dump late", dumped, BehaviourFixture.time(day: 29, hour: 11, minute: 50)),
        ] {
            let events = events(hour)
            let delayed = gatewayRecords(of: events, from: lateFrom)
            let delivered = LateBurstTests.delivered(events, delaying: delayed, by: .hours(2))
            let reference = await run(delivered)
            let lateTimes = Set(delayed.map { events[$0].time })
            let firstLate = try #require(delivered.firstIndex { lateTimes.contains($0.time) })
            let lastLate = try #require(delivered.lastIndex { lateTimes.contains($0.time) })
            // Inside the late run, and right after it (the hour reopened, not judged yet).
            for cut in [firstLate + (lastLate - firstLate) / 2, lastLate + 1] {
                let published = try await restarted(delivered, at: cut).published
                let expected = Dictionary(reference.alerts.map { ($0.id, $0) }, uniquingKeysWith: { $1 })
                #expect(
                    RestartBoundaryTests.difference(published, expected) == nil,
                    "\(name), cut \(cut): \(RestartBoundaryTests.difference(published, expected) ?? "")")
            }
        }
    }
}
