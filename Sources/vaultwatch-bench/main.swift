import Foundation
import VaultWatchCore

// vaultwatch-bench: throughput of VaultWatch's hot paths, each beside a reference measured in
// the same run on the same input. Build in release: `swift run -c release vaultwatch-bench`.
// Options: --records N (default 300000), --repetitions N (default 5); --decode-only (for
// profiling the decoder); --memory-only (the detector's resident memory after 10M events, alone);
// --memory-budget (the same with the dashboard's model and its event journal, as `watch` holds them);
// --memory-dense [--records N, before it] (a live stream's shape: N events, default 2.5M, 2.5 ms
// apart with identities, detector + dashboard model + saves' exports, peak resident memory beside
// the budget, with freed pages given back (`HeapRelease`) and without; alone);
// --detector-file FILE [--repetitions N, before it] (the detector alone on FILE decoded once, beside
// the decode's time: what a change to the detector does on a real log; alone);
// --render-only (the dashboard's frame time at 80×24 and 200×60, alone);
// --state-only (what saving state costs, on the synthetic records and on the demo tenant, in
// this process and as `vaultwatch detect` processes, and one save of the events held for
// reordering on a live stream); --demo-state-only [--compare VAULTWATCH] (the demo tenant's
// processes alone, another build's beside them);
// --hunt-only (`vaultwatch hunt` beside `jq` on the same file, alone);
// --hostile-memory (resident memory under hostile input: a line without newline, millions of
// distinct names, a blob tree followed for months, an alert storm; alone);
// --blob-tree-only [--records N, before it] (a follow's directory scan of a tree of N blobs,
// default 100,000, with and without every blob watched for late appends, and a whole listing
// that also finds a tenth as many blobs gone, beside a bare list-and-stat walk of the tree; alone);
// --end-to-end (`vaultwatch detect --no-state` beside `jq` on the demo tenant as one JSON-lines
// file, process start to exit; --days N sets its history, default 237 (~362k records);
// --keep-file keeps it; --compare VAULTWATCH runs another build beside it);
// --write-synthetic FILE [--records N, before it] (writes the synthetic records as JSON lines,
// so that builds' `vaultwatch detect` processes can be compared on them: `scripts/turns.py`).

var arguments = CommandLine.arguments.dropFirst()
var recordCount = 300_000
var repetitions = 5
var decodeOnly = false  // for profiling: skip the reference
var stateOnly = false
var huntOnly = false
var endToEnd = false
var endToEndDays = 237
var keepsFile = false
var compareExecutable: String?
var demoStateOnly = false
while let argument = arguments.popFirst() {
    switch argument {
    case "--records": recordCount = Int(arguments.popFirst() ?? "") ?? recordCount
    case "--repetitions": repetitions = max(1, Int(arguments.popFirst() ?? "") ?? repetitions)
    case "--decode-only": decodeOnly = true
    case "--state-only": stateOnly = true
    case "--hunt-only": huntOnly = true
    case "--end-to-end": endToEnd = true
    case "--days": endToEndDays = max(1, Int(arguments.popFirst() ?? "") ?? endToEndDays)
    case "--keep-file": keepsFile = true
    case "--compare": compareExecutable = arguments.popFirst()
    case "--memory-only":
        runDetectorMemoryBenchmark()
        exit(0)
    case "--demo-state-only":
        demoStateOnly = true
    case "--render-only":
        runRenderBenchmark(repetitions: repetitions)
        exit(0)
    case "--memory-budget":
        runDetectorMemoryBenchmark(withDashboard: true)
        exit(0)
    case "--memory-dense":
        runDenseMemoryBenchmark(records: recordCount == 300_000 ? 2_500_000 : recordCount)
        exit(0)
    case "--memory-dense-run":
        let releasing = arguments.popFirst() == "release"
        runDenseMemoryRun(records: Int(arguments.popFirst() ?? "") ?? 2_500_000, releasing: releasing)
        exit(0)
    case "--detector-file":
        guard let path = arguments.popFirst() else { break }
        runDetectorFileBenchmark(path: path, repetitions: repetitions)
        exit(0)
    case "--hostile-memory":
        runHostileInputMemoryBenchmark()
        exit(0)
    case "--write-synthetic":
        guard let path = arguments.popFirst() else { break }
        do {
            try Data(SyntheticLog().jsonLines(count: recordCount)).write(to: URL(fileURLWithPath: path))
        } catch {
            FileHandle.standardError.write("vaultwatch-bench: cannot write \(path): \(error)\n".data(using: .utf8)!)
            exit(1)
        }
        exit(0)
    case "--blob-tree-only":
        runBlobTreeBenchmark(blobs: recordCount == 300_000 ? 100_000 : recordCount, repetitions: repetitions)
        exit(0)
    default:
        FileHandle.standardError.write("usage: vaultwatch-bench [--records N] [--repetitions N] [--decode-only | --memory-only | --memory-budget | --memory-dense | --detector-file FILE | --render-only | --state-only | --demo-state-only [--compare VAULTWATCH] | --hunt-only | --hostile-memory | --blob-tree-only | --write-synthetic FILE | --end-to-end [--days N] [--keep-file] [--compare VAULTWATCH]]\n".data(using: .utf8)!)
        exit(1)
    }
}

if demoStateOnly {
    runDemoStateBenchmark(repetitions: repetitions, compare: compareExecutable)
    exit(0)
}

if endToEnd {
    runEndToEndBenchmark(days: endToEndDays, repetitions: repetitions, keepsFile: keepsFile, compare: compareExecutable)
    exit(0)
}

if stateOnly {
    // The cost of saving state on the synthetic records and on the demo tenant (issue 9).
    runStoreBenchmark(log: SyntheticLog().jsonLines(count: recordCount), recordCount: recordCount, repetitions: repetitions)
    var demo: [UInt8] = []
    var demoCount = 0
    for record in DemoTenant().records {
        demo += record.line
        demo.append(0x0A)
        demoCount += 1
    }
    runStoreBenchmark(log: demo, recordCount: demoCount, repetitions: repetitions, input: "the demo tenant")
    runDemoStateBenchmark(repetitions: repetitions)
    runHeldEventsBenchmark(repetitions: repetitions)
    exit(0)
}

let log = SyntheticLog().jsonLines(count: recordCount)
if huntOnly {
    print("input: \(recordCount) records, \(log.count / 1_048_576) MiB, \(log.count / recordCount) bytes/record")
    runHuntBenchmark(log: log, recordCount: recordCount, repetitions: repetitions)
    exit(0)
}
print("input: \(recordCount) records, \(log.count / 1_048_576) MiB, \(log.count / recordCount) bytes/record; median CPU time of \(repetitions) runs on one thread")
print("benchmark".padding(toLength: 38, withPad: " ", startingAt: 0) + "    records/s       MB/s    vs ref")

// Reference: Foundation JSONDecoder on a slice of the same records (it is ~10× slower).
let referenceCount = decodeOnly ? 10 : min(recordCount, 30_000)
var referenceEnd = 0
var lines = 0
for index in log.indices where log[index] == 0x0A {
    lines += 1
    if lines == referenceCount { referenceEnd = index + 1; break }
}
let referenceSlice = Array(log[0..<referenceEnd])
var decodedByFoundation = 0
let referenceSeconds = medianSeconds(repetitions: max(1, repetitions / 2)) {
    decodedByFoundation = FoundationReference.decodeLines(referenceSlice)
}
let reference = Measurement(name: "Foundation JSONDecoder (reference)", records: decodedByFoundation, bytes: referenceSlice.count, seconds: referenceSeconds)
print(reference.row(reference: nil))

// VaultWatch: frame + decode into events, 1 MiB reads as the ingestor does.
var decodedEvents = 0
let symbols = SymbolTable()
let decodeSeconds = medianSeconds(repetitions: repetitions) {
    decodedEvents = ChunkedDecode.decode(log, symbols: symbols)
}
guard decodedEvents == recordCount else {
    print("error: decoded \(decodedEvents) of \(recordCount) records")
    exit(1)
}
let decode = Measurement(name: "VaultWatch decode (SourceReader)", records: decodedEvents, bytes: log.count, seconds: decodeSeconds)
print(decode.row(reference: reference))
print(String(format: "peak resident memory: %.0f MiB", peakResidentMiB()))
runStoreBenchmark(log: log, recordCount: recordCount, repetitions: repetitions)
runDetectorBenchmark(log: log, recordCount: recordCount, repetitions: repetitions, decode: decode)
runRenderBenchmark(repetitions: repetitions)
runHuntBenchmark(log: log, recordCount: recordCount, repetitions: repetitions)
