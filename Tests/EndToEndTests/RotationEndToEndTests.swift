import Foundation
import Testing
import VaultWatchTestSupport

/// Rotation as a user meets it: `detect --state` restarted after the log rotated twice, and
/// `detect --follow` through a copytruncate, reading the summary line a script would read.
struct RotationEndToEndTests {
    private static let torExits = ["--tor-exits", "demo-data/tor-exit-addresses.txt"]

    /// Alerts as (id, count), the part of an alert that says which records were read and how
    /// often (evidence names the file each record came from, which rotation changes).
    private static func alertCounts(_ lines: [String]) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for line in lines {
            let alert = try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            counts[try #require(alert["id"] as? String)] = try #require(alert["count"] as? Int)
        }
        return counts
    }

    @Test func aRestartAfterTheLogRotatedTwiceReadsBothGenerationsOnce() async throws {
        let directory = try TestPaths.temporaryDirectory("vaultwatch-rotation")
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = directory.appendingPathComponent("audit.jsonl").path
        let state = directory.appendingPathComponent("state.sqlite").path
        func write(_ text: String, to path: String) throws { try text.write(toFile: path, atomically: false, encoding: .utf8) }
        func append(_ text: String) throws {
            let handle = try #require(FileHandle(forWritingAtPath: log))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(text.utf8))
            try handle.close()
        }
        try write(StateTests.records(0..<1_000), to: log)
        let first = try await CommandRunner.run(["detect", log, "--state", state] + Self.torExits)
        #expect(first.status == 0, "\(first.stderr)")

        // Stopped: the log grows, is rotated, the new one fills and is rotated again.
        try append(StateTests.records(1_000..<1_500))
        try FileManager.default.moveItem(atPath: log, toPath: log + ".1")
        try write(StateTests.records(1_500..<2_000), to: log)
        try FileManager.default.moveItem(atPath: log + ".1", toPath: log + ".2")
        try FileManager.default.moveItem(atPath: log, toPath: log + ".1")
        try write(StateTests.records(2_000..<2_300), to: log)

        let second = try await CommandRunner.run(["detect", log, "--state", state] + Self.torExits)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stderrLines.last?.contains("vaultwatch: 1300 events, 0 malformed") == true, "\(second.stderr)")
        #expect(second.stderrLines.last?.contains("0 possible data losses") == true)

        // The alerts of one uninterrupted run over all the records.
        let whole = directory.appendingPathComponent("whole.jsonl").path
        try write(StateTests.records(0..<2_300), to: whole)
        let reference = try await CommandRunner.run(["detect", whole] + Self.torExits)
        let exported = try await CommandRunner.run(["alerts", "export", "--state", state])
        #expect(try Self.alertCounts(exported.stdoutLines) == Self.alertCounts(reference.stdoutLines))
        #expect(!reference.stdoutLines.isEmpty)
    }

    /// The writer is killed mid-line while `detect --state` (a cron job) reads the log: the
    /// partial line is said and not read past; once the writer completes it, the next run reads
    /// it whole, and every record is read once.
    @Test func aWriterKilledMidLineLosesNoRecordAcrossDetectRuns() async throws {
        let directory = try TestPaths.temporaryDirectory("vaultwatch-rotation")
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = directory.appendingPathComponent("audit.jsonl").path
        let state = directory.appendingPathComponent("state.sqlite").path
        let cut = Array(StateTests.records(100..<101).utf8)
        try Data(Array(StateTests.records(0..<100).utf8) + cut.prefix(cut.count / 2)).write(to: URL(fileURLWithPath: log))
        let first = try await CommandRunner.run(["detect", log, "--state", state] + Self.torExits)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderrLines.first?.hasPrefix("\(log):101: incomplete last record") == true, "\(first.stderr)")
        #expect(first.stderrLines.last?.contains("vaultwatch: 100 events, 1 malformed") == true, "\(first.stderr)")
        let handle = try #require(FileHandle(forWritingAtPath: log))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(cut.dropFirst(cut.count / 2)) + Data(StateTests.records(101..<150).utf8))
        try handle.close()
        let second = try await CommandRunner.run(["detect", log, "--state", state] + Self.torExits)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stderrLines.last?.contains("vaultwatch: 50 events, 0 malformed") == true, "\(second.stderr)")
    }

    @Test func followThroughACopytruncateReportsItsWindowAndCountsIt() async throws {
        let directory = try TestPaths.temporaryDirectory("vaultwatch-rotation")
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = directory.appendingPathComponent("audit.jsonl").path
        try StateTests.records(0..<50).write(toFile: log, atomically: false, encoding: .utf8)
        let running = try RunningCommand(["detect", log, "--follow"] + Self.torExits)
        // Record 29 comes from a Tor exit: its alert says the file has been read.
        #expect(await running.waitUntil { $0.stdout.contains("KV_TORAccess") })
        try FileManager.default.copyItem(atPath: log, toPath: log + ".1")
        guard truncate(log, 0) == 0 else { throw POSIXError(.EIO) }
        let handle = try #require(FileHandle(forWritingAtPath: log))
        try handle.write(contentsOf: Data(StateTests.records(50..<60).utf8))
        try handle.close()
        #expect(await running.waitUntil { $0.stderr.contains("may have been lost (copytruncate") })
        running.signal(SIGINT)
        let result = await running.wait()
        #expect(result.status == 0)
        let report = try #require(result.stderrLines.first { $0.contains("may have been lost") })
        #expect(report == "\(log): lines may have been lost (copytruncate: written between the copy to \(log).1 and the truncation)")
        #expect(result.stderrLines.last?.contains("1 possible data loss;") == true, "\(result.stderr)")
    }
}
