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
    guard let executable = ChildProcess.vaultwatch() else {
        print("  skipped: no vaultwatch executable beside vaultwatch-bench; build it first")
        return
    }
    let hunt = measureProcess(
        executable, ["hunt", path, "--vault", "kv-7-prod", "--operation", "SecretGet,SecretList", "--outcome", "denied"],
        repetitions: repetitions)
    let huntRow = Measurement(name: "vaultwatch hunt", records: recordCount, bytes: log.count, seconds: hunt.seconds)
    guard let jqPath = ChildProcess.find("jq") else {
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
    guard let medians = ChildProcess.medians(of: [(executable, arguments)], repetitions: repetitions)[0] else {
        print("  cannot run \(executable), or it failed")
        return (.infinity, 0)
    }
    return (medians.wallSeconds, medians.lines)
}
