import Foundation
import Testing
import VaultWatchCore
@testable import VaultWatchTUI

/// The header's second row when it is too narrow for everything: whole items give way, the
/// least needed first (challenges, then malformed, then the totals), and none is cut in the
/// middle of its number; the learning state, an active filter and data losses stay longest.
/// The dashboard needs 80 columns, so narrower rows are the header drawn on its own.
@Suite struct HeaderViewTests {
    /// The demo tenant's end: every count wide, SDK challenges among them.
    static func busyState() async -> AppState {
        var state = await DashboardFixture.state()
        state.snapshot.totalEvents = 361_718
        state.snapshot.malformedRecords = 0
        state.snapshot.challengeRequests = 164
        return state
    }

    /// The header's two rows drawn alone, `width` columns wide.
    static func header(_ state: AppState, width: Int) -> [String] {
        var buffer = ScreenBuffer(width: width, height: 2)
        HeaderView.draw(state, into: &buffer, rect: Rect(x: 0, y: 0, width: width, height: 2))
        return buffer.lines
    }

    /// A second row: `left` from column 1, the fixture's alert counts ending one column short
    /// of the edge, two columns after the left side's room at most.
    static func row(_ left: String, width: Int) -> String {
        (" " + left).padding(toLength: width - 34, withPad: " ", startingAt: 0) + "alerts HIGH 0 MED 2 LOW 1 INFO 1"
    }

    @Test func at80ColumnsChallengesGiveWayWholeAndTheLearningStateStays() async {
        let buffer = render(state: await Self.busyState(), size: ScreenSize(width: 80, height: 24))
        #expect(buffer.lines[1] == " events 361,718  malformed 0  learned 9 d     alerts HIGH 0 MED 2 LOW 1 INFO 1")
    }

    @Test func wideEnoughEverythingShows() async {
        #expect(Self.header(await Self.busyState(), width: 120)[1] == Self.row("events 361,718  malformed 0  challenges 164  learned 9 d", width: 120))
        #expect(Self.header(await Self.busyState(), width: 92)[1] == Self.row("events 361,718  malformed 0  challenges 164  learned 9 d", width: 92))
    }

    /// Records delivered twice are counted once among the events, and the repeats said beside
    /// them; at 80 columns they give way with the challenges.
    @Test func duplicatesShowBesideTheEvents() async {
        var state = await Self.busyState()
        state.snapshot.duplicateRecords = 6_622
        #expect(Self.header(state, width: 120)[1] == Self.row("events 361,718  malformed 0  challenges 164  duplicates 6,622  learned 9 d", width: 120))
        #expect(Self.header(state, width: 100)[1] == Self.row("events 361,718  malformed 0  challenges 164  learned 9 d", width: 100))
        #expect(render(state: state, size: ScreenSize(width: 80, height: 24)).lines[1] == " events 361,718  malformed 0  learned 9 d     alerts HIGH 0 MED 2 LOW 1 INFO 1")
    }

    @Test("narrower, items leave one by one, least needed first", arguments: [
        (91, "events 361,718  malformed 0  learned 9 d"),
        (76, "events 361,718  malformed 0  learned 9 d"),
        (75, "events 361,718  learned 9 d"),
        (63, "events 361,718  learned 9 d"),
        (62, "learned 9 d"),
        (47, "learned 9 d"),
        (46, ""),
    ])
    func narrower(width: Int, left: String) async {
        #expect(Self.header(await Self.busyState(), width: width)[1] == Self.row(left, width: width))
    }

    @Test func aFilterAndADataLossStayWhenTheTotalsLeave() async {
        var state = await Self.busyState()
        state.filter = "payments"
        state.snapshot.dataLossReports = 1
        state.snapshot.latestDataLoss = "audit.log: 850 bytes (about 25 lines) may have been lost (copytruncate)"
        let rows = render(state: state, size: ScreenSize(width: 80, height: 24)).lines
        #expect(rows[1] == " filter \"payments\"  1 possible data loss: au… alerts HIGH 0 MED 2 LOW 1 INFO 1")
        // Narrower, the filter's text and the report are cut, never the loss's count.
        #expect(Self.header(state, width: 70)[1] == " filter \"pa…  1 possible data loss… alerts HIGH 0 MED 2 LOW 1 INFO 1")
        #expect(Self.header(state, width: 68)[1] == " filter \"…  1 possible data loss… alerts HIGH 0 MED 2 LOW 1 INFO 1")
        // Narrower than both at their shortest: the filter leaves before the loss.
        #expect(Self.header(state, width: 67)[1] == Self.row("1 possible data loss: audit.lo…", width: 67))
    }

    /// Restarted on a state file, the header's counts are this run's, from 0, and say so; what
    /// the stream came to with the runs before is beside them (it gives way first); the learning
    /// state is the detector's, the state's history included. Before, `watch` restarted on the
    /// state of a run over 20,000 of the demo's records said `events 6,601 … learning 3/7 d` of
    /// a detector that had learned from 12 days and raised alerts (seen failing with the
    /// header's items and `daysOfHistory` as they were: `events 40  malformed 0  learning 0/7 d`).
    @Test func aRestartedDashboardSaysWhichCountsAreThisRunsAndKeepsWhatItLearned() async throws {
        let world = await DashboardFixture.world()
        let symbols = SymbolTable()
        let restored = try Detector(symbols: symbols, restoring: await world.detector.exportState())
        let before = try #require(restored.runsBefore)
        #expect(before.events == world.snapshot.totalEvents)
        #expect(Detector(symbols: symbols).runsBefore == nil)
        let model = DashboardModel(symbols: symbols, learningDays: 7)
        model.noteRunsBefore(before)
        func secondRow(width: Int, challenges: Int = 0) -> String {
            var state = AppState(sourceDescription: "audit.jsonl", mode: .live, speed: 1, themeNames: ["dark"], chartGlyphs: .blocks)
            var snapshot = model.currentSnapshot()
            snapshot.challengeRequests = challenges
            state.receive(snapshot)
            state.markUntil = 0
            return Self.header(state, width: width)[1]
        }
        // Nothing read yet this run: the history is the state's, not "no history yet".
        let total = world.snapshot.totalEvents
        #expect(secondRow(width: 120).hasPrefix(" events 0 this run  \(Format.count(total)) with the runs before  malformed 0  learned 9 d "),
            "\(secondRow(width: 120))")
        // This run's 40 events, in the fixture's last hour.
        let vault = symbols.intern("payments-kv")
        let events = (0..<40).map { index in
            AuditEvent(
                time: EventTime(ticks: DashboardFixture.clock.ticks - Int64(40 - index) * EventTime.ticksPerSecond), vault: vault,
                operation: symbols.intern("SecretGet"), principalID: symbols.intern("5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d"),
                callerIP: IPAddress("10.1.2.3"), httpStatusCode: 200, outcome: .success, objectName: symbols.intern("secret-\(index % 12)"))
        }
        model.ingest(EventBatch(events: events))
        #expect(secondRow(width: 120).hasPrefix(" events 40 this run  \(Format.count(total + 40)) with the runs before  malformed 0  learned 9 d "),
            "\(secondRow(width: 120))")
        // Too narrow for all: the runs before leave first, this run's challenges stay.
        #expect(secondRow(width: 120, challenges: 35).hasPrefix(" events 40 this run  malformed 0  challenges 35  learned 9 d "),
            "\(secondRow(width: 120, challenges: 35))")
        #expect(secondRow(width: 80).hasPrefix(" events 40 this run  malformed 0  learned 9 d "), "\(secondRow(width: 80))")
    }
}
