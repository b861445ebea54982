import Foundation

/// `vaultwatch hunt` beside `jq` running the same filter on the same file, in the same run:
/// both as processes (wall time, medians), both reading the file and printing the matches to a
/// pipe, the match counts checked equal. The filter uses the outcome trap: `jq` must test the
/// status code itself, since `resultType` says Success on a 403.
/// Needs the `vaultwatch` executable beside this one (`swift build -c release` builds both);
/// the jq row is skipped, with a message, when `jq` is not installed.
func runHuntBenchmark(log: [UInt8], recordCount: Int, repetitions: Int) {
    print("")
    print("hunt vs jq: --vault kv-7-prod --operation SecretGet,SecretList --outcome denied (wall time, median of \(repetitions))")
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vaultwatch-bench-hunt-\(getpid())")
    try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("audit.jsonl").path
    guard FileManager.default.createFile(atPath: path, contents: Data(log)) else {
        print("  skipped: cannot write \(path)")
        return
    }
    let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        .deletingLastPathComponent().appendingPathComponent("vaultwatch").path
    guard FileManager.default.isExecutableFile(atPath: executable) else {
        print("  skipped: no vaultwatch executable beside vaultwatch-bench (\(executable)); build it first")
        return
    }
    let hunt = measureProcess(
        executable, ["hunt", path, "--vault", "kv-7-prod", "--operation", "SecretGet,SecretList", "--outcome", "denied"],
        repetitions: repetitions)
    let huntRow = Measurement(name: "vaultwatch hunt", records: recordCount, bytes: log.count, seconds: hunt.seconds)
    guard let jqPath = findExecutable("jq") else {
        print(huntRow.row(reference: nil) + "   \(hunt.lines) matches")
        print("  jq row skipped: jq is not installed (apt-get install -y jq)")
        return
    }
    let filter = """
        select((.resourceId | ascii_downcase | endswith("/vaults/kv-7-prod")) \
        and (.operationName | ascii_downcase | . == "secretget" or . == "secretlist") \
        and ((.properties.httpStatusCode // 0) as $s | $s == 401 or $s == 403))
        """
    let jq = measureProcess(jqPath, ["-c", filter, path], repetitions: repetitions)
    let jqRow = Measurement(name: "jq -c 'select(…)' (reference)", records: recordCount, bytes: log.count, seconds: jq.seconds)
    print(jqRow.row(reference: nil) + "   \(jq.lines) matches")
    print(huntRow.row(reference: jqRow) + "   \(hunt.lines) matches")
    if hunt.lines != jq.lines { print("  error: hunt and jq disagree on the matches (\(hunt.lines) vs \(jq.lines))") }
}

/// Median wall time of running `executable` with `arguments`, and the lines it printed.
private func measureProcess(_ executable: String, _ arguments: [String], repetitions: Int) -> (seconds: Double, lines: Int) {
    var samples: [Double] = []
    var lines = 0
    for _ in 0..<repetitions {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        let start = ContinuousClock.now
        do {
            try process.run()
        } catch {
            print("  cannot run \(executable): \(error)")
            return (.infinity, 0)
        }
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let elapsed = ContinuousClock.now - start
        samples.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        lines = output.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
    }
    samples.sort()
    return (samples[samples.count / 2], lines)
}

private func findExecutable(_ name: String) -> String? {
    let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
    return directories.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
}
