import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import VaultWatchTestSupport

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
    /// shows `VAULTWATCH-EXIT=<status>`, then runs `afterExit` (shell text), and stays open so
    /// the test can read it. Core dumps are off (a test may kill the command with a crash
    /// signal), and the shell survives a Ctrl-C sent to the command (to print the exit line).
    init(width: Int, height: Int, command: [String], afterExit: String = "") throws {
        let quoted = command.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        let then = afterExit.isEmpty ? "" : "\(afterExit); "
        let shell = "ulimit -c 0; trap : INT; env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=screen-256color \(quoted); echo VAULTWATCH-EXIT=$?; \(then)exec sleep 600"
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

    /// A tmux format expanded for the pane (`#{alternate_on}`, `#{window_bell_flag}`).
    func value(_ format: String) throws -> String {
        try run(["display-message", "-p", "-t", Self.session, format]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The pane's process named `name`: a child of the pane's shell (`env` execs the command).
    func process(named name: String) throws -> pid_t? {
        let shells = try run(["list-panes", "-s", "-t", Self.session, "-F", "#{pane_pid}"])
            .split(separator: "\n").compactMap { pid_t($0.trimmingCharacters(in: .whitespaces)) }
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for entry in entries {
            guard let pid = pid_t(entry),
                let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")")
            else { continue }
            // "pid (comm) state ppid …": the name may hold spaces, so fields are read after ')'.
            let command = stat[stat.index(after: open)..<close]
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if command == name, fields.count > 1, let parent = pid_t(fields[1]), shells.contains(parent) { return pid }
        }
        return nil
    }

    /// Polls the screen until `condition` holds, sleeping in between without holding a thread
    /// of the cooperative pool; fails with the last screen after `deadline` (a liveness bound).
    func waitFor(_ what: String, deadline: Duration, _ condition: ([String]) -> Bool) async throws {
        let clock = ContinuousClock()
        let end = clock.now + deadline
        var screen: [String] = []
        while clock.now < end {
            screen = try capture()
            if condition(screen) { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        // Once more after the deadline: this task may have waited for a thread past it.
        screen = try capture()
        if condition(screen) { return }
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

    /// Runs one tmux client with posix_spawn and waits for it. A client exits as soon as the
    /// server has answered, so this blocks its thread for milliseconds, not for as long as the
    /// test waits (that is `waitFor`, which sleeps asynchronously). Not Foundation's `Process`:
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
