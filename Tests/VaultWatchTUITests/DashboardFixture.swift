import VaultWatchCore
@testable import VaultWatchTUI

/// A fixed world for screen tests: nine days of history on three vaults, a burst of secret
/// reads on `payments-kv` in the last hour, and four alerts. The same state on every run.
/// The bands come from a detector fed the same events, as in the product (one band).
enum DashboardFixture {
    static let clock = EventTime(year: 2026, month: 3, day: 4, hour: 14, minute: 31, second: 5)

    /// The fixture's snapshot, and the journal and detector fed the same events (for entity pages).
    struct World {
        var snapshot: DashboardSnapshot
        var journal: EventJournal
        var detector: Detector
    }

    static func snapshot() async -> DashboardSnapshot {
        await world().snapshot
    }

    static func world() async -> World {
        let symbols = SymbolTable()
        var tracker = ActivityTracker(symbols: symbols)
        var events: [AuditEvent] = []
        let vaults = ["payments-kv", "web-kv", "hr-kv"].map { symbols.intern($0) }
        let get = symbols.intern("SecretGet")
        let list = symbols.intern("SecretList")
        let vaultGet = symbols.intern("VaultGet")
        let alice = symbols.intern("3f2a1b4c-5d6e-4f70-8192-a3b4c5d6e7f8")
        let aliceUPN = symbols.intern("alice.martin@contoso.example")
        let service = symbols.intern("5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d")
        let start = EventTime(ticks: clock.ticks - 9 * EventTime.ticksPerDay)
        let currentHour = clock.ticks / EventTime.ticksPerHour
        var hour = start.ticks / EventTime.ticksPerHour
        while hour <= currentHour {
            let hourOfDay = Int(hour % 24)
            for (index, vault) in vaults.enumerated() {
                var count = (hourOfDay >= 8 && hourOfDay < 18 ? 24 : 6) / (index + 1)
                if hour == currentHour && index == 0 { count = 90 }  // the burst
                for event in 0..<count {
                    let minute = Int64(event * 60 / max(count, 1))
                    let time = EventTime(ticks: hour * EventTime.ticksPerHour + minute * EventTime.ticksPerMinute + Int64(event) * EventTime.ticksPerSecond)
                    guard time <= clock else { continue }
                    let operation = event % 7 == 0 ? list : (event % 5 == 0 ? vaultGet : get)
                    let isBurst = hour == currentHour && index == 0
                    events.append(AuditEvent(
                        time: time, vault: vault, operation: isBurst ? get : operation,
                        principalID: isBurst || event % 3 == 0 ? alice : service,
                        upn: isBurst || event % 3 == 0 ? aliceUPN : .none,
                        callerIP: IPAddress(isBurst ? "203.0.113.45" : "10.1.2.3"), httpStatusCode: isBurst && event % 9 == 0 ? 403 : 200,
                        outcome: isBurst && event % 9 == 0 ? .denied : .success,
                        objectName: symbols.intern("secret-\(event % 12)")))
                }
            }
            hour += 1
        }
        tracker.ingest(EventBatch(events: events))
        let detector = Detector(symbols: symbols)
        await detector.process(EventBatch(events: events))
        let baselines = await detector.baselineSummaries(vaults: tracker.vaultNames)
        var alerts: [Alert] = []
        for (offset, kind) in [AlertKind.listGetAnomaly, .torAccess, .sensitiveOperation, .testAlert].enumerated() {
            var alert = SampleAlerts.sample(of: kind)
            alert.vault = offset == 3 ? "web-kv" : "payments-kv"
            alert.firstSeen = EventTime(ticks: clock.ticks - Int64(offset) * 7 * EventTime.ticksPerMinute)
            alert.lastSeen = alert.firstSeen
            alert.isSample = false
            if offset == 0 {
                // The listing alert is Alice's, from the burst's address: its entities have pages.
                alert.principalID = "3f2a1b4c-5d6e-4f70-8192-a3b4c5d6e7f8"
                alert.upn = "alice.martin@contoso.example"
                alert.ip = IPAddress("203.0.113.45")
                alert.appID = nil
            }
            alerts.append(alert)
        }
        let openAlerts = ["payments-kv": 3, "web-kv": 1]
        var journal = EventJournal(symbols: symbols)
        journal.append(events)
        let snapshot = DashboardSnapshot(
            sequence: 1, eventClock: tracker.eventClock, firstEventTime: tracker.firstEventTime,
            totalEvents: tracker.totalEvents, malformedRecords: 2, eventsPerSecond: 1234,
            vaults: tracker.vaultActivities(openAlerts: openAlerts, baselines: baselines), recentEvents: tracker.activityEvents(limit: 64),
            alerts: alerts, learningDays: 7)
        return World(snapshot: snapshot, journal: journal, detector: detector)
    }

    /// The fixture's dashboard with `entity`'s page open over it (through `screen`'s path),
    /// its activity and profile in the snapshot as the model and detector give them.
    static func entityState(_ entity: EntityReference, glyphs: ChartGlyphs = .blocks) async -> AppState {
        let world = await world()
        var state = await state(glyphs: glyphs, world: world)
        state.push(.entity(entity))
        state.snapshot.entityActivity = world.journal.activity(of: entity)
        state.snapshot.entityProfile = await world.detector.profile(of: entity)
        state.effects.removeAll()
        return state
    }

    static func state(glyphs: ChartGlyphs = .blocks, world: World? = nil) async -> AppState {
        var state = AppState(
            sourceDescription: "demo-data/generated", mode: .replay, speed: 720,
            themeNames: ["dark", "light", "high-contrast", "colour-blind-safe"], chartGlyphs: glyphs)
        if let world { state.receive(world.snapshot) } else { state.receive(await snapshot()) }
        state.markUntil = 0  // the header mark is timed; tests look at the steady screen
        return state
    }
}
