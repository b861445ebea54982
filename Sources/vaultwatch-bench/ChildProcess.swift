import Foundation

/// Runs other programs for the benchmarks that compare whole processes (`vaultwatch detect`,
/// `vaultwatch hunt`, `jq`): process start to exit, stdout read through a pipe (as a user's
/// shell pipe would), stderr to /dev/null.
///
/// `posix_spawn` and `wait4` rather than Foundation's `Process`, for the child's own CPU time
/// (user + system, from `wait4`'s rusage): on a machine shared with other work, wall time
/// measures the machine's load as much as the program, while CPU time measures the program.
enum ChildProcess {
    struct Run {
        /// Process start to exit.
        var wallSeconds: Double
        /// User + system CPU time of the child (every thread).
        var cpuSeconds: Double
        /// Lines the child wrote to stdout.
        var lines: Int
        var exitStatus: Int32
    }

    /// Medians of a series of runs.
    struct Medians {
        var wallSeconds: Double
        var cpuSeconds: Double
        var lines: Int
    }

    /// Runs `executable` with `arguments` once, to its exit; nil when it cannot be started.
    static func run(_ executable: String, _ arguments: [String]) -> Run? {
        var pipeEnds: [Int32] = [0, 0]
        guard pipe(&pipeEnds) == 0 else { return nil }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], 1)
        posix_spawn_file_actions_addclose(&actions, pipeEnds[0])
        posix_spawn_file_actions_addclose(&actions, pipeEnds[1])
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var child: pid_t = 0
        let start = ContinuousClock.now
        let spawned = posix_spawn(&child, executable, &actions, nil, argv, environ)
        close(pipeEnds[1])
        guard spawned == 0 else {
            close(pipeEnds[0])
            return nil
        }
        var lines = 0
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(pipeEnds[0], $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            if count <= 0 { break }
            for index in 0..<count where buffer[index] == 0x0A { lines += 1 }
        }
        close(pipeEnds[0])
        var status: Int32 = 0
        var usage = rusage()
        while wait4(child, &status, 0, &usage) < 0, errno == EINTR {}
        let elapsed = ContinuousClock.now - start
        let wall = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return Run(wallSeconds: wall, cpuSeconds: seconds(usage.ru_utime) + seconds(usage.ru_stime), lines: lines, exitStatus: status)
    }

    /// Medians of `repetitions` runs of each command, the commands taking turns (A B A B …) so
    /// that a change in the machine's load falls on all of them alike; nil for a command that
    /// cannot be started or exits with an error. `prepare[index]`, when given, runs before each
    /// run of command `index`, untimed (removing the state file a `detect --state` run left).
    static func medians(
        of commands: [(executable: String, arguments: [String])], repetitions: Int, prepare: [Int: () -> Void] = [:]
    ) -> [Medians?] {
        var runs = [[Run]](repeating: [], count: commands.count)
        var failed = [Bool](repeating: false, count: commands.count)
        for _ in 0..<repetitions {
            for (index, command) in commands.enumerated() where !failed[index] {
                prepare[index]?()
                if let run = run(command.executable, command.arguments), run.exitStatus == 0 {
                    runs[index].append(run)
                } else {
                    failed[index] = true
                }
            }
        }
        return runs.indices.map { index in
            guard !failed[index], !runs[index].isEmpty else { return nil }
            let samples = runs[index]
            func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
            return Medians(
                wallSeconds: median(samples.map(\.wallSeconds)), cpuSeconds: median(samples.map(\.cpuSeconds)),
                lines: samples.last?.lines ?? 0)
        }
    }

    /// `name` on the PATH, or nil.
    static func find(_ name: String) -> String? {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return directories.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The `vaultwatch` executable built beside this benchmark, or nil.
    static func vaultwatch() -> String? {
        let path = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("vaultwatch").path
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }
}
