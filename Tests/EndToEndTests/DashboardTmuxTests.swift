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
