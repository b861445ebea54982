import Foundation
import Testing
import VaultWatchStore
import VaultWatchTestSupport
@testable import VaultWatchCore

/// README "State": `kill -9` at *any* moment, not only at chosen cuts (`KillRestartTests`):
/// a real `vaultwatch detect --state FILE` process, and `detect --follow --state FILE` on a log
/// that grows between runs, is killed with SIGKILL at random points (inside a read, a batch, a
/// save's transaction, the printing of alerts, or after the end), then started again on the same
/// state file; a last run reads to the end. The state file's alerts (ids, counts, reasons,
/// evidence) and counters must be those of one uninterrupted run, and with `--follow` so must
/// the alerts printed (upserted by id).
///
/// Seeded: a failure names its seed and the kill delays; `VAULTWATCH_TEST_SEEDS=a,b` runs other
/// seeds, `VAULTWATCH_TEST_ROUNDS=N` more rounds per seed. A seed fixes the delays, not where
/// the process is when they run out (that depends on the machine), so each round's kills are
/// random points of the run; the expectations hold for every point.
@Suite("kill -9 at random points", .serialized)
struct RandomKillTests {
    static let seeds: [UInt64] = {
        let text = ProcessInfo.processInfo.environment["VAULTWATCH_TEST_SEEDS"] ?? ""
        let parsed = text.split(separator: ",").compactMap { UInt64($0.trimmingCharacters(in: .whitespaces)) }
        return parsed.isEmpty ? [20_261_202] : parsed
    }()
    static let rounds = max(1, Int(ProcessInfo.processInfo.environment["VAULTWATCH_TEST_ROUNDS"] ?? "") ?? 1)
    static let kills = 3

    private static let intelligence = [
        "--tor-exits", "demo-data/tor-exit-addresses.txt", "--threat-intel", "demo-data/threat-intel.txt",
    ]

    /// The demo tenant's records in time order, one JSON line each.
    static let lines: [String] = DemoTenant(seed: DemoTenant.defaultSeed, days: 8).records.map { String(decoding: $0.line, as: UTF8.self) }

    static func text(_ range: Range<Int>) -> String { lines[range].map { $0 + "\n" }.joined() }

    static func append(_ text: String, to url: URL) throws {
        let handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
        try handle.close()
    }

    /// The counters the state file holds (this and every earlier run's).
    static func counters(state: String) throws -> DetectorCounters {
        try KillRestartTests.inFlight(state: state).counters
    }

    /// One uninterrupted run: the alerts printed without a state file, the counters a state file
    /// ends with, and how long the stateful run took (the span the kills are drawn from).
    struct Reference {
        var alerts: [String]
        var counters: DetectorCounters
        var seconds: Double
    }

    static func reference(log: URL, directory: URL) async throws -> Reference {
        let stateless = try await CommandRunner.run(["detect", log.path] + intelligence)
        #expect(stateless.status == 0, "\(stateless.stderr)")
        let state = directory.appendingPathComponent("reference.sqlite").path
        let started = ContinuousClock.now
        let stateful = try await CommandRunner.run(["detect", log.path, "--state", state] + intelligence)
        let elapsed = ContinuousClock.now - started
        #expect(stateful.status == 0, "\(stateful.stderr)")
        KillRestartTests.expectSame(stateful.stdoutLines, stateless.stdoutLines, "the uninterrupted run with a state file")
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Reference(alerts: stateless.stdoutLines, counters: try counters(state: state), seconds: seconds)
    }

    /// Starts `arguments`, lets it run `delay` milliseconds, kills it with SIGKILL; returns the
    /// whole lines it printed.
    static func runKilled(_ arguments: [String], after delay: Int) async throws -> [String] {
        let running = try RunningCommand(arguments)
        try await Task.sleep(for: .milliseconds(delay))
        running.signal(SIGKILL)
        let result = await running.wait()
        // Only whole lines: a line cut by the kill is printed again by a later run.
        return result.stdout.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
            .filter { result.stdout.contains($0 + "\n") }
    }

    @Test("detect --state on a growing log, killed at random points and restarted, gives one uninterrupted run's alerts and counters")
    func readToEnd() async throws {
        let directory = try TestPaths.temporaryDirectory("vaultwatch-random-kill")
        defer { try? FileManager.default.removeItem(at: directory) }
        // One path for the reference and every round: evidence names the file it was read from.
        let log = directory.appendingPathComponent("audit.jsonl")
        try Self.text(0..<Self.lines.count).write(to: log, atomically: false, encoding: .utf8)
        let reference = try await Self.reference(log: log, directory: directory)
        let span = max(200, Int(reference.seconds * 1000))
        for seed in Self.seeds {
            for round in 0..<Self.rounds {
                var random = SeededRandom(seed: seed, stream: "random kills", round)
                try FileManager.default.removeItem(at: log)
                try "".write(to: log, atomically: false, encoding: .utf8)
                let state = directory.appendingPathComponent("state-\(seed)-\(round).sqlite").path
                // As cron over a growing log: the log grows by a random piece before each run, and
                // each run is killed after a random delay (one that outlasts the run kills nothing:
                // the run ended cleanly and the next one reads on from its end).
                let cuts = (0..<Self.kills).map { _ in 1 + random.below(Self.lines.count - 1) }.sorted()
                let delays = (0..<Self.kills).map { _ in random.below(span) }
                var position = 0
                for (cut, delay) in zip(cuts, delays) {
                    try Self.append(Self.text(position..<cut), to: log)
                    position = cut
                    _ = try await Self.runKilled(["detect", log.path, "--state", state] + Self.intelligence, after: delay)
                }
                try Self.append(Self.text(position..<Self.lines.count), to: log)
                let last = try await CommandRunner.run(["detect", log.path, "--state", state] + Self.intelligence)
                let context = "seed \(seed) round \(round), pieces ending at records \(cuts), killed after \(delays) ms (a run takes about \(span) ms)"
                #expect(last.status == 0, "\(context): \(last.stderr)")
                let export = try await CommandRunner.run(["alerts", "export", "--state", state])
                KillRestartTests.expectSame(export.stdoutLines, reference.alerts, "\(context): exported")
                let counters = try Self.counters(state: state)
                #expect(counters == reference.counters, "\(context): counters \(counters) != \(reference.counters)")
            }
        }
    }

    @Test("detect --follow --state on a growing log, killed at random points and restarted, gives one uninterrupted run's alerts")
    func following() async throws {
        let directory = try TestPaths.temporaryDirectory("vaultwatch-random-kill-follow")
        defer { try? FileManager.default.removeItem(at: directory) }
        // One path for the reference and every round: evidence names the file it was read from.
        let log = directory.appendingPathComponent("audit.jsonl")
        try Self.text(0..<Self.lines.count).write(to: log, atomically: false, encoding: .utf8)
        let reference = try await Self.reference(log: log, directory: directory)
        let span = max(200, Int(reference.seconds * 1000))
        for seed in Self.seeds {
            for round in 0..<Self.rounds {
                var random = SeededRandom(seed: seed, stream: "random kills while following", round)
                try FileManager.default.removeItem(at: log)
                try "".write(to: log, atomically: false, encoding: .utf8)
                let state = directory.appendingPathComponent("state-follow-\(seed)-\(round).sqlite").path
                // The log grows by a random piece before each run; each run is killed after a random
                // delay, up to a little longer than reading the whole log takes.
                let cuts = (0..<Self.kills).map { _ in 1 + random.below(Self.lines.count - 1) }.sorted()
                let delays = (0..<Self.kills).map { _ in random.below(span + span / 4) }
                var printed: [String: String] = [:]
                var position = 0
                for (cut, delay) in zip(cuts, delays) {
                    try Self.append(Self.text(position..<cut), to: log)
                    position = cut
                    let lines = try await Self.runKilled(["detect", log.path, "--follow", "--state", state] + Self.intelligence, after: delay)
                    for line in lines { printed[KillRestartTests.id(of: line)] = line }
                }
                try Self.append(Self.text(position..<Self.lines.count), to: log)
                let last = try await CommandRunner.run(["detect", log.path, "--state", state] + Self.intelligence)
                let context = "seed \(seed) round \(round), pieces ending at records \(cuts), killed after \(delays) ms (a run takes about \(span) ms)"
                #expect(last.status == 0, "\(context): \(last.stderr)")
                for line in last.stdoutLines { printed[KillRestartTests.id(of: line)] = line }
                let export = try await CommandRunner.run(["alerts", "export", "--state", state])
                KillRestartTests.expectSame(export.stdoutLines, reference.alerts, "\(context): exported")
                KillRestartTests.expectSame(Array(printed.values), reference.alerts, "\(context): printed")
                let counters = try Self.counters(state: state)
                #expect(counters == reference.counters, "\(context): counters \(counters) != \(reference.counters)")
            }
        }
    }
}
