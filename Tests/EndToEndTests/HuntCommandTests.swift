import Foundation
import Testing
import VaultWatchTestSupport

/// `vaultwatch hunt` as an analyst runs it (README "hunt"): filters AND, comma lists OR, both
/// claim styles, every input shape, the outcome trap, jsonl/table/raw, the summary on stderr.
struct HuntCommandTests {
    static let alice = "3f2a1b4c-5d6e-4f70-8192-a3b4c5d6e7f8"
    static let service = "87f0ed15-39fa-466f-832f-0ca7f04d5ea9"
    static let serviceApp = "0f1e2d3c-4b5a-4697-8877-665544332211"
    static let cli = "04b07795-8ddb-461a-bbee-02f9e1bf7b46"

    static func resourceID(_ vault: String) -> String {
        "/SUBSCRIPTIONS/0F1E2D3C-AAAA-4BBB-8CCC-000000000001/RESOURCEGROUPS/SEC/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/\(vault.uppercased())"
    }

    /// e1: alice reads a secret (data-plane claims); e3: alice lists kv-web.
    static let e1 = #"{"time":"2026-03-03T09:00:01.1234567Z","resourceId":"\#(resourceID("kv-pay"))","operationName":"SecretGet","category":"AuditEvent","resultType":"Success","resultSignature":"OK","callerIpAddress":"203.0.113.5","identity":{"claim":{"oid":"\#(alice)","appid":"\#(cli)","upn":"alice@contoso.com","xms_az_nwperimid":[]}},"properties":{"id":"https://kv-pay.vault.azure.net/secrets/db-password/0a1b","httpStatusCode":200,"clientInfo":"Azure-CLI/2.61"}}"#
    static let e3 = #"{"time":"2026-03-03T09:20:00Z","resourceId":"\#(resourceID("kv-web"))","operationName":"SecretList","category":"AuditEvent","resultType":"Success","callerIpAddress":"203.0.113.5","identity":{"claim":{"oid":"\#(alice)","appid":"\#(cli)","upn":"alice@contoso.com"}},"properties":{"id":"https://kv-web.vault.azure.net/secrets","httpStatusCode":200}}"#
    /// e2: a service principal refused (403) on a control-plane call: long claim names, and
    /// `resultType` says Success. Spread over three lines inside a pretty envelope.
    static let e2 = """
        {"time": "2026-03-03T09:10:00Z", "resourceId": "\(resourceID("kv-pay"))", "operationName": "VaultGet",
             "category": "AuditEvent", "resultType": "Success", "resultSignature": "Forbidden", "callerIpAddress": "198.51.100.7",
             "identity": {"claim": {"http://schemas.microsoft.com/identity/claims/objectidentifier": "\(service)", "appid": "\(serviceApp)"}}, "properties": {"httpStatusCode": 403}}
        """
    /// e4: the service principal's read of a missing secret (404), e5 a success beside it, both
    /// in one envelope on one line.
    static let e4 = #"{"time":"2026-03-03T09:30:00Z","resourceId":"\#(resourceID("kv-pay"))","operationName":"SecretGet","category":"AuditEvent","resultType":"Success","callerIpAddress":"198.51.100.8","identity":{"claim":{"oid":"\#(service)","appid":"\#(serviceApp)"}},"properties":{"id":"https://kv-pay.vault.azure.net/secrets/api-key","httpStatusCode":404}}"#
    static let e5 = #"{"time":"2026-03-03T09:31:00Z","resourceId":"\#(resourceID("kv-pay"))","operationName":"SecretGet","category":"AuditEvent","resultType":"Success","callerIpAddress":"198.51.100.8","identity":{"claim":{"oid":"\#(service)","appid":"\#(serviceApp)"}},"properties":{"id":"https://kv-pay.vault.azure.net/secrets/api-key","httpStatusCode":200}}"#

    struct Workspace {
        let directory: URL
        var a: String { directory.appendingPathComponent("a.jsonl").path }
        var b: String { directory.appendingPathComponent("b.json").path }
        var c: String { directory.appendingPathComponent("c.json").path }
        var names: String { directory.appendingPathComponent("names.csv").path }
        var all: [String] { [a, b, c] }

        init() throws {
            directory = try TestPaths.temporaryDirectory("vaultwatch-hunt")
            try (HuntCommandTests.e1 + "\n" + HuntCommandTests.e3 + "\n").write(toFile: a, atomically: true, encoding: .utf8)
            try ("{\n  \"records\": [\n    " + HuntCommandTests.e2 + "\n  ]\n}\n").write(toFile: b, atomically: true, encoding: .utf8)
            try ("{\"records\":[" + HuntCommandTests.e4 + "," + HuntCommandTests.e5 + "]}\n").write(toFile: c, atomically: true, encoding: .utf8)
            try "id,displayName\n\(HuntCommandTests.service),Payments SP\n\(HuntCommandTests.serviceApp),Payments API\n"
                .write(toFile: names, atomically: true, encoding: .utf8)
        }
    }

    /// The matching events' (operation, time) pairs, sorted (files are merged by time).
    func matches(_ result: CommandRunner.Result) throws -> [String] {
        try result.stdoutLines.map { line in
            let event = try JSONValue.parse(line)
            return "\(event["operation"]?.string ?? "?")@\(event["time"]?.string ?? "?")"
        }.sorted()
    }

    @Test func theOutcomeTrapAndBothClaimStylesAcrossShapes() async throws {
        let workspace = try Workspace()
        let result = try await CommandRunner.run(["hunt"] + workspace.all + ["--vault", "KV-PAY", "--outcome", "denied"])
        #expect(result.status == 0)
        #expect(result.stdoutLines.count == 1)
        let event = try JSONValue.parse(try #require(result.stdoutLines.first))
        #expect(event["operation"]?.string == "VaultGet")
        #expect(event["outcome"]?.string == "denied")
        #expect(event["httpStatusCode"]?.integer == 403)
        #expect(event["principalId"]?.string == Self.service)
        #expect(event["source"]?.string == "\(workspace.b):3")
        #expect(result.stderrLines.last?.hasPrefix("vaultwatch: 5 events, 0 malformed, 1 matched (0 records skipped; 0 out of range; 0 duplicates, not listed; 3 sources;") == true)
    }

    @Test func filtersCombineWithAndCommaListsWithOr() async throws {
        let workspace = try Workspace()
        func hunt(_ filters: [String]) async throws -> [String] {
            let result = try await CommandRunner.run(["hunt"] + workspace.all + filters + ["--directory", workspace.names])
            #expect(result.status == 0, "\(filters): \(result.stderr)")
            return try matches(result)
        }
        #expect(try await hunt(["--operation", "SecretGet,vaultget", "--principal", "alice@CONTOSO.com,\(Self.service)"]) == [
            "SecretGet@2026-03-03T09:00:01.1234567Z", "SecretGet@2026-03-03T09:30:00Z", "SecretGet@2026-03-03T09:31:00Z",
            "VaultGet@2026-03-03T09:10:00Z"])
        #expect(try await hunt(["--operation", "SecretGet", "--principal", "alice@contoso.com"]) == ["SecretGet@2026-03-03T09:00:01.1234567Z"])
        #expect(try await hunt(["--ip", "198.51.100.0/24", "--outcome", "error"]) == ["SecretGet@2026-03-03T09:30:00Z"])
        #expect(try await hunt(["--ip", "203.0.113.5,198.51.100.7"]).count == 3)
        #expect(try await hunt(["--object", "API-KEY"]) == ["SecretGet@2026-03-03T09:30:00Z", "SecretGet@2026-03-03T09:31:00Z"])
        #expect(try await hunt(["--since", "2026-03-03T09:10:00Z", "--until", "2026-03-03T09:30:00Z"]) == [
            "SecretList@2026-03-03T09:20:00Z", "VaultGet@2026-03-03T09:10:00Z"])
        #expect(try await hunt(["--principal", "payments sp", "--outcome", "success"]) == ["SecretGet@2026-03-03T09:31:00Z"])
        #expect(try await hunt(["--app", "Payments API,\(Self.cli)", "--vault", "kv-web,kv-pay", "--outcome", "success,denied"]).count == 4)
        #expect(try await hunt(["--vault", "kv-none"]) == [])
        // Many files are one timeline: the matches come out in time order, not file by file.
        let everything = try await CommandRunner.run(["hunt"] + workspace.all)
        let times = try everything.stdoutLines.map { try #require(JSONValue.parse($0)["time"]?.string) }
        #expect(times.count == 5 && times == times.sorted())
        // Ages count back from now: these records are older than a day, younger than 100,000 days.
        #expect(try await hunt(["--since", "1d"]) == [])
        #expect(try await hunt(["--since", "100000d", "--until", "1h"]).count == 5)
    }

    @Test func rawPrintsTheOriginalRecordsEvenInsideEnvelopes() async throws {
        let workspace = try Workspace()
        let result = try await CommandRunner.run(["hunt"] + workspace.all + ["--principal", Self.service, "--outcome", "denied,error", "--format", "raw"])
        #expect(result.status == 0, "\(result.stderr)")
        let expected = [Self.e2, Self.e4].sorted()
        let printed = result.stdout.split(separator: "\n{", omittingEmptySubsequences: true).enumerated().map { index, part in
            (index == 0 ? "" : "{") + String(part).trimmingCharacters(in: .newlines)
        }.sorted()
        #expect(printed == expected)
        #expect(result.stderrLines.last?.contains("2 matched") == true)

        let plain = try await CommandRunner.run(["hunt", workspace.a, "--operation", "SecretGet", "--format", "raw"])
        #expect(plain.stdout == Self.e1 + "\n")
    }

    @Test func tableAlignsColumnsAndNamesCallersBesideTheirIDs() async throws {
        let workspace = try Workspace()
        let result = try await CommandRunner.run(["hunt"] + workspace.all + ["--vault", "kv-pay", "--format", "table", "--directory", workspace.names])
        #expect(result.status == 0)
        let lines = result.stdoutLines
        #expect(lines.count == 5)
        let header = try #require(lines.first)
        #expect(header.hasPrefix("time"))
        for column in ["vault", "operation", "outcome", "caller", "application", "ip", "object", "source"] {
            let offset = try #require(header.range(of: column)).lowerBound.utf16Offset(in: header)
            for line in lines.dropFirst() {
                let before = line.utf16.prefix(offset)
                #expect(before.last == UInt16(UInt8(ascii: " ")), "\(column) column not aligned in \(line)")
            }
        }
        #expect(lines.contains { $0.contains("Payments SP (\(Self.service))") && $0.contains("denied 403") })
        #expect(lines.contains { $0.contains("alice@contoso.com") && $0.contains("Microsoft Azure CLI (\(Self.cli))") })
    }

    @Test func stdinAndBlobTreesAreReadLikeDetect() async throws {
        let workspace = try Workspace()
        let stdin = try await CommandRunner.run(["hunt", "-", "--vault", "kv-web"], input: Data((Self.e1 + "\n" + Self.e3 + "\n").utf8))
        #expect(try matches(stdin) == ["SecretList@2026-03-03T09:20:00Z"])
        #expect(stdin.stderrLines.last?.contains("2 events, 0 malformed, 1 matched") == true)

        let blob = workspace.directory.appendingPathComponent(
            "insights-logs-auditevent/resourceId=\(Self.resourceID("kv-pay"))/y=2026/m=03/d=03/h=09/m=00")
        try FileManager.default.createDirectory(at: blob, withIntermediateDirectories: true)
        try (Self.e1 + "\n").write(to: blob.appendingPathComponent("PT1H.json"), atomically: true, encoding: .utf8)
        let tree = try await CommandRunner.run(["hunt", workspace.directory.appendingPathComponent("insights-logs-auditevent").path, "--operation", "SecretGet"])
        #expect(try matches(tree) == ["SecretGet@2026-03-03T09:00:01.1234567Z"])
        let raw = try await CommandRunner.run(["hunt", workspace.directory.appendingPathComponent("insights-logs-auditevent").path, "--format", "raw"])
        #expect(raw.stdout == Self.e1 + "\n")
    }

    /// The README's list of jsonl fields ("`--format jsonl` (default): one JSON object per event
    /// with the fields …"), each present in every match and holding what the record says.
    @Test func jsonlCarriesTheREADMEsFieldsTakenFromTheRecord() async throws {
        let hunt = try #require(ReadmeText.load().section("### `hunt`"))
        let sentence = try #require(hunt.between("`--format jsonl` (default)", and: "- `--format table`"))
        let fields = ReadmeText.quotedNames(in: sentence).filter { $0.first?.isLetter == true && $0 != "file:line" }
        #expect(fields.count == 13, "\(fields)")

        let workspace = try Workspace()
        // e6: alice again, through the control plane's long claim names, UPN included.
        let e6 = #"{"time":"2026-03-03T09:40:00.5Z","resourceId":"\#(Self.resourceID("kv-web"))","operationName":"SecretGet","category":"AuditEvent","resultType":"Success","callerIpAddress":"203.0.113.6","identity":{"claim":{"http://schemas.microsoft.com/identity/claims/objectidentifier":"\#(Self.alice)","http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn":"alice@contoso.com","appid":"\#(Self.cli)"}},"properties":{"id":"https://kv-web.vault.azure.net/secrets/tls-cert/9f8e7d","httpStatusCode":200}}"#
        let long = workspace.directory.appendingPathComponent("d.jsonl").path
        try (e6 + "\n").write(toFile: long, atomically: true, encoding: .utf8)
        // Both claim styles answer to the UPN, and the default is jsonl.
        let result = try await CommandRunner.run(["hunt", workspace.a, long, "--principal", "ALICE@contoso.com", "--operation", "SecretGet"])
        #expect(result.status == 0, "\(result.stderr)")
        let events = try result.stdoutLines.map(JSONValue.parse)
        #expect(events.count == 2)
        for event in events {
            #expect(Set(event.object?.keys.map { $0 } ?? []) == Set(fields), "\(event)")
        }
        let first = try #require(events.first)
        #expect(first["time"]?.string == "2026-03-03T09:00:01.1234567Z")
        #expect(first["vault"]?.string == "kv-pay")
        #expect(first["operation"]?.string == "SecretGet")
        #expect(first["outcome"]?.string == "success")
        #expect(first["httpStatusCode"]?.integer == 200)
        #expect(first["callerIpAddress"]?.string == "203.0.113.5")
        #expect(first["principalId"]?.string == Self.alice)
        #expect(first["upn"]?.string == "alice@contoso.com")
        #expect(first["appId"]?.string == Self.cli)
        #expect(first["objectKind"]?.string == "secret")
        // The version segment of properties.id is dropped.
        #expect(first["objectName"]?.string == "db-password")
        #expect(first["clientInfo"]?.string == "Azure-CLI/2.61")
        #expect(first["source"]?.string == "\(workspace.a):1")
        let second = try #require(events.last)
        #expect(second["principalId"]?.string == Self.alice)
        #expect(second["upn"]?.string == "alice@contoso.com")
        #expect(second["objectName"]?.string == "tls-cert")
        #expect(second["clientInfo"] == .null)
    }

    @Test func rawReportsARecordOverOneMebibyteInsteadOfPrintingIt() async throws {
        let workspace = try Workspace()
        var long = RecordBuilder(time: "2026-03-03T09:50:00Z", vault: "kv-pay", objectName: "huge")
        long.clientInfo = String(repeating: "x", count: 1_200_000)
        let path = workspace.directory.appendingPathComponent("long.jsonl").path
        try (Self.e1 + "\n" + long.jsonLine()).write(toFile: path, atomically: true, encoding: .utf8)
        let result = try await CommandRunner.run(["hunt", path, "--vault", "kv-pay", "--format", "raw"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == Self.e1 + "\n")
        #expect(result.stderrLines.count == 2, "\(result.stderrLines)")
        #expect(result.stderrLines.first?.hasPrefix("\(path):2: ") == true)
        #expect(result.stderrLines.first?.contains("over 1 MiB") == true)
        #expect(result.stderrLines.last?.contains("2 events, 0 malformed, 2 matched") == true)
    }

    @Test func badFiltersAreOneLineAndExitOne() async throws {
        let workspace = try Workspace()
        for (arguments, message) in [
            (["--outcome", "maybe"], "vaultwatch: --outcome must be success, denied or error, not \"maybe\""),
            (["--ip", "300.1.2.3"], "vaultwatch: --ip \"300.1.2.3\" is not an IP address or CIDR range"),
            (["--principal", "Nobody"], "vaultwatch: --principal \"Nobody\" is not an id, a UPN or a name in the directory (--directory FILE)"),
            (["--since", "yesterday"], "vaultwatch: --since must be an ISO-8601 date or date-time, or an age such as 24h or 7d, not \"yesterday\""),
        ] {
            let result = try await CommandRunner.run(["hunt", workspace.a] + arguments)
            #expect(result.status == 1)
            #expect(result.stdout.isEmpty)
            #expect(result.stderrLines == [message])
        }
        let config = workspace.directory.appendingPathComponent("bad.toml").path
        try "[clock]\nmax_ahead = 2\n".write(toFile: config, atomically: true, encoding: .utf8)
        let badConfig = try await CommandRunner.run(["hunt", workspace.a, "--config", config])
        #expect(badConfig.status == 1)
        #expect(badConfig.stderrLines.count == 1)
        #expect(badConfig.stderrLines.first?.hasPrefix("vaultwatch: \(config):2: unknown key clock.max_ahead") == true)
    }

    @Test func rawReadsStdinTooWithTheRecordsOfEnvelopesAndProblemsNamedDash() async throws {
        let input = Self.e1 + "\nnot json\n{\"records\":[" + Self.e4 + "," + Self.e5 + "]}\n"
        let result = try await CommandRunner.run(["hunt", "-", "--operation", "SecretGet", "--format", "raw"], input: Data(input.utf8))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == Self.e1 + "\n" + Self.e4 + "\n" + Self.e5 + "\n")
        #expect(result.stderrLines.first?.hasPrefix("-:2: ") == true, "problems name stdin as -, not the temporary copy")
        #expect(result.stderrLines.last?.contains("3 events, 1 malformed, 3 matched") == true)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory()).filter { $0.hasPrefix("vaultwatch-stdin-") }
        #expect(leftovers.isEmpty, "the temporary copy is removed")
    }

    /// `--config` as detect reads it: its clock limits judge record times (a record two hours
    /// ahead of the machine's clock is out of range with `max_ahead_hours = 1`), and its
    /// `directory` names callers for `--principal NAME` and the table.
    @Test func theConfigurationsClockLimitsAndDirectoryApply() async throws {
        let workspace = try Workspace()
        let ahead = Date().addingTimeInterval(2 * 3600)
        let formatter = ISO8601DateFormatter()
        let future = Self.e5.replacingOccurrences(of: "2026-03-03T09:31:00Z", with: formatter.string(from: ahead))
        let log = workspace.directory.appendingPathComponent("future.jsonl").path
        try (Self.e4 + "\n" + future + "\n").write(toFile: log, atomically: true, encoding: .utf8)
        let config = workspace.directory.appendingPathComponent("vaultwatch.toml").path
        try "directory = \"names.csv\"\n[clock]\nmax_ahead_hours = 1\n".write(toFile: config, atomically: true, encoding: .utf8)
        let plain = try await CommandRunner.run(["hunt", log])
        #expect(plain.stdoutLines.count == 2)
        let configured = try await CommandRunner.run(["hunt", log, "--config", config, "--principal", "Payments SP", "--format", "table"])
        #expect(configured.status == 0, "\(configured.stderr)")
        #expect(configured.stdoutLines.count == 2, "a header and the one record in range")
        #expect(configured.stdoutLines.last?.contains("Payments SP (\(Self.service))") == true)
        #expect(configured.stderrLines.contains { $0.contains("future.jsonl:2: ") && $0.contains("out of range") })
        #expect(configured.stderrLines.last?.contains("1 out of range") == true)
    }
}
