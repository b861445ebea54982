import Foundation
import Testing
@testable import VaultWatchCore
@testable import VaultWatchStore

/// Held events saved apart (`HeldEventRow`): each save writes the events the reorder buffer took
/// since the previous save, in one row, and deletes the rows whose events it all released, so the
/// saved rows, less their events before the release mark, must always be exactly the events it
/// holds, and a detector restored from them must be the one a whole export restores.
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

    /// The ids of the alerts one uninterrupted run raises, the end's included.
    static func uninterruptedRunsAlerts() async -> Set<String> {
        let symbols = SymbolTable()
        let reference = Detector(symbols: symbols, configuration: configuration)
        var expected = Set(await reference.process(EventBatch(events: events(symbols: symbols))).map(\.id))
        expected.formUnion(await reference.finish().map(\.id))
        return expected
    }

    /// The held events of a whole export, by arrival.
    static func held(_ state: Data) throws -> [UInt64: NamedEvent] {
        let reorder = try #require(try BaselineSnapshot.decode(state).inFlight?.reorder)
        let arrivals = try #require(reorder.arrivals)
        return Dictionary(uniqueKeysWithValues: zip(arrivals, reorder.pending))
    }

    /// The events of saved rows that are still held: at or after the saved state's release mark.
    static func heldEvents(of saved: AlertStore.SavedDetection) throws -> [UInt64: NamedEvent] {
        let state = Data(try #require(saved.detectorSnapshot?.data))
        let releasedThrough = try #require(try BaselineSnapshot.decode(state).inFlight?.reorder.releasedThrough)
        var events: [UInt64: NamedEvent] = [:]
        for row in saved.heldEvents {
            for (arrival, event) in try row.events(format: Detector.stateFormatVersion(of: state)) where event.time >= releasedThrough {
                events[arrival] = event
            }
        }
        return events
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
        var sawPartlyReleasedRow = false
        var saves = 0
        while start < events.count {
            let end = min(events.count, start + 13)
            let batch = EventBatch(events: Array(events[start..<end]))
            try await recorder.processed(batch, touched: await detector.process(batch), by: detector)
            start = end
            try await recorder.saveNow(detector)
            saves += 1
            guard start % 91 == 0 || start == events.count else { continue }

            // The rows are the held events, by arrival and content.
            let whole = try await detector.exportState()
            let expected = try Self.held(whole)
            let reader = try AlertStore(path: path, access: .readOnly)
            let saved = try reader.savedDetection()
            let rows = try Self.heldEvents(of: saved)
            #expect(rows.keys.sorted() == expected.keys.sorted(), "after \(start) events: rows by arrival, held by arrival")
            #expect(rows.allSatisfy { expected[$0.key] == $0.value }, "after \(start) events: a row differs from its held event")
            #expect(!expected.isEmpty)
            // A row per save that took events, none of them wholly released.
            #expect(saved.heldEvents.count <= saves && saved.heldEvents.count < expected.count, "after \(start) events: \(saved.heldEvents.count) rows")
            let format = Detector.stateFormatVersion(of: Data(try #require(saved.detectorSnapshot?.data)))
            let allEvents = try saved.heldEvents.reduce(0) { $0 + (try $1.events(format: format)).count }
            if allEvents > rows.count { sawPartlyReleasedRow = true }
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
        #expect(sawPartlyReleasedRow, "a saved row held released events beside held ones")
        // At the end of the input the detector releases what it holds, but the state saved to
        // resume from is the one before: the rows are still the events it held (a later run
        // reading on judges them with what comes next, as one run would).
        let before = try Self.held(try await detector.exportState())
        try await recorder.finish(detector)
        let rows = try Self.heldEvents(of: try AlertStore(path: path, access: .readOnly).savedDetection())
        #expect(!before.isEmpty)
        #expect(rows == before)
    }

    /// A state file saved by format 11 (a row per held event): restored, it holds what it held,
    /// its first save replaces those rows with one, and the run raises the uninterrupted run's alerts.
    /// A held event's row as formats 4 to 11 saved it: the event alone.
    static func formatElevenRow(arrival: UInt64, event: NamedEvent, symbols: SymbolTable) throws -> HeldEventRow {
        let names = SavedNames(symbols: symbols)
        var writer = StateWriter()
        writer.event(try names.event(event), names: names)
        return HeldEventRow(arrival: arrival, time: event.time, data: writer.bytes)
    }

    @Test func aFormat11FilesRowOfEachHeldEventRestoresAndIsReplacedByOneRow() async throws {
        let expected = await Self.uninterruptedRunsAlerts()
        #expect(expected.count >= 3)

        // The first 300 events, saved as format 11 saved them.
        let cut = 300
        let symbols = SymbolTable()
        let events = Self.events(symbols: symbols)
        let first = Detector(symbols: symbols, configuration: Self.configuration)
        var published = Set(await first.process(EventBatch(events: Array(events[..<cut]))).map(\.id))
        let progress = try await first.exportProgress(heldSince: 0)
        let held = try #require(progress.held?.added).events(format: BaselineSnapshot.currentVersion)
        #expect(held.count > 5)
        let path = try StoreFixture.statePath()
        let store = try AlertStore(path: path, access: .detection)
        for (arrival, event) in held {
            try store.save(DetectionProgress(
                heldEvents: HeldEventChanges(
                    added: try Self.formatElevenRow(arrival: arrival, event: event, symbols: symbols), releasedThrough: .min,
                    nextArrival: arrival + 1)))
        }
        try store.save(DetectionProgress(
            alerts: progress.openAlerts.map(\.alert), openAlerts: progress.openAlerts, eventClock: progress.eventClock,
            detectorSnapshot: DetectorSnapshot(formatVersion: 11, data: await first.exportState(format: 11, heldInline: false)),
            heldEvents: HeldEventChanges(added: nil, releasedThrough: .min, nextArrival: 0)))
        #expect(try store.savedDetection().heldEvents.count == held.count)
        let heldBefore = try Self.held(try await first.exportState())

        var recorder = try DetectionRecorder(store: store, batchSize: 1000)
        let restored = try recorder.makeDetector(symbols: symbols, configuration: Self.configuration)
        await restored.restore(openAlerts: recorder.saved.openAlerts, eventClock: recorder.saved.eventClock)
        #expect(try Self.held(try await restored.exportState()) == heldBefore, "restored from format 11's rows")
        let batch = EventBatch(events: Array(events[cut..<(cut + 20)]))
        let touched = await restored.process(batch)
        try await recorder.processed(batch, touched: touched, by: restored)
        published.formUnion(touched.map(\.id))
        try await recorder.saveNow(restored)
        let saved = try AlertStore(path: path, access: .readOnly).savedDetection()
        #expect(saved.detectorSnapshot?.formatVersion == BaselineSnapshot.currentVersion)
        #expect(saved.heldEvents.count == 1, "format 11's rows replaced by one")
        #expect(try Self.heldEvents(of: saved) == Self.held(try await restored.exportState()))

        let rest = EventBatch(events: Array(events[(cut + 20)...]))
        let more = await restored.process(rest)
        try await recorder.processed(rest, touched: more, by: restored)
        published.formUnion(more.map(\.id))
        published.formUnion(try await recorder.finish(restored).map(\.id))
        #expect(published == expected)
    }

    @Test func aRestartFromTheRowsRaisesTheUninterruptedRunsAlerts() async throws {
        let expected = await Self.uninterruptedRunsAlerts()
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
