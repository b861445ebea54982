import Foundation
import Testing
import VaultWatchTestSupport

/// `watch` says when data may have been lost: the header counts it and shows the newest report
/// while it runs, and the reports are listed on stderr once the terminal is restored. Run under
/// tmux, polling the screen with generous deadlines.
@Suite(.enabled(if: Tmux.isAvailable, "tmux is not installed"), .serialized)
struct WatchRotationTests {
    @Test func aTruncationWithoutACopyShowsInTheHeaderAndOnStderrAtExit() async throws {
        let directory = try TestPaths.temporaryDirectory("vaultwatch-watch-rotation")
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = directory.appendingPathComponent("audit.jsonl")
        try WatchStateTests.records(startMinute: 0, torMinute: 2).write(to: log, atomically: false, encoding: .utf8)
        let tmux = try Tmux(width: 200, height: 30, command: [
            CommandRunner.executable.path, "watch", log.path, "--from-start", "--no-state",
        ])
        defer { tmux.kill() }
        try await tmux.waitFor("the five records read", deadline: .seconds(120)) { screen in
            screen.contains { $0.contains("events 5 ") }
        }
        // Cut to nothing, then one shorter record: no copy, so what was there is reported.
        guard truncate(log.path, 0) == 0 else { throw POSIXError(.EIO) }
        let handle = try FileHandle(forWritingTo: log)
        try handle.write(contentsOf: Data(WatchStateTests.records(startMinute: 10, torMinute: 99).utf8.prefix(1)))
        try handle.close()
        try await tmux.waitFor("the loss in the header", deadline: .seconds(60)) { screen in
            // The report is cut where the alert counts begin (the temporary path is long).
            screen.contains { $0.contains("1 possible data loss: \(log.path): lines may have been l") }
        }
        try tmux.send("q")
        try await tmux.waitFor("watch to exit", deadline: .seconds(60)) { screen in
            screen.contains { $0.contains("VAULTWATCH-EXIT=") }
        }
        let screen = try tmux.capture()
        #expect(screen.contains("VAULTWATCH-EXIT=0"), "\(screen.joined(separator: "\n"))")
        #expect(screen.joined().contains("\(log.path): lines may have been lost (truncated in place, no copy of the unread part found)"),
                "\(screen.joined(separator: "\n"))")
    }
}
