import Foundation
import Testing
import VaultWatchTestSupport
@testable import VaultWatchCore

/// The learned entities saved as rows (detector state format 6): a save writes the rows of the
/// entities new or changed since the previous save and the keys of those gone, so the rows
/// applied save after save must always be exactly the detector's entities — none lost, none
/// twice — and read back as the whole state does.
@Suite("Baselines saved as rows")
struct BaselineRowsTests {
    /// The entities of `snapshot`, section by section, each as its bytes, sorted: two snapshots
    /// with the same entities (in any order) give the same value; one lost or doubled does not.
    static func entities(_ snapshot: BaselineSnapshot) -> [UInt8: [[UInt8]]] {
        var writer = StateWriter()
        var result: [UInt8: [[UInt8]]] = [:]
        func add<T>(_ section: BaselineSnapshot.Section, _ values: [T], _ encode: (inout StateWriter, T) -> Void) {
            result[section.rawValue] = values.map { value in
                writer.clear()
                encode(&writer, value)
                return writer.bytes
            }.sorted { $0.lexicographicallyPrecedes($1) }
        }
        add(.vault, snapshot.vaults) { $0.vault($1) }
        add(.principal, snapshot.principals) { $0.principal($1) }
        add(.pair, snapshot.pairs) { $0.pair($1) }
        add(.vaultApplication, snapshot.vaultApplications) { $0.named($1) }
        add(.userApplication, snapshot.userApplications) { $0.named($1) }
        add(.principalRange, snapshot.principalRanges) { $0.range($1) }
        add(.vaultRange, snapshot.vaultRanges) { $0.range($1) }
        add(.addressBlock, snapshot.addressBlocks) { $0.block($1) }
        add(.routineDays, snapshot.routineDays) { $0.routineDays($1) }
        add(.writtenObject, snapshot.writtenObjects) { $0.named($1) }
        return result
    }

    /// A table of rows by key, as the store keeps them, changed as a save changes it.
    struct SavedRows {
        var rows: [Int64: BaselineRow] = [:]
        var digests: BaselineDigests?

        mutating func apply(_ changes: BaselineRowChanges) {
            if changes.replacesAll { rows = [:] }
            for key in changes.removed { rows[key] = nil }
            for row in changes.upserted { rows[row.key] = row }
            var updated = digests ?? BaselineDigests()
            updated.apply(changes)
            digests = updated
        }
    }

    @Test("the header and the rows read back as the whole state: every entity once, the vaults in order")
    func roundTrip() async throws {
        let (_, detector, _, _) = try await BinaryStateTests.midAttack()
        let whole = try BaselineSnapshot.decode(try await detector.exportState())
        let exported = try #require(whole.rows(previous: nil))
        #expect(exported.changes.replacesAll)
        #expect(exported.changes.removed.isEmpty)
        let total = Self.entities(whole).values.reduce(0) { $0 + $1.count }
        #expect(exported.changes.upserted.count == total)
        #expect(Set(exported.changes.upserted.map(\.key)).count == total, "one key per entity")
        #expect(BaselineSnapshot.formatVersion(of: exported.header) == BaselineSnapshot.rowsVersion)
        // Rows come back from the store in key order, not in the order written.
        let rows = exported.changes.upserted.sorted { $0.key < $1.key }
        let restored = try BaselineSnapshot.decode(Data(exported.header), rows: rows)
        #expect(restored.vaults == whole.vaults)
        #expect(Self.entities(restored) == Self.entities(whole))
        #expect(restored.inFlight == whole.inFlight)
        #expect(restored.eventClock == whole.eventClock && restored.currentHour == whole.currentHour)
        // The digests of the rows read back are those the save left: nothing to write again.
        let digests = try #require(BaselineDigests(state: exported.header, rows: rows))
        let again = try #require(whole.rows(previous: digests))
        #expect(again.changes.upserted.isEmpty && again.changes.removed.isEmpty && !again.changes.replacesAll)
    }

    @Test("rows are refused when they do not match their header")
    func mismatchedRows() async throws {
        let (_, detector, _, _) = try await BinaryStateTests.midAttack()
        let whole = try BaselineSnapshot.decode(try await detector.exportState())
        let exported = try #require(whole.rows(previous: nil))
        let rows = exported.changes.upserted
        let vaultRow = try #require(rows.firstIndex { $0.section == BaselineSnapshot.Section.vault.rawValue })
        var withoutVault = rows
        withoutVault.remove(at: vaultRow)
        #expect(throws: BaselineStateError.self) { try BaselineSnapshot.decode(Data(exported.header), rows: withoutVault) }
        var unknown = rows
        unknown[0].section = 200
        #expect(throws: BaselineStateError.self) { try BaselineSnapshot.decode(Data(exported.header), rows: unknown) }
        var truncated = rows
        truncated[1].data.removeLast()
        #expect(throws: BaselineStateError.self) { try BaselineSnapshot.decode(Data(exported.header), rows: truncated) }
        // A whole state with rows beside it is damage too.
        let state = try await detector.exportState()
        #expect(throws: BaselineStateError.self) { try BaselineSnapshot.decode(state, rows: rows) }
    }

    /// The demo tenant read in slices, a save after each: with a two-day window, entities are
    /// forgotten on the way, so saves delete rows as well as write them.
    @Test("saves applied one after the other always leave exactly the detector's entities, and write only the changed ones")
    func incrementalSaves() async throws {
        let input = try RestartBoundaryTests.Input()
        var configuration = input.configuration
        configuration.baselineRetentionDays = 2
        let symbols = SymbolTable()
        let detector = Detector(symbols: symbols, configuration: configuration)
        let events = try input.events(0..<input.events.count, symbols: symbols)
        var saved = SavedRows()
        var saves = 0
        var sawRemovals = false
        var sawSmallSave = false
        var start = 0
        while start < events.count {
            // Uneven slices: a few minutes of events, then a few hours.
            let end = min(events.count, start + (saves % 3 == 0 ? 40 : 1_700))
            _ = await detector.process(EventBatch(events: Array(events[start..<end])))
            start = end
            let whole = try BaselineSnapshot.decode(try await detector.exportState())
            let exported = try #require(whole.rows(previous: saved.digests))
            #expect(exported.changes.replacesAll == (saves == 0))
            saved.apply(exported.changes)
            saves += 1
            if !exported.changes.removed.isEmpty { sawRemovals = true }
            let total = saved.rows.count
            if exported.changes.upserted.count * 4 < total { sawSmallSave = true }

            let restored = try BaselineSnapshot.decode(Data(exported.header), rows: Array(saved.rows.values))
            #expect(Self.entities(restored) == Self.entities(whole), "after save \(saves) (\(start) events)")
            #expect(restored.vaults == whole.vaults, "after save \(saves)")
            // The digests as a restarted recorder computes them from the rows agree with those kept.
            #expect(BaselineDigests(state: exported.header, rows: Array(saved.rows.values)) == saved.digests)
        }
        #expect(saves >= 10)
        #expect(sawRemovals, "the two-day window forgot entities between saves")
        #expect(sawSmallSave, "a save after a few minutes of events writes a fraction of the rows")
    }

    @Test("colliding keys take a new salt and every row again; keys that cannot stop colliding fall back to the whole state")
    func collisions() async throws {
        let (_, detector, _, _) = try await BinaryStateTests.midAttack()
        let whole = try BaselineSnapshot.decode(try await detector.exportState())
        let count = Self.entities(whole).values.reduce(0) { $0 + $1.count }
        let first = try #require(whole.rows(previous: nil))
        let digests = try #require(BaselineDigests(state: first.header, rows: first.changes.upserted))
        #expect(digests.salt == 0)
        // Every key the same: no salt helps.
        #expect(whole.rows(previous: digests, keyMask: 0) == nil)
        // Narrow keys: the first salt whose keys do not collide is taken, with every row.
        var found = false
        for bits in 1..<63 {
            let mask = (UInt64(1) << UInt64(bits)) - 1
            guard let narrow = whole.rows(previous: digests, keyMask: mask), narrow.changes.salt > 0 else { continue }
            found = true
            #expect(narrow.changes.replacesAll)
            #expect(narrow.changes.upserted.count == count)
            #expect(Set(narrow.changes.upserted.map(\.key)).count == count)
            let restored = try BaselineSnapshot.decode(Data(narrow.header), rows: narrow.changes.upserted)
            #expect(Self.entities(restored) == Self.entities(whole))
            #expect(BaselineDigests(state: narrow.header, rows: narrow.changes.upserted)?.salt == narrow.changes.salt)
            break
        }
        #expect(found)
        // The whole state instead: the detector saves format 5, and the store clears the rows.
        let progress = try await detector.exportProgress(heldSince: 0, rows: .since(digests), keyMask: 0)
        #expect(progress.rows == nil)
        #expect(Detector.stateFormatVersion(of: progress.state) == BaselineSnapshot.currentVersion)
    }
}
