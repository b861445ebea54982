import Foundation
import Testing
@testable import VaultWatchCore
@testable import VaultWatchStore

/// Held events saved apart (`HeldEvent`): each save writes the events the reorder buffer took
/// since the previous save and deletes those it released, so the saved rows must always be
/// exactly the events it holds, and a detector restored from them must be the one a whole
/// export restores.
@Suite("Held events saved incrementally")
struct IncrementalStateTests {
    /// Five principals on two vaults, a call every 15 seconds for three hours: some 40 events
    /// held at a time (the 10-minute reorder tolerance), released a few at a time, with some
    /// records up to five minutes late so the buffer has to reorder.
    static func events(symbols: SymbolTable) -> [AuditEvent] {
        let start = EventTime.parse(iso8601: "2026-03-02T09:00:00Z") ?? EventTime(ticks: 0)
        var generator = SeededRandom(seed: 11)
        return (0..<720).map { index in
            let late = index % 9 == 4 ? Int64(generator.number(in: 0...300)) : 0
            let user = "user-\(index % 5)"
            return AuditEvent(
                time: start + .seconds(Int64(index) * 15 - late), vault: symbols.intern(index % 3 == 0 ? "kv-a" : "kv-b"),
                resourceID: symbols.intern("/VAULTS/KV"), operation: symbols.intern(index % 7 == 0 ? "SecretList" : "SecretGet"),
                principalID: symbols.intern("\(user)-id"), upn: symbols.intern("\(user)@contoso.com"),
                appID: symbols.intern("app-\(index % 2)"), callerIP: IPAddress("198.51.100.\(index % 13)"), httpStatusCode: 200,
                outcome: .success, objectKind: .secret, objectName: symbols.intern("secret-\(index % 17)"),
                location: RecordLocation(source: symbols.intern("a.jsonl"), line: UInt32(index + 1)))
        }
    }

    /// Armed from the first event, so that the order the buffer releases events in decides alerts.
    static let configuration = DetectorConfiguration(learningDays: 0)

    /// The held events of a whole export, by arrival.
    static func held(_ state: Data) throws -> [UInt64: NamedEvent] {
        let reorder = try #require(try BaselineSnapshot.decode(state).inFlight?.reorder)
        let arrivals = try #require(reorder.arrivals)
        return Dictionary(uniqueKeysWithValues: zip(arrivals, reorder.pending))
    }

    @Test func savedRowsAreExactlyTheHeldEventsAndRestoreAsAWholeExportDoes() async throws {
        let path = try StoreFixture.statePath()
        let symbols = SymbolTable()
        let events = Self.events(symbols: symbols)
        let store = try AlertStore(path: path, access: .detection)
        var recorder = try DetectionRecorder(store: store, batchSize: 1000)
        let detector = try recorder.makeDetector(symbols: symbols, configuration: Self.configuration)
        var start = 0
        var checked = 0
        var sawReleases = false
        while start < events.count {
            let end = min(events.count, start + 13)
            let batch = EventBatch(events: Array(events[start..<end]))
            try await recorder.processed(batch, touched: await detector.process(batch), by: detector)
            start = end
            try await recorder.saveNow(detector)
            guard start % 91 == 0 || start == events.count else { continue }

            // The rows are the held events, by arrival and content.
            let whole = try await detector.exportState()
            let expected = try Self.held(whole)
            let reader = try AlertStore(path: path, access: .readOnly)
            let saved = try reader.savedDetection()
            let rows = try Dictionary(uniqueKeysWithValues: saved.heldEvents.map { ($0.arrival, try $0.namedEvent()) })
            #expect(rows.keys.sorted() == expected.keys.sorted(), "after \(start) events: rows by arrival, held by arrival")
            #expect(rows.allSatisfy { expected[$0.key] == $0.value }, "after \(start) events: a row differs from its held event")
            #expect(!expected.isEmpty)
            if let first = expected.keys.min(), first > 0 { sawReleases = true }

            // A detector restored from the store holds and knows what one restored from the whole export does.
            let restored = try DetectionRecorder(store: reader, batchSize: 1000)
                .makeDetector(symbols: SymbolTable(), configuration: Self.configuration)
            var fromStore = try BaselineSnapshot.decode(try await restored.exportState())
            var fromWhole = try BaselineSnapshot.decode(whole)
            #expect(try Self.held(try await restored.exportState()) == expected, "restored from the rows")
            #expect(fromStore.inFlight?.reorder.releasedThrough == fromWhole.inFlight?.reorder.releasedThrough)
            #expect(fromStore.inFlight?.reorder.nextArrival == fromWhole.inFlight?.reorder.nextArrival)
            fromStore.inFlight = nil
            fromWhole.inFlight = nil
            #expect(fromStore.vaults == fromWhole.vaults)
            #expect(Set(fromStore.principals.map(\.id)) == Set(fromWhole.principals.map(\.id)))
            checked += 1
        }
        #expect(checked >= 7)
        #expect(sawReleases, "the buffer released events between saves")
        // At the end of the input the detector releases what it holds, but the state saved to
        // resume from is the one before: the rows are still the events it held (a later run
        // reading on judges them with what comes next, as one run would).
        let before = try Self.held(try await detector.exportState())
        try await recorder.finish(detector)
        let rows = try AlertStore(path: path, access: .readOnly).savedDetection().heldEvents
        #expect(!before.isEmpty)
        #expect(try rows.map { try $0.namedEvent() } == before.keys.sorted().compactMap { before[$0] })
    }

    @Test func aRestartFromTheRowsRaisesTheUninterruptedRunsAlerts() async throws {
        let referenceSymbols = SymbolTable()
        let reference = Detector(symbols: referenceSymbols, configuration: Self.configuration)
        var expected = Set(await reference.process(EventBatch(events: Self.events(symbols: referenceSymbols))).map(\.id))
        expected.formUnion(await reference.finish().map(\.id))
        #expect(expected.count >= 3)

        let path = try StoreFixture.statePath()
        var symbols = SymbolTable()
        var events = Self.events(symbols: symbols)
        var published: Set<String> = []
        var position = 0
        for cut in [100, 101, 250, 430, 600] {
            let store = try AlertStore(path: path, access: .detection)
            var recorder = try DetectionRecorder(store: store, batchSize: 1000)
            let detector = try recorder.makeDetector(symbols: symbols, configuration: Self.configuration)
            await detector.restore(openAlerts: recorder.saved.openAlerts, eventClock: recorder.saved.eventClock)
            while position < cut {
                let end = min(cut, position + 17)
                let batch = EventBatch(events: Array(events[position..<end]))
                let touched = await detector.process(batch)
                try await recorder.processed(batch, touched: touched, by: detector)
                published.formUnion(touched.map(\.id))
                position = end
                try await recorder.saveNow(detector)
            }
            // A new process: a new symbol table.
            symbols = SymbolTable()
            for filler in ["zz", "kv-zz", "user-9-id"] { _ = symbols.intern(filler) }
            events = Self.events(symbols: symbols)
        }
        let store = try AlertStore(path: path, access: .detection)
        var recorder = try DetectionRecorder(store: store, batchSize: 1000)
        let detector = try recorder.makeDetector(symbols: symbols, configuration: Self.configuration)
        await detector.restore(openAlerts: recorder.saved.openAlerts, eventClock: recorder.saved.eventClock)
        let batch = EventBatch(events: Array(events[position...]))
        let touched = await detector.process(batch)
        try await recorder.processed(batch, touched: touched, by: detector)
        published.formUnion(touched.map(\.id))
        let released = try await recorder.finish(detector)
        published.formUnion(released.map(\.id))
        #expect(published == expected)
    }
}
