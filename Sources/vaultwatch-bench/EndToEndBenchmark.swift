import Foundation
import VaultWatchCore

/// `vaultwatch detect --no-state FILE` as a new user runs it, beside `jq` on the same file in the
/// same run (issue 11): the demo tenant (`DemoTenant`, realistic habits, `days` days of history
/// and the attack day) written as one JSON-lines file, read once so that it is in the page
/// cache, then both commands run in turns, process start to exit, stdout to a pipe.
/// Prints medians of wall time and of the child's CPU time (every thread): on a shared machine
/// CPU time is the steadier figure, and the ratio to `jq` measured alike is the one to quote.
/// The reference is `jq 'select(.operationName=="SecretGet") | .identity.claim.appid'`: a select
/// and one field, far less than detection, so the ratio understates the work done.
/// Before the processes, the decoder alone on the same bytes in this process (one thread's CPU
/// time), to show how the run splits between decoding and the rest.
/// `vaultwatch-bench --end-to-end [--days N] [--repetitions N] [--compare OTHER-VAULTWATCH]`; needs
/// the `vaultwatch` executable beside this one (`swift build -c release` builds both) and `jq` on
/// the PATH. `--compare` runs another build's `vaultwatch` in the same turns (before/after a change).
func runEndToEndBenchmark(days: Int, repetitions: Int, keepsFile: Bool, compare: String?) {
    let tenant = DemoTenant(days: days)
    var log: [UInt8] = []
    var recordCount = 0
    for record in tenant.records {
        log += record.line
        log.append(0x0A)
        recordCount += 1
    }
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vaultwatch-bench-end-to-end-\(getpid())")
    try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { if !keepsFile { try? FileManager.default.removeItem(at: directory) } }
    let path = directory.appendingPathComponent("tenant.jsonl").path
    guard FileManager.default.createFile(atPath: path, contents: Data(log)) else {
        print("end to end: cannot write \(path)")
        return
    }
    if keepsFile { print("input kept at \(path)") }
    let decodeSeconds = medianSeconds(repetitions: repetitions) {
        ChunkedDecode.decode(log, sourceName: "tenant.jsonl")
    }
    // One thread, then each chunk in pieces on two threads at once as `detect`'s read-ahead
    // decodes it: what the second thread saves in wall time and costs in CPU time (the hand-off,
    // the merge of the pieces).
    let oneThread = medianProcessSeconds(repetitions: repetitions) { ChunkedDecode.decode(log, sourceName: "tenant.jsonl") }
    let twoHalves = medianProcessSeconds(repetitions: repetitions) {
        ChunkedDecode.decode(log, sourceName: "tenant.jsonl", inParallel: true)
    }
    let logBytes = log.count
    log = []
    print(String(
        format: "detect vs jq, end to end: the demo tenant (%d days + the attack day), %d records, %.0f MiB, %d bytes/record, in the page cache",
        days, recordCount, Double(FileManager.default.sizeOfFile(path)) / 1_048_576,
        FileManager.default.sizeOfFile(path) / max(1, recordCount)))
    print("medians of \(repetitions) runs each, the commands taking turns; events/s = records / seconds")
    // Into the page cache, as for a user who just wrote or copied the file.
    _ = FileManager.default.contents(atPath: path)

    guard let vaultwatch = ChildProcess.vaultwatch() else {
        print("  skipped: no vaultwatch executable beside vaultwatch-bench; build it first (swift build -c release)")
        return
    }
    let jq = ChildProcess.find("jq")
    if jq == nil { print("  jq row skipped: jq is not installed (apt-get install -y jq)") }
    var commands: [(executable: String, arguments: [String])] = [(vaultwatch, ["detect", "--no-state", path])]
    if let jq { commands.append((jq, ["select(.operationName==\"SecretGet\") | .identity.claim.appid", path])) }
    if let compare { commands.append((compare, ["detect", "--no-state", path])) }
    // `detect --state FILE` in the same turns (issue 11: within 10% of --no-state), each run on a
    // new state file: one left by the previous run would resume at the end of the input.
    let statePath = directory.appendingPathComponent("state.sqlite").path
    let stateIndex = commands.count
    commands.append((vaultwatch, ["detect", "--state", statePath, path]))
    let removeState = {
        for suffix in ["", "-wal", "-shm", ".lock"] { try? FileManager.default.removeItem(atPath: statePath + suffix) }
    }
    let results = ChildProcess.medians(of: commands, repetitions: repetitions, prepare: [stateIndex: removeState])

    print("command".padding(toLength: 44, withPad: " ", startingAt: 0)
        + "  wall s   events/s  vs jq     CPU s   events/s  vs jq   lines out")
    let reference = jq != nil ? results[1] : nil
    func row(_ name: String, _ medians: ChildProcess.Medians?) {
        guard let medians else {
            print(name.padding(toLength: 44, withPad: " ", startingAt: 0) + "  failed (could not start, or exited with an error)")
            return
        }
        let wallRate = Double(recordCount) / medians.wallSeconds
        let cpuRate = Double(recordCount) / medians.cpuSeconds
        let wallRatio = reference.map { String(format: "%5.1f×", $0.wallSeconds / medians.wallSeconds) } ?? "     -"
        let cpuRatio = reference.map { String(format: "%5.1f×", $0.cpuSeconds / medians.cpuSeconds) } ?? "     -"
        print(name.padding(toLength: 44, withPad: " ", startingAt: 0)
            + String(format: " %7.2f %10.0f %@  %7.2f %10.0f %@ %10d", medians.wallSeconds, wallRate, wallRatio,
                     medians.cpuSeconds, cpuRate, cpuRatio, medians.lines))
    }
    if jq != nil { row("jq 'select(SecretGet) | appid' (reference)", reference) }
    row("vaultwatch detect --no-state", results[0])
    if let compare { row("  the same, \(URL(fileURLWithPath: compare).lastPathComponent) (--compare)", results[stateIndex - 1]) }
    row("vaultwatch detect --state FILE (new file)", results[stateIndex])
    if let stateless = results[0], let stateful = results[stateIndex] {
        print(String(
            format: "  --state costs %+.1f%% wall, %+.1f%% CPU against --no-state in the same turns",
            (stateful.wallSeconds / stateless.wallSeconds - 1) * 100, (stateful.cpuSeconds / stateless.cpuSeconds - 1) * 100))
    }
    print(String(
        format: "in this process, the decoder alone on the same bytes (SourceReader, 1 MiB chunks, one thread): %.2f s CPU, %.0f records/s, %.0f MB/s",
        decodeSeconds, Double(recordCount) / decodeSeconds, Double(logBytes) / decodeSeconds / 1_048_576))
    print(String(
        format: "  the same in pieces on two threads (as detect's read-ahead): %.2f s CPU (%+.1f%%), %.2f s wall (%+.1f%%) against one thread's %.2f s CPU, %.2f s wall",
        twoHalves.cpu, (twoHalves.cpu / oneThread.cpu - 1) * 100, twoHalves.wall, (twoHalves.wall / oneThread.wall - 1) * 100,
        oneThread.cpu, oneThread.wall))
}

extension FileManager {
    fileprivate func sizeOfFile(_ path: String) -> Int {
        ((try? attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
    }
}
