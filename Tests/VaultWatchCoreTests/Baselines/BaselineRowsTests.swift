import Foundation
import Testing
import VaultWatchTestSupport
@testable import VaultWatchCore

/// The learned entities saved in buckets, a row each (detector state format 6): a save writes the
/// buckets whose entities are new, changed or gone since the previous save, so the rows applied
/// save after save must always hold exactly the detector's entities — none lost, none twice —
/// and read back as the whole state does.
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
        let exported = whole.rows(previous: nil)
        #expect(exported.changes.replacesAll)
        #expect(exported.changes.removed.isEmpty)
        #expect(exported.changes.bucketBits == BaselineSnapshot.bucketBits(forEntities: whole.entityCount))
        #expect(exported.changes.upserted.count <= 1 << exported.changes.bucketBits)
        #expect(BaselineSnapshot.formatVersion(of: exported.header) == BaselineSnapshot.rowsVersion)
        // Rows come back from the store in key order, not in the order written.
        let rows = exported.changes.upserted.sorted { $0.key > $1.key }
        let restored = try BaselineSnapshot.decode(Data(exported.header), rows: rows)
        #expect(restored.vaults == whole.vaults)
        #expect(Self.entities(restored) == Self.entities(whole))
        #expect(restored.inFlight == whole.inFlight)
        #expect(restored.eventClock == whole.eventClock && restored.currentHour == whole.currentHour)
        // The digests of the rows read back are those the save left: nothing to write again.
        let digests = try #require(BaselineDigests(state: exported.header, rows: rows))
        #expect(digests.digests == exported.changes.digests)
        let again = whole.rows(previous: digests)
        #expect(again.changes.upserted.isEmpty && again.changes.removed.isEmpty && !again.changes.replacesAll)
    }

    @Test("rows are refused when they do not match their header")
    func mismatchedRows() async throws {
        let (_, detector, _, _) = try await BinaryStateTests.midAttack()
        let whole = try BaselineSnapshot.decode(try await detector.exportState())
        let exported = whole.rows(previous: nil)
        let rows = exported.changes.upserted
        #expect(rows.count >= 2)
        // Without the bucket of the first vault, that vault has no row.
        var withoutVault = rows
        withoutVault.removeAll { row in row.data.first == BaselineSnapshot.Section.vault.rawValue }
        #expect(throws: BaselineStateError.self) { try BaselineSnapshot.decode(Data(exported.header), rows: withoutVault) }
        var twice = rows
        twice.append(rows[0])
        if rows[0].data.first == BaselineSnapshot.Section.vault.rawValue {
            #expect(throws: BaselineStateError.self) { try BaselineSnapshot.decode(Data(exported.header), rows: twice) }
        }
        var unknown = rows
        unknown[0].data[0] = 200
        #expect(throws: BaselineStateError.self) { try BaselineSnapshot.decode(Data(exported.header), rows: unknown) }
        var truncated = rows
        truncated[1].data.removeLast()
        #expect(throws: BaselineStateError.self) { try BaselineSnapshot.decode(Data(exported.header), rows: truncated) }
        #expect(BaselineDigests(state: exported.header, rows: truncated) == nil)
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
        var sawSmallSave = false
        var resizes = 0
        var start = 0
        while start < events.count {
            // Uneven slices: a few minutes of events, then a few hours.
            let end = min(events.count, start + (saves % 3 == 0 ? 40 : 1_700))
            _ = await detector.process(EventBatch(events: Array(events[start..<end])))
            start = end
            let whole = try BaselineSnapshot.decode(try await detector.exportState())
            let exported = whole.rows(previous: saved.digests)
            if saves == 0 { #expect(exported.changes.replacesAll) }
            if exported.changes.replacesAll { resizes += 1 }
            saved.apply(exported.changes)
            saves += 1
            let total = saved.rows.count
            if exported.changes.upserted.count * 4 < total, !exported.changes.replacesAll { sawSmallSave = true }

            let restored = try BaselineSnapshot.decode(Data(exported.header), rows: Array(saved.rows.values))
            #expect(Self.entities(restored) == Self.entities(whole), "after save \(saves) (\(start) events)")
            #expect(restored.vaults == whole.vaults, "after save \(saves)")
            // The digests as a restarted recorder computes them from the rows agree with those kept.
            #expect(BaselineDigests(state: exported.header, rows: Array(saved.rows.values)) == saved.digests)
        }
        #expect(saves >= 10)
        #expect(sawSmallSave, "a save after a few minutes of events writes a fraction of the rows")
        #expect(resizes < saves / 2, "buckets are resized only when the entities outgrow them")
    }

    @Test("buckets are resized when the entities outgrow them, and every row is written again")
    func resize() async throws {
        let (_, detector, _, _) = try await BinaryStateTests.midAttack()
        let whole = try BaselineSnapshot.decode(try await detector.exportState())
        let first = whole.rows(previous: nil)
        var digests = try #require(BaselineDigests(state: first.header, rows: first.changes.upserted))
        // Saved with far smaller buckets (as if the tenant had been far smaller then).
        digests.bucketBits = min(BaselineSnapshot.maximumBucketBits, first.changes.bucketBits + 6)
        let resized = whole.rows(previous: digests)
        #expect(resized.changes.replacesAll)
        #expect(resized.changes.bucketBits == first.changes.bucketBits)
        let restored = try BaselineSnapshot.decode(Data(resized.header), rows: resized.changes.upserted)
        #expect(Self.entities(restored) == Self.entities(whole))
        #expect(BaselineSnapshot.bucketBits(forEntities: 0) == 0)
        #expect(BaselineSnapshot.bucketBits(forEntities: 1_000_000) == 13)
    }
}
