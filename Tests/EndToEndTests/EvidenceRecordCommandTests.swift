import Foundation
import Testing
import VaultWatchTestSupport

/// README "Investigating without leaving the terminal": evidence keeps its original record in
/// the state file, and `alerts show` prints it, neutralised; a stateless `detect` does not read
/// records again.
struct EvidenceRecordCommandTests {
    @Test func alertsShowPrintsTheEvidencesOriginalRecordFromTheStateFile() throws {
        let directory = try TestPaths.temporaryDirectory()
        var record = RecordBuilder(objectName: "vaultwatch-test-alert")
        record.clientInfo = "evil\u{1B}]0;owned\u{07}"
        let log = directory.appendingPathComponent("audit.jsonl").path
        try (RecordBuilder(objectName: "other").jsonLine() + record.jsonLine()).write(toFile: log, atomically: true, encoding: .utf8)
        let state = directory.appendingPathComponent("state.sqlite").path
        let detected = try CommandRunner.run(["detect", log, "--state", state])
        #expect(detected.status == 0)
        let line = try #require(detected.stdoutLines.first)
        let id = try #require(try JSONValue.parse(line)["id"]?.string)
        let shown = try CommandRunner.run(["alerts", "show", id, "--state", state])
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
