import Foundation
import Testing
@testable import VaultWatchCore

@Suite("Event order, late records and exported state")
struct OrderAndStateTests {
    /// Ten days of routine, then an attack day that raises several behavioural kinds.
    static func scenario(_ fixture: BehaviourFixture) -> [AuditEvent] {
        var events = fixture.history(days: 11)
        let day = 10
        // A new user, a new application, a list then mass reads, a new operation, a volume spike.
        events.append(fixture.userCall(at: BehaviourFixture.time(day: day, hour: 11, minute: 2), principalID: "cccccccc-0000-4000-8000-000000000003", upn: "bob@contoso.com"))
        events.append(fixture.serviceCall(at: BehaviourFixture.time(day: day, hour: 12, minute: 1), appID: "eeeeeeee-0000-4000-8000-00000000a003"))
        let list = BehaviourFixture.time(day: day, hour: 13, minute: 15)
        events.append(fixture.serviceCall(at: list, operation: "SecretList"))
        for index in 0..<12 { events.append(fixture.serviceCall(at: list + .seconds(Int64(20 * (index + 1))), secret: "token-\(index)")) }
        events.append(fixture.userCall(at: BehaviourFixture.time(day: day, hour: 15, minute: 30), operation: "SecretBackup"))
        for index in 0..<600 {
            events.append(fixture.serviceCall(at: BehaviourFixture.time(day: day, hour: 16) + .seconds(Int64(index * 5)), secret: "api-key-\(index % 4)"))
        }
        return events.sorted { $0.time < $1.time }
    }

    /// What must not depend on order: kind, vault, principal, count, first and last sighting.
    static func signature(_ alerts: [Alert]) -> [String] {
        alerts.map { "\($0.kind.rawValue)|\($0.vault ?? "-")|\($0.principalID ?? "-")|\($0.count)|\($0.firstSeen.iso8601)|\($0.lastSeen.iso8601)" }.sorted()
    }

    @Test("shuffling records within ten-minute windows gives the same alerts")
    func shuffleWithinTolerance() async {
        let fixture = BehaviourFixture()
        let ordered = Self.scenario(fixture)
        let expected = Self.signature(await fixture.run(ordered))
        #expect(expected.count >= 5)
        #expect(Set(expected.map { $0.split(separator: "|")[0] }).isSuperset(of: ["KV_UserAnomaly", "KV_AppAnomaly", "KV_ListGetAnomaly", "KV_OperationPatternAnomaly", "KV_OperationVolumeAnomaly"]))

        var generator = SeededRandom(seed: 7)
        for round in 0..<3 {
            var buckets: [Int64: [AuditEvent]] = [:]
            for event in ordered { buckets[event.time.ticks / EventTime.ticksPerMinute / 10, default: []].append(event) }
            var shuffled: [AuditEvent] = []
            for key in buckets.keys.sorted() { shuffled += buckets[key, default: []].shuffled(using: &generator) }
            #expect(shuffled != ordered)
            let alerts = await fixture.run(shuffled, batchSize: [37, 500, 4096][round])
            #expect(Self.signature(alerts) == expected)
        }
    }

    @Test("a record later than the tolerance is still learned and still raises its alert")
    func lateRecord() async {
        let fixture = BehaviourFixture()
        let events = fixture.history(days: 11)
        // bob's first call arrives more than two hours after its time, behind later records.
        let late = fixture.userCall(at: BehaviourFixture.time(day: 10, hour: 9, minute: 50), principalID: "cccccccc-0000-4000-8000-000000000003", upn: "bob@contoso.com")
        let cut = events.firstIndex { $0.time > BehaviourFixture.time(day: 10, hour: 12, minute: 30) } ?? events.count
        // Later the same day bob calls again, on time (among the records of its time): he is now known.
        let again = fixture.userCall(at: BehaviourFixture.time(day: 10, hour: 23), principalID: "cccccccc-0000-4000-8000-000000000003", upn: "bob@contoso.com")
        let rest = [late] + events[cut...].filter { $0.time <= again.time } + [again] + events[cut...].filter { $0.time > again.time }
        let detector = Detector(symbols: fixture.symbols, configuration: fixture.configuration())
        await detector.process(EventBatch(events: Array(events[..<cut])))
        await detector.process(EventBatch(events: rest))
        await detector.finish()
        var alerts: [Alert] = []
        for await alert in detector.alerts { alerts.append(alert) }
        #expect(alerts.map(\.kind) == [.userAnomaly])
        #expect(alerts.first?.firstSeen == late.time)
        #expect(alerts.first?.count == 1)
        #expect(await detector.currentCounters.lateRecords == 1)
    }

    @Test("exported state restores in a new process: the attack day gives the uninterrupted run's alerts")
    func exportAndRestore() async throws {
        let fixture = BehaviourFixture()
        let all = Self.scenario(fixture)
        let expected = Self.signature(await fixture.run(all))

        let split = all.firstIndex { $0.time >= BehaviourFixture.time(day: 10, hour: 0) } ?? 0
        let first = Detector(symbols: fixture.symbols, configuration: fixture.configuration())
        await first.process(EventBatch(events: Array(all[..<split])))
        await first.flush()
        let state = try await first.exportState()

        // A new symbol table, numbered differently, as in a new process.
        let other = BehaviourFixture()
        for filler in ["zz", "yy", "xx"] { _ = other.symbols.intern(filler) }
        let rest = all[split...].map { event in
            AuditEvent(
                time: event.time, vault: other.symbols.intern(fixture.symbols.string(event.vault) ?? ""),
                resourceID: other.symbols.intern(fixture.symbols.string(event.resourceID) ?? ""),
                operation: other.symbols.intern(fixture.symbols.string(event.operation) ?? ""),
                principalID: other.symbols.intern(fixture.symbols.string(event.principalID) ?? ""),
                upn: other.symbols.intern(fixture.symbols.string(event.upn) ?? ""),
                appID: other.symbols.intern(fixture.symbols.string(event.appID) ?? ""), callerIP: event.callerIP,
                httpStatusCode: event.httpStatusCode, outcome: event.outcome, objectKind: event.objectKind,
                objectName: other.symbols.intern(fixture.symbols.string(event.objectName) ?? ""))
        }
        let restored = try Detector(symbols: other.symbols, configuration: other.configuration(), restoring: state)
        await restored.process(EventBatch(events: rest))
        await restored.finish()
        var alerts: [Alert] = []
        for await alert in restored.alerts { alerts.append(alert) }
        var latest: [String: Alert] = [:]
        for alert in alerts { latest[alert.id] = alert }
        #expect(Self.signature(Array(latest.values)) == expected)

        #expect(throws: BaselineStateError.self) {
            _ = try Detector(symbols: SymbolTable(), restoring: Data("{\"version\": 99}".utf8))
        }
    }

    @Test("the vault summary gives the learned band per hour of the week and the usual mix")
    func summary() async throws {
        let fixture = BehaviourFixture()
        let detector = Detector(symbols: fixture.symbols, configuration: fixture.configuration())
        await detector.process(EventBatch(events: fixture.history(days: 14)))
        await detector.flush()
        let summary = try #require(await detector.baselineSummary(vault: "KV-Payments"))
        #expect(summary.isLearning == false)
        #expect(summary.historyDays == 14)
        #expect(summary.hourOfWeekBands.count == 168)
        // Weekday 16:00: the service's five reads, every day.
        let band = try #require(summary.band(weekday: 2, hour: 16))
        #expect(band.median == 5)
        #expect(band.mad == 0)
        // Weekday 09:00: plus alice's three calls.
        #expect(summary.band(weekday: 3, hour: 9)?.median == 8)
        #expect(summary.operationMix.first?.operation == "SecretGet")
        #expect((summary.operationMix.first?.usualShare ?? 0) > 0.9)
        #expect(await detector.baselineSummary(vault: "unknown-vault") == nil)
    }
}
