import Foundation
import Testing
import VaultWatchStore
import VaultWatchTestSupport
@testable import VaultWatchCore

/// README "State": `kill -9` at *any* moment, not only at chosen cuts (`KillRestartTests`):
/// real `vaultwatch detect --state FILE` and `detect --follow --state FILE` processes, on an input
/// that grows between runs, are killed with SIGKILL at random points (inside a read, a batch, a
/// save's transaction, the printing of alerts, or after the end), then started again on the same
/// state file; a last run reads to the end. The state file's alerts (ids, counts, reasons,
/// evidence) and counters must be those of one uninterrupted run, and with `--follow` so must
/// the alerts printed (upserted by id).
///
/// The inputs real tenants have (`Input`): one log; one export file per vault, the files growing
/// at different paces and one vault's clock stamped hours ahead for a stretch; one log rotated by
/// rename at a random point while the process is dead (finished from its checkpoint in the
/// rotated file by the next run). One harness for all: the input is a list of writes (a record
/// appended to a file), cut in random pieces.
///
/// Seeded: a failure names its seed, the pieces and the kill delays; `VAULTWATCH_TEST_SEEDS=a,b`
/// runs other seeds, `VAULTWATCH_TEST_ROUNDS=N` more rounds per seed. A seed fixes the delays,
/// not where the process is when they run out (that depends on the machine), so each round's
/// kills are random points of the run; the expectations hold for every point.
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

    /// The demo tenant's records in time order.
    static let records: [DemoRecord] = Array(DemoTenant(seed: DemoTenant.defaultSeed, days: 8).records)

    /// One record appended to one file of the input.
    struct Write {
        var file: String
        var line: String
    }

    /// An input as it is written: the files given to `detect` (names in the test's folder), the
    /// writes in the order they happen, and whether the log is rotated by rename once a round.
    struct Input: CustomStringConvertible, Sendable {
        var description: String
        var files: [String]
        var writes: [Write]
        /// What happens once a round, at a random point while no process runs.
        var change: Change?

        enum Change: Sendable {
            /// Each file renamed `NAME.1` and a new one started (logrotate's default).
            case rotation
            /// The folder holding the files (the folder of the first) renamed: the next runs are
            /// given the files under the new name (an export folder renamed between two runs).
            case folderMoved
        }

        /// The tenant as one log.
        static let oneLog = Input(description: "one log", files: ["audit.jsonl"],
            writes: records.map { Write(file: "audit.jsonl", line: String(decoding: $0.line, as: UTF8.self)) })

        /// The tenant as one log rotated by rename (`audit.jsonl` -> `audit.jsonl.1`) at a
        /// random point of a round, while no process runs.
        static let rotatedLog: Input = {
            var input = oneLog
            input.description = "one log rotated while no process runs"
            input.change = .rotation
            return input
        }()

        /// One export file per vault in step, in a folder renamed at a random point of a round
        /// while no process runs: the checkpoints are adopted under the new path.
        static let movedFolder: Input = {
            var input = vaultFilesInStep
            input.description = "one export per vault in a folder renamed while no process runs"
            input.files = input.files.map { "export/" + $0 }
            input.writes = input.writes.map { Write(file: "export/" + $0.file, line: $0.line) }
            input.change = .folderMoved
            return input
        }()

        /// One export file per vault, each written with its own delay (0 to 4 h 30 behind the
        /// records' times: the files grow at different paces, so a piece ends at another time in
        /// each), and the busiest vault's clock set 3 hours ahead for 2 hours of its records in
        /// the middle of the history (then corrected).
        static let vaultFiles = perVault(delayed: true)

        /// The same files growing in step: a piece ends at the same time in each. Following, a
        /// file at its end holds the others back 2 s of wall-clock time (`quietSourceHold`),
        /// then they go on: a file written hours behind the others is late, and an alert over
        /// several vaults may start from another vault, in any live run, killed or not (one run
        /// to the end reads it in order); what a kill must not change is tried in step.
        static let vaultFilesInStep = perVault(delayed: false)

        static func perVault(delayed: Bool) -> Input {
            let vaults = Set(records.map(\.vault)).sorted()
            let busiest = Dictionary(grouping: records, by: \.vault).max { ($0.value.count, $1.key) < ($1.value.count, $0.key) }!.key
            let busiestRecords = records.filter { $0.vault == busiest }
            let middle = busiestRecords[busiestRecords.count / 2].time.ticks
            let stretch = middle..<(middle + 120 * EventTime.ticksPerMinute)
            let delays = Dictionary(uniqueKeysWithValues: vaults.enumerated().map {
                ($1, delayed ? Int64($0 % 4) * 90 * EventTime.ticksPerMinute : 0)
            })
            let writes = records.enumerated()
                .sorted { ($0.element.time.ticks + delays[$0.element.vault]!, $0.offset) < ($1.element.time.ticks + delays[$1.element.vault]!, $1.offset) }
                .map { _, record in
                    let line = String(decoding: record.line, as: UTF8.self)
                    let ahead = record.vault == busiest && stretch.contains(record.time.ticks)
                    return Write(file: "export-\(record.vault).json", line: ahead ? stamped(line, hoursAhead: 3) : line)
                }
            return Input(description: "one export per vault, growing \(delayed ? "at different paces" : "in step"), one stamped 3 h ahead for 2 h",
                files: vaults.map { "export-\($0).json" }, writes: writes)
        }

        /// The tenant as a blob tree (`resourceId=/…/VAULTS/NAME/y=…/h=HH/m=00/PT1H.json`, one
        /// blob per vault and hour) given as its folder: blobs appended to, new ones written as
        /// hours pass.
        static let blobTree = Input(description: "a blob tree", files: ["tree"],
            writes: records.map { Write(file: "tree/" + $0.blobPath, line: String(decoding: $0.line, as: UTF8.self)) })

        /// `line` with its time moved `hours` later.
        static func stamped(_ line: String, hoursAhead hours: Int) -> String {
            guard let key = line.range(of: "\"time\":\""),
                let end = line.index(key.upperBound, offsetBy: 19, limitedBy: line.endIndex),
                let time = ISO8601DateFormatter().date(from: line[key.upperBound..<end] + "Z")
            else { return line }
            let moved = ISO8601DateFormatter().string(from: time.addingTimeInterval(Double(hours) * 3_600)).prefix(19)
            return line.replacingCharacters(in: key.upperBound..<end, with: moved)
        }

        /// Appends `writes[range]` to the files in `directory` (`moved`: after the folder's move).
        func write(_ range: Range<Int>, into directory: URL, moved: Bool) throws {
            var texts: [String: String] = [:]
            for write in writes[range] { texts[write.file, default: ""] += write.line + "\n" }
            for (file, text) in texts.sorted(by: { $0.key < $1.key }) {
                let url = directory.appendingPathComponent(moved ? Self.moved(file) : file)
                if !FileManager.default.fileExists(atPath: url.path) {
                    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                    try "".write(to: url, atomically: false, encoding: .utf8)
                }
                try RandomKillTests.append(text, to: url)
            }
        }

        /// The input's change, made in `directory`.
        func makeChange(in directory: URL) throws {
            switch change {
            case .rotation:
                for file in files {
                    let url = directory.appendingPathComponent(file)
                    try FileManager.default.moveItem(at: url, to: url.appendingPathExtension("1"))
                    try "".write(to: url, atomically: false, encoding: .utf8)
                }
            case .folderMoved:
                let folder = String(files[0].prefix { $0 != "/" })
                try FileManager.default.moveItem(at: directory.appendingPathComponent(folder),
                    to: directory.appendingPathComponent(Self.moved(folder)))
            case nil:
                break
            }
        }

        /// A path under the moved folder's new name.
        static func moved(_ path: String) -> String { "moved-" + path }

        /// Removes the input's files (and rotated ones) from `directory`, and creates them empty
        /// (a tree: its folder).
        func reset(_ directory: URL) throws {
            for file in files {
                let url = directory.appendingPathComponent(file)
                try? FileManager.default.removeItem(at: url)
                try? FileManager.default.removeItem(at: url.appendingPathExtension("1"))
                if change == .folderMoved {
                    try? FileManager.default.removeItem(at: directory.appendingPathComponent(Self.moved(String(file.prefix { $0 != "/" }))))
                    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                }
                if writes.contains(where: { $0.file.hasPrefix(file + "/") }) {
                    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
                } else {
                    try "".write(to: url, atomically: false, encoding: .utf8)
                }
            }
        }

        func paths(_ directory: URL, moved: Bool = false) -> [String] {
            files.map { directory.appendingPathComponent(moved ? Self.moved($0) : $0).path }
        }
    }

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

    static func reference(_ input: Input, directory: URL) async throws -> Reference {
        try input.reset(directory)
        try input.write(input.writes.indices, into: directory, moved: false)
        let paths = input.paths(directory)
        let stateless = try await CommandRunner.run(["detect"] + paths + intelligence)
        #expect(stateless.status == 0, "\(stateless.stderr)")
        let state = directory.appendingPathComponent("reference.sqlite").path
        let started = ContinuousClock.now
        let stateful = try await CommandRunner.run(["detect"] + paths + ["--state", state] + intelligence)
        let elapsed = ContinuousClock.now - started
        #expect(stateful.status == 0, "\(stateful.stderr)")
        KillRestartTests.expectSame(stateful.stdoutLines, stateless.stdoutLines, "the uninterrupted run with a state file")
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Reference(alerts: stateless.stdoutLines, counters: try counters(state: state), seconds: seconds)
    }

    /// What is killed: `detect --state`, `detect --follow --state`, or `watch --state` under tmux
    /// (as a user runs it, in a terminal).
    enum Command: String, CustomStringConvertible, Sendable {
        case detect = "detect --state"
        case follow = "detect --follow --state"
        case watch = "watch --state under tmux"

        var description: String { rawValue }
        /// Whether it goes on reading past the end of the input.
        var follows: Bool { self != .detect }
    }

    /// Starts `command` on `paths` and `state`, lets it run `delay` milliseconds, kills it with
    /// SIGKILL; returns the whole lines it printed (`watch`: none, it draws its dashboard).
    static func runKilled(_ command: Command, _ paths: [String], state: String, after delay: Int) async throws -> [String] {
        switch command {
        case .detect, .follow:
            let running = try RunningCommand(["detect"] + paths + (command == .follow ? ["--follow"] : []) + ["--state", state] + intelligence)
            try await Task.sleep(for: .milliseconds(delay))
            running.signal(SIGKILL)
            let result = await running.wait()
            // Only whole lines: a line cut by the kill is printed again by a later run.
            return result.stdout.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
                .filter { result.stdout.contains($0 + "\n") }
        case .watch:
            let tmux = try Tmux(width: 120, height: 40,
                command: [CommandRunner.executable.path, "watch"] + paths + ["--from-start", "--state", state] + intelligence)
            defer { tmux.kill() }
            let started = ContinuousClock.now
            var process: pid_t?
            while process == nil, ContinuousClock.now - started < .seconds(30) {
                process = try tmux.process(named: "vaultwatch")
                if process == nil { try await Task.sleep(for: .milliseconds(20)) }
            }
            let screen = (try? tmux.capture().joined(separator: "\n")) ?? ""
            let pid = try #require(process, "watch never started: \(screen)")
            try await Task.sleep(until: started + .milliseconds(delay))
            kill(pid, SIGKILL)
            // The shell's exit line follows its "Killed" notice wherever the dashboard left the
            // cursor, and may wrap at the pane's edge.
            try await tmux.waitFor("the killed watch's exit line", deadline: .seconds(60)) { screen in
                screen.joined().contains("VAULTWATCH-EXIT=")
            }
            return []
        }
    }

    /// An alert line without the file and line its evidence names (a rotated log's records are
    /// read from `audit.jsonl.1` by the run after the rotation, from `audit.jsonl` by one run).
    static func withoutSources(_ line: String) -> String {
        guard var alert = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else { return line }
        if let evidence = alert["evidence"] as? [[String: Any]] {
            alert["evidence"] = evidence.map { record in record.filter { $0.key != "source" } }
        }
        guard let data = try? JSONSerialization.data(withJSONObject: alert, options: [.sortedKeys]) else { return line }
        return String(decoding: data, as: UTF8.self)
    }

    /// The input written in random pieces, a run of `command` killed after a random delay after
    /// each piece, then a last run of `detect --state` to the end: the state's alerts and
    /// counters, and the alerts printed when following, against one uninterrupted run.
    static func killAndRestart(_ input: Input, _ command: Command) async throws {
        let directory = try TestPaths.temporaryDirectory("vaultwatch-random-kill")
        defer { try? FileManager.default.removeItem(at: directory) }
        // The same paths for the reference and every round: evidence names the file it was read from.
        let reference = try await Self.reference(input, directory: directory)
        let span = max(200, Int(reference.seconds * 1000))
        let count = input.writes.count
        let same: ([String], [String], String) -> Void = { actual, expected, what in
            if input.change != nil {
                KillRestartTests.expectSame(actual.map(withoutSources), expected.map(withoutSources), what)
            } else {
                KillRestartTests.expectSame(actual, expected, what)
            }
        }
        for seed in Self.seeds {
            for round in 0..<Self.rounds {
                let stream = [Command.detect: "random kills", .follow: "random kills while following", .watch: "random kills of watch"][command]!
                var random = SeededRandom(seed: seed, stream: stream, round)
                try input.reset(directory)
                let state = directory.appendingPathComponent("state-\(command.follows)-\(seed)-\(round).sqlite").path
                // As cron over a growing input: the files grow by a random piece before each run,
                // and each run is killed after a random delay (one that outlasts the run kills
                // nothing: the run ended cleanly and the next one reads on from its end); following,
                // up to a little longer than reading the whole input takes.
                let cuts = (0..<Self.kills).map { _ in 1 + random.below(count - 1) }.sorted()
                let delays = (0..<Self.kills).map { _ in random.below(command.follows ? span + span / 4 : span) }
                // The change after the first piece: a log rotated before any run read it is a
                // rotated file present when reading starts, not read (README). A rotation only
                // once a run has saved a position in the log (a first run killed before its first
                // save leaves the state nothing to find the rotated file by), else the round
                // rotates nothing.
                var change = input.change == nil ? nil : cuts[0] + 1 + random.below(count - cuts[0] - 1)
                var moved = false
                var unchanged = ""
                var printed: [String: String] = [:]
                var position = 0
                func grow(to end: Int) throws {
                    if let at = change, position <= at, at < end {
                        if input.change == .rotation, KillRestartTests.checkpoint(state: state) == nil {
                            unchanged = " (no position saved before it: not rotated)"
                            change = nil
                        } else {
                            try input.write(position..<at, into: directory, moved: moved)
                            try input.makeChange(in: directory)
                            moved = input.change == .folderMoved
                            position = at
                        }
                    }
                    try input.write(position..<end, into: directory, moved: moved)
                    position = end
                }
                for (cut, delay) in zip(cuts, delays) {
                    try grow(to: cut)
                    let lines = try await Self.runKilled(command, input.paths(directory, moved: moved), state: state, after: delay)
                    for line in lines { printed[KillRestartTests.id(of: line)] = line }
                }
                try grow(to: count)
                let last = try await CommandRunner.run(["detect"] + input.paths(directory, moved: moved) + ["--state", state] + Self.intelligence)
                let context = "\(command), \(input), seed \(seed) round \(round), pieces ending at writes \(cuts) of \(count)"
                    + (change.map { ", \(input.change == .rotation ? "rotated" : "folder moved") before write \($0)" } ?? "") + unchanged
                    + ", killed after \(delays) ms (a run takes about \(span) ms)"
                #expect(last.status == 0, "\(context): \(last.stderr)")
                for line in last.stdoutLines { printed[KillRestartTests.id(of: line)] = line }
                let export = try await CommandRunner.run(["alerts", "export", "--state", state])
                same(export.stdoutLines, reference.alerts, "\(context): exported")
                if command == .follow { same(Array(printed.values), reference.alerts, "\(context): printed") }
                let counters = try Self.counters(state: state)
                #expect(counters == reference.counters, "\(context): counters \(counters) != \(reference.counters)")
            }
        }
    }

    @Test("detect --state on a growing input, killed at random points and restarted, gives one uninterrupted run's alerts and counters",
        arguments: [Input.oneLog, .vaultFiles, .rotatedLog, .blobTree, .movedFolder])
    func readToEnd(_ input: Input) async throws {
        try await Self.killAndRestart(input, .detect)
    }

    @Test("detect --follow --state on a growing input, killed at random points and restarted, gives one uninterrupted run's alerts",
        arguments: [Input.oneLog, .vaultFilesInStep, .rotatedLog, .blobTree, .movedFolder])
    func following(_ input: Input) async throws {
        try await Self.killAndRestart(input, .follow)
    }

    @Test("watch --state under tmux on a growing input, killed at random points and restarted, keeps one uninterrupted run's alerts",
        .enabled(if: Tmux.isAvailable, "tmux is not installed"), arguments: [Input.oneLog, .vaultFilesInStep])
    func watching(_ input: Input) async throws {
        try await Self.killAndRestart(input, .watch)
    }
}
