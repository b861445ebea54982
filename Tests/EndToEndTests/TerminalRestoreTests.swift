import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import VaultWatchTestSupport

/// README "The dashboard": the terminal is restored on `q`, Ctrl-C, SIGTERM and a crash. Under
/// tmux, the dashboard is stopped by a signal sent to its process; once it has gone, the pane
/// must be back in its normal mode: off the alternate screen, the cursor shown, and the tty
/// echoing and reading lines again (`stty -a`, run in the pane after the exit). A dashboard that
/// died without restoring leaves the shell's output on the alternate screen with `-echo -icanon`
/// (and without the crash handler, the Swift runtime's backtracer takes a crash and may wait
/// for a key on a terminal: the test then fails by its deadline).
@Suite(.enabled(if: Tmux.isAvailable, "tmux is not installed"), .serialized)
struct TerminalRestoreTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var command: String
        var signal: Int32
        var signalName: String
        /// Killed by the signal (a crash: the handler restores, then dies of it), or stopped cleanly.
        var isCrash: Bool
        var testDescription: String { "\(command), \(signalName)" }
    }

    @Test(arguments: [
        Case(command: "demo", signal: SIGSEGV, signalName: "SIGSEGV", isCrash: true),
        Case(command: "watch", signal: SIGABRT, signalName: "SIGABRT", isCrash: true),
        Case(command: "watch", signal: SIGTERM, signalName: "SIGTERM", isCrash: false),
        Case(command: "watch", signal: SIGINT, signalName: "Ctrl-C", isCrash: false),
    ])
    func aSignalLeavesTheTerminalInItsNormalMode(_ test: Case) async throws {
        let directory = try TestPaths.temporaryDirectory("vaultwatch-restore")
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = directory.appendingPathComponent("audit.jsonl")
        try WatchStateTests.records(startMinute: 0, torMinute: 2).write(to: log, atomically: false, encoding: .utf8)
        let arguments = test.command == "demo" ? ["demo", "--speed", "3000"] : ["watch", log.path, "--from-start", "--no-state"]
        let tmux = try Tmux(width: 100, height: 30, command: [CommandRunner.executable.path] + arguments, afterExit: "stty -a")
        defer { tmux.kill() }
        try await tmux.waitFor("the dashboard", deadline: .seconds(240)) { screen in
            screen.contains { $0.contains("─ 4 Alerts ") }
        }
        #expect(try tmux.value("#{alternate_on}") == "1", "the dashboard is drawn on the alternate screen")
        if test.signalName == "Ctrl-C" {
            // As a user does: the key, which the tty turns into SIGINT for the foreground process.
            try tmux.send("C-c")
        } else {
            let pid = try #require(try tmux.process(named: "vaultwatch"), "vaultwatch's process in the pane")
            #expect(kill(pid, test.signal) == 0)
        }
        // Joined without separators: on a terminal left without its output translation
        // (`nonl`), the shell's lines stair-step and wrap at the pane's edge.
        try await tmux.waitFor("vaultwatch to exit and stty to report", deadline: .seconds(60)) { screen in
            let joined = screen.joined()
            return joined.contains("VAULTWATCH-EXIT=") && joined.contains("icanon")
        }
        let screen = try tmux.capture()
        let text = screen.joined(separator: "\n")
        let status = screen.joined().firstMatch(of: /VAULTWATCH-EXIT=(\d+)/).map { String($0.1) }
        #expect(status == String(test.isCrash ? 128 + test.signal : 0), "\(text)")
        #expect(try tmux.value("#{alternate_on}") == "0", "still on the alternate screen:\n\(text)")
        #expect(try tmux.value("#{cursor_flag}") == "1", "the cursor is still hidden")
        let modes = Set(text.split { $0 == " " || $0 == "\n" || $0 == ";" }.map(String.init))
        #expect(modes.contains("echo") && modes.contains("icanon"), "the tty was left without echo or line reading:\n\(text)")
        #expect(!modes.contains("-echo") && !modes.contains("-icanon"), "\(text)")
    }
}
