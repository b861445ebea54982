import Synchronization
import Testing
import VaultWatchCore
@testable import VaultWatchTUI

/// The dashboard's counting, fed the same batches as the detector.
@Suite struct ActivityTrackerTests {
    let symbols = SymbolTable()

    func event(_ time: EventTime, vault: String = "kv", principal: String = "p1", operation: String = "SecretGet") -> AuditEvent {
        AuditEvent(time: time, vault: symbols.intern(vault), operation: symbols.intern(operation), principalID: symbols.intern(principal), outcome: .success)
    }

    @Test func countsPerMinuteHourPrincipalAndOperation() throws {
        var tracker = ActivityTracker(symbols: symbols)
        let base = EventTime(year: 2026, month: 3, day: 2, hour: 10)
        var batch = EventBatch(malformedCount: 2)
        batch.events = [
            event(base), event(base + .seconds(10), principal: "p2"), event(base + .minutes(1), operation: "SecretList"),
            event(base + .minutes(1), vault: "other"),
        ]
        tracker.ingest(batch)
        #expect(tracker.totalEvents == 4)
        #expect(tracker.malformedRecords == 2)
        let vaults = tracker.vaultActivities(openAlerts: ["kv": 1])
        #expect(vaults.map(\.name) == ["kv", "other"])
        let kv = try #require(vaults.first)
        #expect(kv.minuteCounts.suffix(2) == [2, 1])
        #expect(kv.hourlyCounts.last == 3)
        #expect(kv.principalCount == 2)
        #expect(kv.openAlerts == 1)
        #expect(kv.operationMixNow.map(\.operation) == ["SecretGet", "SecretList"])
        #expect(abs(kv.operationMixNow[0].fraction - 2.0 / 3.0) < 1e-9)
    }

    /// A resumed `watch` shows its own run's events: records read again (`EventBatch.readAgain`,
    /// counted by the run before) are shown in the activity, as the timeline holds them, but not
    /// counted among the header's events; one the detector found delivered twice counts only as a
    /// duplicate.
    @Test func recordsReadAgainAreShownButNotCounted() throws {
        var tracker = ActivityTracker(symbols: symbols)
        let base = EventTime(year: 2026, month: 3, day: 2, hour: 10)
        var batch = EventBatch()
        batch.events = (0..<5).map { event(base + .seconds(Int64($0))) }
        batch.readAgain = [0, 1, 2]
        tracker.ingest(batch, repeats: [2])
        #expect(tracker.totalEvents == 2)
        #expect(tracker.duplicateRecords == 1)
        #expect(tracker.vaultActivities().first?.hourlyCounts.last == 4)
    }

    @Test func theBandIsTheDetectorsForEveryVaultAndThereIsNoOther() async throws {
        var tracker = ActivityTracker(symbols: symbols)
        let base = EventTime(year: 2026, month: 3, day: 2, hour: 14)  // a Monday
        var batch = EventBatch()
        for day in 0..<10 {
            let count = [10, 12, 10, 30, 11, 0, 0, 12, 11, 10][day]
            for index in 0..<count {
                for vault in 0..<250 { batch.events.append(event(base + .days(Int64(day)) + .seconds(Int64(index)), vault: "kv-\(vault)")) }
            }
        }
        tracker.ingest(batch)
        // Without the detector's baselines there is no band: the dashboard has no estimate of its own.
        #expect(tracker.vaultActivities().allSatisfy { $0.hourlyBand.allSatisfy { $0 == nil } })
        let detector = Detector(symbols: symbols)
        await detector.process(batch)
        await detector.flush()
        let summaries = await detector.baselineSummaries(vaults: tracker.vaultNames)
        #expect(summaries.count == 250, "every vault, not the first 200")
        let vaults = tracker.vaultActivities(baselines: summaries)
        let last = try #require(vaults.first { $0.name == "kv-249" })
        let band = try #require(last.hourlyBand.last ?? nil)
        let detectorBand = try #require(summaries["kv-249"]?.band(weekday: 3, hour: 14))
        #expect(band == BaselineBand(median: detectorBand.median, medianAbsoluteDeviation: detectorBand.mad, threshold: Double(detectorBand.threshold)))
    }

    @Test func recentEventsAreBoundedAndNewestFirst() {
        var tracker = ActivityTracker(symbols: symbols)
        let base = EventTime(year: 2026, month: 3, day: 2)
        var batch = EventBatch()
        for index in 0..<(ActivityTracker.recentLimit + 10) { batch.events.append(event(base + .seconds(Int64(index)))) }
        tracker.ingest(batch)
        let recent = tracker.activityEvents()
        #expect(recent.count == ActivityTracker.recentLimit)
        #expect(recent.first?.time == base + .seconds(Int64(ActivityTracker.recentLimit + 9)))
    }

    @Test func theModelPublishesOnlyWhenSomethingChangedAndTheNewestWins() throws {
        let model = DashboardModel(symbols: symbols, wallClock: { 0 })
        model.publishIfChanged()
        #expect(model.takeLatestSnapshot() != nil, "the first snapshot is published")
        model.publishIfChanged()
        #expect(model.takeLatestSnapshot() == nil, "nothing changed")
        model.ingest(EventBatch(events: [event(EventTime(year: 2026, month: 1, day: 1))]))
        model.publishIfChanged()
        model.ingest(EventBatch(events: [event(EventTime(year: 2026, month: 1, day: 2))]))
        model.publishIfChanged()
        let snapshot = try #require(model.takeLatestSnapshot())
        #expect(snapshot.totalEvents == 2)
        #expect(model.takeLatestSnapshot() == nil)
    }

    /// When the input goes quiet nothing else changes, but the header's events/s must fall to 0:
    /// a live dashboard stuck at "14.7k ev/s" over an idle source misleads the analyst (seen with
    /// `watch --no-state` once positions were no longer kept, when no idle batch came any more).
    @Test func theRateFallsToZeroWhenTheInputGoesQuiet() throws {
        let clock = Mutex(0.0)
        let model = DashboardModel(symbols: symbols, wallClock: { clock.withLock { $0 } })
        var minute = EventTime(year: 2026, month: 1, day: 1)
        // One second of input, 1,000 events every 0.1 s.
        for _ in 0..<10 {
            model.ingest(EventBatch(events: (0..<1000).map { _ in event(minute) }))
            minute = minute + .seconds(1)
            model.publishIfChanged()
            clock.withLock { $0 += 0.1 }
        }
        let busy = try #require(model.takeLatestSnapshot())
        #expect(busy.eventsPerSecond > 5_000)
        // Then nothing for 5 s: the rate is published as it falls, and ends at 0.
        var rates: [Double] = []
        for _ in 0..<50 {
            clock.withLock { $0 += 0.1 }
            model.publishIfChanged()
            if let snapshot = model.takeLatestSnapshot() { rates.append(snapshot.eventsPerSecond) }
        }
        #expect(rates.count >= 2, "the falling rate is published while nothing else changes")
        #expect(rates.last == 0)
        #expect(rates == rates.sorted(by: >), "it only falls")
        // Once it is 0 and nothing changes, nothing more is published.
        clock.withLock { $0 += 1 }
        model.publishIfChanged()
        #expect(model.takeLatestSnapshot() == nil)
    }

    @Test func alertsAreUpsertedByIDAndListedNewestFirst() {
        let model = DashboardModel(symbols: symbols)
        var first = SampleAlerts.sample(of: .torAccess)
        var second = SampleAlerts.sample(of: .testAlert)
        second.firstSeen = first.firstSeen + .minutes(5)
        model.upsert(first)
        model.upsert(second)
        first.count = 9
        model.upsert(first)
        let alerts = model.currentSnapshot().alerts
        #expect(alerts.map(\.id) == [second.id, first.id])
        #expect(alerts.last?.count == 9)
    }
}
