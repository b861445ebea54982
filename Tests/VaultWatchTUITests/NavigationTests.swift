import Testing
import VaultWatchCore
@testable import VaultWatchTUI

/// The path an analyst walks with `Enter` and back with `q`/`Esc`: alert → entity → event →
/// entity, each page found again as it was left, the model told which entity page is open.
@Suite struct NavigationTests {
    static let alice = EntityReference(kind: .principal, id: "3f2a1b4c-5d6e-4f70-8192-a3b4c5d6e7f8")

    @Test func alertToPrincipalToOneOfItsEventsAndBack() async {
        let world = await DashboardFixture.world()
        var state = await DashboardFixture.state(world: world)
        let alert = state.visibleAlerts[0]
        state.handle(.enter)
        #expect(state.screen == .detail(alertID: alert.id))
        state.handle(.tab)
        #expect(state.cursor.section == 1, "Tab moves the cursor to the entities")
        state.handle(.enter)
        #expect(state.screen == .entity(Self.alice))
        #expect(state.effects == [.entityFocused(Self.alice)])
        #expect(state.path.map(\.screen) == [.dashboard, .detail(alertID: alert.id)])
        // The model answers with the page's activity.
        state.snapshot.entityActivity = world.journal.activity(of: Self.alice)
        let events = state.entityEvents
        #expect(events.count == 248)
        #expect(events.allSatisfy { $0.principalID == Self.alice.id })
        #expect(zip(events, events.dropFirst()).allSatisfy { $0.time >= $1.time }, "newest first")
        state.handle(.character("j"))
        state.handle(.enter)
        #expect(state.screen == .event(events[1]))
        #expect(state.effects.last == .entityFocused(nil), "no entity page is on top")
        // From the event, its vault's page.
        state.handle(.character("G"))
        state.handle(.enter)
        #expect(state.screen == .entity(EntityReference(kind: .vault, id: events[1].vault ?? "")))
        state.handle(.escape)
        #expect(state.screen == .event(events[1]))
        state.handle(.character("q"))
        #expect(state.screen == .entity(Self.alice))
        #expect(state.cursor.row == 1, "the event list's selection is kept")
        #expect(state.effects.last == .entityFocused(Self.alice))
        state.handle(.character("q"))
        #expect(state.screen == .detail(alertID: alert.id))
        #expect(state.cursor.section == 1, "the alert page's cursor is kept")
        state.handle(.escape)
        #expect(state.screen == .dashboard)
        #expect(state.path.isEmpty)
        #expect(!state.effects.contains(.quit))
        state.handle(.character("q"))
        #expect(state.effects.last == .quit)
    }

    @Test func anEventPageWithoutItsRecordAsksForItAndShowsItOnceGiven() async {
        var state = await DashboardFixture.entityState(Self.alice)
        state.snapshot.entityActivity?.events[0].source = "audit.jsonl:12"  // read from a file
        let event = state.entityEvents[0]
        state.handle(.enter)
        #expect(state.effects == [.entityFocused(nil), .recordWanted(event)])
        state.attachRecord(#"{"operationName":"SecretGet"}"#, to: event)
        guard case .event(let shown) = state.screen else {
            Issue.record("not on the event's page")
            return
        }
        #expect(shown.record == #"{"operationName":"SecretGet"}"#)
        let screen = render(state: state, size: ScreenSize(width: 80, height: 24)).lines.joined(separator: "\n")
        #expect(screen.contains("─ Original record "))
        #expect(screen.contains(#""operationName": "SecretGet""#))
        // Going on to an entity and back finds the record still there.
        state.handle(.enter)
        state.handle(.character("q"))
        #expect(state.screen == .event(shown))
    }

    @Test func theEntityPagesFilterNarrowsItsEventsAndEscClearsItBeforeGoingBack() async {
        var state = await DashboardFixture.entityState(Self.alice)
        state.handle(.character("/"))
        for character in "denied" { state.handle(.character(character)) }
        state.handle(.enter)
        #expect(state.entityEvents.count == 6)
        #expect(state.entityEvents.allSatisfy { $0.outcome == .denied })
        state.handle(.escape)
        #expect(state.filter.isEmpty)
        #expect(state.screen == .entity(Self.alice))
        state.handle(.escape)
        #expect(state.screen == .dashboard)
    }

    @Test func anAlertOnAnEntityPageOpensAndItsEntitiesGoOn() async {
        var state = await DashboardFixture.entityState(EntityReference(kind: .vault, id: "payments-kv"))
        #expect(state.entityAlerts.count == 3)
        state.handle(.tab)
        state.handle(.character("j"))
        let second = state.entityAlerts[1]
        state.handle(.enter)
        #expect(state.screen == .detail(alertID: second.id))
        state.handle(.tab)
        state.handle(.character("G"))
        state.handle(.enter)
        #expect(state.screen == .entity(EntityReference(kind: .vault, id: "payments-kv")), "the vault is the alert's last entity")
        #expect(state.path.count == 3)
    }

    @Test func anActivityRowOpensItsCallersPage() async {
        var state = await DashboardFixture.state()
        state.handle(.character("3"))
        let first = state.visibleActivity[0]
        state.handle(.enter)
        #expect(first.principalID == Self.alice.id)
        #expect(state.screen == .entity(Self.alice))
    }

    @Test func yShowsTheOriginalRecordOfAnEvidenceEventAndClosesAgain() async {
        var state = await DashboardFixture.state()
        state.snapshot.alerts[0].evidence[0].record = #"{"operationName":"SecretList"}"#
        state.handle(.enter)
        state.handle(.character("y"))
        #expect(state.isShowingRawJSON)
        let screen = render(state: state, size: ScreenSize(width: 100, height: 30)).lines.joined(separator: "\n")
        #expect(screen.contains("Original record"))
        #expect(screen.contains("\"operationName\": \"SecretList\""))
        state.handle(.escape)
        #expect(!state.isShowingRawJSON)
        #expect(state.screen == .detail(alertID: state.visibleAlerts[0].id))
    }

    /// README: "When the cap rather than the hours limits what a page covers, the page says
    /// since when it counts."
    @Test func aPageCutByTheJournalsCapSaysSinceWhen() async {
        var state = await DashboardFixture.entityState(Self.alice)
        let size = ScreenSize(width: 160, height: 48)
        #expect(!render(state: state, size: size).lines.joined().contains("event cap"))
        state.snapshot.entityActivity?.journalOldest = EventTime(year: 2026, month: 3, day: 4, hour: 9, minute: 15)
        let screen = render(state: state, size: size).lines.joined(separator: "\n")
        #expect(screen.contains("the journal's event cap"))
        #expect(screen.contains("keeps only since 03-04 09:15"), "the line wraps in the page's half")
    }

    @Test func aPageOpenedWhileALiveDisplayIsPausedStillFills() async {
        let world = await DashboardFixture.world()
        var state = AppState(sourceDescription: "audit.jsonl", mode: .live)
        state.receive(world.snapshot)
        state.handle(.character(" "))
        #expect(state.isPaused)
        state.push(.entity(Self.alice))
        var next = world.snapshot
        next.totalEvents += 10
        next.entityActivity = world.journal.activity(of: Self.alice)
        state.receive(next)
        #expect(state.snapshot.totalEvents == world.snapshot.totalEvents, "the dashboard stands still")
        #expect(state.entityActivity?.totalEvents == 248, "the page fills")
    }

    @Test func yOnAnEvidenceEventWithoutItsRecordAsksForIt() async {
        var state = await DashboardFixture.state()
        state.handle(.enter)
        let evidence = state.snapshot.alerts[0].evidence[0]
        #expect(evidence.record == nil && evidence.source != nil)
        state.handle(.character("y"))
        #expect(state.effects == [.recordWanted(evidence)])
        state.attachRecord(#"{"operationName":"SecretList"}"#, to: evidence)
        let screen = render(state: state, size: ScreenSize(width: 80, height: 24)).lines.joined(separator: "\n")
        #expect(screen.contains(#""operationName": "SecretList""#))
        state.handle(.escape)
        state.effects.removeAll()
        state.handle(.character("y"))
        #expect(state.effects.isEmpty, "a record found once is not asked for again")
    }

    @Test func aLongRecordScrollsOverThePage() async {
        var state = await DashboardFixture.state()
        let members = (0..<60).map { "\"field\($0)\":\($0)" }.joined(separator: ",")
        state.snapshot.alerts[0].evidence[0].record = "{" + members + "}"
        state.handle(.enter)
        state.handle(.character("y"))
        let size = ScreenSize(width: 80, height: 24)
        var screen = render(state: state, size: size).lines.joined(separator: "\n")
        #expect(screen.contains("\"field0\": 0,"))
        #expect(screen.contains("more ↓"))
        state.handle(.pageDown)
        state.handle(.character("j"))
        screen = render(state: state, size: size).lines.joined(separator: "\n")
        #expect(!screen.contains("\"field0\": 0,"))
        state.handle(.character("G"))
        screen = render(state: state, size: size).lines.joined(separator: "\n")
        #expect(screen.contains("\"field59\": 59"))
        #expect(!screen.contains("more ↓"))
        #expect(state.isShowingRawJSON, "moving scrolls the record, it does not close it")
    }

    @Test func recordTextNeutralisesControlCharactersAndKeepsEscapesVisible() {
        let record = "{\"a\":\"x\u{1B}[2Jy\",\"b\":\"\\u001b[31m\",\"c\":[],\"d\":{\"e\":1}}"
        let lines = RecordText.lines(record)
        #expect(lines.allSatisfy { line in !line.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F } })
        #expect(lines.contains { $0.contains(#"\u001b[31m"#) }, "a JSON escape stays visible text")
        let expected = [
            "{", "  \"a\": \"x\(TerminalSafeText.sanitize("\u{1B}[2J"))y\",", #"  "b": "\u001b[31m","#, #"  "c": [],"#, #"  "d": {"#,
            #"    "e": 1"#, "  }", "}",
        ]
        #expect(lines == expected)
        #expect(RecordText.lines(#"{"k":"abcdefghijklmnopqrstuvwxyz"}"#, width: 12) == ["{", #"  "k": "abcd"#, "    efghijkl", "    mnopqrst", #"    uvwxyz""#, "}"])
    }
}
