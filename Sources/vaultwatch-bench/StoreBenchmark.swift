import Foundation
import VaultWatchCore
import VaultWatchStore

/// `detect` end to end (file → `Ingestor` → `Detector`) three ways on the same input in the
/// same run: stateless (`detect` without `--state`: the reference), with the state in memory
/// (`--no-state` in `watch`), and with a state file (`detect --state FILE`: checkpoints, alerts
/// and open alerts saved in one transaction at least once a second and at the end). A
/// threat-intel list of two /8 ranges makes about 1% of events raise alerts, so the store
/// has alerts to write. Wall-clock medians: the pipeline spans several tasks.
/// A fourth run leaves the detector's baselines out of the saves, to tell the store's own cost
/// (alerts, checkpoints, open alerts, the transaction) from the detector's export.
/// Target: the state file costs at most 10% of stateless throughput.
func runStoreBenchmark(log: [UInt8], recordCount: Int, repetitions: Int, input: String = "synthetic records") {
    runBlocking {
        do {
            try await StoreBenchmark(log: log, recordCount: recordCount, repetitions: repetitions, input: input).run()
        } catch {
            print("store benchmark failed: \(error)")
        }
    }
}

private struct StoreBenchmark {
    let log: [UInt8]
    let recordCount: Int
    let repetitions: Int
    let input: String

    enum Mode: String, CaseIterable {
        case stateless = "detect, stateless (reference)"
        case inMemory = "detect, state in memory"
        case stateFile = "detect --state FILE"
        /// The same, leaving the detector's baselines out: what the store itself costs.
        case stateFileWithoutBaselines = "detect --state FILE, no baselines"
    }

    func run() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vaultwatch-bench-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let logPath = directory.appendingPathComponent("audit.jsonl").path
        try Data(log).write(to: URL(fileURLWithPath: logPath))
        let intelPath = directory.appendingPathComponent("intel.txt").path
        try "20.0.0.0/8\n21.0.0.0/8\n".write(toFile: intelPath, atomically: true, encoding: .utf8)
        var configuration = DetectorConfiguration()
        configuration.threatIntel = try ThreatIntelList.loadThreatIntel(path: intelPath)

        print("")
        print("detect with and without the state store, \(input): \(recordCount) records (wall-clock median of \(repetitions) runs)")
        var reference: Measurement?
        // Interleaved, so that machine noise falls on every mode alike; the parts printed are
        // those of the median run.
        var samples: [Mode: [(seconds: Double, alerts: Int, parts: SaveParts)]] = [:]
        for repetition in 0..<repetitions {
            for mode in Mode.allCases {
                let statePath = directory.appendingPathComponent("state-\(repetition).sqlite").path
                let (seconds, alerts, saves) = try await detect(logPath: logPath, mode: mode, statePath: statePath, configuration: configuration)
                samples[mode, default: []].append((seconds, alerts, saves))
            }
        }
        for mode in Mode.allCases {
            guard let runs = samples[mode]?.sorted(by: { $0.seconds < $1.seconds }), !runs.isEmpty else { continue }
            let (seconds, alerts, parts) = runs[runs.count / 2]
            let measurement = Measurement(name: mode.rawValue, records: recordCount, bytes: log.count, seconds: seconds)
            var row = measurement.row(reference: reference)
            if let reference {
                let cost = (measurement.seconds / reference.seconds - 1) * 100
                row += String(format: "   cost %+.1f%%", cost)
            }
            row += "   (\(alerts) alerts)"
            print(row)
            if mode != .stateless {
                let perSave = parts.saves > 0 ? (parts.exportSeconds + parts.writeSeconds) / Double(parts.saves) * 1000 : 0
                var line = String(
                    format: "    %d saves, %.1f ms each: detector export %.2f s, store transaction %.2f s; detector state %.2f MiB (in flight %.1f KiB)",
                    parts.saves, perSave, parts.exportSeconds, parts.writeSeconds, Double(parts.baselineBytes) / 1_048_576,
                    Double(parts.inFlightBytes) / 1024)
                if parts.heldBytesWritten > 0 {
                    line += String(format: "; held events written once: %.1f KiB", Double(parts.heldBytesWritten) / 1024)
                }
                if parts.fileBytes > 0 { line += String(format: "; state file %.2f MiB", Double(parts.fileBytes) / 1_048_576) }
                print(line)
                let t = parts.timings
                func ms(_ duration: Duration) -> Double { Self.seconds(duration) * 1000 }
                print(String(
                    format: "    parts (ms, all saves): open %.1f, export %.1f, stored alerts read %.1f (%d reads), alerts %.1f (%d rows), open alerts %.1f (%d), checkpoints %.1f (%d), baselines %.1f (%d), held %.1f (%d), records taken lately %.1f (%d hour rows), commit %.1f",
                    parts.openSeconds * 1000, ms(t.export), ms(t.storedAlertsRead), t.storedAlertReads, ms(t.alerts), t.alertRows, ms(t.openAlerts), t.openAlertRows,
                    ms(t.checkpoints), t.checkpointRows, ms(t.baselines), t.baselineRows, ms(t.heldEvents), t.heldEventRows, ms(t.identities),
                    t.identityHourRows, ms(t.commit)))
            }
            if mode == .stateless { reference = measurement }
        }
    }

    /// Where a run's saving time went: the detector's export of its baselines, and the store's
    /// transaction (alerts, checkpoints, open alerts, the baseline blob, fsync).
    struct SaveParts {
        var saves: Int
        var exportSeconds = 0.0
        var writeSeconds = 0.0
        var baselineBytes = 0
        /// The in-flight section of the last save, written alone (`Detector.inFlightByteCount`).
        var inFlightBytes = 0
        /// Held events written (each once) over the run.
        var heldBytesWritten = 0
        /// The state file and its WAL after the run.
        var fileBytes: Int64 = 0
        /// Opening the store (creating and migrating the file) and reading what it holds.
        var openSeconds = 0.0
        /// Each part of the saves.
        var timings = SaveTimings()
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// One `detect` run; returns wall seconds, alerts stored (or raised) and what saving took.
    private func detect(logPath: String, mode: Mode, statePath: String, configuration: DetectorConfiguration) async throws -> (Double, Int, SaveParts) {
        let started = ContinuousClock.now
        let symbols = SymbolTable()
        let batchSize = Ingestor.Configuration().batchSize
        var recorder: DetectionRecorder?
        switch mode {
        case .stateless: recorder = nil
        case .inMemory: recorder = try DetectionRecorder(store: AlertStore(inMemoryWith: AlertStore.Options()), batchSize: batchSize)
        case .stateFile: recorder = try DetectionRecorder(store: AlertStore(path: statePath, access: .detection), batchSize: batchSize)
        case .stateFileWithoutBaselines:
            recorder = try DetectionRecorder(
                store: AlertStore(path: statePath + "-alerts-only", access: .detection), batchSize: batchSize, savesBaselines: false)
        }
        let opened = ContinuousClock.now - started
        let ingestor = try Ingestor(
            paths: [logPath], symbols: symbols,
            configuration: Ingestor.Configuration(batchSize: batchSize, checkpoints: recorder?.saved.checkpoints ?? []))
        let detector = try recorder?.makeDetector(symbols: symbols, configuration: configuration)
            ?? Detector(symbols: symbols, configuration: configuration)
        let drain = Task { var count = 0; for await _ in detector.alerts { count += 1 }; return count }
        await recorder?.start(detector: detector, ingestor: ingestor)
        let reader = Task { await ingestor.run(mode: .readToEnd) }
        for await batch in ingestor.batches {
            try await recorder?.beforeProcessing(batch, by: detector)
            let touched = await detector.process(batch)
            try await recorder?.processed(batch, touched: touched, by: detector)
        }
        await reader.value
        if recorder != nil { try await recorder?.finish(detector) } else { await detector.finish() }
        _ = await drain.value
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let raised = await detector.currentCounters.alertsRaised
        let alerts = try recorder?.store.alertCount() ?? raised
        var parts = SaveParts(saves: recorder?.saveCount ?? 0)
        parts.openSeconds = Self.seconds(opened)
        if let recorder {
            parts.timings = recorder.timings
            parts.exportSeconds = Self.seconds(recorder.exportTime)
            parts.writeSeconds = Self.seconds(recorder.writeTime)
            let saved = try? recorder.store.savedDetection()
            let snapshot = saved?.detectorSnapshot?.data ?? Data()
            let rows = saved?.baselineRows ?? []
            parts.baselineBytes = snapshot.count + rows.reduce(0) { $0 + $1.data.count }
            parts.inFlightBytes = await Detector.inFlightByteCount(of: snapshot, rows: rows) ?? 0
            parts.heldBytesWritten = recorder.heldBytesWritten
            if mode == .stateFile {
                for path in [statePath, statePath + "-wal"] {
                    let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)??.int64Value
                    parts.fileBytes += size ?? 0
                }
            }
        }
        return (seconds, alerts, parts)
    }
}
