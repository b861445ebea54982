import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import Testing
import VaultWatchTestSupport

/// `detect`'s progress line: on a terminal (a tmux pane) one line is redrawn while the input is
/// read and erased before the summary; with stderr in a pipe nothing but the summary appears.
/// The input is a named pipe that the test keeps open, so the read lasts as long as the test
/// needs and no timing is assumed.
@Suite(.serialized)
struct ProgressLineTests {
    /// A named pipe fed from a thread: `records` records at once, the end when `close()` is called.
    private static func heldPipe(in directory: URL, records: Int) throws -> NamedPipeWriter {
        let text = (0..<records).map { index in
            RecordBuilder(time: String(format: "2024-05-01T10:%02d:%02d.0000000Z", index / 60 % 60, index % 60), objectName: "s\(index)").jsonLine()
        }.joined()
        return try NamedPipeWriter(path: directory.appendingPathComponent("audit.pipe").path, text: text, holdsOpen: true)
    }

    @Test(.enabled(if: Tmux.isAvailable, "tmux is not installed"))
    func onATerminalOneLineIsRedrawnThenErasedBeforeTheSummary() async throws {
        let directory = try TestPaths.temporaryDirectory("vaultwatch-progress")
        defer { try? FileManager.default.removeItem(at: directory) }
        let feed = try Self.heldPipe(in: directory, records: 300)
        let tmux = try Tmux(width: 120, height: 10, command: [CommandRunner.executable.path, "detect", feed.path])
        defer { tmux.kill() }
        try await tmux.waitFor("the progress line", deadline: .seconds(60)) { screen in
            screen.contains { $0.hasPrefix("reading 0/1 sources · ") && $0.contains(" events/s · ") && $0.contains(" elapsed") }
        }
        feed.close()
        try await tmux.waitFor("the summary and the exit status", deadline: .seconds(60)) { screen in
            screen.contains { $0.contains("VAULTWATCH-EXIT=0") }
        }
        let screen = try tmux.capture()
        #expect(screen.contains { $0.hasPrefix("vaultwatch: 300 events, 0 malformed") })
        #expect(!screen.contains { $0.contains("events/s") }, "the progress line was not erased:\n\(screen.joined(separator: "\n"))")
    }

    /// `hunt` too, while its matches go to a file; its summary counts matches instead of alerts.
    @Test(.enabled(if: Tmux.isAvailable, "tmux is not installed"))
    func huntShowsTheLineWhileItsMatchesGoToAFile() async throws {
        let directory = try TestPaths.temporaryDirectory("vaultwatch-progress")
        defer { try? FileManager.default.removeItem(at: directory) }
        let feed = try Self.heldPipe(in: directory, records: 300)
        let output = directory.appendingPathComponent("matches.jsonl").path
        let command = "'\(CommandRunner.executable.path)' hunt '\(feed.path)' --object s7 > '\(output)'"
        let tmux = try Tmux(width: 120, height: 10, command: ["sh", "-c", command])
        defer { tmux.kill() }
        try await tmux.waitFor("the progress line", deadline: .seconds(60)) { screen in
            screen.contains { $0.hasPrefix("reading 0/1 sources · ") && $0.contains(" events/s · ") }
        }
        feed.close()
        try await tmux.waitFor("the summary and the exit status", deadline: .seconds(60)) { screen in
            screen.contains { $0.contains("VAULTWATCH-EXIT=0") }
        }
        let screen = try tmux.capture()
        #expect(screen.contains { $0.hasPrefix("vaultwatch: 300 events, 0 malformed, 1 matched") })
        #expect(!screen.contains { $0.contains("events/s") })
        #expect(try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n").count == 1)
    }

    @Test func withStderrInAPipeThereIsNoProgressLine() async throws {
        let directory = try TestPaths.temporaryDirectory("vaultwatch-progress")
        defer { try? FileManager.default.removeItem(at: directory) }
        let feed = try Self.heldPipe(in: directory, records: 300)
        let running = try RunningCommand(["detect", feed.path])
        // Held open for several redraw intervals: a terminal would have shown the line by now.
        try await Task.sleep(for: .seconds(1.5))
        feed.close()
        let result = await running.wait()
        #expect(result.status == 0)
        #expect(result.stderrLines.count == 1)
        #expect(result.stderrLines.last?.hasPrefix("vaultwatch: 300 events, 0 malformed") == true)
        #expect(!result.stderr.contains("events/s") && !result.stderr.contains("\u{1B}"))
    }
}
