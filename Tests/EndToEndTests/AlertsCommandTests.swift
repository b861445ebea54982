import Foundation
import Testing
import VaultWatchTestSupport

/// `vaultwatch alerts list --since` and shortened ids (README "`alerts`"), on a state file that
/// `detect --state` filled from the sample log.
struct AlertsCommandTests {
    private struct Workspace {
        let directory: URL
        let state: String
        let ids: [String]
        let lastSeen: [String]

        init() async throws {
            directory = try TestPaths.temporaryDirectory("vaultwatch-alerts")
            state = directory.appendingPathComponent("state.sqlite").path
            let detected = try await CommandRunner.run([
                "detect", "demo-data/sample-audit.jsonl", "--state", state, "--tor-exits", "demo-data/tor-exit-addresses.txt",
                "--threat-intel", "demo-data/threat-intel.txt",
            ])
            #expect(detected.status == 0, "\(detected.stderr)")
            let alerts = try detected.stdoutLines.map(JSONValue.parse)
            ids = alerts.compactMap { $0["id"]?.string }
            lastSeen = alerts.compactMap { $0["lastSeen"]?.string }
        }

        func run(_ arguments: [String]) async throws -> CommandRunner.Result {
            try await CommandRunner.run(["alerts"] + arguments + ["--state", state])
        }

        /// The ids `alerts list` shows.
        func listed(_ arguments: [String]) async throws -> [String] {
            let result = try await run(["list"] + arguments)
            #expect(result.status == 0, "\(result.stderr)")
            return ids.filter { result.stdout.contains($0) }
        }
    }

    @Test("list --since keeps the alerts last seen at or after a time, given as ISO-8601 or as an age")
    func listSince() async throws {
        let workspace = try await Workspace()
        defer { try? FileManager.default.removeItem(at: workspace.directory) }
        #expect(workspace.ids.count == 5)
        let times = workspace.lastSeen.sorted()
        let cut = try #require(times.dropFirst(2).first)
        let expected = Set(zip(workspace.ids, workspace.lastSeen).filter { $0.1 >= cut }.map(\.0))
        #expect(expected.count >= 1 && expected.count < 5)
        #expect(Set(try await workspace.listed(["--since", cut])) == expected)
        // A date alone is midnight UTC; ages count back from now (the sample is years old).
        #expect(try await workspace.listed(["--since", String(times[0].prefix(10))]).count == 5)
        #expect(try await workspace.listed(["--since", "24h"]).isEmpty)
        #expect(try await workspace.listed(["--since", "100000d"]).count == 5)
        let empty = try await workspace.run(["list", "--since", "24h"])
        #expect(empty.stdoutLines == ["0 alerts in \(workspace.state)"])
        let bad = try await workspace.run(["list", "--since", "last week"])
        #expect(bad.status == 1)
        #expect(bad.stderrLines.count == 1)
        #expect(bad.stderrLines.first?.contains("--since") == true)
    }

    @Test("an id may be shortened to a unique prefix of four or more digits, not fewer")
    func shortenedIDs() async throws {
        let workspace = try await Workspace()
        defer { try? FileManager.default.removeItem(at: workspace.directory) }
        // The shortest prefix of at least four digits that no other alert shares.
        let target = try #require(workspace.ids.first)
        let length = try #require((4...16).first { length in
            workspace.ids.filter { $0.hasPrefix(target.prefix(length)) }.count == 1
        })
        let shown = try await workspace.run(["show", String(target.prefix(length))])
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(shown.stdout.contains(target))
        let upper = try await workspace.run(["show", String(target.prefix(length)).uppercased()])
        #expect(upper.status == 0)

        let tooShort = String(target.prefix(3))
        for command in ["show", "dismiss", "resolve"] {
            let refused = try await workspace.run([command, tooShort])
            #expect(refused.status == 1, "\(command)")
            #expect(refused.stderrLines == ["vaultwatch: no alert with id \(tooShort) in \(workspace.state)"])
        }
        // Refused means untouched: the alert is still active.
        #expect(try await workspace.listed(["--status", "active"]).contains(target))
    }
}
