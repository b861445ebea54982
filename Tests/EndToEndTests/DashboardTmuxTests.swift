import Foundation
import Testing
import VaultWatchTestSupport

/// The dashboard in a real terminal: tmux runs `vaultwatch demo` in a detached session, the
/// test sends keys and reads the screen with `capture-pane`, waiting for expected text with
/// generous deadlines (a loaded two-core CI machine, a debug build) and never sleeping a
/// fixed time.
@Suite(.enabled(if: Tmux.isAvailable, "tmux is not installed"), .serialized)
struct DashboardTmuxTests {
    @Test func demoShowsAnAlertOpensItShowsHelpSurvivesResizesAndQuitsCleanly() async throws {
        let tmux = try Tmux(width: 100, height: 30, command: [CommandRunner.executable.path, "demo", "--speed", "3000"])
        defer { tmux.kill() }

        // An alert row in the alerts panel: a severity tag, then its first-seen date and time.
        try await tmux.waitFor("an alert on screen", deadline: .seconds(240)) { screen in
            screen.contains { $0.range(of: #"^.(HIGH|MED |LOW |INFO) \d\d-\d\d \d\d:\d\d "#, options: .regularExpression) != nil }
        }
        try tmux.send("4", "g", "Enter")
        try await tmux.waitFor("the alert's detail", deadline: .seconds(30)) { screen in
            screen.contains { $0.hasPrefix("─ Alert ") } && screen.contains { $0.hasPrefix("─ Evidence ") }
        }
        try tmux.send("?")
        try await tmux.waitFor("the help screen", deadline: .seconds(30)) { screen in
            screen.contains { $0.hasPrefix("─ Help: keys ") } && screen.contains { $0.contains("Dismiss the alert") }
        }
        try tmux.send("Escape")
        try await tmux.waitFor("help closed", deadline: .seconds(30)) { screen in screen.contains { $0.hasPrefix("─ Alert ") } }

        try tmux.resize(width: 70, height: 20)
        try await tmux.waitFor("the too-small message", deadline: .seconds(30)) { screen in
            screen.contains { $0.contains("needs a terminal of at least 80×24") }
        }
        try tmux.resize(width: 80, height: 24)
        try await tmux.waitFor("the detail again at 80×24", deadline: .seconds(30)) { screen in
            screen.count >= 24 && screen.contains { $0.hasPrefix("─ Alert ") } && screen.allSatisfy { $0.count <= 80 }
        }
        try tmux.resize(width: 160, height: 48)
        try tmux.send("q")
        try await tmux.waitFor("the dashboard at 160×48", deadline: .seconds(30)) { screen in
            screen.contains { $0.hasPrefix("─ 1 Vaults ") } && screen.contains { $0.contains("─ 4 Alerts ") }
        }
        try tmux.send("q")
        try await tmux.waitFor("vaultwatch to exit with status 0", deadline: .seconds(60)) { screen in
            screen.contains { $0.contains("VAULTWATCH-EXIT=") }
        }
        let exitLine = try tmux.capture().first { $0.contains("VAULTWATCH-EXIT=") }
        #expect(exitLine == "VAULTWATCH-EXIT=0")
    }

    /// Restarted on its state file, the header says which counts are this run's: `events 0 this
    /// run` beside what the stream came to with the runs before, and the detector's learning
    /// state (the state's nine days), not `no history yet`; read on, this run's events count from
    /// there. Seen failing with `watch` not handing the detector's `runsBefore` to the model
    /// (`events 0  malformed 0  no history yet`).
    @Test func aWatchRestartedOnItsStateSaysWhichCountsAreThisRuns() async throws {
        let directory = try TestPaths.temporaryDirectory("vaultwatch-tmux-restart")
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = directory.appendingPathComponent("audit.jsonl")
        let state = directory.appendingPathComponent("state.db")
        // A read every half hour from 2026-02-16 10:00, each its own call.
        let start = Date(timeIntervalSince1970: 1_771_236_000)
        let formatter = ISO8601DateFormatter()
        func records(_ range: Range<Int>) -> Data {
            Data(range.map { index in
                let time = formatter.string(from: start.addingTimeInterval(Double(index) * 1_800)).replacingOccurrences(of: "Z", with: ".1234567Z")
                return RecordBuilder(time: time, vault: "kv-ledger", objectName: "s\(index % 5)",
                    correlationID: String(format: "0a1b2c3d-0000-4000-8000-%012d", index)).jsonLine()
            }.joined().utf8)
        }
        try records(0..<432).write(to: log)
        let first = try await CommandRunner.run(["detect", log.path, "--state", state.path])
        #expect(first.status == 0 && first.stderrLines.last?.hasPrefix("vaultwatch: 432 events") == true, "\(first.stderr)")

        let tmux = try Tmux(width: 120, height: 36, command: [CommandRunner.executable.path, "watch", log.path, "--state", state.path])
        defer { tmux.kill() }
        try await tmux.waitFor("the header of a restart over nothing new", deadline: .seconds(120)) { screen in
            screen.contains { $0.hasPrefix(" events 0 this run  432 with the runs before  malformed 0  learned 8 d ") }
        }
        let handle = try FileHandle(forWritingTo: log)
        try handle.seekToEnd()
        try handle.write(contentsOf: records(432..<435))
        try handle.close()
        try await tmux.waitFor("this run's three events", deadline: .seconds(120)) { screen in
            screen.contains { $0.hasPrefix(" events 3 this run  435 with the runs before  malformed 0  learned 9 d ") }
        }
        try tmux.send("q")
        try await tmux.waitFor("vaultwatch to exit", deadline: .seconds(60)) { screen in screen.contains { $0.contains("VAULTWATCH-EXIT=") } }
        #expect(try tmux.capture().first { $0.contains("VAULTWATCH-EXIT=") } == "VAULTWATCH-EXIT=0")
    }

    /// The walk an analyst takes: an alert, its principal's page, one of the principal's events,
    /// then back along the path to the dashboard, each page as it was left.
    @Test func demoWalksFromAnAlertToItsPrincipalToOneOfItsEventsAndBack() async throws {
        let tmux = try Tmux(width: 120, height: 36, command: [CommandRunner.executable.path, "demo", "--speed", "3000"])
        defer { tmux.kill() }

        // A principal's alert: an unusual user refused (it has a caller, and the caller has events).
        try await tmux.waitFor("an alert about a denied user", deadline: .seconds(240)) { screen in
            screen.contains { $0.contains("Unusual user denied") }
        }
        try tmux.send("/")
        for character in "user denied" { try tmux.send(character == " " ? "Space" : String(character)) }
        try tmux.send("Enter", "4", "g", "Enter")
        try await tmux.waitFor("the alert's page", deadline: .seconds(30)) { screen in
            screen.contains { $0.hasPrefix("─ Alert ") } && screen.contains { $0.contains("Dashboard › Alert: Unusual user denied") }
        }
        try tmux.send("Tab", "Enter")
        try await tmux.waitFor("the principal's page with its events", deadline: .seconds(30)) { screen in
            screen.contains { $0.hasPrefix("─ Principal ") }
                && screen.contains { $0.contains("› principal ") }
                && screen.contains { $0.contains("─ Events (") && !$0.contains("─ Events (0)") }
                && screen.contains { $0.hasPrefix(" first seen ") || $0.hasPrefix(" baselines ") }
        }
        try tmux.send("Enter")
        try await tmux.waitFor("one of its events", deadline: .seconds(30)) { screen in
            screen.contains { $0.hasPrefix("─ Event ") } && screen.contains { $0.contains("› event ") }
                && screen.contains { $0.hasPrefix("▶principal ") }
        }
        try tmux.send("q")
        try await tmux.waitFor("back on the principal's page", deadline: .seconds(30)) { screen in
            screen.contains { $0.hasPrefix("─ Principal ") } && !screen.contains { $0.contains("› event ") }
        }
        try tmux.send("q")
        try await tmux.waitFor("back on the alert, its principal still selected", deadline: .seconds(30)) { screen in
            screen.contains { $0.hasPrefix("─ Alert ") } && screen.contains { $0.hasPrefix(" ▶principal ") }
        }
        try tmux.send("Escape")
        try await tmux.waitFor("back on the dashboard, its filter kept", deadline: .seconds(30)) { screen in
            screen.contains { $0.hasPrefix("─ 1 Vaults ") } && !screen.contains { $0.contains("Dashboard ›") }
        }
        try tmux.send("Escape", "q")
        try await tmux.waitFor("vaultwatch to exit with status 0", deadline: .seconds(60)) { screen in
            screen.contains { $0.contains("VAULTWATCH-EXIT=") }
        }
        #expect(try tmux.capture().first { $0.contains("VAULTWATCH-EXIT=") } == "VAULTWATCH-EXIT=0")
    }

    @Test func withoutATerminalTheDemoSaysSoInOneLineAndPointsToDetect() async throws {
        let result = try await CommandRunner.run(["demo"])
        #expect(result.status == 1)
        #expect(result.stderrLines.count == 1)
        #expect(result.stderr.contains("vaultwatch detect"))
        let watch = try await CommandRunner.run(["watch", "-"])
        #expect(watch.status == 1)
        #expect(watch.stderr.contains("needs a terminal"))
    }
}
