import Foundation
import Testing
import VaultWatchTestSupport

/// README "The dashboard": a new Medium or High alert briefly marks the header, and `--bell`
/// also rings. tmux records a bell rung in a window of a detached session
/// (`#{window_bell_flag}`), so the test reads it. The Tor read is a Medium alert; its mark and
/// its bell come from the same snapshot, and the bell is sent before the frame that shows the
/// alert, so once the alert is on screen a bell would have been seen.
@Suite(.enabled(if: Tmux.isAvailable, "tmux is not installed"), .serialized)
struct DashboardBellTests {
    @Test(arguments: [true, false])
    func aMediumAlertRingsTheBellOnlyWithBell(_ bell: Bool) async throws {
        let directory = try TestPaths.temporaryDirectory("vaultwatch-bell")
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = directory.appendingPathComponent("audit.jsonl")
        try WatchStateTests.records(startMinute: 0, torMinute: 2).write(to: log, atomically: false, encoding: .utf8)
        let tmux = try Tmux(width: 100, height: 30, command: [
            CommandRunner.executable.path, "watch", log.path, "--from-start", "--no-state",
            "--tor-exits", "demo-data/tor-exit-addresses.txt",
        ] + (bell ? ["--bell"] : []))
        defer { tmux.kill() }
        try await tmux.waitFor("the Tor alert on screen", deadline: .seconds(120)) { screen in
            screen.contains { $0.range(of: #"^.MED  \d\d-\d\d \d\d:\d\d "#, options: .regularExpression) != nil }
        }
        if bell {
            try await tmux.waitFor("the bell", deadline: .seconds(30)) { _ in (try? tmux.value("#{window_bell_flag}")) == "1" }
        } else {
            #expect(try tmux.value("#{window_bell_flag}") == "0")
        }
        try tmux.send("q")
        try await tmux.waitFor("watch to exit", deadline: .seconds(60)) { screen in
            screen.contains { $0.contains("VAULTWATCH-EXIT=") }
        }
        #expect(try tmux.capture().contains("VAULTWATCH-EXIT=0"))
    }
}
