import Foundation
import Testing
import VaultWatchTestSupport
@testable import VaultWatchCore

/// Format 6 of the detector's saved state keeps the learned entities in buckets, a row each,
/// beside a header. VaultWatch no longer writes it (the whole state, format 5, measured better:
/// docs/state.md), but a state file a previous version saved that way must still restore. These
/// read a state that version saved in format 6 (`Format6Fixture`) and compare it with the whole
/// state it saved at the same moment: every entity once, the vaults in order, what was in flight.
@Suite("Baselines saved as rows (format 6), read")
struct BaselineRowsTests {
    /// The learned entities of `snapshot`, each section in an order of its names: two snapshots
    /// with the same entities (in any order) give the same value; one lost or doubled does not.
    static func entities(_ snapshot: BaselineSnapshot) -> BaselineSnapshot {
        var entities = SavedStateTests.canonical(snapshot)
        entities.inFlight = nil
        return entities
    }

    @Test("a format 6 header and its rows read back as the whole state saved at the same moment")
    func readsAsTheWholeState() throws {
        let whole = try BaselineSnapshot.decode(Format6Fixture.whole)
        #expect(BaselineSnapshot.formatVersion(of: Format6Fixture.header) == 6)
        #expect(!whole.vaults.isEmpty && !whole.principals.isEmpty && !whole.pairs.isEmpty && !whole.principalRanges.isEmpty)
        // Rows come back from the store in key order, in any order the reader must not care.
        for rows in [Format6Fixture.rows, Format6Fixture.rows.reversed()] {
            var restored = try BaselineSnapshot.decode(Data(Format6Fixture.header), rows: rows)
            try restored.takeHeld(Format6Fixture.held, format: 6)
            #expect(restored.version == BaselineSnapshot.currentVersion)
            #expect(restored.vaults == whole.vaults)
            #expect(Self.entities(restored) == Self.entities(whole))
            #expect(restored.inFlight == whole.inFlight)
            #expect(restored.eventClock == whole.eventClock && restored.currentHour == whole.currentHour)
            #expect(restored.currentDay == whole.currentDay && restored.firstEventTime == whole.firstEventTime)
        }
    }

    @Test("rows are refused when they do not match their header")
    func mismatchedRows() throws {
        let header = Data(Format6Fixture.header)
        let rows = Format6Fixture.rows
        #expect(!rows.isEmpty)
        // Without its row, the header's vault has none.
        #expect(throws: BaselineStateError.self) { try BaselineSnapshot.decode(header, rows: []) }
        // The same row twice: its vault twice.
        var twice = rows
        twice.append(BaselineRow(key: 9_999, data: rows[0].data))
        #expect(throws: BaselineStateError.self) { try BaselineSnapshot.decode(header, rows: twice) }
        var unknown = rows
        unknown[0].data[0] = 200
        #expect(throws: BaselineStateError.self) { try BaselineSnapshot.decode(header, rows: unknown) }
        var truncated = rows
        truncated[truncated.count - 1].data.removeLast()
        #expect(throws: BaselineStateError.self) { try BaselineSnapshot.decode(header, rows: truncated) }
        // A whole state with rows beside it is damage too.
        #expect(throws: BaselineStateError.self) { try BaselineSnapshot.decode(Format6Fixture.whole, rows: rows) }
    }
}
