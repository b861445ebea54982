import Foundation
import Testing
@testable import VaultWatchCore

/// A record that arrives after its hour closed is judged like one that arrived in order
/// (README "One timeline from many sources"): its hour is judged again once its late run is
/// complete, with the attribution to the principals that routinely burst (`HourCallers`), so a
/// deploy whose records come late is still its principal's habit, and a burst that is not one
/// raises the alert it raises in order.
@Suite("Late records and habits")
struct LateBurstTests {
    /// `HabitTests`' deploys, built with its fixture's symbols (one symbol table for all).
    let habits = HabitTests()
    var fixture: BehaviourFixture { habits.fixture }

    /// Delivers the events of `delayed` (by index) `delay` after their time, the rest in time
    /// order: the order a detector would receive a source whose block was written late.
    static func delivered(_ events: [AuditEvent], delaying delayed: Set<Int>, by delay: EventTime.Duration) -> [AuditEvent] {
        events.enumerated().map { index, event in
            (arrival: delayed.contains(index) ? event.time + delay : event.time, index: index, event: event)
        }.sorted { ($0.arrival, $0.index) < ($1.arrival, $1.index) }.map(\.event)
    }

    /// Runs `events` in order of arrival and returns the final alerts and the counters.
    func run(_ events: [AuditEvent]) async throws -> (alerts: [Alert], counters: DetectorCounters) {
        let detector = Detector(symbols: fixture.symbols, configuration: fixture.configuration())
        let alerts = await finalAlerts(of: events, through: detector, batchSize: 500)
        return (alerts, await detector.currentCounters)
    }

    static func summary(_ alerts: [Alert]) -> [String] {
        alerts.map { "\($0.kind.rawValue) \($0.principalID ?? "-") \($0.firstSeen.iso8601) \($0.reasons.joined(separator: " | "))" }
    }

    /// The history of `HabitTests.burstsAtAnyHour`: the service's hourly reads, alice's working
    /// hours, and one to three deploys a day (108 reads each) at any hour.
    func history(days: Int) -> [AuditEvent] {
        (fixture.history(days: days) + habits.deployHabit(days: days)).sorted { $0.time < $1.time }
    }

    /// The history, then six deploys in one hour of day 22 (`burst`, by index) and the rest of day 22.
    func sixDeploysInAnHour() -> (events: [AuditEvent], burst: Set<Int>) {
        var events = history(days: 22)
        let burstStart = events.count
        for replica in 0..<6 { events += habits.deploy(at: BehaviourFixture.time(day: 22, hour: 3, minute: replica * 5)) }
        let burst = Set(burstStart..<events.count)
        events += fixture.history(days: 23).filter { $0.time >= BehaviourFixture.time(day: 22, hour: 0) }
        return (events, burst)
    }

    /// Delivers the deployer's records of `days` in the 23-day history `delay` late, the rest in
    /// time order, and expects every one of them late (at least `minimum`) and no alert: the
    /// deploys are the deployer's habit however late they come.
    func expectDelayedDeploysRaiseNothing(days: Range<Int>, delay: EventTime.Duration, minimum: Int) async throws {
        let events = history(days: 23)
        let from = BehaviourFixture.time(day: days.lowerBound, hour: 0)
        let until = BehaviourFixture.time(day: days.upperBound, hour: 0)
        let deployer = fixture.symbols.intern(HabitTests.deployer)
        let delayed = Set(events.indices.filter { events[$0].time >= from && events[$0].time < until && events[$0].principalID == deployer })
        #expect(delayed.count >= minimum, "\(delayed.count) deploy records")
        let outcome = try await run(Self.delivered(events, delaying: delayed, by: delay))
        #expect(outcome.counters.lateRecords == delayed.count, "\(outcome.counters)")
        #expect(outcome.alerts.isEmpty, "\(Self.summary(outcome.alerts))")
    }

    @Test("a routine deploy whose records arrive two hours late raises nothing")
    func routineDeployArrivingLate() async throws {
        // Every deploy of the last two days arrives two hours late: its hour has closed by then.
        try await expectDelayedDeploysRaiseNothing(days: 21..<23, delay: .hours(2), minimum: 108)
    }

    @Test("a deploy arriving more than 48 hours late is still put down to its principal: its own calls are known")
    func deployLaterThanTheKeptHours() async throws {
        // The deploys of days 18 and 19 arrive 50 hours late: the callers of their hours' records
        // that came in order are no longer kept, but the deploys' own calls are the deployer's.
        try await expectDelayedDeploysRaiseNothing(days: 18..<20, delay: .hours(50), minimum: 216)
    }

    @Test("a backlog restored two weeks late is judged by its callers: routine deploys raise nothing, a real burst its principal's alert")
    func backlogRestoredWeeksLate() async throws {
        // Days 8 to 11 went missing and are restored after day 22: whole hours of late records,
        // more than the 48 hours whose callers are kept, so only their own callers explain them.
        var events = history(days: 23)
        let backlogStart = BehaviourFixture.time(day: 8, hour: 0)
        let backlogEnd = BehaviourFixture.time(day: 12, hour: 0)
        let burstStart = events.count
        for replica in 0..<6 { events += habits.deploy(at: BehaviourFixture.time(day: 10, hour: 3, minute: 30 + replica * 5)) }
        let burst = Set(burstStart..<events.count)
        let backlog = Set(events.indices.filter { events[$0].time >= backlogStart && events[$0].time < backlogEnd })
        let routine = backlog.subtracting(burst)
        // Without the burst: nothing. Before, each hour with a deploy alerted vault-wide.
        let quiet = try await run(Self.delivered(events.indices.filter { !burst.contains($0) }.map { events[$0] }, delaying: [], by: .hours(0))
            .filter { $0.time < backlogStart || $0.time >= backlogEnd } + routine.sorted().map { events[$0] })
        #expect(quiet.counters.lateRecords == routine.count, "\(quiet.counters)")
        // Nor list→reads: the backlog's days are of the previous half window (`PeriodMaximum`),
        // whose usual is still kept (before, they were judged with a usual of 0, and recording
        // them took the maximum back to their period).
        #expect(quiet.alerts.isEmpty, "\(Self.summary(quiet.alerts))")
        // With it: the deployer's own alert, with the count of the whole hour and its usual burst
        // as learned before the backlog's days (their late records are not learned).
        let restored = try await run(
            events.indices.filter { !backlog.contains($0) }.map { events[$0] }.sorted { $0.time < $1.time }
                + backlog.sorted().map { events[$0] })
        let volume = restored.alerts.filter { $0.kind == .operationVolumeAnomaly }
        #expect(volume.count == 1 && volume.first?.principalID == HabitTests.deployer, "\(Self.summary(restored.alerts))")
        #expect(volume.first?.reasons.first?.contains("performed 648 operations") == true, "\(Self.summary(volume))")
        #expect(volume.first?.reasons.first?.contains("its usual burst there is 108") == true, "\(Self.summary(volume))")
        #expect(volume.first?.reasons.contains { $0.contains("only the calls that arrived late are counted by caller") } == true)
    }

    @Test("a restored backlog's days teach as in-order days would: a deployer that scaled out in the lost week is judged by its new size")
    func restoredBacklogTeachesItsDays() async throws {
        // The deployer restarts 3 replicas (108 reads) each night of days 0 to 13, then 8 (288)
        // from day 14; on day 23 two of its 8-replica deploys fall in one hour (576 reads): within
        // three times its usual burst of the last week, so its habit.
        var events = fixture.history(days: 24)
        for day in 0..<24 {
            events += habits.deploy(at: BehaviourFixture.time(day: day, hour: 2, minute: 10), replicas: day < 14 ? 3 : 8)
        }
        events += habits.deploy(at: BehaviourFixture.time(day: 23, hour: 3, minute: 5), replicas: 8)
        events += habits.deploy(at: BehaviourFixture.time(day: 23, hour: 3, minute: 30), replicas: 8)
        events.sort { $0.time < $1.time }
        let inOrder = try await run(events)
        #expect(inOrder.alerts.isEmpty, "\(Self.summary(inOrder.alerts))")
        // Days 14 to 20 went missing and are restored after day 22, before day 23: the only days
        // that show the new size but the two before the stacked deploy. Before, an earlier day's
        // hours were "too late to matter": the deployer was judged by its 108 and alerted.
        let backlogStart = BehaviourFixture.time(day: 14, hour: 0)
        let backlogEnd = BehaviourFixture.time(day: 21, hour: 0)
        let dayAfter = BehaviourFixture.time(day: 23, hour: 0)
        let backlog = events.filter { $0.time >= backlogStart && $0.time < backlogEnd }
        let restored = try await run(
            events.filter { $0.time < backlogStart || ($0.time >= backlogEnd && $0.time < dayAfter) } + backlog
                + events.filter { $0.time >= dayAfter })
        #expect(restored.counters.lateRecords == backlog.count, "\(restored.counters)")
        #expect(restored.alerts.isEmpty, "\(Self.summary(restored.alerts))")
    }

    /// Delivers each event of `delays` (by index) that long after its time, the rest in time order.
    static func delivered(_ events: [AuditEvent], delays: [Int: EventTime.Duration]) -> [AuditEvent] {
        events.enumerated().map { index, event in
            (arrival: event.time + (delays[index] ?? .seconds(0)), index: index, event: event)
        }.sorted { ($0.arrival, $0.index) < ($1.arrival, $1.index) }.map(\.event)
    }

    /// What a volume alert says, less what depends on arrival: its kind, vault and principal, and
    /// its reasons' numbers (the counts, the usual, the thresholds), not the "arrived after the
    /// hour closed" note nor the sentence about the call that crossed the threshold (the record
    /// that took the count over it is the first to arrive over it, not the first in time).
    static func volumeNumbers(_ alerts: [Alert]) -> [String] {
        alerts.filter { $0.kind == .operationVolumeAnomaly }.map { alert in
            let numbers = alert.reasons.dropLast().filter { !$0.contains("arrived after the hour closed") }
            return "\(alert.kind.rawValue) \(alert.vault ?? "-") \(alert.principalID ?? "-") \(numbers.joined(separator: " | "))"
        }.sorted()
    }

    @Test("six deploys in one hour arriving two hours late raise the deployer's own alert, as in order")
    func realBurstArrivingLate() async throws {
        let (events, burst) = sixDeploysInAnHour()
        let inOrder = try await run(events)
        let outcome = try await run(Self.delivered(events, delaying: burst, by: .hours(2)))
        #expect(outcome.counters.lateRecords == burst.count, "\(outcome.counters)")
        let volume = outcome.alerts.filter { $0.kind == .operationVolumeAnomaly }
        #expect(volume.count == 1, "\(Self.summary(outcome.alerts))")
        // The hour is judged once its late run is complete, as in order: the deployer went far
        // past its usual burst, and the alert is its own, with the numbers of the in-order run.
        let deployer = volume.first?.principalID
        #expect(deployer == HabitTests.deployer, "\(Self.summary(volume))")
        #expect(volume.first?.reasons.first?.contains("648 operations") == true, "\(Self.summary(volume))")
        #expect(volume.first?.reasons.contains { $0.contains("arrived after the hour closed") } == true, "\(Self.summary(volume))")
        #expect(Self.volumeNumbers(outcome.alerts) == Self.volumeNumbers(inOrder.alerts), "\(Self.summary(inOrder.alerts))")
    }

    @Test("a late burst raises the alert it raises in order (kind, entity, numbers), whatever its delay and the order of its records")
    func lateBurstRaisesTheInOrderAlertOverRandomDelays() async throws {
        let (events, burst) = sixDeploysInAnHour()
        let expected = Self.volumeNumbers(try await run(events).alerts)
        #expect(expected.count == 1 && expected.first?.contains(HabitTests.deployer) == true, "\(expected)")
        let seeds: [UInt64] = ProcessInfo.processInfo.environment["VAULTWATCH_TEST_SEEDS"].map {
            $0.split(separator: ",").compactMap { UInt64($0) }
        } ?? [1, 2, 3, 4]
        for seed in seeds {
            // The burst's block written late: from just after its hour closed to almost two days
            // later, each record a few minutes more or less (its order within the block shuffled).
            var random = SeededRandom(seed: seed, stream: "late burst")
            let blockDelay = random.number(in: 75...2_800)
            var delays: [Int: EventTime.Duration] = [:]
            for index in burst { delays[index] = .seconds(Int64(blockDelay * 60 + random.below(240))) }
            let outcome = try await run(Self.delivered(events, delays: delays))
            #expect(outcome.counters.lateRecords == burst.count, "seed \(seed): \(outcome.counters)")
            #expect(Self.volumeNumbers(outcome.alerts) == expected, "seed \(seed), delay \(blockDelay) min: \(Self.summary(outcome.alerts))")
        }
    }

    /// Who a volume alert is about: its kind, vault and principal (nil: vault-wide).
    static func volumeEntities(_ alerts: [Alert]) -> [String] {
        alerts.filter { $0.kind == .operationVolumeAnomaly }.map { "\($0.kind.rawValue) \($0.vault ?? "-") \($0.principalID ?? "vault-wide")" }.sorted()
    }

    /// alice, whose usual burst is three calls, reads `reads` secrets in hour 11 of day 22 (a
    /// stolen session), in a tenant of 23 days without deploys: in order, her own alert (she
    /// passes her threshold, 60 calls); her first 40 calls alone leave the vault's hour above
    /// its band (her habit explains 9 of them).
    func aliceBurst(reads: Int = 150) -> (events: [AuditEvent], burst: Set<Int>) {
        var events = fixture.history(days: 23)
        let burstStart = events.count
        for read in 0..<reads {
            events.append(fixture.userCall(
                at: BehaviourFixture.time(day: 22, hour: 11) + .seconds(Int64(read * 3_000 / reads)), secret: "s-\(read % 12)"))
        }
        return (events, Set(burstStart..<events.count))
    }

    /// Delivers `burst` late in pieces: the burst's records in time order, cut at random into 2 to
    /// 5 pieces; the first arrives 75 minutes to 10 hours late, each next one 20 minutes to 4
    /// hours of stream time after the one before (in-order records arrive in between), each record
    /// up to 2 minutes more (shuffled within its piece).
    static func deliveredInPieces(_ events: [AuditEvent], burst: Set<Int>, seed: UInt64) -> (events: [AuditEvent], pieces: Int) {
        var random = SeededRandom(seed: seed, stream: "late burst in pieces")
        let ordered = burst.sorted { (events[$0].time, $0) < (events[$1].time, $1) }
        let pieces = random.number(in: 2...5)
        var cuts = Set<Int>()
        while cuts.count < pieces - 1 { cuts.insert(random.number(in: 1...(ordered.count - 1))) }
        let burstEnd = events[ordered.last ?? 0].time
        var arrival = burstEnd + .minutes(Int64(random.number(in: 75...600)))
        var delays: [Int: EventTime.Duration] = [:]
        for (position, index) in ordered.enumerated() {
            if cuts.contains(position) { arrival = arrival + .minutes(Int64(random.number(in: 20...240))) }
            delays[index] = EventTime.Duration(ticks: (arrival - events[index].time).ticks + Int64(random.below(120)) * EventTime.ticksPerSecond)
        }
        return (delivered(events, delays: delays), pieces)
    }

    @Test("a late burst trickling in among in-order records, in pieces further apart than the tolerance, raises the alert it raises in order")
    func lateBurstInPiecesRaisesTheInOrderAlert() async throws {
        let seeds: [UInt64] = ProcessInfo.processInfo.environment["VAULTWATCH_TEST_SEEDS"].map {
            $0.split(separator: ",").compactMap { UInt64($0) }
        } ?? [1, 2, 3, 4, 5, 6]
        for (name, scenario) in [("six deploys", sixDeploysInAnHour()), ("alice's 150 reads", aliceBurst())] {
            let (events, burst) = scenario
            let expected = Self.volumeEntities(try await run(events).alerts)
            #expect(expected.count == 1 && !expected[0].hasSuffix("vault-wide"), "\(name): \(expected)")
            for seed in seeds {
                let (delivered, pieces) = Self.deliveredInPieces(events, burst: burst, seed: seed)
                let outcome = try await run(delivered)
                #expect(outcome.counters.lateRecords == burst.count, "\(name), seed \(seed): \(outcome.counters)")
                #expect(
                    Self.volumeEntities(outcome.alerts) == expected,
                    "\(name), seed \(seed), \(pieces) pieces: \(Self.summary(outcome.alerts.filter { $0.kind == .operationVolumeAnomaly }))")
            }
        }
    }

    @Test("a late hour's vault-wide verdict waits 48 hours of stream time for more of its late run, then is given as in order")
    func vaultWideVerdictOfALateHourWaitsForItsRunToBeOver() async throws {
        // alice's 40 reads stay within her threshold (60): in order, the vault-wide alert.
        let (burstDay, burst) = aliceBurst(reads: 40)
        let events = burstDay + fixture.history(days: 26).filter { $0.time >= BehaviourFixture.time(day: 23, hour: 0) }
        let expected = Self.volumeEntities(try await run(events).alerts)
        #expect(expected == ["KV_OperationVolumeAnomaly kv-payments vault-wide"], "\(expected)")
        let delivered = Self.delivered(events, delaying: burst, by: .hours(2))
        let detector = Detector(symbols: fixture.symbols, configuration: fixture.configuration())
        // Its late run arrived by 13:50 on day 22: nothing until the stream is 48 hours past it
        // (a later piece could still take alice over her threshold).
        let lastArrival = BehaviourFixture.time(day: 22, hour: 13, minute: 50)
        let cut = try #require(delivered.firstIndex { $0.time >= lastArrival + .hours(47) })
        let early = await detector.process(EventBatch(events: Array(delivered[..<cut])))
        #expect(Self.volumeEntities(early).isEmpty, "\(Self.summary(early))")
        // Then given as in order, without waiting for the end of the input.
        let later = await detector.process(EventBatch(events: Array(delivered[cut...])))
        #expect(Self.volumeEntities(later) == expected, "\(Self.summary(later))")
        #expect(await detector.currentCounters.lateRecords == burst.count)
    }

    @Test("a late hour's vault-wide alert folds into the alert of the hour before, open when its records came, as in order")
    func lateHoursVaultWideAlertFoldsIntoTheOpenAlert() async throws {
        // alice reads 40 secrets in hour 11 and 40 more in hour 12 of day 22, each hour within
        // her threshold but above the vault's band: in order, one vault-wide alert whose repeat
        // (hour 12) folds into it. Hour 12's reads arrive two hours late: its vault-wide verdict
        // waits 48 hours of stream time for the rest of its late run, by when the stream has left
        // the window of hour 11's alert (24 hours and the allowance). Before, that alert was
        // forgotten meanwhile and hour 12 opened a second one (the held-out sweep of stop 27,
        // Woodgrove seed 35's kv-ledger, `LAYOUT=late`).
        var events = fixture.history(days: 26)
        for hour in [11, 12] {
            for read in 0..<40 {
                events.append(fixture.userCall(
                    at: BehaviourFixture.time(day: 22, hour: hour) + .seconds(Int64(read * 75)), secret: "s-\(read % 12)"))
            }
        }
        events = events.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
        let burst = Set(events.indices.filter {
            events[$0].time >= BehaviourFixture.time(day: 22, hour: 12) && events[$0].time < BehaviourFixture.time(day: 22, hour: 13)
                && events[$0].principalID == fixture.symbols.intern(BehaviourFixture.alice)
        })
        #expect(burst.count >= 40, "\(burst.count)")
        // Its last seen is hour 12's crossing, which depends on arrival (hour 12's in-order
        // records counted before alice's late ones): the hour, not the minute, is compared.
        func volume(_ alerts: [Alert]) -> [String] {
            alerts.filter { $0.kind == .operationVolumeAnomaly }
                .map { "\($0.principalID ?? "vault-wide") \($0.firstSeen.iso8601) \($0.lastSeen.iso8601.prefix(13)) count \($0.count)" }.sorted()
        }
        let expected = volume(try await run(events).alerts)
        #expect(expected.count == 1 && expected[0].hasPrefix("vault-wide") && expected[0].hasSuffix("count 2"), "\(expected)")
        let late = try await run(Self.delivered(events, delaying: burst, by: .hours(2)))
        #expect(late.counters.lateRecords == burst.count, "\(late.counters)")
        #expect(volume(late.alerts) == expected, "\(Self.summary(late.alerts.filter { $0.kind == .operationVolumeAnomaly }))")
        // A restart while the alert is kept for the verdict (30 hours of stream time after the
        // late run: past its window and allowance) keeps it too: the open alerts saved hold it.
        let delivered = Self.delivered(events, delaying: burst, by: .hours(2))
        let cut = try #require(delivered.firstIndex { $0.time >= BehaviourFixture.time(day: 23, hour: 20) })
        let first = Detector(symbols: fixture.symbols, configuration: fixture.configuration())
        var published: [String: Alert] = [:]
        for alert in await first.process(EventBatch(events: Array(delivered[..<cut]))) { published[alert.id] = alert }
        let symbols = RestartBoundaryTests.newProcessSymbols()
        let second = try Detector(symbols: symbols, configuration: fixture.configuration(), restoring: try await first.exportState())
        await second.restore(openAlerts: await first.openAlerts, eventClock: await first.eventClock)
        let rest = try delivered[cut...].map { try NamedEvent($0, symbols: fixture.symbols).event(symbols: symbols) }
        for alert in await second.process(EventBatch(events: rest)) { published[alert.id] = alert }
        for alert in await second.finish() { published[alert.id] = alert }
        #expect(volume(Array(published.values)) == expected, "restart: \(Self.summary(published.values.filter { $0.kind == .operationVolumeAnomaly }))")
    }

    @Test("a restart in the middle of a late deploy gives the alerts and counters of one run")
    func restartInsideALateDeploy() async throws {
        let (events, burst) = sixDeploysInAnHour()
        let delivered = Self.delivered(events, delaying: burst, by: .hours(2))
        let reference = try await run(delivered)
        // Cut inside the late burst (after 20 and 200 of its records, and after 500, once the
        // deployer has passed its threshold), right after its last record (its hour reopened,
        // not judged yet), and inside an earlier late routine deploy.
        let burstTimes = Set(burst.map { events[$0].time })
        let firstLate = try #require(delivered.firstIndex { burstTimes.contains($0.time) })
        let lastLate = try #require(delivered.lastIndex { burstTimes.contains($0.time) })
        for cut in [firstLate + 200, firstLate + 20, firstLate + 500, lastLate + 1] {
            let first = Detector(symbols: fixture.symbols, configuration: fixture.configuration())
            var published: [String: Alert] = [:]
            for alert in await first.process(EventBatch(events: Array(delivered[..<cut]))) { published[alert.id] = alert }
            let state = try await first.exportState()
            let openAlerts = await first.openAlerts
            let clock = await first.eventClock
            let symbols = RestartBoundaryTests.newProcessSymbols()
            let second = try Detector(symbols: symbols, configuration: fixture.configuration(), restoring: state)
            await second.restore(openAlerts: openAlerts, eventClock: clock)
            let rest = try delivered[cut...].map { try NamedEvent($0, symbols: fixture.symbols).event(symbols: symbols) }
            for alert in await second.process(EventBatch(events: rest)) { published[alert.id] = alert }
            for alert in await second.finish() { published[alert.id] = alert }
            let expected = Dictionary(reference.alerts.map { ($0.id, $0) }, uniquingKeysWith: { $1 })
            #expect(RestartBoundaryTests.difference(published, expected) == nil, "cut \(cut): \(RestartBoundaryTests.difference(published, expected) ?? "")")
            #expect(await second.currentCounters == reference.counters)
        }
    }
}
