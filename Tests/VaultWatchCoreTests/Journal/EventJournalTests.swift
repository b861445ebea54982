import Testing
@testable import VaultWatchCore

/// The dashboard's event journal: bounded by hours of event time and by a count of events,
/// its transient names still resolved after the symbol table forgot them, and an entity's
/// activity read from it.
@Suite struct EventJournalTests {
    static let start = EventTime(year: 2026, month: 3, day: 4, hour: 0)

    static func event(_ symbols: SymbolTable, minute: Int64, principal: String = "p-1", vault: String = "kv-a",
                      object: String = "secret", status: UInt16 = 200, ip: String = "10.0.0.1") -> AuditEvent {
        AuditEvent(
            time: EventTime(ticks: start.ticks + minute * EventTime.ticksPerMinute), vault: symbols.intern(vault),
            operation: symbols.intern("SecretGet"), principalID: symbols.intern(principal), callerIP: IPAddress(ip),
            httpStatusCode: status, outcome: Outcome(httpStatusCode: Int(status)), objectName: symbols.internTransient(object))
    }

    @Test func keepsOnlyTheLastHoursOfEventTime() {
        let symbols = SymbolTable()
        var journal = EventJournal(symbols: symbols, limits: JournalLimits(hours: 2, maximumEvents: 1_000))
        journal.append((0..<300).map { Self.event(symbols, minute: Int64($0)) })
        // The newest is minute 299: minutes 179…299 are within two hours.
        #expect(journal.count == 121)
        #expect(journal.oldestTime == EventTime(ticks: Self.start.ticks + 179 * EventTime.ticksPerMinute))
        journal.append([Self.event(symbols, minute: 10)])
        #expect(journal.count == 121, "an event already out of the window is not kept")
        #expect(journal.cappedThrough == nil)
    }

    @Test func keepsAtMostItsCapOfEventsAndSaysThePageIsCut() {
        let symbols = SymbolTable()
        var journal = EventJournal(symbols: symbols, limits: JournalLimits(hours: 24, maximumEvents: 50))
        journal.append((0..<120).map { Self.event(symbols, minute: Int64($0)) })
        #expect(journal.count == 50)
        #expect(journal.events.first?.time == EventTime(ticks: Self.start.ticks + 70 * EventTime.ticksPerMinute))
        #expect(journal.events.map(\.time) == journal.events.map(\.time).sorted(), "oldest first, in order across the ring")
        let activity = journal.activity(of: EntityReference(kind: .principal, id: "P-1"))
        #expect(activity.totalEvents == 50)
        #expect(activity.isTruncated)
        #expect(activity.journalOldest == journal.oldestTime)
        #expect(journal.estimatedBytes >= 50 * MemoryLayout<AuditEvent>.stride)
    }

    @Test func aJournalledEventResolvesItsObjectNameAfterTheSymbolTableForgotIt() {
        let symbols = SymbolTable(transientCapacity: 4)
        var journal = EventJournal(symbols: symbols, limits: JournalLimits(hours: 24, maximumEvents: 3))
        journal.append([Self.event(symbols, minute: 0, object: "payroll-db-password")])
        let kept = journal.events[0]
        for index in 0..<10 { _ = symbols.internTransient("other-\(index)") }
        #expect(symbols.string(kept.objectName) == nil, "the table has forgotten it")
        #expect(journal.string(kept.objectName) == "payroll-db-password")
        #expect(journal.evidence(for: kept).objectName == "payroll-db-password")
        let page = journal.activity(of: EntityReference(kind: .principal, id: "p-1"))
        #expect(page.events.first?.objectName == "payroll-db-password")
        #expect(journal.pinnedStringCount == 1)
        // Once its last event leaves, the pin goes.
        journal.append((1...3).map { Self.event(symbols, minute: $0, object: "later-\($0)") })
        #expect(journal.pinnedStringCount == 3)
        #expect(journal.string(kept.objectName) == nil)
    }

    @Test func anEntitysActivityCountsHoursOperationsOutcomesAndCounterparts() {
        let symbols = SymbolTable()
        var journal = EventJournal(symbols: symbols)
        var events: [AuditEvent] = []
        for minute in stride(from: Int64(0), to: 180, by: 10) {
            events.append(Self.event(symbols, minute: minute, vault: minute < 60 ? "kv-a" : "kv-b", status: minute == 120 ? 403 : 200))
            events.append(Self.event(symbols, minute: minute, principal: "p-2", vault: "kv-a", ip: "10.0.0.2"))
        }
        journal.append(events)
        let principal = journal.activity(of: EntityReference(kind: .principal, id: "p-1"))
        #expect(principal.totalEvents == 18)
        #expect(principal.hourlyCounts.suffix(3) == [6, 6, 6])
        #expect(principal.hourlyCounts.count == 24)
        #expect(principal.hourlyFailures.suffix(3) == [0, 0, 1])
        #expect(principal.vaults == [.init(name: "kv-b", count: 12), .init(name: "kv-a", count: 6)])
        #expect(principal.outcomes == [.init(name: "success", count: 17), .init(name: "denied", count: 1)])
        #expect(principal.events.first?.time == EventTime(ticks: Self.start.ticks + 170 * EventTime.ticksPerMinute))
        let vault = journal.activity(of: EntityReference(kind: .vault, id: "KV-A"))
        #expect(vault.totalEvents == 24)
        #expect(vault.callers == [.init(name: "p-2", count: 18), .init(name: "p-1", count: 6)])
        let address = journal.activity(of: EntityReference(kind: .address, id: "10.0.0.2"))
        #expect(address.totalEvents == 18)
        let limited = journal.activity(of: EntityReference(kind: .vault, id: "kv-a"), eventLimit: 5)
        #expect(limited.events.count == 5)
        #expect(limited.totalEvents == 24)
    }

    @Test func theModelBuildsTheOpenPagesActivityAndTakesOnlyItsProfile() {
        let symbols = SymbolTable()
        let model = DashboardModel(symbols: symbols, journalLimits: JournalLimits(hours: 24, maximumEvents: 1_000), wallClock: { 0 })
        model.ingest(EventBatch(events: (0..<30).map { Self.event(symbols, minute: Int64($0)) }))
        #expect(model.currentSnapshot().entityActivity == nil, "no page is open")
        let entity = EntityReference(kind: .principal, id: "p-1")
        model.focus(on: entity)
        model.updateProfile(EntityProfile(entity: EntityReference(kind: .vault, id: "kv-a"), isKnown: true))
        model.updateProfile(EntityProfile(entity: entity, isKnown: true, facts: [.init(label: "vaults used", values: ["kv-a"])]))
        let snapshot = model.currentSnapshot()
        #expect(snapshot.entityActivity?.totalEvents == 30)
        #expect(snapshot.entityProfile?.entity == entity)
        #expect(model.journalUsage.events == 30)
        model.focus(on: nil)
        #expect(model.currentSnapshot().entityActivity == nil)
    }

    @Test func theDetectorSaysWhatItsBaselinesKnowOfAnEntity() async {
        let symbols = SymbolTable()
        let detector = Detector(symbols: symbols)
        var events: [AuditEvent] = []
        for day in Int64(0)..<3 {
            for hour in Int64(9)..<12 {
                events.append(Self.event(symbols, minute: day * 1440 + hour * 60, ip: "198.51.100.7"))
            }
        }
        await detector.process(EventBatch(events: events))
        await detector.flush()
        let principal = await detector.profile(of: EntityReference(kind: .principal, id: "p-1"))
        #expect(principal.isKnown)
        #expect(principal.firstSeen == events[0].time)
        #expect(principal.facts.contains { $0.label == "vaults used" && $0.values.first?.hasPrefix("kv-a: since 2026-03-04") == true })
        #expect(principal.facts.contains { $0.label == "address ranges" && $0.values.first?.hasPrefix("198.51.100.0/24") == true })
        let vault = await detector.profile(of: EntityReference(kind: .vault, id: "kv-a"))
        #expect(vault.isKnown)
        #expect(vault.facts.contains { $0.label == "principals" && $0.values.first?.hasPrefix("p-1") == true })
        let address = await detector.profile(of: EntityReference(kind: .address, id: "198.51.100.99"))
        #expect(address.facts.contains { $0.label == "familiar for" && $0.values == ["p-1"] })
        let stranger = await detector.profile(of: EntityReference(kind: .principal, id: "nobody"))
        #expect(!stranger.isKnown)
    }

    /// README: "the last 24 hours of event time, at most 500,000 events (about 100 bytes each)";
    /// a page lists "the newest 1,000" of an entity's events.
    @Test func theDefaultsAreTheREADMEs() {
        #expect(JournalLimits() == JournalLimits(hours: 24, maximumEvents: 500_000))
        #expect(MemoryLayout<AuditEvent>.stride <= 128, "an event is about 100 bytes")
        let symbols = SymbolTable()
        var journal = EventJournal(symbols: symbols)
        journal.append((0..<1_200).map { Self.event(symbols, minute: Int64($0) / 60) })
        let page = journal.activity(of: EntityReference(kind: .principal, id: "p-1"))
        #expect(page.totalEvents == 1_200)
        #expect(page.events.count == 1_000)
    }

    @Test func theConfigurationSetsTheJournalsLimits() throws {
        let configuration = try ConfigurationFile.parse("[journal]\nhours = 6\nevents = 20000\n", file: "j.toml", over: DetectorConfiguration())
        #expect(configuration.journal == JournalLimits(hours: 6, maximumEvents: 20_000))
        #expect(try ConfigurationFile.parse("", file: "j.toml", over: DetectorConfiguration()).journal == JournalLimits())
        do {
            _ = try ConfigurationFile.parse("[journal]\nevents = 10\n", file: "j.toml", over: DetectorConfiguration())
            Issue.record("a cap below 1,000 was accepted")
        } catch {
            #expect(error.description.hasPrefix("j.toml:2: journal.events must be between 1000"))
        }
    }
}
