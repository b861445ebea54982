import Foundation
import Testing
import VaultWatchCore
import VaultWatchTestSupport
@testable import VaultWatchStore

/// `detect`'s loop in process: paths → `Ingestor` → `Detector`, and with a state file the
/// `DetectionRecorder` that saves checkpoints, detector state and alerts together. A run can be
/// interrupted after any batch, as by `kill -9` (nothing more is saved; the objects are
/// dropped) or by a clean stop (SIGTERM in `detect --follow`: reading stops, the detector
/// finishes, the recorder saves), and started again on the same state file, in a new symbol
/// table as a new process would be.
struct DetectionPipeline {
    var configuration: DetectorConfiguration
    var batchSize = 509
    var chunkSize = 1 << 16
    /// Hands a save to the recorder's writer after every batch, besides the saves it falls due
    /// for: written while the detector processes the next batches, queued behind one another.
    var savesAfterEveryBatch = false

    /// How one run ends before its input does.
    enum Stop: CustomStringConvertible {
        /// `kill -9` after `batches` batches of this run; the recorder also saves after each
        /// batch in `savesAfter` (besides its own saves).
        case kill(afterBatches: Int, savesAfter: Set<Int>)
        /// SIGTERM after `batches` batches: stop reading, finish, save.
        case clean(afterBatches: Int)

        var description: String {
            switch self {
            case .kill(let batches, let saves): return "kill -9 after \(batches) batches (saved after \(saves.sorted()))"
            case .clean(let batches): return "clean stop after \(batches) batches"
            }
        }
    }

    /// What the runs published, upserted by id (as a consumer of `detect --follow` keeps it),
    /// the last run's counters (with a state file they include the earlier runs'), every
    /// problem reported, and the alerts the state file holds at the end.
    struct Outcome {
        var alerts: [String: Alert] = [:]
        var counters = DetectorCounters()
        var problems: [InputProblem] = []
        /// The batch (of its run, from 1) each of `problems` came in.
        var problemBatches: [Int] = []
        var stored: [String: Alert]?
    }

    /// Reads `paths` to their end in one run, without a state file.
    func run(_ paths: [String]) async throws -> Outcome {
        try await run(paths, statePath: nil, stops: [])
    }

    /// Reads `paths` in `stops.count + 1` runs on `statePath` (a new file), each stopped as
    /// `stops` says; the last reads to the end.
    func run(_ paths: [String], statePath: String?, stops: [Stop]) async throws -> Outcome {
        var outcome = Outcome()
        for stop in stops.map(Optional.some) + [nil] {
            try await runOnce(paths, statePath: statePath, stop: stop, into: &outcome)
        }
        if let statePath {
            let store = try AlertStore(path: statePath, access: .readOnly)
            outcome.stored = Dictionary(try store.alerts().map { ($0.id, $0) }, uniquingKeysWith: { $1 })
        }
        return outcome
    }

    private func runOnce(_ paths: [String], statePath: String?, stop: Stop?, into outcome: inout Outcome) async throws {
        let symbols = SymbolTable()
        // A new process numbers its symbols differently.
        for filler in ["zz-filler-\(outcome.problems.count)", "KV-ZZZ"] { _ = symbols.intern(filler) }
        var recorder = try statePath.map { try DetectionRecorder(store: AlertStore(path: $0, access: .detection), batchSize: batchSize) }
        let ingestor = try Ingestor(
            paths: paths, symbols: symbols,
            configuration: Ingestor.Configuration(
                batchSize: batchSize, chunkSize: chunkSize, checkpoints: recorder?.saved.checkpoints ?? [], clock: configuration.clock, streamTime: recorder?.saved.eventClock))
        let detector = try recorder?.makeDetector(symbols: symbols, configuration: configuration)
            ?? Detector(symbols: symbols, configuration: configuration)
        await recorder?.start(detector: detector, ingestor: ingestor)
        let reader = Task { await ingestor.run(mode: .readToEnd) }
        var batches = 0
        for await batch in ingestor.batches {
            try await recorder?.beforeProcessing(batch, by: detector)
            // The problems as `detect` prints them: once the batch is taken (`LateRunRepeats`).
            let taken = await detector.take(batch)
            outcome.problems += taken.problems
            outcome.problemBatches += Array(repeating: batches + 1, count: taken.problems.count)
            let touched = taken.alerts
            for alert in touched { outcome.alerts[alert.id] = alert }
            try await recorder?.processed(batch, touched: touched, by: detector)
            if savesAfterEveryBatch { try await recorder?.saveNow(detector, waiting: false) }
            batches += 1
            switch stop {
            case .kill(let after, let saves)?:
                if saves.contains(batches) { try await recorder?.saveNow(detector) }
                if batches >= after {
                    // Nothing more is saved: what the state file holds is the last save (the
                    // one being written, if any, committed: a kill could also come before that
                    // commit, which is a kill after the save before it).
                    try recorder?.waitForSaves()
                    reader.cancel()
                    await reader.value
                    outcome.counters = await detector.currentCounters
                    return
                }
            case .clean(let after)?:
                if batches >= after { reader.cancel() }
            case nil:
                break
            }
        }
        await reader.value
        let released: [Alert]
        if recorder != nil { released = try await recorder?.finish(detector) ?? [] } else { released = await detector.finish() }
        for alert in released { outcome.alerts[alert.id] = alert }
        outcome.counters = await detector.currentCounters
    }

    /// What must not depend on how records were delivered: each alert with its evidence's
    /// `file:line` and original record left out (they name the file the record was read from).
    static func withoutSources(_ alerts: [String: Alert]) -> [String: Alert] {
        alerts.mapValues { alert in
            var alert = alert
            for index in alert.evidence.indices {
                alert.evidence[index].source = nil
                alert.evidence[index].record = nil
            }
            return alert
        }
    }

    /// `alerts` keyed by what they are rather than by id for the kinds judged on one record
    /// as it arrives (`needsBaseline` false): their id names the record that opened them, which
    /// records out of time order can change (README "One timeline"); everything else must match.
    static func byIdentityWhereArrivalNamesThem(_ alerts: [String: Alert]) -> [String: Alert] {
        Dictionary(alerts.values.map { alert -> (String, Alert) in
            guard !alert.kind.needsBaseline else { return (alert.id, alert) }
            var alert = alert
            alert.id = "\(alert.kind.rawValue) \(alert.vault ?? "-") \(alert.principalID ?? "-") \(alert.ip?.description ?? "-") \(alert.firstSeen.iso8601)"
            return (alert.id, alert)
        }, uniquingKeysWith: { first, _ in first })
    }

    /// Nil when the two sets of alerts are equal, else the first differences in words.
    static func difference(_ actual: [String: Alert], _ expected: [String: Alert], limit: Int = 4) -> String? {
        var lines: [String] = []
        for id in Set(actual.keys).union(expected.keys).sorted() {
            let left = actual[id]
            let right = expected[id]
            guard left != right else { continue }
            switch (left, right) {
            case (nil, let expected?):
                lines.append("missing \(expected.kind.rawValue) \(id) on \(expected.vault ?? "-") first seen \(expected.firstSeen.iso8601)")
            case (let actual?, nil):
                lines.append("extra \(actual.kind.rawValue) \(id) on \(actual.vault ?? "-") first seen \(actual.firstSeen.iso8601)")
            case (let actual?, let expected?):
                var fields: [String] = []
                if actual.count != expected.count { fields.append("count \(actual.count) != \(expected.count)") }
                if actual.lastSeen != expected.lastSeen { fields.append("lastSeen \(actual.lastSeen.iso8601) != \(expected.lastSeen.iso8601)") }
                if actual.reasons != expected.reasons { fields.append("reasons \(actual.reasons) != \(expected.reasons)") }
                if actual.evidence != expected.evidence {
                    let index = Array(zip(actual.evidence, expected.evidence)).firstIndex { $0 != $1 } ?? min(actual.evidence.count, expected.evidence.count)
                    fields.append("evidence differs from event \(index) (\(actual.evidence.count) vs \(expected.evidence.count) events)")
                }
                if fields.isEmpty { fields.append("other fields") }
                lines.append("\(actual.kind.rawValue) \(id) on \(actual.vault ?? "-"): \(fields.joined(separator: "; "))")
            case (nil, nil):
                break
            }
        }
        guard !lines.isEmpty else { return nil }
        return "\(lines.count) alerts differ: " + lines.prefix(limit).joined(separator: " | ")
    }
}
