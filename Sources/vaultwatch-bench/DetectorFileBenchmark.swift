import Foundation
import VaultWatchCore

/// `vaultwatch-bench --detector-file FILE`: the detector alone on a real log.
///
/// A `detect` run on a tenant's file spends most of its time reading and decoding; the
/// detector's share (about a fifth) moves the run's figure by less than the machine's noise, so a
/// change to the detector is measured here: FILE (JSON lines or any shape `detect` reads) is
/// decoded once, then `Detector.process` runs over the same batches `repetitions` times (a new
/// detector each time, default configuration, as `detect --no-state`). Printed: the median CPU
/// seconds of the detector beside the decode's (the reference measured in the same run), and
/// the alerts' count and a digest of their final states, so two builds compared in turns can
/// be seen to raise the same alerts.
func runDetectorFileBenchmark(path: String, repetitions: Int) {
    guard let data = FileManager.default.contents(atPath: path) else {
        FileHandle.standardError.write("vaultwatch-bench: cannot read \(path)\n".data(using: .utf8)!)
        exit(1)
    }
    let log = [UInt8](data)
    runBlocking {
        await DetectorFileBenchmark(log: log, repetitions: repetitions).run()
    }
}

private struct DetectorFileBenchmark {
    let log: [UInt8]
    let repetitions: Int

    func run() async {
        let symbols = SymbolTable()
        var batches: [EventBatch] = []
        var events = 0
        let decodeSeconds = medianSeconds(repetitions: repetitions) {
            batches.removeAll()
            events = ChunkedDecode.decode(log, symbols: symbols) { batches.append($0) }
        }
        var digest = AlertDigest()
        var cpu: [Double] = []
        for _ in 0..<repetitions {
            let detector = Detector(symbols: symbols)
            let drain = Task {
                var digest = AlertDigest()
                for await alert in detector.alerts { digest.add(alert) }
                return digest
            }
            let start = processCPUSeconds()
            for batch in batches { await detector.process(batch) }
            await detector.finish()
            cpu.append(processCPUSeconds() - start)
            digest = await drain.value
        }
        cpu.sort()
        let detectSeconds = cpu[cpu.count / 2]
        print(String(
            format: "detector alone: %d events, median CPU %.3f s (%.0f events/s) over %d runs; decode of the same file (reference, same run) %.3f s; detector/decode %.3f; alerts: %d updates, final states digest %016llx",
            events, detectSeconds, Double(events) / detectSeconds, repetitions, decodeSeconds, detectSeconds / decodeSeconds,
            digest.updates, digest.value))
    }
}

/// An order-independent digest of the alerts' final states (id, count, last seen), to see that
/// two builds raised the same alerts.
private struct AlertDigest {
    private var last: [String: UInt64] = [:]
    private(set) var updates = 0

    mutating func add(_ alert: Alert) {
        updates += 1
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "\(alert.id) \(alert.count) \(alert.lastSeen.ticks)".utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        last[alert.id] = hash
    }

    var value: UInt64 { last.values.reduce(0) { $0 ^ $1 } }
}
