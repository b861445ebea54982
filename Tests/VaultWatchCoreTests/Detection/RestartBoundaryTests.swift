import Foundation
import Testing
import VaultWatchTestSupport
@testable import VaultWatchCore

/// DESIGN.md §7: "a restart at any record boundary gives the uninterrupted run's alerts".
///
/// The input is the demo tenant (a week of habits, then an attack day that stages every alert
/// kind). One detector reads it all, exporting its state at many record boundaries on the way;
/// each exported state is restored into a new detector with a new symbol table (numbered
/// differently, as in a new process), which reads the rest in batches of another size. The
/// alerts the two published, upserted by id, must equal the uninterrupted run's, field for
/// field (ids, counts, reasons, evidence), at every cut. Cuts fall right after every secret
/// listing and access change of the attack day (before the reads that follow them), inside
/// every step of every story (mid-hour of a spike, between a change and its reads), evenly
/// over the attack day, and in the learning days.
@Suite("Restarts at record boundaries")
struct RestartBoundaryTests {
    static let batchSize = 400

    /// The demo tenant's records as events, with their names, so any symbol table can take them.
    struct Input {
        let tenant: DemoTenant
        let events: [NamedEvent]
        let configuration: DetectorConfiguration

        init() throws {
            tenant = DemoTenant(days: 8)
            let symbols = SymbolTable()
            let records = Array(tenant.records)
            let batch = DemoDecoding.decode(records, symbols: symbols)
            #expect(batch.malformedCount == 0)
            events = batch.events.map { NamedEvent($0, symbols: symbols) }
            let demoData = TestPaths.repositoryRoot.appendingPathComponent("demo-data")
            var configuration = DetectorConfiguration(language: .en)
            configuration.torExits = try ThreatIntelList.loadTorExitList(path: demoData.appendingPathComponent("tor-exit-addresses.txt").path)
            configuration.threatIntel = try ThreatIntelList.loadThreatIntel(path: demoData.appendingPathComponent("threat-intel.txt").path)
            self.configuration = configuration
        }

        func events(_ range: Range<Int>, symbols: SymbolTable) throws -> [AuditEvent] {
            try events[range].map { try $0.event(symbols: symbols) }
        }

        /// Record boundaries to cut at (the index of the first record after the cut), sorted.
        func cuts() -> [Int] {
            let attackStart = tenant.attackDayStart.ticks
            let attackIndex = events.firstIndex { $0.time >= attackStart } ?? events.count
            var cuts = Set<Int>()
            // Right after each listing and each access change of the attack day.
            for index in attackIndex..<events.count {
                let operation = events[index].operation?.lowercased() ?? ""
                if operation.hasPrefix("secretlist") || operation == "vaultput" || operation == "vaultpatch"
                    || operation.contains("accesspolicy")
                {
                    cuts.insert(index + 1)
                }
            }
            // Inside every step of every story: a minute in, and half-way through its calls.
            func firstIndex(after ticks: Int64) -> Int { events.firstIndex { $0.time > ticks } ?? events.count }
            for story in tenant.scenario.stories {
                for step in story.steps {
                    let start = attackStart + Int64((story.hour * 60 + story.minute + step.minute) * 60) * EventTime.ticksPerSecond
                    let half = Int64(step.operations.count * step.spacing.lowerBound / 2) * EventTime.ticksPerSecond
                    cuts.insert(firstIndex(after: start + 60 * EventTime.ticksPerSecond))
                    cuts.insert(firstIndex(after: start + half))
                }
            }
            // Evenly over the attack day, and a few in the learning days.
            let stride = max(1, (events.count - attackIndex) / 25)
            for index in Swift.stride(from: attackIndex, to: events.count, by: stride) { cuts.insert(index) }
            for day in [1, 4, 7] {
                cuts.insert(firstIndex(after: tenant.dayStart(day).ticks + 13 * EventTime.ticksPerHour + 17 * EventTime.ticksPerMinute))
            }
            cuts.insert(attackIndex)
            return cuts.filter { $0 > 0 && $0 < events.count }.sorted()
        }
    }

    /// What a run published, upserted by id: each alert's final state.
    struct Published {
        var alerts: [String: Alert] = [:]

        mutating func add(_ touched: [Alert]) {
            for alert in touched { alerts[alert.id] = alert }
        }
    }

    /// A new symbol table numbered differently from the first process's.
    static func newProcessSymbols() -> SymbolTable {
        let symbols = SymbolTable()
        for filler in ["zz-filler", "KV-ZZZ", "operation-from-another-run"] { _ = symbols.intern(filler) }
        return symbols
    }

    static func feed(_ events: [AuditEvent], to detector: Detector, batchSize: Int, into published: inout Published) async {
        var start = 0
        while start < events.count {
            let end = min(events.count, start + batchSize)
            published.add(await detector.process(EventBatch(events: Array(events[start..<end]))))
            start = end
        }
    }

    @Test("a state exported at any record boundary, restored in a new process, gives the uninterrupted run's alerts")
    func everyCut() async throws {
        let input = try Input()
        let cuts = input.cuts()
        #expect(cuts.count >= 60)

        // The reference: one run, no export.
        let referenceSymbols = SymbolTable()
        let reference = Detector(symbols: referenceSymbols, configuration: input.configuration)
        var expected = Published()
        await Self.feed(try input.events(0..<input.events.count, symbols: referenceSymbols), to: reference, batchSize: Self.batchSize, into: &expected)
        expected.add(await reference.finish())
        let expectedCounters = await reference.currentCounters
        // Every kind is staged, behavioural ones included: a restart has something to lose.
        let kinds = Set(expected.alerts.values.map(\.kind))
        #expect(kinds.isSuperset(of: [.listGetAnomaly, .putGetAnomaly, .operationVolumeAnomaly, .accountVolumeAnomaly,
            .userAnomaly, .appAnomaly, .userAppAnomaly, .operationPatternAnomaly, .torAccess]), "\(kinds)")

        // The run that exports at every cut: exporting must not change it.
        let symbols = SymbolTable()
        let all = try input.events(0..<input.events.count, symbols: symbols)
        let exporting = Detector(symbols: symbols, configuration: input.configuration)
        var exported = Published()
        var position = 0
        var failures: [String] = []
        for cut in cuts {
            await Self.feed(Array(all[position..<cut]), to: exporting, batchSize: Self.batchSize, into: &exported)
            position = cut
            let state = try await exporting.exportState()
            let openAlerts = await exporting.openAlerts
            let clock = await exporting.eventClock

            let newSymbols = Self.newProcessSymbols()
            let restored = try Detector(symbols: newSymbols, configuration: input.configuration, restoring: state)
            await restored.restore(openAlerts: openAlerts, eventClock: clock)
            var union = exported
            await Self.feed(try input.events(cut..<input.events.count, symbols: newSymbols), to: restored, batchSize: 157, into: &union)
            union.add(await restored.finish())
            if let difference = Self.difference(union.alerts, expected.alerts) {
                failures.append("cut at record \(cut) (\(EventTime(ticks: input.events[cut - 1].time).iso8601)): \(difference)")
            }
            let counters = await restored.currentCounters
            if counters != expectedCounters { failures.append("cut at record \(cut): counters \(counters) != \(expectedCounters)") }
        }
        await Self.feed(Array(all[position...]), to: exporting, batchSize: Self.batchSize, into: &exported)
        exported.add(await exporting.finish())
        #expect(Self.difference(exported.alerts, expected.alerts) == nil, "exporting changed the run")
        #expect(failures.isEmpty, "\(failures.count) of \(cuts.count) cuts differ:\n\(failures.prefix(10).joined(separator: "\n"))")
    }

    @Test("a chain of restarts, each from the previous restart's state, gives the uninterrupted run's alerts")
    func chainOfRestarts() async throws {
        let input = try Input()
        let referenceSymbols = SymbolTable()
        let reference = Detector(symbols: referenceSymbols, configuration: input.configuration)
        var expected = Published()
        await Self.feed(try input.events(0..<input.events.count, symbols: referenceSymbols), to: reference, batchSize: 1000, into: &expected)
        expected.add(await reference.finish())

        let cuts = input.cuts()
        var published = Published()
        var symbols = SymbolTable()
        var detector = Detector(symbols: symbols, configuration: input.configuration)
        var position = 0
        for (number, cut) in cuts.enumerated() {
            await Self.feed(try input.events(position..<cut, symbols: symbols), to: detector, batchSize: 50 + 97 * (number % 7), into: &published)
            position = cut
            let state = try await detector.exportState()
            let openAlerts = await detector.openAlerts
            let clock = await detector.eventClock
            symbols = Self.newProcessSymbols()
            detector = try Detector(symbols: symbols, configuration: input.configuration, restoring: state)
            await detector.restore(openAlerts: openAlerts, eventClock: clock)
        }
        await Self.feed(try input.events(position..<input.events.count, symbols: symbols), to: detector, batchSize: 300, into: &published)
        published.add(await detector.finish())
        #expect(Self.difference(published.alerts, expected.alerts) == nil)
        #expect(await detector.currentCounters == reference.currentCounters)
        #expect(await detector.restoredCounters.eventsSeen == cuts.last)
    }

    @Test("held events, open sequences and the open hour are in the state: a listing cut from its reads still alerts")
    func inFlightIsSaved() async throws {
        let fixture = BehaviourFixture()
        let history = fixture.history(days: 11)
        let list = BehaviourFixture.time(day: 10, hour: 13, minute: 15)
        // The input up to the listing; the reads and the rest of the day come after the restart.
        let events = history.filter { $0.time < list } + [fixture.serviceCall(at: list, operation: "SecretList")]
        let reads = ((0..<12).map { fixture.serviceCall(at: list + .seconds(Int64(20 * ($0 + 1))), secret: "token-\($0)") }
            + history.filter { $0.time >= list }).sorted { $0.time < $1.time }
        let first = Detector(symbols: fixture.symbols, configuration: fixture.configuration())
        await first.process(EventBatch(events: events))
        let state = try await first.exportState()
        // The listing is still held for reordering, and nothing of it was learned yet.
        let saved = try BaselineSnapshot.decode(state)
        let inFlight = try #require(saved.inFlight)
        #expect(inFlight.reorder.pending.contains { $0.operation == "SecretList" })
        #expect(inFlight.baselines.vaultHours.contains { $0.vault == "kv-payments" })

        let other = BehaviourFixture()
        let restored = try Detector(symbols: other.symbols, configuration: other.configuration(), restoring: state)
        var published = Published()
        await Self.feed(reads.map { Self.translate($0, from: fixture.symbols, to: other.symbols) }, to: restored, batchSize: 5, into: &published)
        published.add(await restored.finish())
        let listGet = published.alerts.values.filter { $0.kind == .listGetAnomaly }
        #expect(listGet.count == 1)
        // Its reasons count the reads since the listing made before the restart.
        #expect(listGet.first?.reasons.contains { $0.contains("13:15") } == true, "\(listGet.first?.reasons ?? [])")
    }

    static func translate(_ event: AuditEvent, from: SymbolTable, to: SymbolTable) -> AuditEvent {
        // Through the one event codec, as a restart does.
        (try? NamedEvent(event, symbols: from).event(symbols: to)) ?? event
    }

    /// The first difference between two sets of alerts, in words; nil when equal.
    static func difference(_ actual: [String: Alert], _ expected: [String: Alert]) -> String? {
        let missing = Set(expected.keys).subtracting(actual.keys)
        let extra = Set(actual.keys).subtracting(expected.keys)
        if !missing.isEmpty || !extra.isEmpty {
            let describe = { (ids: Set<String>, alerts: [String: Alert]) in
                ids.sorted().prefix(4).compactMap { alerts[$0] }.map { "\($0.kind.rawValue) \($0.vault ?? "-") \($0.firstSeen.iso8601)" }
            }
            return "missing \(describe(missing, expected)), extra \(describe(extra, actual))"
        }
        for id in expected.keys.sorted() where actual[id] != expected[id] {
            guard let lhs = actual[id], let rhs = expected[id] else { continue }
            return "\(rhs.kind.rawValue) \(id): count \(lhs.count) vs \(rhs.count), reasons \(lhs.reasons == rhs.reasons ? "same" : "\(lhs.reasons) vs \(rhs.reasons)"), evidence \(lhs.evidence == rhs.evidence ? "same" : "differs"), lastSeen \(lhs.lastSeen.iso8601) vs \(rhs.lastSeen.iso8601)"
        }
        return nil
    }
}

@Suite("The event codec")
struct NamedEventTests {
    @Test("every field of an event survives a trip through another symbol table")
    func roundTrip() throws {
        let symbols = SymbolTable()
        let event = AuditEvent(
            time: EventTime(ticks: 17_000_000_000_123_456), vault: symbols.intern("kv-payments"),
            resourceID: symbols.intern("/SUBSCRIPTIONS/1/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/KV-PAYMENTS"),
            operation: symbols.intern("VaultPut"), operationVersion: symbols.intern("2023-07-01"),
            principalID: symbols.intern("aaaaaaaa-0000-4000-8000-000000000001"), upn: symbols.intern("alice@contoso.com"),
            appID: symbols.intern("eeeeeeee-0000-4000-8000-00000000a001"), callerIP: IPAddress("2001:db8::7"),
            httpStatusCode: 200, resultSignature: symbols.intern("OK"), outcome: .success, objectKind: .secret,
            objectName: symbols.intern("db-password"), clientInfo: symbols.intern("azsdk-net/4.5"),
            grantedPrincipalID: symbols.intern("bbbbbbbb-0000-4000-8000-000000000002"), durationMs: 42,
            location: RecordLocation(source: symbols.intern("/logs/kv.jsonl"), line: 1234))
        let other = SymbolTable()
        for filler in ["a", "b", "c", "d"] { _ = other.intern(filler) }
        let encoded = try JSONEncoder().encode(NamedEvent(event, symbols: symbols))
        let back = try JSONDecoder().decode(NamedEvent.self, from: encoded).event(symbols: other)
        #expect(NamedEvent(back, symbols: other) == NamedEvent(event, symbols: symbols))
        #expect(back.vault != event.vault, "the other table numbers names differently")
        #expect(AlertEvidence(event: back, symbols: other) == AlertEvidence(event: event, symbols: symbols))

        var damaged = NamedEvent(event, symbols: symbols)
        damaged.callerIP = "not an address"
        #expect(throws: BaselineStateError.self) { try damaged.event(symbols: other) }
    }
}
