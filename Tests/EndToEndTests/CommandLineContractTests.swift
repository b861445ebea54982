import Foundation
import Testing
import VaultWatchTestSupport

/// The command line's contract (README "Commands", "detect", "Clocks", "One timeline"): exit
/// statuses and one-line errors, the summary line's counters, the clock limits, `--follow`'s
/// upserts and stdin among files. Every input is a fixture of its own, built with
/// `RecordBuilder`, run through the built binary.
struct CommandLineContractTests {
    private static let sample = TestPaths.repositoryRoot.appendingPathComponent("demo-data/sample-audit.jsonl").path
    private static let torList = TestPaths.repositoryRoot.appendingPathComponent("demo-data/tor-exit-addresses.txt").path
    /// Listed in demo-data/tor-exit-addresses.txt.
    private static let torAddress = "192.0.2.45"

    private static func write(_ text: String, _ name: String, in directory: URL) throws -> String {
        let url = directory.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    // MARK: Exit status and one-line errors

    @Test("a usage error is one line naming the problem and exit 1", arguments: [
        (["detect"], "path"),
        (["detect", sample, "--no-such-option"], "--no-such-option"),
        (["detect", sample, "--lang", "de"], "de"),
        (["detect", sample, "--learning-days", "400"], "--learning-days"),
        (["detect", sample, "--state", "/tmp/x.sqlite", "--no-state"], "--no-state"),
        (["alerts", "list", "--status", "open"], "--status"),
        (["hunt", sample, "--until", "tomorrow"], "--until"),
        (["frobnicate"], "frobnicate"),
    ])
    func usageErrorIsOneLine(arguments: [String], named: String) async throws {
        let result = try await CommandRunner.run(arguments)
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderrLines.count == 1, "\(result.stderrLines)")
        #expect(result.stderrLines.first?.hasPrefix("vaultwatch: ") == true)
        #expect(result.stderr.contains(named), "\(result.stderr)")
    }

    @Test("a bad line in the threat-intel list or the configuration stops the command with file:line: problem")
    func badInputFilesAreOneLine() async throws {
        let directory = try TestPaths.temporaryDirectory("vaultwatch-contract")
        defer { try? FileManager.default.removeItem(at: directory) }
        let intel = try Self.write("# blocks\n203.0.113.0/24\n10.0.0.0/33\n", "intel.txt", in: directory)
        let config = try Self.write("learning_days = 7\nwindow_dayz = 30\n", "vw.toml", in: directory)
        let badValue = try Self.write("[rules.KV_ListGetAnomaly]\nminimum_distinct_reads = \"five\"\n", "value.toml", in: directory)
        // The dashboard's section of the same file: detect refuses a typo there as watch does.
        let badKeys = try Self.write("learning_days = 7\n[keys]\ndismis = \"x\"\n", "keys.toml", in: directory)
        for (arguments, line) in [
            (["--threat-intel", intel], "vaultwatch: \(intel):3: prefix length 33 is too long for IPv4"),
            (["--config", config], "vaultwatch: \(config):2: unknown key window_dayz (expected one of: "),
            (["--config", badValue], "vaultwatch: \(badValue):2: rules.KV_ListGetAnomaly.minimum_distinct_reads must be "),
            (["--config", badKeys], "vaultwatch: \(badKeys):3: unknown key action keys.dismis (expected one of: "),
            (["--config", directory.appendingPathComponent("none.toml").path], "vaultwatch: \(directory.appendingPathComponent("none.toml").path)"),
        ] {
            let result = try await CommandRunner.run(["detect", Self.sample] + arguments)
            #expect(result.status == 1, "\(arguments)")
            #expect(result.stdout.isEmpty)
            #expect(result.stderrLines.count == 1, "\(result.stderrLines)")
            #expect(result.stderrLines.first?.hasPrefix(line) == true, "\(result.stderrLines.first ?? "") does not start with \(line)")
        }
    }

    @Test("without a terminal, watch says so in one line and points to detect")
    func watchWithoutATerminal() async throws {
        let result = try await CommandRunner.run(["watch", Self.sample])
        #expect(result.status == 1)
        #expect(result.stderrLines.count == 1, "\(result.stderrLines)")
        #expect(result.stderr.contains("vaultwatch detect"))
    }

    // MARK: The summary line

    /// One source with one of each thing the summary counts, and the lines that are reported.
    private static func countedInput() -> (text: String, problemLines: [Int], events: Int) {
        func at(_ time: String, _ name: String) -> String { RecordBuilder(time: time, objectName: name).json() }
        var otherCategory = RecordBuilder(time: "2024-05-01T10:00:30Z", objectName: "policy")
        otherCategory.category = "AzurePolicyEvaluationDetails"
        // An SDK client's first request: a 401 that names no one.
        let challenge = #"{"time":"2024-05-01T10:01:00.1234567Z","resourceId":"\#(RecordBuilder().resourceID)","operationName":"SecretGet","category":"AuditEvent","resultType":"Success","resultSignature":"Unauthorized","resultDescription":"Request is missing a Bearer or PoP token.","callerIpAddress":"10.0.0.7","identity":null,"properties":{"httpStatusCode":401}}"#
        var lines = [
            at("2024-05-01T10:00:00Z", "first"),
            otherCategory.json(),                          // skipped: not a Key Vault audit event
            challenge,                                     // an event, counted as a challenge
            at("2014-12-31T23:59:59Z", "before-2015"),     // out of range: before Key Vault logged
            "{\"time\": oops}",                            // malformed
        ]
        var problems = [2, 4, 5]
        // Enough records after 10:30 for the detector to move past them in earlier batches, so
        // that a record of 10:05 comes after its clock passed 10:15 (tolerance 10 minutes).
        let onTime = 5_000
        for index in 0..<onTime {
            lines.append(at(String(format: "2024-05-01T10:30:%02d.%03dZ", index / 100 % 60, index % 100 * 10), "on-time-\(index)"))
        }
        lines.append(at("2024-05-01T10:05:00Z", "late"))  // late: evaluated, counted, reported at its line
        problems.append(lines.count)
        lines.append(String(at("2024-05-01T10:31:00Z", "cut").prefix(90)))  // truncated
        problems.append(lines.count)
        lines.append(at("2024-05-01T10:32:00Z", "last-good"))
        lines.append(at("2099-05-01T10:33:00Z", "from-the-future"))  // out of range: far ahead of the machine's clock
        problems.append(lines.count)
        return (lines.joined(separator: "\n") + "\n", problems, onTime + 4)
    }

    @Test("each input problem is a file:line: line, then the summary counts events, malformed, skipped, challenges, out of range, late and duplicates")
    func summaryCountsEveryKindOfRecord() async throws {
        let directory = try TestPaths.temporaryDirectory("vaultwatch-contract")
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = Self.countedInput()
        let path = try Self.write(input.text, "counted.jsonl", in: directory)
        let result = try await CommandRunner.run(["detect", path])
        #expect(result.status == 0)
        let lines = result.stderrLines
        #expect(lines.count == input.problemLines.count + 1, "\(lines)")
        for (line, number) in zip(lines, input.problemLines) {
            #expect(line.hasPrefix("\(path):\(number): "), "\(line)")
        }
        #expect(lines.contains { $0.hasPrefix("\(path):4: time 2014-12-31T23:59:59") && $0.contains("out of range") })
        #expect(lines.contains { $0.hasPrefix("\(path):\(input.problemLines.last ?? 0): time 2099-05-01T10:33:00") && $0.contains("out of range") })
        let summary = try #require(lines.last)
        let pattern = #"^vaultwatch: \#(input.events) events, 2 malformed, 0 alerts \(1 records skipped; 1 SDK challenge requests, not judged; 2 out of range; 1 late; 0 duplicates, not judged; 0 possible data losses; 1 source; \d+\.\d\d s\)$"#
        #expect(summary.range(of: pattern, options: .regularExpression) != nil, "\(summary)")
    }

    @Test("[clock] in the configuration sets the limits the reader applies")
    func clockLimitsComeFromTheConfiguration() async throws {
        let directory = try TestPaths.temporaryDirectory("vaultwatch-contract")
        defer { try? FileManager.default.removeItem(at: directory) }
        // A record three days away from both neighbours: within the default week, a spike for a one-day limit.
        let log = [
            RecordBuilder(time: "2024-05-01T10:00:00Z", objectName: "a").json(),
            RecordBuilder(time: "2024-05-04T10:00:00Z", objectName: "spike").json(),
            RecordBuilder(time: "2024-05-01T10:05:00Z", objectName: "b").json(),
        ].joined(separator: "\n") + "\n"
        let path = try Self.write(log, "spike.jsonl", in: directory)
        let config = try Self.write("[clock]\nmax_jump_days = 1\n", "clock.toml", in: directory)

        let defaults = try await CommandRunner.run(["detect", path])
        // The spike is kept, so the record after it is late: reported at its line.
        #expect(defaults.stderrLines.count == 2)
        #expect(defaults.stderrLines.first?.hasPrefix("\(path):3: time 2024-05-01T10:05:00") == true)
        #expect(defaults.stderrLines.first?.contains("behind the latest record read") == true)
        #expect(defaults.stderrLines.last?.contains("3 events, 0 malformed") == true)
        #expect(defaults.stderrLines.last?.contains("0 out of range") == true)

        let configured = try await CommandRunner.run(["detect", path, "--config", config])
        #expect(configured.status == 0)
        #expect(configured.stderrLines.first?.hasPrefix("\(path):2: time 2024-05-04T10:00:00") == true, "\(configured.stderrLines)")
        #expect(configured.stderrLines.last?.contains("2 events, 0 malformed") == true)
        #expect(configured.stderrLines.last?.contains("1 out of range") == true)
    }

    // MARK: Alerts as they change, and stdin among files

    @Test("with --follow a repeat prints the alert again, same id, higher count; SIGTERM exits 0")
    func followPrintsEachStateOfAnAlert() async throws {
        let directory = try TestPaths.temporaryDirectory("vaultwatch-contract")
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = directory.appendingPathComponent("live.jsonl")
        try RecordBuilder(time: "2024-05-01T10:00:00Z", callerIPAddress: Self.torAddress, objectName: "s1").jsonLine()
            .write(to: log, atomically: true, encoding: .utf8)
        let running = try RunningCommand(["detect", log.path, "--follow", "--tor-exits", Self.torList])
        #expect(await running.waitUntil { $0.stdout.contains("KV_TORAccess") })
        let handle = try FileHandle(forWritingTo: log)
        handle.seekToEndOfFile()
        handle.write(Data(RecordBuilder(time: "2024-05-01T10:02:00Z", callerIPAddress: Self.torAddress, objectName: "s2").jsonLine().utf8))
        try handle.close()
        #expect(await running.waitUntil { $0.stdout.split(separator: "\n").count >= 2 })
        running.signal(SIGTERM)
        let result = await running.wait()
        #expect(result.status == 0)
        let states = try result.stdoutLines.map(JSONValue.parse)
        #expect(states.count == 2)
        #expect(states.map { $0["id"]?.string } == [states[0]["id"]?.string, states[0]["id"]?.string])
        #expect(states.map { $0["count"]?.integer } == [1, 2])
        #expect(states.last?["lastSeen"]?.string == "2024-05-01T10:02:00Z")
    }

    @Test("stdin among files is one timeline: the alerts of the merged file, nothing late")
    func stdinAmongFiles() async throws {
        let directory = try TestPaths.temporaryDirectory("vaultwatch-contract")
        defer { try? FileManager.default.removeItem(at: directory) }
        // Tor calls and deletions by two principals every minute, alternating between the two sources.
        var file: [String] = []
        var stdin: [String] = []
        var merged: [String] = []
        for minute in 0..<40 {
            var record = RecordBuilder(time: String(format: "2024-05-01T10:%02d:00Z", minute), objectName: "s\(minute)")
            record.principalID = minute % 3 == 0 ? "aaaaaaaa-0000-4000-8000-000000000001" : "bbbbbbbb-0000-4000-8000-000000000002"
            record.callerIPAddress = minute % 4 == 0 ? Self.torAddress : "10.0.0.\(minute)"
            record.operationName = minute % 5 == 0 ? "SecretDelete" : "SecretGet"
            merged.append(record.json())
            if minute % 2 == 0 { file.append(record.json()) } else { stdin.append(record.json()) }
        }
        let whole = try Self.write(merged.joined(separator: "\n") + "\n", "whole.jsonl", in: directory)
        let half = try Self.write(file.joined(separator: "\n") + "\n", "half.jsonl", in: directory)
        func alerts(_ result: CommandRunner.Result) throws -> [String] {
            try result.stdoutLines.map { line in
                let alert = try JSONValue.parse(line)
                return ["id", "kind", "principalId", "firstSeen", "lastSeen"].map { alert[$0]?.string ?? "null" }.joined(separator: " ")
                    + " \(alert["count"]?.integer ?? 0)"
            }
        }
        let reference = try await CommandRunner.run(["detect", whole, "--tor-exits", Self.torList])
        let mixed = try await CommandRunner.run(["detect", "-", half, "--tor-exits", Self.torList], input: Data((stdin.joined(separator: "\n") + "\n").utf8))
        #expect(mixed.status == 0)
        #expect(try alerts(reference).count >= 4)
        #expect(try alerts(mixed) == alerts(reference))
        #expect(mixed.stderrLines.last?.contains("40 events, 0 malformed") == true)
        #expect(mixed.stderrLines.last?.contains("0 late") == true)
        #expect(mixed.stderrLines.last?.contains("2 sources") == true)
    }
}
