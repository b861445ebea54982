import Foundation
import Testing
import VaultWatchTestSupport

/// A record delivered twice (Azure's at-least-once delivery, exports whose periods overlap, a blob
/// delivered again) is counted once: recognised by its time to the tick, its correlation id and
/// what it says about the call, counted as a duplicate, never judged again (README "Records
/// delivered twice"). Two calls that differ in any of that are two records. Real files, the real
/// binary.
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

    private static func sensitiveAlertCounts(_ result: CommandRunner.Result) throws -> [Int] {
        try result.stdoutLines.compactMap { line in
            let object = try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            return object["kind"] as? String == "KV_SensitiveOperation" ? object["count"] as? Int : nil
        }
    }

    /// Two exports whose periods overlap, the second an `{"records":[…]}` envelope spread over
    /// lines, and one record a third time as a Log Analytics row: the overlap is counted once.
    /// Before, the delete was judged three times (its alert counted 3) and the summary said 58 events.
    @Test func aRecordDeliveredAgainInAnotherFileAndShapeIsCountedOnce() async throws {
        let directory = try TestPaths.temporaryDirectory("vaultwatch-duplicates")
        defer { try? FileManager.default.removeItem(at: directory) }
        let deletion = Self.delete("2024-05-01T10:10:00.1234567Z", correlation: "dddddddd-0000-4000-8000-000000000001")
        // The first export: a read every 30 seconds for 20 minutes, and the delete.
        let first = (0..<40).map { Self.read($0 * 30) } + [deletion]
        // The second reaches 5 minutes back into the first's period (10 reads and the delete), then 5 new reads.
        let second = (30..<40).map { Self.read($0 * 30) } + [deletion] + (40..<45).map { Self.read($0 * 30) }
        let a = directory.appendingPathComponent("export-1.jsonl").path
        let b = directory.appendingPathComponent("export-2.json").path
        let c = directory.appendingPathComponent("workspace.jsonl").path
        try first.sorted { $0.time < $1.time }.map { $0.jsonLine() }.joined().write(toFile: a, atomically: false, encoding: .utf8)
        let envelope = "{\"records\": [\n" + second.sorted { $0.time < $1.time }.map { $0.json() }.joined(separator: ",\n") + "\n]}\n"
        try envelope.write(toFile: b, atomically: false, encoding: .utf8)
        try Self.azureDiagnosticsRow(deletion).write(toFile: c, atomically: false, encoding: .utf8)

        let result = try await CommandRunner.run(["detect", a, b, c])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try Self.sensitiveAlertCounts(result) == [1], "\(result.stdout)")
        let summary = result.stderrLines.last ?? ""
        #expect(summary.hasPrefix("vaultwatch: 46 events,"), "\(summary)")
        #expect(summary.contains("; 0 late; 12 duplicates, not judged;"), "\(summary)")
    }

    /// What is not the same record is judged, each time it comes: the same delete with another
    /// correlation id (another call in the same tick), with the same correlation id a millisecond
    /// later (a retry), twice with a time to the second only (a coarse time: parallel calls
    /// share it), and twice without a correlation id.
    @Test func nearMissesAreJudgedEachTime() async throws {
        let directory = try TestPaths.temporaryDirectory("vaultwatch-duplicates-near")
        defer { try? FileManager.default.removeItem(at: directory) }
        let original = Self.delete("2024-05-01T10:10:00.1234567Z", correlation: "dddddddd-0000-4000-8000-000000000001")
        var otherCall = original
        otherCall.correlationID = "dddddddd-0000-4000-8000-000000000002"
        var retry = original
        retry.time = "2024-05-01T10:10:00.1244567Z"
        let coarse = Self.delete("2024-05-01T10:11:00Z", correlation: "dddddddd-0000-4000-8000-000000000003")
        let uncorrelated = Self.delete("2024-05-01T10:12:00.7654321Z", correlation: "")
        let a = directory.appendingPathComponent("a.jsonl").path
        let b = directory.appendingPathComponent("b.jsonl").path
        try [original, coarse, uncorrelated].map { $0.jsonLine() }.joined().write(toFile: a, atomically: false, encoding: .utf8)
        try [otherCall, retry, coarse, uncorrelated].map { $0.jsonLine() }.joined().write(toFile: b, atomically: false, encoding: .utf8)

        let result = try await CommandRunner.run(["detect", a, b])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try Self.sensitiveAlertCounts(result) == [7], "\(result.stdout)")
        let summary = result.stderrLines.last ?? ""
        #expect(summary.hasPrefix("vaultwatch: 7 events,"), "\(summary)")
        #expect(summary.contains("; 0 duplicates, not judged;"), "\(summary)")
    }

    /// A run resumed from `--state` over a new export that reaches back into what the run before
    /// took (from another file: the first file's checkpoint does not cover it) counts the overlap
    /// as duplicates: the delete judged before the restart is not judged again. Before, the
    /// second run updated its alert (count 2) and counted the hour again as events.
    @Test func aResumedRunRecognisesWhatTheRunBeforeItTookFromAnotherFile() async throws {
        let directory = try TestPaths.temporaryDirectory("vaultwatch-duplicates-restart")
        defer { try? FileManager.default.removeItem(at: directory) }
        let deletion = Self.delete("2024-05-01T11:30:00.1234567Z", correlation: "dddddddd-0000-4000-8000-000000000001")
        // Two hours of a read a minute and the delete, then an export of the second of those hours
        // and of the hour after it.
        let week1 = ((0..<120).map { Self.read($0 * 60) } + [deletion]).sorted { $0.time < $1.time }
        let week2 = ((60..<180).map { Self.read($0 * 60) } + [deletion]).sorted { $0.time < $1.time }
        let a = directory.appendingPathComponent("week-1.jsonl").path
        let b = directory.appendingPathComponent("week-2.jsonl").path
        let state = directory.appendingPathComponent("state.sqlite").path
        try week1.map { $0.jsonLine() }.joined().write(toFile: a, atomically: false, encoding: .utf8)

        let firstRun = try await CommandRunner.run(["detect", a, "--state", state])
        #expect(firstRun.status == 0, "\(firstRun.stderr)")
        #expect(try Self.sensitiveAlertCounts(firstRun) == [1], "\(firstRun.stdout)")
        #expect(firstRun.stderrLines.last?.hasPrefix("vaultwatch: 121 events,") == true, "\(firstRun.stderr)")

        try week2.map { $0.jsonLine() }.joined().write(toFile: b, atomically: false, encoding: .utf8)
        let secondRun = try await CommandRunner.run(["detect", a, b, "--state", state])
        #expect(secondRun.status == 0, "\(secondRun.stderr)")
        #expect(try Self.sensitiveAlertCounts(secondRun) == [], "\(secondRun.stdout)")
        let summary = secondRun.stderrLines.last ?? ""
        #expect(summary.hasPrefix("vaultwatch: 60 events,"), "\(summary)")
        #expect(summary.contains("; 0 late; 61 duplicates, not judged;"), "\(summary)")
    }

    /// `hunt` lists a record once, as `detect` counts it (the same recognition): over the overlapping
    /// exports of `aRecordDeliveredAgainInAnotherFileAndShapeIsCountedOnce`, 46 events listed, the
    /// delete once, at its first delivery, and the 12 repeats counted in the summary. Before, the
    /// hunt listed 58 events, the delete three times.
    @Test func huntListsARecordDeliveredTwiceOnce() async throws {
        let directory = try TestPaths.temporaryDirectory("vaultwatch-duplicates-hunt")
        defer { try? FileManager.default.removeItem(at: directory) }
        let deletion = Self.delete("2024-05-01T10:10:00.1234567Z", correlation: "DDDDDDDD-0000-4000-8000-000000000001")
        var lowercase = deletion
        lowercase.correlationID = deletion.correlationID.lowercased()
        let first = ((0..<40).map { Self.read($0 * 30) } + [deletion]).sorted { $0.time < $1.time }
        let second = ((30..<40).map { Self.read($0 * 30) } + [lowercase] + (40..<45).map { Self.read($0 * 30) }).sorted { $0.time < $1.time }
        let a = directory.appendingPathComponent("export-1.jsonl").path
        let b = directory.appendingPathComponent("export-2.json").path
        let c = directory.appendingPathComponent("workspace.jsonl").path
        try first.map { $0.jsonLine() }.joined().write(toFile: a, atomically: false, encoding: .utf8)
        try ("{\"records\": [\n" + second.map { $0.json() }.joined(separator: ",\n") + "\n]}\n").write(toFile: b, atomically: false, encoding: .utf8)
        try Self.azureDiagnosticsRow(deletion).write(toFile: c, atomically: false, encoding: .utf8)

        let all = try await CommandRunner.run(["hunt", a, b, c])
        #expect(all.status == 0, "\(all.stderr)")
        #expect(all.stdoutLines.count == 46, "\(all.stdout)")
        #expect(all.stderrLines.last?.hasPrefix("vaultwatch: 46 events, 0 malformed, 46 matched (0 records skipped; 0 out of range; 12 duplicates, not listed; 3 sources;") == true, "\(all.stderr)")
        let deletes = try await CommandRunner.run(["hunt", a, b, c, "--operation", "SecretDelete"])
        let line = try #require(deletes.stdoutLines.first)
        #expect(deletes.stdoutLines.count == 1, "\(deletes.stdout)")
        #expect(try JSONValue.parse(line)["source"]?.string == "\(a):\(first.firstIndex { $0.operationName == "SecretDelete" }! + 1)")
        #expect(deletes.stderrLines.last?.contains("46 events, 0 malformed, 1 matched (0 records skipped; 0 out of range; 12 duplicates, not listed;") == true, "\(deletes.stderr)")
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
        let directory = try TestPaths.temporaryDirectory("vaultwatch-duplicates-edge")
        defer { try? FileManager.default.removeItem(at: directory) }
        let deletion = Self.delete("2024-05-01T10:30:00.1234567Z", correlation: "dddddddd-0000-4000-8000-000000000001")
        // A read an hour until the clock's hour, then one at the clock, then the delete again.
        var records = [deletion]
        for hour in 0..<47 {
            var record = RecordBuilder(objectName: "s\(hour % 5)")
            record.time = String(format: "2024-05-%02dT%02d:00:00.1234567Z", 1 + (11 + hour) / 24, (11 + hour) % 24)
            record.correlationID = String(format: "0a1b2c3d-0000-4000-8000-%012d", hour)
            records.append(record)
        }
        var edge = RecordBuilder(time: clock)
        edge.correlationID = "0a1b2c3d-0000-4000-8000-999999999999"
        records += [edge, deletion]
        let file = directory.appendingPathComponent("audit.jsonl").path
        try records.map { $0.jsonLine() }.joined().write(toFile: file, atomically: false, encoding: .utf8)

        let detect = try await CommandRunner.run(["detect", file])
        #expect(detect.status == 0, "\(detect.stderr)")
        #expect(try Self.sensitiveAlertCounts(detect).reduce(0, +) == deletes, "\(detect.stdout)")
        let summary = detect.stderrLines.last ?? ""
        #expect(summary.hasPrefix("vaultwatch: \(50 - duplicates) events,"), "\(summary)")
        #expect(summary.contains("; \(1 - duplicates) late; \(duplicates) duplicates, not judged;"), "\(summary)")
        let hunt = try await CommandRunner.run(["hunt", file, "--operation", "SecretDelete"])
        #expect(hunt.stdoutLines.count == 2 - duplicates, "\(hunt.stdout)")
        #expect(hunt.stderrLines.last?.contains("\(50 - duplicates) events, 0 malformed, \(2 - duplicates) matched (0 records skipped; 0 out of range; \(duplicates) duplicates, not listed;") == true, "\(hunt.stderr)")
    }
}
