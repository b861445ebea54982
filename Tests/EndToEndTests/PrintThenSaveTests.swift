import Foundation
import GRDB
import Testing
import VaultWatchStore
import VaultWatchTestSupport
@testable import VaultWatchCore

/// `detect --follow --state FILE` prints a batch's alerts before it saves the batch (README
/// `detect`): a kill between the two prints them again on the resume, never not at all, and a
/// kill after the save does not print them again. The window is made to last by holding the
/// state file's write lock from the test, so the save waits (SQLite's busy timeout) while the
/// alert is already printed: the kill lands inside it every time, not by chance.
@Suite("detect --follow: print, then save", .serialized)
struct PrintThenSaveTests {
    /// Holds an immediate (write) transaction on a SQLite file until released, on a thread of
    /// its own: the detect process's saves wait meanwhile.
    final class WriteLock: @unchecked Sendable {
        private let held = DispatchSemaphore(value: 0)
        private let release = DispatchSemaphore(value: 0)
        private let done = DispatchSemaphore(value: 0)

        init(path: String) throws {
            var configuration = Configuration()
            configuration.busyMode = .timeout(30)
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            Thread.detachNewThread { [held, release, done] in
                try? queue.inTransaction(.immediate) { _ in
                    held.signal()
                    release.wait()
                    return .rollback
                }
                done.signal()
            }
            held.wait()
        }

        func unlock() {
            release.signal()
            done.wait()
        }
    }

    static func record(_ minute: Int, object: String) -> String {
        RecordBuilder(time: String(format: "2026-03-02T10:%02d:00.0000000Z", minute), objectName: object).jsonLine()
    }

    static func size(_ url: URL) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? NSNumber)?.int64Value ?? -1
    }

    static func alertLines(_ stdout: String) -> [String] {
        stdout.split(separator: "\n").map(String.init).filter { $0.contains("\"KV_TestAlert\"") && stdout.contains($0 + "\n") }
    }

    @Test("killed after printing an alert and before saving it, the resume prints it again, the same line; killed after saving it, never again")
    func killedBetweenPrintingAndSaving() async throws {
        let directory = try TestPaths.temporaryDirectory("vaultwatch-print-save")
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = directory.appendingPathComponent("audit.jsonl")
        let state = directory.appendingPathComponent("state.sqlite").path
        try (Self.record(0, object: "db-password") + Self.record(1, object: "api-key")).write(to: log, atomically: true, encoding: .utf8)
        let arguments = ["detect", log.path, "--follow", "--state", state]

        // The first run reads the log and saves it; then the state file's write lock is held.
        let first = try RunningCommand(arguments)
        #expect(await first.waitUntil { _ in KillRestartTests.checkpoint(state: state) == Self.size(log) }, "\(first.stderr)")
        let lock = try WriteLock(path: state)
        try RandomKillTests.append(Self.record(2, object: "vaultwatch-test-alert"), to: log)
        // Printed: the save after it waits for the lock. Killed there.
        #expect(await first.waitUntil { Self.alertLines($0.stdout).count == 1 }, "\(first.stdout)\n\(first.stderr)")
        first.signal(SIGKILL)
        let killed = await first.wait()
        lock.unlock()
        let printed = Self.alertLines(killed.stdout)
        #expect(printed.count == 1)
        #expect(KillRestartTests.checkpoint(state: state) != Self.size(log), "the batch with the alert was saved")

        // Not saved: the resume reads the record again and prints the same alert, the same line.
        let second = try RunningCommand(arguments)
        #expect(await second.waitUntil { Self.alertLines($0.stdout).count == 1 }, "\(second.stdout)\n\(second.stderr)")
        #expect(await second.waitUntil { _ in KillRestartTests.checkpoint(state: state) == Self.size(log) }, "\(second.stderr)")
        second.signal(SIGKILL)
        #expect(Self.alertLines(await second.wait().stdout) == printed)

        // Saved: a resume over nothing new prints nothing, and the state file holds the alert.
        let third = try RunningCommand(arguments)
        try await Task.sleep(for: .seconds(2))
        third.signal(SIGTERM)
        let stopped = await third.wait()
        #expect(stopped.status == 0, "\(stopped.stderr)")
        #expect(Self.alertLines(stopped.stdout).isEmpty, "\(stopped.stdout)")
        let export = try await CommandRunner.run(["alerts", "export", "--state", state])
        #expect(export.stdoutLines.map { KillRestartTests.id(of: $0) } == printed.map { KillRestartTests.id(of: $0) })
    }
}
