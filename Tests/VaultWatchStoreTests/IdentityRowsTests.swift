import Foundation
import GRDB
import Testing
import VaultWatchTestSupport
@testable import VaultWatchCore
@testable import VaultWatchStore

/// The records taken lately (`RecordIdentities`, the duplicate window) saved by the hour
/// (`IdentityHourRow`, format 19): a save writes the hours whose records changed since the
/// previous save and deletes those that left the window, so the saved rows are always exactly
/// the window, and a run resumed from them recognises every record the runs before it took.
@Suite("Records taken lately saved by the hour")
struct IdentityRowsTests {
    /// `perHour` reads in each hour of `hours` (from 2024-05-01 00:00), each with a time finer than
    /// the millisecond and a correlation id of its own: each has an identity.
    static func records(hours: Range<Int>, perHour: Int, salt: Int = 0) -> [RecordBuilder] {
        hours.flatMap { hour in
            (0..<perHour).map { index in
                let day = 1 + hour / 24
                let minute = (index * 7 + salt) % 60
                let second = (index * 13 + salt) % 60
                return RecordBuilder(
                    time: String(format: "2024-05-%02dT%02d:%02d:%02d.%07dZ", day, hour % 24, minute, second, 1 + index * 10 + salt),
                    objectName: "s\(index % 5)",
                    correlationID: String(format: "%08x-0000-4000-8000-%012x", hour, index * 1000 + salt))
            }
        }.sorted { $0.time < $1.time }
    }

    /// The records decoded as `detect` decodes them.
    static func events(_ records: [RecordBuilder], symbols: SymbolTable) -> [AuditEvent] {
        var reader = SourceReader(sourceName: "identities.jsonl", symbols: symbols)
        var batch = EventBatch()
        let bytes = Array(records.map { $0.jsonLine() }.joined().utf8)
        bytes.withUnsafeBytes { reader.consume($0, into: &batch) }
        reader.finish(into: &batch)
        return batch.events
    }

    /// The saved rows: each hour and how many identities its rows hold.
    static func savedHours(_ path: String) throws -> [Int32: Int] {
        let saved = try AlertStore(path: path, access: .readOnly).savedDetection()
        return saved.identityHours.reduce(into: [:]) { $0[$1.hour, default: 0] += $1.count }
    }

    /// The hour numbers of the live window, oldest first, with their counts.
    static func windowHours(_ detector: Detector) async -> [Int32: Int] {
        let window = await detector.identities.snapshot()
        return Dictionary(uniqueKeysWithValues: window.hours.map { ($0.hour, $0.times.count) })
    }

    /// The hour number (`EventTime.hourNumber`) of hour `hour` of `records(hours:perHour:)`.
    static func hourNumber(_ hour: Int) -> Int32 {
        (EventTime.parse(iso8601: "2024-05-01T00:00:00Z") ?? EventTime(ticks: 0)).hourNumber + Int32(hour)
    }

    /// A detector resumed from the file as a new process would (a new symbol table), and its symbols.
    static func resumed(_ path: String) throws -> (detector: Detector, symbols: SymbolTable) {
        let recorder = try DetectionRecorder(store: try AlertStore(path: path, access: .readOnly), batchSize: 1000)
        let symbols = SymbolTable()
        return (try recorder.makeDetector(symbols: symbols, configuration: DetectorConfiguration()), symbols)
    }

    /// A run on the state file at `path`, resumed from what it holds (nothing: a new run), that
    /// saves each batch it takes at once, as a live stream's saves would come.
    struct SavingRun {
        let symbols: SymbolTable
        var recorder: DetectionRecorder
        let detector: Detector

        init(_ path: String) throws {
            let symbols = SymbolTable()
            var recorder = try DetectionRecorder(store: try AlertStore(path: path, access: .detection), batchSize: 1000)
            detector = try recorder.makeDetector(symbols: symbols, configuration: DetectorConfiguration())
            self.symbols = symbols
            self.recorder = recorder
        }

        /// Takes `records` as one batch, then saves.
        mutating func takeAndSave(_ records: [RecordBuilder]) async throws {
            let batch = EventBatch(events: IdentityRowsTests.events(records, symbols: symbols))
            try await recorder.processed(batch, touched: await detector.process(batch), by: detector)
            try await recorder.saveNow(detector)
        }

        /// Takes `records` in batches of `size`, saving after each.
        mutating func takeAndSave(_ records: [RecordBuilder], inBatchesOf size: Int) async throws {
            for start in stride(from: 0, to: records.count, by: size) {
                try await takeAndSave(Array(records[start..<min(start + size, records.count)]))
            }
        }
    }

    @Test func aSaveWritesOnlyTheHoursThatChangedAndAResumeAfterSeveralSavesHasThemAll() async throws {
        let path = try StoreFixture.statePath()
        var run = try SavingRun(path)
        let detector = run.detector
        var taken: [RecordBuilder] = []
        func take(_ records: [RecordBuilder]) async throws -> Int {
            let rowsBefore = run.recorder.timings.identityHourRows
            try await run.takeAndSave(records)
            taken += records
            return run.recorder.timings.identityHourRows - rowsBefore
        }

        // An hour a save: each save writes the new hour's row and no other.
        for hour in 0..<6 {
            let written = try await take(Self.records(hours: hour..<(hour + 1), perHour: 40))
            #expect(written == 1, "save of hour \(hour): \(written) rows written")
            #expect(try Self.savedHours(path) == (0...hour).reduce(into: [Int32: Int]()) { $0[Self.hourNumber($1)] = 40 })
        }
        // Records late into hour 2: a row of those, after the hour's row.
        #expect(try await take(Self.records(hours: 2..<3, perHour: 3, salt: 1)) == 1)
        #expect(try Self.savedHours(path)[Self.hourNumber(2)] == 43)
        // Nothing new: nothing written.
        #expect(try await take([]) == 0)
        #expect(try Self.savedHours(path) == (await Self.windowHours(detector)))

        // A resume after these saves holds the whole window, and takes every record again as a repeat.
        let (restored, restoredSymbols) = try Self.resumed(path)
        #expect(await restored.identities.snapshot() == (await detector.identities.snapshot()))
        let again = Self.events(taken, symbols: restoredSymbols)
        await restored.process(EventBatch(events: again))
        #expect(await restored.counters.duplicateRecords == taken.count, "a resumed run recognises what the runs before it took")

        // Two days on, the first hours leave the window: their rows go, the others stay.
        #expect(try await take(Self.records(hours: 50..<51, perHour: 10)) >= 2)
        let window = await Self.windowHours(detector)
        #expect(window[Self.hourNumber(0)] == nil && window[Self.hourNumber(2)] != nil)
        #expect(try Self.savedHours(path) == window)
        #expect(await (try Self.resumed(path)).detector.identities.snapshot() == (await detector.identities.snapshot()))
    }

    /// A busy hour saved again and again (a live stream, a save a second): each save writes the
    /// identities its hour's rows lack, merged with the last rows no larger than them, so an
    /// identity is written about log2 of the saves times, not at every save; the hour stays a few
    /// rows; a resume from them holds the whole window and its saves go on writing only what is new.
    @Test func aBusyHourSavedAtEverySaveWritesOnlyWhatItsRowsLack() async throws {
        let path = try StoreFixture.statePath()
        // 64 saves of 5 records each, all in hour 0 (each save's records later than the last's).
        let all = Self.records(hours: 0..<1, perHour: 320)
        let window: RecordIdentities.Snapshot
        do {
            var run = try SavingRun(path)
            try await run.takeAndSave(all, inBatchesOf: 5)
            let written = run.recorder.timings.identitiesWritten
            let rows = try AlertStore(path: path, access: .readOnly).savedDetection().identityHours
            // Whole at every save: 5 + 10 + ... + 320 = 10,400 identities written. As a binary
            // counter: 320 × (1 + log2 64) = 2,240 at most.
            #expect(written <= 2_240, "\(written) identities written by 64 saves of 5")
            #expect(rows.count <= 7, "the hour is \(rows.count) rows")
            #expect(try Self.savedHours(path) == [Self.hourNumber(0): 320])
            window = await run.detector.identities.snapshot()
        }
        let taken = all

        // A resume holds the whole window and takes every record again as a repeat.
        let (restored, restoredSymbols) = try Self.resumed(path)
        #expect(await restored.identities.snapshot() == window)
        await restored.process(EventBatch(events: Self.events(taken, symbols: restoredSymbols)))
        #expect(await restored.counters.duplicateRecords == 320)

        // A resumed run's saves write what is new, not the hour it resumed with.
        var resumed = try SavingRun(path)
        try await resumed.takeAndSave(Self.records(hours: 0..<1, perHour: 5, salt: 3))
        #expect(resumed.recorder.timings.identitiesWritten == 5, "the resumed run's save wrote \(resumed.recorder.timings.identitiesWritten)")
        #expect(try Self.savedHours(path) == [Self.hourNumber(0): 325])
        #expect(await (try Self.resumed(path)).detector.identities.snapshot() == (await resumed.detector.identities.snapshot()))
    }

    /// A resumed run keeps its hours' identities in the order of the rows it resumed from, so its
    /// saves merge with those rows as the run before would have, rather than rewriting the hour.
    @Test func aResumedRunMergesWithTheRowsItResumedFrom() async throws {
        let path = try StoreFixture.statePath()
        let all = Self.records(hours: 0..<1, perHour: 30)
        do {
            var run = try SavingRun(path)
            try await run.takeAndSave(Array(all[0..<25]), inBatchesOf: 5)
        }
        #expect(try AlertStore(path: path, access: .readOnly).savedDetection().identityHours.map { [$0.first, $0.count] } == [[0, 20], [20, 5]])
        let window: RecordIdentities.Snapshot
        do {
            var run = try SavingRun(path)
            try await run.takeAndSave(Array(all[25..<30]))
            // The 5 new ones merge with the row of 5 the run resumed from: 10 written, not the hour's 30.
            #expect(run.recorder.timings.identitiesWritten == 10, "\(run.recorder.timings.identitiesWritten) written")
            window = await run.detector.identities.snapshot()
        }
        #expect(try AlertStore(path: path, access: .readOnly).savedDetection().identityHours.map { [$0.first, $0.count] } == [[0, 20], [20, 10]])
        #expect(await (try Self.resumed(path)).detector.identities.snapshot() == window)
    }

    /// Since format 20 a table is kept for 48 hours after it last took a record, not by its hour:
    /// the rows saved are still exactly the window. An hour forgotten and taken again between two
    /// saves (a late record days behind) has its old rows replaced, not added to; a later hour
    /// forgotten while an older one stays has its rows deleted; each table's last-taken hour is
    /// saved, so the resumed window is the one the run held, and forgets what it would forget.
    /// Seen failing with `HourTable.inRows` ignored (the old rows kept: the resumed window holds
    /// the forgotten records of hour 0) and with `IdentityChanges.forgotten` not deleted (hour 50
    /// still saved).
    @Test func tablesForgottenOutOfHourOrderOrTakenAgainLeaveExactlyTheWindowSaved() async throws {
        let path = try StoreFixture.statePath()
        var run = try SavingRun(path)
        let old = Self.records(hours: 0..<1, perHour: 2)
        try await run.takeAndSave(old)
        #expect(try Self.savedHours(path) == [Self.hourNumber(0): 2])
        // The clock to hours 50 and 51, then three records of hour 0, 51 hours behind: hour 0's
        // first table is forgotten, a new one takes them (last taken in hour 51).
        let late = Self.records(hours: 0..<1, perHour: 3, salt: 7)
        try await run.takeAndSave(Self.records(hours: 50..<51, perHour: 1) + Self.records(hours: 51..<52, perHour: 1) + late)
        #expect(try Self.savedHours(path) == [Self.hourNumber(0): 3, Self.hourNumber(50): 1, Self.hourNumber(51): 1])
        // The clock to hour 99: hour 50 is forgotten (last taken in hour 50); hours 0 and 51 stay.
        try await run.takeAndSave(Self.records(hours: 99..<100, perHour: 2))
        #expect(try Self.savedHours(path) == [Self.hourNumber(0): 3, Self.hourNumber(51): 1, Self.hourNumber(99): 2])
        let window = await run.detector.identities.snapshot()
        #expect(window.lastTaken == [Self.hourNumber(0): Self.hourNumber(51)])

        let (restored, symbols) = try Self.resumed(path)
        #expect(await restored.identities.snapshot() == window)
        await restored.process(EventBatch(events: Self.events(late + old, symbols: symbols)))
        #expect(await restored.counters.duplicateRecords == 3)
    }

    /// A state saved by format 19 (the VaultWatch before: a window start, no table's last-taken
    /// hour) still opens: the same identities, each table taken as last taken in its own hour, as
    /// that version kept them; the current format keeps the hour a late table last took a record.
    /// Seen failing with format 19 read as format 20 (the window's start taken for the hours).
    @Test func aFormat19WindowOpensWithItsTablesLastTakenInTheirOwnHour() async throws {
        let symbols = SymbolTable()
        let detector = Detector(symbols: symbols)
        // Hour 50, then two records of hour 0, 50 hours behind the clock.
        let records = Self.records(hours: 50..<51, perHour: 2) + Self.records(hours: 0..<1, perHour: 2)
        await detector.process(EventBatch(events: Self.events(records, symbols: symbols)))
        let current = try #require(try BaselineSnapshot.decode(try await detector.exportState()).inFlight?.identities)
        #expect(current.lastTaken == [Self.hourNumber(0): Self.hourNumber(50)])
        #expect(current.hours.map(\.hour) == [Self.hourNumber(0), Self.hourNumber(50)])

        let older = await detector.exportState(format: 19)
        #expect(Detector.stateFormatVersion(of: older) == 19)
        var expected = current
        expected.lastTaken = [:]
        #expect(try BaselineSnapshot.decode(older).inFlight?.identities == expected)
        let restoredSymbols = SymbolTable()
        let restored = try Detector(symbols: restoredSymbols, restoring: older)
        #expect(await restored.identities.snapshot() == expected)
        // Hour 50's records are recognised; hour 0's table, last taken in its own hour for all
        // the restored window knows, is forgotten at once (as the version before would have it).
        await restored.process(EventBatch(events: Self.events(records, symbols: restoredSymbols)))
        #expect(await restored.counters.duplicateRecords == 2)
    }

    /// An hour's rows that do not follow each other (one lost) are damage: the resume is refused
    /// rather than run with part of the hour, judging again records the run before took.
    @Test func anHoursRowsThatDoNotFollowEachOtherAreRefused() async throws {
        let path = try StoreFixture.statePath()
        do {
            var run = try SavingRun(path)
            try await run.takeAndSave(Self.records(hours: 0..<1, perHour: 15), inBatchesOf: 5)
        }
        let rows = try AlertStore(path: path, access: .readOnly).savedDetection().identityHours
        #expect(rows.map { [$0.first, $0.count] } == [[0, 10], [10, 5]])
        _ = try Self.resumed(path)
        let queue = try DatabaseQueue(path: path)
        try await queue.write { try $0.execute(sql: "DELETE FROM record_identity_row WHERE first = 0") }
        try queue.close()
        let refused: Bool
        do {
            _ = try Self.resumed(path)
            refused = false
        } catch {
            refused = "\(error)".contains("do not follow each other")
        }
        #expect(refused, "a resume from an hour's rows that do not follow each other")
    }

    /// A v13 file's rows (an hour each, whole) are an hour's row from position 0 once migrated.
    @Test func aV13FilesHourRowsAreRowsFromTheHoursStart() throws {
        let (path, queue) = try StoreFixture.olderStateFile(schemaVersion: 13)
        try queue.write { db in
            try db.execute(
                sql: "INSERT INTO record_identity_hour (hour, count, data) VALUES (?, ?, ?), (?, ?, ?)",
                arguments: [480_000, 2, Data([2, 4, 1, 2, 3, 4, 5, 6, 7, 8]), 480_001, 1, Data([1, 6, 9, 9, 9, 9, 9, 9, 9, 9])])
        }
        try queue.close()
        let rows = try AlertStore(path: path, access: .detection).savedDetection().identityHours
        #expect(rows == [
            IdentityHourRow(hour: 480_000, first: 0, count: 2, data: [2, 4, 1, 2, 3, 4, 5, 6, 7, 8]),
            IdentityHourRow(hour: 480_001, first: 0, count: 1, data: [1, 6, 9, 9, 9, 9, 9, 9, 9, 9]),
        ])
    }

    /// A file saved by format 18 keeps its window inside the detector's state: a run resumed from
    /// it recognises what the run before took, and its first save moves the window into rows.
    @Test func aFormat18FilesWindowRestoresAndMovesToRowsAtTheFirstSave() async throws {
        let path = try StoreFixture.statePath()
        let symbols = SymbolTable()
        let records = Self.records(hours: 0..<4, perHour: 25)
        let first = Detector(symbols: symbols, configuration: DetectorConfiguration())
        await first.process(EventBatch(events: Self.events(records, symbols: symbols)))
        let window = await first.identities.snapshot()
        #expect(window.hours.count == 4)
        let store = try AlertStore(path: path, access: .detection)
        try store.save(DetectionProgress(
            eventClock: await first.eventClock,
            detectorSnapshot: DetectorSnapshot(formatVersion: 18, data: await first.exportState(format: 18))))
        #expect(try store.savedDetection().identityHours.isEmpty)

        var recorder = try DetectionRecorder(store: store, batchSize: 1000)
        let restoredSymbols = SymbolTable()
        let restored = try recorder.makeDetector(symbols: restoredSymbols, configuration: DetectorConfiguration())
        #expect(await restored.identities.snapshot() == window, "restored from format 18's inline window")
        let batch = EventBatch(events: Self.events(Self.records(hours: 4..<5, perHour: 5), symbols: restoredSymbols))
        try await recorder.processed(batch, touched: await restored.process(batch), by: restored)
        try await recorder.saveNow(restored)

        let saved = try AlertStore(path: path, access: .readOnly).savedDetection()
        #expect(saved.detectorSnapshot?.formatVersion == BaselineSnapshot.currentVersion)
        let state = try BaselineSnapshot.decode(Data(try #require(saved.detectorSnapshot?.data)))
        #expect(state.inFlight?.identities?.hours.isEmpty == true, "the window is in rows, not inside the state")
        #expect(try Self.savedHours(path) == (await Self.windowHours(restored)))
        #expect(await (try Self.resumed(path)).detector.identities.snapshot() == (await restored.identities.snapshot()))
    }
}
