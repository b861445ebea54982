import Foundation
import VaultWatchCore

/// The demo tenant's short run as a user runs it (issue 11: `detect --state FILE` within 10% of
/// `--no-state` on it too): `vaultwatch demo generate` writes the tenant (15 days and the attack
/// day, 26,041 records) as a tree of hourly blobs, and the same records go into one JSON-lines
/// file; then `vaultwatch detect --no-state` (the reference) and `vaultwatch detect --state FILE`
/// (a new file each run, removed untimed before it) run in turns on each, process start to exit,
/// with the demo's Tor exit list and threat-intel list when `demo-data/` is in the current
/// directory (as `swift run` runs it), so the run raises the demo's alerts.
/// Prints medians of wall time and of the child's CPU time, and the cost of `--state` as ratios
/// of the medians of the same turns. Needs the `vaultwatch` executable beside this one;
/// `compare`, another build's `vaultwatch`, runs both ways in the same turns (before/after).
func runDemoStateBenchmark(repetitions: Int, compare: String? = nil) {
    guard let vaultwatch = ChildProcess.vaultwatch() else {
        print("demo tenant, processes: skipped: no vaultwatch executable beside vaultwatch-bench (swift build -c release)")
        return
    }
    let files = FileManager.default
    let directory = files.temporaryDirectory.appendingPathComponent("vaultwatch-bench-demo-state-\(getpid())").path
    defer { try? files.removeItem(atPath: directory) }
    let tree = directory + "/tree"
    let linesPath = directory + "/tenant.jsonl"
    let tenant = DemoTenant()
    var lines: [UInt8] = []
    var recordCount = 0
    for record in tenant.records {
        lines += record.line
        lines.append(0x0A)
        recordCount += 1
    }
    do {
        try files.createDirectory(atPath: directory, withIntermediateDirectories: true)
        _ = try tenant.write(to: tree)
    } catch {
        print("demo tenant, processes: cannot write the tenant to \(directory): \(error)")
        return
    }
    guard files.createFile(atPath: linesPath, contents: Data(lines)) else {
        print("demo tenant, processes: cannot write \(linesPath)")
        return
    }
    var intel: [String] = []
    for (option, file) in [("--tor-exits", "demo-data/tor-exit-addresses.txt"), ("--threat-intel", "demo-data/threat-intel.txt")]
    where files.fileExists(atPath: file) {
        intel += [option, file]
    }
    let statePath = directory + "/state.sqlite"
    let removeState = {
        for suffix in ["", "-wal", "-shm", ".lock"] { try? files.removeItem(atPath: statePath + suffix) }
    }
    print("")
    print(
        "the demo tenant's short run, processes (\(recordCount) records; medians of \(repetitions) runs, the commands taking turns"
            + (intel.isEmpty ? "; no demo-data/ here, so no Tor or threat-intel list)" : "; with demo-data/'s Tor and threat-intel lists)"))
    print("input".padding(toLength: 30, withPad: " ", startingAt: 0)
        + "  --no-state wall / CPU s   --state FILE wall / CPU s   cost wall    CPU   alerts")
    let builds = [(vaultwatch, "")] + (compare.map { [($0, "  --compare " + URL(fileURLWithPath: $0).lastPathComponent)] } ?? [])
    for (name, input) in [("hourly blobs (demo generate)", tree), ("one JSON-lines file", linesPath)] {
        var commands: [(executable: String, arguments: [String])] = []
        var prepare: [Int: () -> Void] = [:]
        for (executable, _) in builds {
            commands.append((executable, ["detect", "--no-state"] + intel + [input]))
            prepare[commands.count] = removeState
            commands.append((executable, ["detect", "--state", statePath] + intel + [input]))
        }
        let results = ChildProcess.medians(of: commands, repetitions: repetitions, prepare: prepare)
        for (index, (_, label)) in builds.enumerated() {
            let rowName = (label.isEmpty ? name : label).padding(toLength: 30, withPad: " ", startingAt: 0)
            guard let stateless = results[2 * index], let stateful = results[2 * index + 1] else {
                print(rowName + "  failed (could not start, or exited with an error)")
                continue
            }
            print(rowName + String(
                format: "  %10.3f / %6.3f       %10.3f / %6.3f      %+6.1f%% %+6.1f%%   %d / %d",
                stateless.wallSeconds, stateless.cpuSeconds, stateful.wallSeconds, stateful.cpuSeconds,
                (stateful.wallSeconds / stateless.wallSeconds - 1) * 100, (stateful.cpuSeconds / stateless.cpuSeconds - 1) * 100,
                stateless.lines, stateful.lines))
        }
    }
    removeState()
}
