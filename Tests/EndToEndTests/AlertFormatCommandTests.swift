import Foundation
import Testing
import VaultWatchTestSupport

/// `detect --format jsonl|defender|ocsf` and `alerts export --format jsonl|csv|defender|ocsf`, as
/// a SOC pipeline runs them (README "Alerts in other shapes").
struct AlertFormatCommandTests {
    private let sample = ["demo-data/sample-audit.jsonl", "--tor-exits", "demo-data/tor-exit-addresses.txt",
                          "--threat-intel", "demo-data/threat-intel.txt"]

    @Test func detectWritesEachShapeOneAlertPerLine() throws {
        let native = try CommandRunner.run(["detect"] + sample)
        let ids = try native.stdoutLines.map { try #require(JSONValue.parse($0)["id"]?.string) }
        #expect(ids.count == 5)

        let defender = try CommandRunner.run(["detect", "--format", "defender"] + sample)
        #expect(defender.status == 0)
        let alerts = try defender.stdoutLines.map(JSONValue.parse)
        #expect(alerts.compactMap { $0["SystemAlertId"]?.string } == ids)
        #expect(alerts.allSatisfy { $0["VendorName"]?.string == "VaultWatch" && $0["ProductName"]?.string == "VaultWatch" })
        let tor = try #require(alerts.first { $0["AlertType"]?.string == "KV_TORAccess" })
        #expect(tor["ExtendedProperties"]?["Attacker IP Address"]?.string == "192.0.2.45")
        #expect(tor["CompromisedEntity"]?.string == "payments-kv")
        #expect(defender.stderrLines.last?.contains("46 events, 0 malformed, 5 alerts") == true)

        let ocsf = try CommandRunner.run(["detect", "--format", "ocsf"] + sample)
        #expect(ocsf.status == 0)
        let findings = try ocsf.stdoutLines.map(JSONValue.parse)
        #expect(findings.compactMap { $0["finding_info"]?["uid"]?.string } == ids)
        #expect(findings.allSatisfy { $0["class_uid"]?.integer == 2004 && $0["category_uid"]?.integer == 2 })
    }

    @Test func unknownFormatIsOneLineAndExitOne() throws {
        let result = try CommandRunner.run(["detect", "--format", "xml"] + sample)
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        let message = try #require(result.stderrLines.first)
        #expect(message.hasPrefix("vaultwatch: ") && message.contains("'xml'"))
        #expect(message.contains("'jsonl', 'defender' or 'ocsf'"))
    }

    @Test func exportWritesTheStoredAlertsInEachShape() throws {
        let directory = try TestPaths.temporaryDirectory()
        let state = directory.appendingPathComponent("state.sqlite").path
        let detected = try CommandRunner.run(["detect", "--state", state] + sample)
        #expect(detected.status == 0)
        var counts: [String: Int] = [:]
        for format in ["jsonl", "csv", "defender", "ocsf"] {
            let result = try CommandRunner.run(["alerts", "export", "--format", format, "--state", state])
            #expect(result.status == 0, "\(format): \(result.stderr)")
            #expect(result.stderrLines.last?.contains("(\(format))") == true)
            // CSV rows end in CRLF (RFC 4180), which Swift holds as one character.
            counts[format] = format == "csv"
                ? result.stdout.components(separatedBy: "\r\n").count - 1 : result.stdoutLines.count
            if format == "defender" {
                let first = try JSONValue.parse(try #require(result.stdoutLines.first))
                #expect(first["Status"]?.string == "New")
            }
            if format == "ocsf" {
                let first = try JSONValue.parse(try #require(result.stdoutLines.first))
                #expect(first["type_uid"]?.integer.map { $0 / 100 } == 2004)
            }
        }
        #expect(counts == ["jsonl": 5, "csv": 6, "defender": 5, "ocsf": 5])
    }
}
