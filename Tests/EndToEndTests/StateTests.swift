import Foundation
import Testing
import VaultWatchTestSupport

/// `detect --state FILE` restart semantics and the `alerts` commands, run as a user runs them.
///
/// The reference is always one uninterrupted, stateless `detect` of the whole log: a state file
/// filled over several runs, or by a run killed with SIGKILL and then resumed, must export the
/// same alert JSON, byte for byte (ids, counts, evidence with its file:line, reasons), with no
/// duplicates.
struct StateTests {
    private static let torExits = ["--tor-exits", "demo-data/tor-exit-addresses.txt"]
    private static let torAddresses = ["192.0.2.10", "192.0.2.45", "192.0.2.77", "198.51.100.23", "198.51.100.24"]

    /// Records `range` of a deterministic log: six days of secret reads by 37 principals on 5
    /// vaults, with calls from Tor exits (alerts without baselines, folded per principal and
    /// vault within 24 h) and deletions (sensitive operations), 13 seconds apart.
    static func records(_ range: Range<Int>) -> String {
        var text = ""
        for index in range {
            var record = RecordBuilder()
            // From 2024-05-01T10:00:00Z, 13 s apart: at most 10 days, all in May 2024.
            let seconds = 10 * 3600 + index * 13
            let (day, hour, minute, second) = (1 + seconds / 86_400, seconds % 86_400 / 3600, seconds % 3600 / 60, seconds % 60)
            record.time = String(format: "2024-05-%02dT%02d:%02d:%02d.%07dZ", day, hour, minute, second, index % 9_999_999)
            record.vault = "vault-\(index % 5)"
            record.principalID = String(format: "00000000-0000-0000-0000-%012d", index % 37)
            record.upn = index % 37 < 30 ? "user\(index % 37)@contoso.example" : nil
            record.callerIPAddress = index % 29 == 0 ? torAddresses[(index / 29) % torAddresses.count] : "10.0.\(index % 250).\(index % 7 + 1)"
            record.operationName = index % 97 == 0 ? "SecretDelete" : "SecretGet"
            record.objectName = "secret-\(index % 400)"
            text += record.jsonLine()
        }
        return text
    }

    private struct Workspace {
        let directory: URL
        let log: URL
        let state: String
        /// XDG_STATE_HOME inside the workspace, so no test touches the user's state.
        let environment: [String: String]

        init() throws {
            directory = try TestPaths.temporaryDirectory("vaultwatch-state")
            log = directory.appendingPathComponent("audit.jsonl")
            state = directory.appendingPathComponent("state/state.sqlite").path
            var environment = ProcessInfo.processInfo.environment
            environment["XDG_STATE_HOME"] = directory.appendingPathComponent("xdg").path
            self.environment = environment
        }

        func write(_ text: String) throws {
            try text.write(to: log, atomically: false, encoding: .utf8)
        }

        func append(_ text: String) throws {
            let handle = try FileHandle(forWritingTo: log)
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(text.utf8))
            try handle.close()
        }

        func run(_ arguments: [String]) async throws -> CommandRunner.Result {
            try await CommandRunner.run(arguments, environment: environment)
        }

        /// One uninterrupted, stateless run over the log as it is now.
        func reference() async throws -> [String] {
            let result = try await run(["detect", log.path] + StateTests.torExits)
            #expect(result.status == 0)
            return result.stdoutLines
        }

        func export() async throws -> [String] {
            let result = try await run(["alerts", "export", "--state", state])
            #expect(result.status == 0, "\(result.stderr)")
            return result.stdoutLines
        }
    }

    private static func eventsRead(_ result: CommandRunner.Result) -> Int? {
        guard let summary = result.stderrLines.last, let range = summary.range(of: "vaultwatch: ") else { return nil }
        return Int(summary[range.upperBound...].prefix { $0.isNumber })
    }

    /// A second run over nothing new says it read nothing: the records out of range and the SDK
    /// challenge requests the first run counted are the first run's (before, the summary of every
    /// later run repeated them, as the saved state carries them).
    @Test func aSecondRunOverNothingNewCountsNothingOutOfRange() async throws {
        let directory = try TestPaths.temporaryDirectory("vaultwatch-state-counters")
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = directory.appendingPathComponent("audit.jsonl").path
        let state = directory.appendingPathComponent("state.sqlite").path
        var ahead = RecordBuilder(time: "2099-05-01T10:02:00.0000000Z")
        ahead.objectName = "from-the-future"
        try (Self.records(0..<50) + ahead.jsonLine()).write(toFile: log, atomically: false, encoding: .utf8)
        let first = try await CommandRunner.run(["detect", log, "--state", state] + Self.torExits)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderrLines.last?.contains("vaultwatch: 50 events") == true, "\(first.stderr)")
        #expect(first.stderrLines.last?.contains("; 1 out of range;") == true, "\(first.stderr)")
        let second = try await CommandRunner.run(["detect", log, "--state", state] + Self.torExits)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stderrLines.last?.contains("vaultwatch: 0 events") == true, "\(second.stderr)")
        #expect(second.stderrLines.last?.contains("; 0 out of range;") == true, "\(second.stderr)")
    }

    /// The summary counts the alerts the run printed. A run whose input ended inside a stretch
    /// stamped ahead saves the state from before it, so the next run reads the stretch again
    /// (README "Clocks"): over nothing new, it raises the stretch's alert again as the state
    /// holds it, and prints nothing. Before, its summary said "1 alerts" with nothing printed
    /// (found held out: a resumed run of 13 vaults' files said "9 alerts" and printed none).
    @Test func aRunOverNothingNewAfterACutCountsTheAlertsItPrints() async throws {
        let directory = try TestPaths.temporaryDirectory("vaultwatch-state-cut-summary")
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = directory.appendingPathComponent("audit.jsonl").path
        let state = directory.appendingPathComponent("state.sqlite").path
        // One reader, a record a minute for two hours, then 20 records stamped 3 hours ahead, one
        // of them on the test secret: the input ends inside the stretch.
        func record(_ minute: Int, ahead: Int = 0, object: String? = nil) -> String {
            var record = RecordBuilder()
            let seconds = minute * 60 + ahead * 3_600
            record.time = String(format: "2024-05-01T%02d:%02d:%02d.0000000Z", 10 + seconds / 3_600, seconds % 3_600 / 60, seconds % 60)
            record.objectName = object ?? "s\(minute % 5)"
            return record.jsonLine()
        }
        let lines = (0..<120).map { record($0) } + (120..<140).map { record($0, ahead: 3, object: $0 == 130 ? "vaultwatch-test-alert" : nil) }
        try lines.joined().write(toFile: log, atomically: false, encoding: .utf8)
        let first = try await CommandRunner.run(["detect", log, "--state", state])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdoutLines.count == 1 && first.stdoutLines.first?.contains("KV_TestAlert") == true, "\(first.stdout)")
        #expect(first.stderrLines.last?.contains("vaultwatch: 140 events, 0 malformed, 1 alerts") == true, "\(first.stderr)")
        let second = try await CommandRunner.run(["detect", log, "--state", state])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdoutLines.isEmpty, "\(second.stdout)")
        // The stretch read again: the first run counted it, so this run does not (README "detect").
        #expect(Self.eventsRead(second) == 0, "\(second.stderr)")
        #expect(second.stderrLines.last?.contains("; 20 read again, counted by the run before;") == true, "the stretch read again: \(second.stderr)")
        #expect(second.stderrLines.last?.contains(", 0 alerts") == true, "\(second.stderr)")
    }

    @Test func oneLogReadInTwoRunsGivesTheAlertsOfOneRun() async throws {
        let workspace = try Workspace()
        try workspace.write(Self.records(0..<3_000))
        let first = try await workspace.run(["detect", workspace.log.path, "--state", workspace.state] + Self.torExits)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderrLines.last?.contains("state saved to \(workspace.state)") == true)
        try workspace.append(Self.records(3_000..<6_000))
        let second = try await workspace.run(["detect", workspace.log.path, "--state", workspace.state] + Self.torExits)
        #expect(second.status == 0, "\(second.stderr)")
        // The second run resumed at the checkpoint: it read only the appended records.
        #expect(Self.eventsRead(first) == 3_000)
        #expect(Self.eventsRead(second) == 3_000)

        let reference = try await workspace.reference()
        #expect(reference.count > 20)
        Self.expectSame(try await workspace.export(), reference)
        // What the two runs printed, upserted by id, is the reference too.
        var printed: [String: String] = [:]
        for line in first.stdoutLines + second.stdoutLines { printed[Self.id(of: line)] = line }
        Self.expectSame(printed.values.sorted(), reference.sorted())

        // A third run with nothing new reads nothing and changes nothing.
        let third = try await workspace.run(["detect", workspace.log.path, "--state", workspace.state] + Self.torExits)
        #expect(Self.eventsRead(third) == 0)
        #expect(third.stdout.isEmpty)
        Self.expectSame(try await workspace.export(), reference)
    }

    @Test func aRunKilledMidStreamThenResumedGivesTheAlertsOfOneRun() async throws {
        let workspace = try Workspace()
        let total = 60_000
        try workspace.write(Self.records(0..<2_000))
        let running = try RunningCommand(
            ["detect", workspace.log.path, "--follow", "--state", workspace.state] + Self.torExits,
            environment: workspace.environment)
        // The first part is read, saved (a batch that catches up with the input is saved at
        // once) and its alerts printed; then a large second part arrives and the process is
        // killed as soon as alerts from it appear, wherever it is in reading it. The third part
        // is written only after the kill, so the resumed run always has work left however fast
        // the killed one read (it once read all of a single second part before the kill landed).
        #expect(await running.waitUntil(timeout: .seconds(120)) { $0.stdout.contains("2024-05-01T17:") })
        let printedBeforeAppend = running.stdout.count
        try workspace.append(Self.records(2_000..<30_000))
        #expect(await running.waitUntil(timeout: .seconds(120)) { $0.stdout.count > printedBeforeAppend })
        running.signal(SIGKILL)
        let killed = await running.wait()
        #expect(killed.status != 0)
        try workspace.append(Self.records(30_000..<total))

        let resumed = try await workspace.run(["detect", workspace.log.path, "--state", workspace.state] + Self.torExits)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let resumedEvents = try #require(Self.eventsRead(resumed))
        // Killed mid-stream: the resumed run started after the first save and read at least
        // the part written after the kill.
        #expect(resumedEvents >= total - 30_000)
        #expect(resumedEvents <= total - 2_000)

        let reference = try await workspace.reference()
        let exported = try await workspace.export()
        #expect(exported.count == Set(exported.map(Self.id(of:))).count, "no duplicate ids")
        Self.expectSame(exported, reference)
    }

    /// Two days of routine reads of one vault by five users, every five minutes from
    /// 2024-05-01T00:00Z, then (`newcomer`) a third day in which a user never seen before reads
    /// a secret: with one learning day the vault's baselines are armed by then.
    static func routine(days: Range<Int>, newcomer: Bool) -> String {
        var text = ""
        for day in days {
            for slot in 0..<288 {
                let minutes = slot * 5
                var record = RecordBuilder(vault: "vault-0")
                record.time = String(format: "2024-05-%02dT%02d:%02d:00.0000000Z", day + 1, minutes / 60, minutes % 60)
                let user = slot % 5
                record.principalID = String(format: "00000000-0000-0000-0000-%012d", user)
                record.upn = "user\(user)@contoso.example"
                record.callerIPAddress = "10.0.0.\(user + 1)"
                record.objectName = "secret-\(slot % 7)"
                text += record.jsonLine()
                if newcomer, slot == 6 {
                    record.principalID = "00000000-0000-0000-0000-000000000099"
                    record.upn = "mallory@contoso.example"
                    record.time = String(format: "2024-05-%02dT00:31:00.0000000Z", day + 1)
                    text += record.jsonLine()
                }
            }
        }
        return text
    }

    @Test func aRestartKeepsTheLearnedBaselines() async throws {
        let workspace = try Workspace()
        let options = ["--learning-days", "1"] + Self.torExits
        try workspace.write(Self.routine(days: 0..<2, newcomer: false))
        let first = try await workspace.run(["detect", workspace.log.path, "--state", workspace.state] + options)
        #expect(first.status == 0, "\(first.stderr)")
        try workspace.append(Self.routine(days: 2..<3, newcomer: true))
        let second = try await workspace.run(["detect", workspace.log.path, "--state", workspace.state] + options)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(Self.eventsRead(second) == 289)

        let reference = try await workspace.run(["detect", workspace.log.path] + options).stdoutLines
        // The newcomer is unusual only to a detector that remembers the first two days.
        #expect(reference.contains { $0.contains("KV_UserAnomaly") && $0.contains("mallory@contoso.example") })
        #expect(second.stdout.contains("mallory@contoso.example"))
        Self.expectSame(try await workspace.export(), reference)
    }

    @Test func alertsCommandsListShowExportDismissAndResolve() async throws {
        let workspace = try Workspace()
        try workspace.write(Self.records(0..<600))
        #expect(try await workspace.run(["detect", workspace.log.path, "--state", workspace.state] + Self.torExits).status == 0)
        let reference = try await workspace.reference()
        let ids = reference.map(Self.id(of:))
        #expect(ids.count >= 3)

        let list = try await workspace.run(["alerts", "list", "--state", workspace.state])
        #expect(list.status == 0)
        #expect(list.stdoutLines.first?.hasPrefix("ID") == true)
        #expect(ids.allSatisfy { list.stdout.contains($0) })
        #expect(list.stdoutLines.last == "\(ids.count) alerts in \(workspace.state)")

        let show = try await workspace.run(["alerts", "show", ids[0], "--state", workspace.state])
        #expect(show.status == 0)
        for heading in ["Description", "Reasons", "Entities", "Evidence", "Remediation", "Status history"] {
            #expect(show.stdout.contains(heading))
        }
        #expect(show.stdout.contains("audit.jsonl:"))

        let dismiss = try await workspace.run(["alerts", "dismiss", String(ids[0].prefix(10)), "--reason", "known scanner", "--state", workspace.state])
        #expect(dismiss.status == 0, "\(dismiss.stderr)")
        #expect(dismiss.stdout.contains("\(ids[0]) dismissed"))
        let resolve = try await workspace.run(["alerts", "resolve", ids[1], "--state", workspace.state])
        #expect(resolve.status == 0)
        let again = try await workspace.run(["alerts", "resolve", ids[1], "--state", workspace.state])
        #expect(again.status == 1)
        #expect(again.stderr.contains("already resolved"))

        let dismissed = try await workspace.run(["alerts", "list", "--status", "dismissed", "--state", workspace.state])
        #expect(dismissed.stdoutLines.count == 3)  // header, the alert, the count
        #expect(dismissed.stdout.contains(ids[0]))
        let shown = try await workspace.run(["alerts", "show", ids[0], "--state", workspace.state])
        #expect(shown.stdout.contains("active → dismissed: known scanner"))

        let byKind = try await workspace.run(["alerts", "list", "--kind", "KV_SensitiveOperation", "--vault", "VAULT-0", "--state", workspace.state])
        #expect(byKind.status == 0)
        #expect(byKind.stdoutLines.dropFirst().dropLast().allSatisfy { $0.contains("KV_SensitiveOperation") && $0.contains("vault-0") })

        // Export: JSON lines as detect prints them, with the stored statuses.
        let exported = try await workspace.export()
        #expect(exported.count == reference.count)
        #expect(exported.first { $0.contains(ids[0]) }?.contains("\"status\":\"dismissed\"") == true)
        #expect(exported.first { $0.contains(ids[1]) }?.contains("\"status\":\"resolved\"") == true)
        let untouched = Set(reference).subtracting([reference[0], reference[1]])
        #expect(untouched.isSubset(of: Set(exported)))

        // More input later: repeats update a dismissed alert but keep it dismissed.
        try workspace.append(Self.records(600..<1_200))
        #expect(try await workspace.run(["detect", workspace.log.path, "--state", workspace.state] + Self.torExits).status == 0)
        let afterMore = try await workspace.run(["alerts", "list", "--status", "dismissed", "--state", workspace.state])
        #expect(afterMore.stdout.contains(ids[0]))

        let output = workspace.directory.appendingPathComponent("alerts.csv").path
        let csv = try await workspace.run(["alerts", "export", "--format", "csv", "--output", output, "--state", workspace.state])
        #expect(csv.status == 0)
        #expect(csv.stderr.contains("to \(output)"))
        let text = try String(contentsOfFile: output, encoding: .utf8)
        #expect(text.hasPrefix("id,kind,displayName,severity,status,"))
        let mode = try FileManager.default.attributesOfItem(atPath: output)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func detectWithoutStateKeepsNothing() async throws {
        let workspace = try Workspace()
        try workspace.write(Self.records(0..<100))
        #expect(try await workspace.run(["detect", workspace.log.path] + Self.torExits).status == 0)
        #expect(!FileManager.default.fileExists(atPath: workspace.directory.appendingPathComponent("xdg").path))
        #expect(!FileManager.default.fileExists(atPath: workspace.state))
        let both = try await workspace.run(["detect", workspace.log.path, "--state", workspace.state, "--no-state"])
        #expect(both.status == 1)
    }

    @Test func aCorruptStateFileIsOneLineAndExitOne() async throws {
        let workspace = try Workspace()
        try workspace.write(Self.records(0..<100))
        try FileManager.default.createDirectory(
            atPath: (workspace.state as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(repeating: 0x42, count: 4096).write(to: URL(fileURLWithPath: workspace.state))
        for arguments in [["detect", workspace.log.path, "--state", workspace.state], ["alerts", "list", "--state", workspace.state]] {
            let result = try await workspace.run(arguments)
            #expect(result.status == 1)
            #expect(result.stdout.isEmpty)
            #expect(result.stderrLines.count == 1)
            #expect(result.stderr.contains(workspace.state))
            #expect(result.stderr.contains("damaged"))
        }
    }

    /// A state file written by a later build (a schema this one does not know) is refused by every
    /// command, in one line naming the file and both versions, and is left as it was. The file's
    /// schema version is SQLite's user_version (the header's four bytes at offset 60,
    /// big-endian), raised by one here as a newer build would have.
    @Test func aStateFileFromANewerBuildIsOneLineAndExitOne() async throws {
        let workspace = try Workspace()
        try workspace.write(Self.records(0..<100))
        #expect(try await workspace.run(["detect", workspace.log.path, "--state", workspace.state] + Self.torExits).status == 0)
        #expect(!FileManager.default.fileExists(atPath: workspace.state + "-wal"), "the header alone must hold the version")
        var bytes = try Data(contentsOf: URL(fileURLWithPath: workspace.state))
        let known = bytes[60..<64].reduce(0) { $0 << 8 | Int($1) }
        #expect(known >= 6)
        let newer = known + 1
        bytes.replaceSubrange(60..<64, with: (0..<4).map { UInt8(truncatingIfNeeded: newer >> (8 * (3 - $0))) })
        try bytes.write(to: URL(fileURLWithPath: workspace.state))
        for arguments in [
            ["detect", workspace.log.path, "--state", workspace.state], ["alerts", "list", "--state", workspace.state],
            ["alerts", "export", "--state", workspace.state], ["alerts", "dismiss", "0000", "--state", workspace.state],
        ] {
            let result = try await workspace.run(arguments)
            #expect(result.status == 1, "\(arguments)")
            #expect(result.stdout.isEmpty)
            #expect(result.stderrLines == [
                "vaultwatch: state file \(workspace.state) was written by a newer VaultWatch (schema version \(newer); this version knows up to \(known)); upgrade vaultwatch or use another --state FILE"
            ], "\(arguments)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: workspace.state)) == bytes, "the newer file was changed")
    }

    @Test func aReadOnlyStateFileIsRefusedForDetectionAndStillListed() async throws {
        let workspace = try Workspace()
        try workspace.write(Self.records(0..<300))
        #expect(try await workspace.run(["detect", workspace.log.path, "--state", workspace.state] + Self.torExits).status == 0)
        try FileManager.default.setAttributes([.posixPermissions: 0o400], ofItemAtPath: workspace.state)
        let detect = try await workspace.run(["detect", workspace.log.path, "--state", workspace.state] + Self.torExits)
        #expect(detect.status == 1)
        #expect(detect.stderrLines.count == 1)
        #expect(detect.stderr.contains("\(workspace.state) cannot be written"))
        let list = try await workspace.run(["alerts", "list", "--state", workspace.state])
        #expect(list.status == 0, "\(list.stderr)")
        let dismiss = try await workspace.run(["alerts", "dismiss", "0000", "--state", workspace.state])
        #expect(dismiss.status == 1)
        #expect(dismiss.stderr.contains("cannot be written"))
    }

    @Test func aSecondDetectorOnTheSameStateFileIsRefused() async throws {
        let workspace = try Workspace()
        try workspace.write(Self.records(0..<300))
        let running = try RunningCommand(
            ["detect", workspace.log.path, "--follow", "--state", workspace.state] + Self.torExits,
            environment: workspace.environment)
        #expect(await running.waitUntil(timeout: .seconds(120)) { $0.stdout.contains("KV_TORAccess") })
        let second = try await workspace.run(["detect", workspace.log.path, "--state", workspace.state] + Self.torExits)
        #expect(second.status == 1)
        #expect(second.stderrLines.count == 1)
        #expect(second.stderr.contains("\(workspace.state) is in use by another vaultwatch (pid "))
        // Reading and status changes work alongside the detector.
        #expect(try await workspace.run(["alerts", "list", "--state", workspace.state]).status == 0)
        running.signal(SIGTERM)
        #expect(await running.wait().status == 0)
        #expect(try await workspace.run(["detect", workspace.log.path, "--state", workspace.state] + Self.torExits).status == 0)
    }

    @Test func alertsCommandsUseTheDefaultStateFile() async throws {
        let workspace = try Workspace()
        let list = try await workspace.run(["alerts", "list"])
        #expect(list.status == 1)
        #expect(list.stderr.contains(workspace.directory.appendingPathComponent("xdg/vaultwatch/state.sqlite").path))
    }

    /// Expects equal lists of alert lines; on failure names the counts and the first difference
    /// rather than printing every alert.
    private static func expectSame(_ actual: [String], _ expected: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        guard actual != expected else { return }
        let index = (0..<min(actual.count, expected.count)).first { actual[$0] != expected[$0] } ?? min(actual.count, expected.count)
        let got = index < actual.count ? String(actual[index].prefix(400)) : "nothing"
        let wanted = index < expected.count ? String(expected[index].prefix(400)) : "nothing"
        Issue.record(
            "\(actual.count) alerts, expected \(expected.count); first difference at \(index): got \(got), expected \(wanted)",
            sourceLocation: sourceLocation)
    }

    private static func id(of line: String) -> String {
        guard let range = line.range(of: "\"id\":\"") else { return line }
        return String(line[range.upperBound...].prefix(16))
    }
}
