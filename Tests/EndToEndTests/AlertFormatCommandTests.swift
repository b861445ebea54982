import Foundation
import Testing
import VaultWatchTestSupport

/// `detect --format jsonl|defender|ocsf` and `alerts export --format jsonl|csv|defender|ocsf`, as
/// a SOC pipeline runs them (README "Alerts in other shapes").
struct AlertFormatCommandTests {
    private let sample = ["demo-data/sample-audit.jsonl", "--tor-exits", "demo-data/tor-exit-addresses.txt",
                          "--threat-intel", "demo-data/threat-intel.txt"]

    @Test func detectWritesEachShapeOneAlertPerLine() async throws {
        let native = try await CommandRunner.run(["detect"] + sample)
        let ids = try native.stdoutLines.map { try #require(JSONValue.parse($0)["id"]?.string) }
        #expect(ids.count == 5)

        let defender = try await CommandRunner.run(["detect", "--format", "defender"] + sample)
        #expect(defender.status == 0)
        let alerts = try defender.stdoutLines.map(JSONValue.parse)
        #expect(alerts.compactMap { $0["SystemAlertId"]?.string } == ids)
        #expect(alerts.allSatisfy { $0["VendorName"]?.string == "VaultWatch" && $0["ProductName"]?.string == "VaultWatch" })
        let tor = try #require(alerts.first { $0["AlertType"]?.string == "KV_TORAccess" })
        #expect(tor["ExtendedProperties"]?["Attacker IP Address"]?.string == "192.0.2.45")
        #expect(tor["CompromisedEntity"]?.string == "payments-kv")
        #expect(defender.stderrLines.last?.contains("46 events, 0 malformed, 5 alerts") == true)

        let ocsf = try await CommandRunner.run(["detect", "--format", "ocsf"] + sample)
        #expect(ocsf.status == 0)
        let findings = try ocsf.stdoutLines.map(JSONValue.parse)
        #expect(findings.compactMap { $0["finding_info"]?["uid"]?.string } == ids)
        #expect(findings.allSatisfy { $0["class_uid"]?.integer == 2004 && $0["category_uid"]?.integer == 2 })
        // README: "an OCSF 1.3 Detection Finding".
        #expect(findings.allSatisfy { $0["metadata"]?["version"]?.string?.hasPrefix("1.3.") == true })
    }

    @Test func unknownFormatIsOneLineAndExitOne() async throws {
        let result = try await CommandRunner.run(["detect", "--format", "xml"] + sample)
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        let message = try #require(result.stderrLines.first)
        #expect(message.hasPrefix("vaultwatch: ") && message.contains("'xml'"))
        #expect(message.contains("'jsonl', 'defender' or 'ocsf'"))
    }

    @Test func exportWritesTheStoredAlertsInEachShape() async throws {
        let directory = try TestPaths.temporaryDirectory()
        let state = directory.appendingPathComponent("state.sqlite").path
        let detected = try await CommandRunner.run(["detect", "--state", state] + sample)
        #expect(detected.status == 0)
        var counts: [String: Int] = [:]
        for format in ["jsonl", "csv", "defender", "ocsf"] {
            let result = try await CommandRunner.run(["alerts", "export", "--format", format, "--state", state])
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

    @Test func directoryNamesGoBesideTheIDsInDefenderOCSFAndAlertsShow() async throws {
        let directory = try TestPaths.temporaryDirectory()
        let names = directory.appendingPathComponent("names.csv").path
        try "id,displayName\n3f2a1b4c-5d6e-4f70-8192-a3b4c5d6e7f8,Alice Martin (Finance)\n".write(toFile: names, atomically: true, encoding: .utf8)

        let defender = try await CommandRunner.run(["detect", "--format", "defender", "--directory", names] + sample)
        #expect(defender.status == 0)
        let tor = try #require(try defender.stdoutLines.map(JSONValue.parse).first { $0["AlertType"]?.string == "KV_TORAccess" })
        #expect(tor["ExtendedProperties"]?["Attacker Object ID"]?.string == "3f2a1b4c-5d6e-4f70-8192-a3b4c5d6e7f8")
        #expect(tor["ExtendedProperties"]?["Attacker Display Name"]?.string == "Alice Martin (Finance)")
        #expect(tor["ExtendedProperties"]?["Application Name"]?.string == "Microsoft Azure CLI")

        let ocsf = try await CommandRunner.run(["detect", "--format", "ocsf", "--directory", names] + sample)
        #expect(ocsf.stdout.contains("\"full_name\":\"Alice Martin (Finance)\""))

        let native = try await CommandRunner.run(["detect", "--directory", names] + sample)
        #expect(!native.stdout.contains("Alice Martin (Finance)"))

        let state = directory.appendingPathComponent("state.sqlite").path
        #expect(try await CommandRunner.run(["detect", "--state", state] + sample).status == 0)
        let shown = try await CommandRunner.run(["alerts", "show", "feb9e0e471658b68", "--state", state, "--directory", names])
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(shown.stdout.contains("principal id  3f2a1b4c-5d6e-4f70-8192-a3b4c5d6e7f8 (Alice Martin (Finance))"))
        #expect(shown.stdout.contains("application   04b07795-8ddb-461a-bbee-02f9e1bf7b46 (Microsoft Azure CLI)"))
    }

    @Test func aBadDirectoryLineStopsTheCommandWithFileAndLine() async throws {
        let directory = try TestPaths.temporaryDirectory()
        let names = directory.appendingPathComponent("names.csv").path
        try "3f2a1b4c-5d6e-4f70-8192-a3b4c5d6e7f8,Alice\nAlice,3f2a1b4c-5d6e-4f70-8192-a3b4c5d6e7f8\n".write(toFile: names, atomically: true, encoding: .utf8)
        let result = try await CommandRunner.run(["detect", "--directory", names] + sample)
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderrLines == ["vaultwatch: \(names):2: \"Alice\" is not an object id or application id (a GUID)"])
        let missing = try await CommandRunner.run(["detect", "--directory", "/nonexistent/names.csv"] + sample)
        #expect(missing.status == 1)
        #expect(missing.stderrLines == ["vaultwatch: cannot read directory file /nonexistent/names.csv: No such file or directory"])
    }
}
