import Foundation
import Testing
import VaultWatchTestSupport

/// A record delivered twice (Azure's at-least-once delivery, exports whose periods overlap, a blob
/// delivered again) is counted once: recognised by its time to the tick, its correlation id and
/// what it says about the call, counted as a duplicate, never judged again, and listed once by
/// `hunt` (README "Records delivered twice"). Two calls that differ in any of that are two
/// records. Real files, the real binary.
@Suite("Records delivered twice", .serialized)
struct DuplicateRecordTests {
    /// A successful `SecretGet` of one of five secrets, `second` seconds after 10:00, its time to
    /// the tick (seven digits, as the service writes them) and a correlation id of its own.
    private static func read(_ second: Int) -> RecordBuilder {
        var record = RecordBuilder(objectName: "s\(second % 5)")
        record.time = String(format: "2024-05-01T%02d:%02d:%02d.%07dZ", 10 + second / 3_600, second % 3_600 / 60, second % 60, 1_234_567 + second)
        record.correlationID = String(format: "0a1b2c3d-0000-4000-8000-%012d", second)
        return record
    }

    /// A successful `SecretDelete` (`KV_SensitiveOperation` at once, no learning needed): each
    /// judged delete adds one to the alert's count.
    private static func delete(_ time: String, correlation: String) -> RecordBuilder {
        var record = RecordBuilder(time: time, operationName: "SecretDelete", objectName: "db-password", correlationID: correlation)
        record.upn = nil
        return record
    }

    /// The same record as a row of Log Analytics' `AzureDiagnostics` table.
    private static func azureDiagnosticsRow(_ record: RecordBuilder) -> String {
        let row: [String: Any] = [
            "TimeGenerated": record.time, "ResourceId": record.resourceID, "Category": "AuditEvent",
            "OperationName": record.operationName, "ResultType": "Success", "CorrelationId": record.correlationID,
            "CallerIPAddress": record.callerIPAddress, "identity_claim_oid_g": record.principalID,
            "identity_claim_appid_g": record.appID,
            "id_s": "https://\(record.vault).vault.azure.net/\(record.objectCollection)/\(record.objectName ?? "")",
            "httpStatusCode_d": record.httpStatusCode, "Type": "AzureDiagnostics",
        ]
        return String(decoding: try! JSONSerialization.data(withJSONObject: row), as: UTF8.self) + "\n"
    }

    /// A test's files, in a directory of its own removed after the test (`withFiles`).
    private struct Files {
        let directory: URL

        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

        /// Writes `text` to `name`; its path.
        func write(_ name: String, _ text: String) throws -> String {
            try text.write(toFile: path(name), atomically: false, encoding: .utf8)
            return path(name)
        }

        /// Writes `records` to `name` as JSON lines, in the order given; its path.
        func write(_ name: String, lines records: [RecordBuilder]) throws -> String {
            try write(name, records.map { $0.jsonLine() }.joined())
        }
    }

    private static func withFiles(_ name: String, _ body: (Files) async throws -> Void) async throws {
        let files = Files(directory: try TestPaths.temporaryDirectory(name))
        defer { try? FileManager.default.removeItem(at: files.directory) }
        try await body(files)
    }

    /// What `detect` said: the `KV_SensitiveOperation` alerts' counts (each judged delete adds
    /// one), and its summary's events, late records and duplicates (`summary`, for the reader of a
    /// failure, is not compared).
    private struct Detected: Equatable {
        var deletes: [Int]
        var events: Int
        var late: Int
        var duplicates: Int
        var summary = ""

        static func == (a: Detected, b: Detected) -> Bool {
            (a.deletes, a.events, a.late, a.duplicates) == (b.deletes, b.events, b.late, b.duplicates)
        }
    }

    /// What `hunt` said: the `source` (file:line) of each record it listed, and its summary's
    /// events, matches and duplicates.
    private struct Hunted: Equatable {
        var sources: [String]
        var events: Int
        var matched: Int
        var duplicates: Int
    }

    /// The number `pattern`'s one group finds in `line`; -1 if none.
    private static func number(_ pattern: String, in line: String) -> Int {
        guard let match = try? Regex(pattern).firstMatch(in: line), let text = match.output[1].substring else { return -1 }
        return Int(text) ?? -1
    }

    /// `detect ARGUMENTS`, which must exit 0.
    private static func detect(_ arguments: [String]) async throws -> Detected {
        let result = try await CommandRunner.run(["detect"] + arguments)
        #expect(result.status == 0, "\(result.stderr)")
        let deletes = try result.stdoutLines.compactMap { line in
            let object = try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            return object["kind"] as? String == "KV_SensitiveOperation" ? object["count"] as? Int : nil
        }
        let summary = result.stderrLines.last ?? ""
        return Detected(
            deletes: deletes, events: number(#"^vaultwatch: (\d+) events,"#, in: summary),
            late: number(#"; (\d+) late;"#, in: summary), duplicates: number(#"; (\d+) duplicates, not judged;"#, in: summary),
            summary: summary)
    }

    /// `hunt ARGUMENTS` (JSON lines), which must exit 0.
    private static func hunt(_ arguments: [String]) async throws -> Hunted {
        let result = try await CommandRunner.run(["hunt"] + arguments)
        #expect(result.status == 0, "\(result.stderr)")
        let summary = result.stderrLines.last ?? ""
        return Hunted(
            sources: try result.stdoutLines.map { try #require(JSONValue.parse($0)["source"]?.string) },
            events: number(#"^vaultwatch: (\d+) events,"#, in: summary), matched: number(#" (\d+) matched "#, in: summary),
            duplicates: number(#"; (\d+) duplicates, not listed;"#, in: summary))
    }

    /// Two exports whose periods overlap (the first's delete with its correlation id in capitals,
    /// the second's in small letters), the second an `{"records":[…]}` envelope spread over lines,
    /// and the delete a third time as a Log Analytics row; the paths, and the delete's line in the
    /// first.
    private static func overlappingExports(in files: Files) throws -> (paths: [String], deleteLine: Int) {
        let deletion = Self.delete("2024-05-01T10:10:00.1234567Z", correlation: "DDDDDDDD-0000-4000-8000-000000000001")
        var lowercase = deletion
        lowercase.correlationID = deletion.correlationID.lowercased()
        // The first export: a read every 30 seconds for 20 minutes, and the delete.
        let first = ((0..<40).map { Self.read($0 * 30) } + [deletion]).sorted { $0.time < $1.time }
        // The second reaches 5 minutes back into the first's period (10 reads and the delete), then 5 new reads.
        let second = ((30..<40).map { Self.read($0 * 30) } + [lowercase] + (40..<45).map { Self.read($0 * 30) }).sorted { $0.time < $1.time }
        let paths = [
            try files.write("export-1.jsonl", lines: first),
            try files.write("export-2.json", "{\"records\": [\n" + second.map { $0.json() }.joined(separator: ",\n") + "\n]}\n"),
            try files.write("workspace.jsonl", Self.azureDiagnosticsRow(deletion)),
        ]
        return (paths, first.firstIndex { $0.operationName == "SecretDelete" }! + 1)
    }

    /// The overlap of two exports, and a record a third time in another shape, is counted once.
    /// Before, the delete was judged three times (its alert counted 3) and the summary said 58 events.
    @Test func aRecordDeliveredAgainInAnotherFileAndShapeIsCountedOnce() async throws {
        try await Self.withFiles("vaultwatch-duplicates") { files in
            let paths = try Self.overlappingExports(in: files).paths
            #expect(try await Self.detect(paths) == Detected(deletes: [1], events: 46, late: 0, duplicates: 12))
        }
    }

    /// `hunt` lists a record once, as `detect` counts it (the same recognition): over the same
    /// exports, 46 events listed, the delete once, at its first delivery (its source; `--format
    /// raw`, its bytes), and the 12 repeats counted in the summary. Before, the hunt listed 58
    /// events, the delete three times.
    @Test func huntListsARecordDeliveredTwiceOnce() async throws {
        try await Self.withFiles("vaultwatch-duplicates-hunt") { files in
            let (paths, deleteLine) = try Self.overlappingExports(in: files)
            let all = try await Self.hunt(paths)
            #expect((all.sources.count, all.events, all.matched, all.duplicates) == (46, 46, 46, 12))
            let deletes = try await Self.hunt(paths + ["--operation", "SecretDelete"])
            #expect(deletes == Hunted(sources: ["\(paths[0]):\(deleteLine)"], events: 46, matched: 1, duplicates: 12))
            // The original record, as `--format raw` prints it: the first delivery's bytes.
            let raw = try await CommandRunner.run(["hunt"] + paths + ["--operation", "SecretDelete", "--format", "raw"])
            let firstExport = try String(contentsOfFile: paths[0], encoding: .utf8).split(separator: "\n")
            #expect(raw.stdoutLines == [String(firstExport[deleteLine - 1])], "\(raw.stdout)")
        }
    }

    /// `hunt --deliveries` lists every delivery of a matching record, each repeat at its own file
    /// and line marked with its first delivery's (`repeatOf`; null for the first), by the same
    /// recognition; the summary still counts the records matched and says how many repeats it
    /// listed. Filters apply to the record: a repeat is listed when its first delivery matched,
    /// the repeats of records that did not match are not. In a table, a last column `repeat of`;
    /// `--format raw` prints each delivery's bytes. Before, hunt had no such switch (exit 1).
    @Test func huntWithDeliveriesListsEachRepeatMarkedWithItsFirstDelivery() async throws {
        try await Self.withFiles("vaultwatch-duplicates-deliveries") { files in
            let (paths, deleteLine) = try Self.overlappingExports(in: files)
            // The delete's line in each file (the envelope's records are a line each).
            let contents = try paths.map { try String(contentsOfFile: $0, encoding: .utf8).split(separator: "\n").map(String.init) }
            let lines = try contents.map { try #require($0.firstIndex { $0.contains("SecretDelete") }) + 1 }
            #expect(lines[0] == deleteLine)
            let deliveries = paths.indices.map { "\(paths[$0]):\(lines[$0])" }
            let first = deliveries[0]
            func hunt(_ arguments: [String]) async throws -> (lines: [(source: String, repeatOf: String?)], summary: String) {
                let result = try await CommandRunner.run(["hunt"] + paths + ["--deliveries"] + arguments)
                #expect(result.status == 0, "\(result.stderr)")
                let lines = try result.stdoutLines.map { line in
                    let value = try JSONValue.parse(line)
                    #expect(value["repeatOf"] != nil, "\(line)")
                    return (try #require(value["source"]?.string), value["repeatOf"]?.string)
                }
                return (lines, result.stderrLines.last ?? "")
            }

            let deletes = try await hunt(["--operation", "SecretDelete", "--principal", RecordBuilder().principalID])
            #expect(deletes.lines.map(\.source) == deliveries)
            #expect(deletes.lines.map(\.repeatOf) == [nil, first, first])
            #expect(Self.number(#" (\d+) matched "#, in: deletes.summary) == 1, "\(deletes.summary)")
            #expect(Self.number(#"; 12 duplicates, (\d+) listed;"#, in: deletes.summary) == 2, "\(deletes.summary)")

            // Every delivery: 46 records and 12 repeats, each repeat naming a first delivery listed
            // before it; the records from 10:17 only: the repeats of the six reads of the overlap
            // from 10:17 on, none of the others' (the delete's, the earlier reads').
            let all = try await hunt([])
            #expect(all.lines.count == 58)
            #expect(Self.number(#" (\d+) matched "#, in: all.summary) == 46 && Self.number(#"; 12 duplicates, (\d+) listed;"#, in: all.summary) == 12, "\(all.summary)")
            let firsts = all.lines.filter { $0.repeatOf == nil }.map(\.source)
            #expect(firsts.count == 46)
            for (index, line) in all.lines.enumerated() {
                guard let repeated = line.repeatOf else { continue }
                #expect(all.lines[..<index].contains { $0.source == repeated && $0.repeatOf == nil }, "\(line)")
            }
            let late = try await hunt(["--since", "2024-05-01T10:17:00Z"])
            #expect(late.lines.count == 17 && late.lines.filter { $0.repeatOf != nil }.count == 6, "\(late.lines)")
            #expect(Self.number(#" (\d+) matched "#, in: late.summary) == 11, "\(late.summary)")
            #expect(Self.number(#"; 12 duplicates, (\d+) listed;"#, in: late.summary) == 6, "\(late.summary)")

            // A table marks them in a last column; raw prints each delivery's bytes.
            let table = try await CommandRunner.run(["hunt"] + paths + ["--deliveries", "--operation", "SecretDelete", "--format", "table"])
            #expect(table.stdoutLines.first?.split(separator: " ").suffix(3) == ["source", "repeat", "of"], "\(table.stdout)")
            #expect(table.stdoutLines.dropFirst().map { $0.split(separator: " ").suffix(2).map(String.init) }
                == [[first, "-"], [deliveries[1], first], [deliveries[2], first]], "\(table.stdout)")
            let raw = try await CommandRunner.run(["hunt"] + paths + ["--deliveries", "--operation", "SecretDelete", "--format", "raw"])
            let originals = paths.indices.map { contents[$0][lines[$0] - 1].trimmingCharacters(in: CharacterSet(charactersIn: ",")) }
            #expect(raw.stdoutLines == originals, "\(raw.stdout)")
            // Which the help says: a record's bytes have no room for a mark (README "hunt").
            let help = try await CommandRunner.run(["hunt", "--help"])
            let words = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            #expect(words.contains("raw prints each delivery's record as written, with no room for a mark"), "\(help.stdout)")
        }
    }

    /// What is not the same record is judged, each time it comes: the same delete with another
    /// correlation id (another call in the same tick), with the same correlation id a millisecond
    /// later (a retry), twice with a time to the second only (a coarse time: parallel calls
    /// share it), and twice without a correlation id.
    @Test func nearMissesAreJudgedEachTime() async throws {
        try await Self.withFiles("vaultwatch-duplicates-near") { files in
            let original = Self.delete("2024-05-01T10:10:00.1234567Z", correlation: "dddddddd-0000-4000-8000-000000000001")
            var otherCall = original
            otherCall.correlationID = "dddddddd-0000-4000-8000-000000000002"
            var retry = original
            retry.time = "2024-05-01T10:10:00.1244567Z"
            let coarse = Self.delete("2024-05-01T10:11:00Z", correlation: "dddddddd-0000-4000-8000-000000000003")
            let uncorrelated = Self.delete("2024-05-01T10:12:00.7654321Z", correlation: "")
            let paths = [
                try files.write("a.jsonl", lines: [original, coarse, uncorrelated]),
                try files.write("b.jsonl", lines: [otherCall, retry, coarse, uncorrelated]),
            ]
            #expect(try await Self.detect(paths) == Detected(deletes: [7], events: 7, late: 0, duplicates: 0))
        }
    }

    /// A run resumed from `--state` over a new export that reaches back into what the run before
    /// took (from another file: the first file's checkpoint does not cover it) counts the overlap
    /// as duplicates: the delete judged before the restart is not judged again. Before, the
    /// second run updated its alert (count 2) and counted the hour again as events.
    /// A resumed run's summary counts its own run (its events, its duplicates: what it read again),
    /// and says what the stream came to with the runs before (`(181 events, 61 duplicates with the
    /// runs before)`); a first run, or a run over nothing new, says so too. Before, a resumed run gave
    /// its own counts only, without saying whose they were.
    @Test func aResumedRunRecognisesWhatTheRunBeforeItTookFromAnotherFile() async throws {
        try await Self.withFiles("vaultwatch-duplicates-restart") { files in
            let deletion = Self.delete("2024-05-01T11:30:00.1234567Z", correlation: "dddddddd-0000-4000-8000-000000000001")
            // Two hours of a read a minute and the delete, then an export of the second of those
            // hours and of the hour after it.
            let week1 = ((0..<120).map { Self.read($0 * 60) } + [deletion]).sorted { $0.time < $1.time }
            let week2 = ((60..<180).map { Self.read($0 * 60) } + [deletion]).sorted { $0.time < $1.time }
            let state = files.path("state.sqlite")
            let a = try files.write("week-1.jsonl", lines: week1)
            let first = try await Self.detect([a, "--state", state])
            #expect(first == Detected(deletes: [1], events: 121, late: 0, duplicates: 0))
            #expect(first.summary.hasSuffix("; state saved to \(state)"), "\(first.summary)")
            let b = try files.write("week-2.jsonl", lines: week2)
            let second = try await Self.detect([a, b, "--state", state])
            #expect(second == Detected(deletes: [], events: 60, late: 0, duplicates: 61))
            #expect(second.summary.hasSuffix("; state saved to \(state) (181 events, 61 duplicates with the runs before)"), "\(second.summary)")
            let nothingNew = try await Self.detect([a, b, "--state", state])
            #expect(nothingNew == Detected(deletes: [], events: 0, late: 0, duplicates: 0))
            #expect(nothingNew.summary.hasSuffix("; state saved to \(state) (181 events, 61 duplicates with the runs before)"), "\(nothingNew.summary)")
        }
    }

    /// A record is remembered until the stream's clock is 48 hours past the end of its hour: the
    /// delete of 10:30 delivered again (in the same file: a blob appended late) when the clock is
    /// one tick before 11:00 two days later is a duplicate; one tick after 11:00, it is judged
    /// again, as a late record (the delete's alert counts it). `detect` and `hunt` agree. Decided
    /// by the clock each record comes at, never by where batches end: before, the window moved on
    /// at the end of a batch, so the repeat after the record that took the clock past the edge,
    /// in the same batch, was still recognised.
    @Test(arguments: [
        (clock: "2024-05-03T10:59:59.9999999Z", duplicates: 1, deletes: 1),
        (clock: "2024-05-03T11:00:00.0000001Z", duplicates: 0, deletes: 2),
    ])
    func aRepeatIsRecognisedUpTo48HoursPastItsHour(clock: String, duplicates: Int, deletes: Int) async throws {
        try await Self.withFiles("vaultwatch-duplicates-edge") { files in
            let deletion = Self.delete("2024-05-01T10:30:00.1234567Z", correlation: "dddddddd-0000-4000-8000-000000000001")
            // A read an hour until the clock's hour, then one at the clock, then the delete again.
            let records = [deletion] + Self.hourlyReads(0..<47, from: (day: 1, hour: 11))
            var edge = RecordBuilder(time: clock)
            edge.correlationID = "0a1b2c3d-0000-4000-8000-999999999999"
            let file = try files.write("audit.jsonl", lines: records + [edge, deletion])

            let detected = try await Self.detect([file])
            #expect((detected.deletes.reduce(0, +), detected.events, detected.late, detected.duplicates) == (deletes, 50 - duplicates, 1 - duplicates, duplicates), "\(detected.summary)")
            let hunted = try await Self.hunt([file, "--operation", "SecretDelete"])
            #expect((hunted.sources.count, hunted.events, hunted.matched, hunted.duplicates) == (2 - duplicates, 50 - duplicates, 2 - duplicates, duplicates))
        }
    }

    /// Reads on the hour, the `hours`th hours after May `start.day`, 2024, `start.hour`:00
    /// (2024-05-05 10:00 unless said), each with an identity, then nothing else: the stream's
    /// clock, moved on an hour at a time.
    private static func hourlyReads(_ hours: Range<Int>, from start: (day: Int, hour: Int) = (5, 10)) -> [RecordBuilder] {
        hours.map { hour in
            var record = RecordBuilder(objectName: "s\(hour % 5)")
            record.time = String(
                format: "2024-05-%02dT%02d:00:00.1234567Z", start.day + (start.hour + hour) / 24, (start.hour + hour) % 24)
            record.correlationID = String(format: "0a1b2c3d-0000-4000-8000-%012d", hour)
            return record
        }
    }

    /// A record already days behind the stream's clock when it comes (a backlog restored days
    /// later, a day's blob delivered three days late) is remembered for 48 hours of the clock after
    /// it is taken: its second delivery is a duplicate until the clock is 48 hours past the end of
    /// the hour the clock was in when it was taken (here 2024-05-07 11:00), judged again after
    /// that, as any late record. The delete of 05-01 10:30 comes when the clock is 05-05 10:00,
    /// again on the next line (the samples' `KeyDelete` twins), and a third time at `clock`.
    /// Before (main e9a3563), a record more than 48 hours behind the clock was not remembered at
    /// all: the delete was judged each time (53 events, 3 late, 0 duplicates).
    @Test(arguments: [
        (clock: "2024-05-07T10:59:59.9999999Z", duplicates: 2, late: 1),
        (clock: "2024-05-07T11:00:00.0000001Z", duplicates: 1, late: 2),
    ])
    func aRecordFarBehindTheClockIsRemembered48HoursAfterItIsTaken(clock: String, duplicates: Int, late: Int) async throws {
        try await Self.withFiles("vaultwatch-duplicates-behind") { files in
            let deletion = Self.delete("2024-05-01T10:30:00.1234567Z", correlation: "dddddddd-0000-4000-8000-000000000001")
            var edge = RecordBuilder(time: clock)
            edge.correlationID = "0a1b2c3d-0000-4000-8000-999999999999"
            // The clock at 05-05 10:00, the delete twice, reads on the hour until the edge, the delete.
            let records = Self.hourlyReads(0..<1) + [deletion, deletion] + Self.hourlyReads(1..<49) + [edge, deletion]
            let file = try files.write("audit.jsonl", lines: records)

            let detected = try await Self.detect([file])
            #expect((detected.events, detected.late, detected.duplicates) == (53 - duplicates, late, duplicates), "\(detected.summary)")
            // The twins on adjacent lines are one delete. The third, when judged again (its alert
            // forgotten too), raises an alert of its own: until 6 December it took the first's id
            // (the same record, the same first sighting), and replaced it in the output.
            #expect(detected.deletes == Array(repeating: 1, count: 3 - duplicates), "\(detected.summary)")
            let hunted = try await Self.hunt([file, "--operation", "SecretDelete"])
            #expect((hunted.sources.count, hunted.events, hunted.matched, hunted.duplicates) == (3 - duplicates, 53 - duplicates, 3 - duplicates, duplicates))
        }
    }

    /// A record judged again once its alert is forgotten opens an alert of its own, with its own
    /// id: an alert already printed or saved never shrinks. Two deletes of 05-01 (one alert, count
    /// 2) come when the clock is 05-05 10:00; the clock moves on to 05-07 13:40, past the duplicate
    /// window (the first delete's twin is judged again, as a late record) and past the alert's
    /// (forgotten at 05-07 10:00); then the first delete again. Until 6 December its alert took the
    /// first's id (the same kind, vault, caller and first sighting): `detect` printed one alert,
    /// count 1, the last line as evidence, and a run resumed from `--state` after the first was
    /// forgotten overwrote its row the same way. Now two alerts, counts 2 and 1, in one run and
    /// across the restart (the state file's alerts' ids are given to none again).
    @Test func aRecordJudgedAgainAfterItsAlertIsForgottenRaisesAnAlertOfItsOwn() async throws {
        try await Self.withFiles("vaultwatch-duplicates-judged-again") { files in
            let deletion = Self.delete("2024-05-01T10:30:00.1234567Z", correlation: "dddddddd-0000-4000-8000-000000000001")
            var other = Self.delete("2024-05-01T10:40:00.1234567Z", correlation: "dddddddd-0000-4000-8000-000000000002")
            other.objectName = "api-key"
            // Reads every 20 minutes from 05-05 10:00 to 05-07 13:40 (no step of an hour at the
            // end for the end of the input to leave undecided: the first run decides them all).
            let reads = (0..<156).map { index in
                var record = RecordBuilder(objectName: "s\(index % 5)")
                let minutes = 10 * 60 + index * 20
                record.time = String(format: "2024-05-%02dT%02d:%02d:00.1234567Z", 5 + minutes / 1_440, minutes % 1_440 / 60, minutes % 60)
                record.correlationID = String(format: "0a1b2c3d-0000-4000-8000-%012d", index)
                return record
            }
            let before = [reads[0], deletion, other] + reads.dropFirst()
            let whole = try files.write("one-run.jsonl", lines: before + [deletion])
            let oneRun = try await CommandRunner.run(["detect", whole])
            let printed = oneRun.stdoutLines.filter { $0.contains("\"KV_SensitiveOperation\"") }
            #expect(printed.count == 2, "\(oneRun.stdout)")
            let ids = try printed.map { try JSONValue.parse($0)["id"]?.string }
            #expect(Set(ids).count == printed.count, "\(oneRun.stdout)")
            #expect(try await Self.detect([whole]).deletes.sorted() == [1, 2], "\(oneRun.stderr)")

            let a = try files.write("blob-1.jsonl", lines: before)
            let b = try files.write("blob-2.jsonl", lines: [deletion])
            let state = files.path("state.sqlite")
            #expect(try await Self.detect([a, "--state", state]).deletes == [2])
            let second = try await Self.detect([a, b, "--state", state])
            #expect(second.deletes == [1], "\(second.summary)")
            let export = try await CommandRunner.run(["alerts", "export", "--state", state])
            let exported = export.stdoutLines.filter { $0.contains("\"KV_SensitiveOperation\"") }
            let counts = try exported.compactMap { try JSONValue.parse($0)["count"]?.integer }
            #expect(counts.sorted() == [1, 2], "\(export.stdout)")
        }
    }

    /// A restart remembers exactly what one run remembers: two runs with `--state`, cut between
    /// a record taken days behind the clock and its second delivery, give what one run over the
    /// same records gives (the resumed run's duplicates, and its total of the stream equal to one
    /// run's events and duplicates). The resumed run comes a day of the clock later: the delete's
    /// own hour (05-01 10:00) is four days behind, only the hour the clock was in when it was
    /// taken (05-05 12:00, saved since format 20) keeps it; past 05-07 13:00 it is judged again in
    /// both. Before (main e9a3563), neither run remembered it; with the tables' last-taken hours
    /// not saved, the resumed run forgot it at once (0 duplicates where one run says 1).
    @Test(arguments: [(hours: 26, duplicates: 1), (hours: 52, duplicates: 0)])
    func aRestartBetweenTwinsFarBehindTheClockRemembersWhatOneRunDoes(hours: Int, duplicates: Int) async throws {
        try await Self.withFiles("vaultwatch-duplicates-behind-restart") { files in
            let deletion = Self.delete("2024-05-01T10:30:00.1234567Z", correlation: "dddddddd-0000-4000-8000-000000000001")
            let before = Self.hourlyReads(0..<3) + [deletion]
            let after = Self.hourlyReads(3..<hours) + [deletion]
            let a = try files.write("blob-1.jsonl", lines: before)
            let b = try files.write("blob-2.jsonl", lines: after)
            let whole = try files.write("one-run.jsonl", lines: before + after)
            let oneRun = try await Self.detect([whole])
            #expect(oneRun.duplicates == duplicates, "\(oneRun.summary)")

            let state = files.path("state.sqlite")
            let first = try await Self.detect([a, "--state", state])
            #expect(first.deletes == [1], "\(first.summary)")
            let second = try await Self.detect([a, b, "--state", state])
            #expect(second.duplicates == duplicates, "\(second.summary)")
            #expect(second.late == oneRun.late - first.late, "\(second.summary)")
            if duplicates == 1 { #expect(second.deletes.isEmpty, "\(second.summary)") }
            // The state file holds every alert raised, each with its own id: the delete judged
            // again by the resumed run is an alert of its own, beside the first run's, not in its
            // place (until 6 December it took the first's id and overwrote its row).
            let export = try await CommandRunner.run(["alerts", "export", "--state", state])
            let exported = export.stdoutLines.filter { $0.contains("\"KV_SensitiveOperation\"") }
            #expect(exported.count == 2 - duplicates, "\(export.stdout)")
            #expect(exported.contains { $0.contains("blob-1.jsonl:4") }, "\(export.stdout)")
            #expect(
                second.summary.hasSuffix("; state saved to \(state) (\(oneRun.events) events, \(oneRun.duplicates) duplicates with the runs before)"),
                "\(second.summary)")
        }
    }
}
