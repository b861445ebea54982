import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import VaultWatchTestSupport

/// The dashboard in a real terminal: tmux runs `vaultwatch demo` in a detached session, the
/// test sends keys and reads the screen with `capture-pane`, waiting for expected text with
/// generous deadlines (a loaded two-core CI machine, a debug build) and never sleeping a
/// fixed time.
@Suite(.enabled(if: Tmux.isAvailable, "tmux is not installed"), .serialized)
struct DashboardTmuxTests {
    @Test func demoShowsAnAlertOpensItShowsHelpSurvivesResizesAndQuitsCleanly() throws {
        let tmux = try Tmux(width: 100, height: 30, command: [CommandRunner.executable.path, "demo", "--speed", "3000"])
        defer { tmux.kill() }

        // An alert row in the alerts panel: a severity tag, then its first-seen date and time.
        try tmux.waitFor("an alert on screen", deadline: .seconds(240)) { screen in
            screen.contains { $0.range(of: #"^.(HIGH|MED |LOW |INFO) \d\d-\d\d \d\d:\d\d "#, options: .regularExpression) != nil }
        }
        try tmux.send("4", "g", "Enter")
        try tmux.waitFor("the alert's detail", deadline: .seconds(30)) { screen in
            screen.contains { $0.hasPrefix("─ Alert ") } && screen.contains { $0.hasPrefix("─ Evidence ") }
        }
        try tmux.send("?")
        try tmux.waitFor("the help screen", deadline: .seconds(30)) { screen in
            screen.contains { $0.hasPrefix("─ Help: keys ") } && screen.contains { $0.contains("Dismiss the alert") }
        }
        try tmux.send("Escape")
        try tmux.waitFor("help closed", deadline: .seconds(30)) { screen in screen.contains { $0.hasPrefix("─ Alert ") } }

        try tmux.resize(width: 70, height: 20)
        try tmux.waitFor("the too-small message", deadline: .seconds(30)) { screen in
            screen.contains { $0.contains("needs a terminal of at least 80×24") }
        }
        try tmux.resize(width: 80, height: 24)
        try tmux.waitFor("the detail again at 80×24", deadline: .seconds(30)) { screen in
            screen.count >= 24 && screen.contains { $0.hasPrefix("─ Alert ") } && screen.allSatisfy { $0.count <= 80 }
        }
        try tmux.resize(width: 160, height: 48)
        try tmux.send("q")
        try tmux.waitFor("the dashboard at 160×48", deadline: .seconds(30)) { screen in
            screen.contains { $0.hasPrefix("─ 1 Vaults ") } && screen.contains { $0.contains("─ 4 Alerts ") }
        }
        try tmux.send("q")
        try tmux.waitFor("vaultwatch to exit with status 0", deadline: .seconds(60)) { screen in
            screen.contains { $0.contains("VAULTWATCH-EXIT=") }
        }
        let exitLine = try tmux.capture().first { $0.contains("VAULTWATCH-EXIT=") }
        #expect(exitLine == "VAULTWATCH-EXIT=0")
    }

    /// The walk an analyst takes: an alert, its principal's page, one of the principal's events,
    /// then back along the path to the dashboard, each page as it was left.
    @Test func demoWalksFromAnAlertToItsPrincipalToOneOfItsEventsAndBack() throws {
        let tmux = try Tmux(width: 120, height: 36, command: [CommandRunner.executable.path, "demo", "--speed", "3000"])
        defer { tmux.kill() }

        // A principal's alert: an unusual user refused (it has a caller, and the caller has events).
        try tmux.waitFor("an alert about a denied user", deadline: .seconds(240)) { screen in
            screen.contains { $0.contains("Unusual user denied") }
        }
        try tmux.send("/")
        for character in "user denied" { try tmux.send(character == " " ? "Space" : String(character)) }
        try tmux.send("Enter", "4", "g", "Enter")
        try tmux.waitFor("the alert's page", deadline: .seconds(30)) { screen in
            screen.contains { $0.hasPrefix("─ Alert ") } && screen.contains { $0.contains("Dashboard › Alert: Unusual user denied") }
        }
        try tmux.send("Tab", "Enter")
        try tmux.waitFor("the principal's page with its events", deadline: .seconds(30)) { screen in
            screen.contains { $0.hasPrefix("─ Principal ") }
                && screen.contains { $0.contains("› principal ") }
                && screen.contains { $0.contains("─ Events (") && !$0.contains("─ Events (0)") }
                && screen.contains { $0.hasPrefix(" first seen ") || $0.hasPrefix(" baselines ") }
        }
        try tmux.send("Enter")
        try tmux.waitFor("one of its events", deadline: .seconds(30)) { screen in
            screen.contains { $0.hasPrefix("─ Event ") } && screen.contains { $0.contains("› event ") }
                && screen.contains { $0.hasPrefix("▶principal ") }
        }
        try tmux.send("q")
        try tmux.waitFor("back on the principal's page", deadline: .seconds(30)) { screen in
            screen.contains { $0.hasPrefix("─ Principal ") } && !screen.contains { $0.contains("› event ") }
        }
        try tmux.send("q")
        try tmux.waitFor("back on the alert, its principal still selected", deadline: .seconds(30)) { screen in
            screen.contains { $0.hasPrefix("─ Alert ") } && screen.contains { $0.hasPrefix(" ▶principal ") }
        }
        try tmux.send("Escape")
        try tmux.waitFor("back on the dashboard, its filter kept", deadline: .seconds(30)) { screen in
            screen.contains { $0.hasPrefix("─ 1 Vaults ") } && !screen.contains { $0.contains("Dashboard ›") }
        }
        try tmux.send("Escape", "q")
        try tmux.waitFor("vaultwatch to exit with status 0", deadline: .seconds(60)) { screen in
            screen.contains { $0.contains("VAULTWATCH-EXIT=") }
        }
        #expect(try tmux.capture().first { $0.contains("VAULTWATCH-EXIT=") } == "VAULTWATCH-EXIT=0")
    }

    @Test func withoutATerminalTheDemoSaysSoInOneLineAndPointsToDetect() throws {
        let result = try CommandRunner.run(["demo"])
        #expect(result.status == 1)
        #expect(result.stderrLines.count == 1)
        #expect(result.stderr.contains("vaultwatch detect"))
        let watch = try CommandRunner.run(["watch", "-"])
        #expect(watch.status == 1)
        #expect(watch.stderr.contains("needs a terminal"))
    }
}

/// A detached tmux server of its own (`-L`), running one command in a session of a given size.
struct Tmux {
    let socket = "vaultwatch-test-\(UUID().uuidString.prefix(8))"

    /// The session's name on this private server.
    static let session = "vaultwatch"

    static var isAvailable: Bool { executable != nil }

    static var executable: String? {
        ["/usr/bin/tmux", "/usr/local/bin/tmux", "/opt/homebrew/bin/tmux"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Starts `command` in the repository root with a UTF-8 locale; when it ends, the pane
    /// shows `VAULTWATCH-EXIT=<status>` and stays open so the test can read it.
    init(width: Int, height: Int, command: [String]) throws {
        let quoted = command.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        let shell = "env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=screen-256color \(quoted); echo VAULTWATCH-EXIT=$?; exec sleep 600"
        // The server this starts outlives the call: it must not hold our output pipe open.
        try run(["new-session", "-d", "-s", Self.session, "-x", String(width), "-y", String(height), "-c", TestPaths.repositoryRoot.path, shell], capturesOutput: false)
    }

    func send(_ keys: String...) throws {
        for key in keys { try run(["send-keys", "-t", Self.session, key]) }
    }

    func resize(width: Int, height: Int) throws {
        try run(["resize-window", "-t", Self.session, "-x", String(width), "-y", String(height)])
    }

    func capture() throws -> [String] {
        try run(["capture-pane", "-p", "-t", Self.session]).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// Polls the screen until `condition` holds; fails with the last screen after `deadline`.
    func waitFor(_ what: String, deadline: Duration, _ condition: ([String]) -> Bool) throws {
        let clock = ContinuousClock()
        let end = clock.now + deadline
        var screen: [String] = []
        while clock.now < end {
            screen = try capture()
            if condition(screen) { return }
            Thread.sleep(forTimeInterval: 0.2)
        }
        Issue.record("timed out waiting for \(what); the screen was:\n\(screen.joined(separator: "\n"))")
        throw TmuxError.timedOut(what)
    }

    /// Ends the pane's processes, then the server. `kill-server` alone relies on SIGHUP,
    /// which a CI runner (or nohup) may have set to ignored for everything it starts: the
    /// pane would then outlive the test, and the server with it.
    func kill() {
        let panes = (try? run(["list-panes", "-s", "-t", Self.session, "-F", "#{pane_pid}"])) ?? ""
        for line in panes.split(separator: "\n") {
            if let pid = pid_t(line.trimmingCharacters(in: .whitespaces)), pid > 1 {
                _ = Glibc.kill(-pid, SIGKILL)  // the pane's process group: the shell and vaultwatch
                _ = Glibc.kill(pid, SIGKILL)
            }
        }
        _ = try? run(["kill-server"])
    }

    /// Runs one tmux client with posix_spawn and waits for it. Not Foundation's `Process`:
    /// `new-session` forks the tmux server, which inherits the descriptors Foundation watches
    /// for the child's exit and would keep them open for as long as the server lives. Here
    /// the child gets /dev/null, our pipe for stdout, and nothing else: a bash prelude closes
    /// every inherited descriptor above 2 before it execs tmux.
    @discardableResult
    private func run(_ arguments: [String], capturesOutput: Bool = true) throws -> String {
        let path = Tmux.executable ?? "/usr/bin/tmux"
        let closeInherited = #"for f in /proc/$$/fd/*; do n=${f##*/}; if [ "$n" -gt 2 ]; then eval "exec $n>&-" 2>/dev/null; fi; done; exec "$0" "$@""#
        let argv = ["/bin/bash", "-c", closeInherited, path, "-L", socket, "-f", "/dev/null"] + arguments
        var pipeEnds: [Int32] = [-1, -1]
        if capturesOutput { guard pipe(&pipeEnds) == 0 else { throw TmuxError.cannotRun(arguments.first ?? "") } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if capturesOutput {
            posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], 1)
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        }
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var cArguments: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { for argument in cArguments { free(argument) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/bin/bash", &actions, nil, &cArguments, environ)
        if capturesOutput { close(pipeEnds[1]) }
        guard spawned == 0 else {
            if capturesOutput { close(pipeEnds[0]) }
            throw TmuxError.cannotRun(arguments.first ?? "")
        }
        var output: [UInt8] = []
        if capturesOutput {
            var chunk = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = read(pipeEnds[0], &chunk, chunk.count)
                if count > 0 { output.append(contentsOf: chunk[0..<count]) } else if count == 0 || errno != EINTR { break }
            }
            close(pipeEnds[0])
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return String(decoding: output, as: UTF8.self)
    }
}

enum TmuxError: Error {
    case timedOut(String)
    case cannotRun(String)
}
