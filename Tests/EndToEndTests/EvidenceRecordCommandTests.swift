import Foundation
import Testing
import VaultWatchTestSupport

/// README "Investigating without leaving the terminal": evidence keeps its original record in
/// the state file, and `alerts show` prints it, neutralised; a stateless `detect` does not read
/// records again.
struct EvidenceRecordCommandTests {
    @Test func alertsShowPrintsTheEvidencesOriginalRecordFromTheStateFile() async throws {
        let directory = try TestPaths.temporaryDirectory()
        var record = RecordBuilder(objectName: "vaultwatch-test-alert")
        record.clientInfo = "evil\u{1B}]0;owned\u{07}"
        let log = directory.appendingPathComponent("audit.jsonl").path
        try (RecordBuilder(objectName: "other").jsonLine() + record.jsonLine()).write(toFile: log, atomically: true, encoding: .utf8)
        let state = directory.appendingPathComponent("state.sqlite").path
        let detected = try await CommandRunner.run(["detect", log, "--state", state])
        #expect(detected.status == 0)
        let line = try #require(detected.stdoutLines.first)
        let id = try #require(try JSONValue.parse(line)["id"]?.string)
        let shown = try await CommandRunner.run(["alerts", "show", id, "--state", state])
        #expect(shown.status == 0, "\(shown.stderr)")
        let lines = shown.stdoutLines
        let start = try #require(lines.firstIndex { $0.hasSuffix("original record:") })
        #expect(lines[start - 1].contains("audit.jsonl:2"))
        #expect(lines[start + 1] == "      {")
        #expect(lines.contains("        \"operationName\": \"SecretGet\","))
        #expect(lines.contains { $0.contains(#""objectName": "#) } == false, "the record's own keys, not the fields read")
        #expect(shown.stdout.contains(#"\u001b]0;owned\u0007"#), "escapes stay visible text")
        #expect(!shown.stdout.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 })
    }
}

/// `alerts show` and `alerts export` read names from the configuration's `directory` key
/// (`--config FILE`), as detect does, and `--directory` over them.
struct AlertsNamesFromConfigurationTests {
    @Test func showAndExportNameCallersFromTheConfigurationsDirectory() async throws {
        let directory = try TestPaths.temporaryDirectory()
        let state = directory.appendingPathComponent("state.sqlite").path
        let detected = try await CommandRunner.run(["detect", "demo-data/sample-audit.jsonl", "--state", state,
                                              "--tor-exits", "demo-data/tor-exit-addresses.txt", "--threat-intel", "demo-data/threat-intel.txt"])
        #expect(detected.status == 0)
        let alerts = try detected.stdoutLines.map(JSONValue.parse)
        let alert = try #require(alerts.first { $0["principalId"]?.string != nil })
        let id = try #require(alert["id"]?.string)
        let principal = try #require(alert["principalId"]?.string)
        try "id,displayName\n\(principal),Night Batch Robot\n".write(
            toFile: directory.appendingPathComponent("names.csv").path, atomically: true, encoding: .utf8)
        let config = directory.appendingPathComponent("vaultwatch.toml").path
        try "directory = \"names.csv\"\n".write(toFile: config, atomically: true, encoding: .utf8)

        let plain = try await CommandRunner.run(["alerts", "show", id, "--state", state])
        #expect(!plain.stdout.contains("Night Batch Robot"))
        let shown = try await CommandRunner.run(["alerts", "show", id, "--state", state, "--config", config])
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(shown.stdout.contains("Night Batch Robot"))
        let exported = try await CommandRunner.run(["alerts", "export", "--format", "defender", "--state", state, "--config", config])
        #expect(exported.status == 0)
        #expect(exported.stdout.contains("Night Batch Robot"))
        try "id,displayName\n\(principal),Overridden Name\n".write(
            toFile: directory.appendingPathComponent("other.csv").path, atomically: true, encoding: .utf8)
        let both = try await CommandRunner.run(["alerts", "show", id, "--state", state, "--config", config,
                                          "--directory", directory.appendingPathComponent("other.csv").path])
        #expect(both.stdout.contains("Overridden Name") && !both.stdout.contains("Night Batch Robot"), "--directory goes over the configuration's")
    }
}
