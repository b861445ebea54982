import Foundation
import Testing
import VaultWatchStore
import VaultWatchTestSupport
@testable import VaultWatchCore

/// README "State": after `kill -9` at any moment the alerts are those of one uninterrupted run,
/// behavioural ones included.
///
/// The demo tenant (a week of habits, then an attack day) as one JSON-lines log, fed to
/// `detect --follow --state FILE` piece by piece. Each piece ends at a chosen record boundary
/// inside an attack: right after the access change and before the reads of the change→read
/// story, right after the listing and before the mass reads, in the middle of an hour's volume
/// spike. Once the state file's checkpoint has reached the end of the piece (the save of that
/// point is committed), the process is killed with SIGKILL, the next piece appended, and a new
/// process started on the same state file; the last run reads the rest to its end. What the runs
/// printed (upserted by id) and what the state file exports must equal one uninterrupted
/// stateless run of the whole log: same ids, counts, reasons, evidence. No timing: each kill
/// waits for the checkpoint.
@Suite("kill -9 with behavioural alerts in flight", .serialized)
struct KillRestartTests {
    private static let intelligence = [
        "--tor-exits", "demo-data/tor-exit-addresses.txt", "--threat-intel", "demo-data/threat-intel.txt",
    ]

    /// The demo tenant's records, one per line, in time order.
    static func demoLog() async throws -> [String] {
        let directory = try TestPaths.temporaryDirectory("vaultwatch-kill-demo")
        defer { try? FileManager.default.removeItem(at: directory) }
        let generated = try await CommandRunner.run(["demo", "generate", "--out", directory.path, "--days", "8", "--force"])
        #expect(generated.status == 0, "\(generated.stderr)")
        var lines: [String] = []
        let files = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil)
        while let url = files?.nextObject() as? URL {
            guard url.lastPathComponent == "PT1H.json" else { continue }
            lines += try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
        }
        // ISO-8601 times of one shape: text order is time order. Ties keep a fixed order.
        return lines.sorted { (time(of: $0), $0) < (time(of: $1), $1) }
    }

    static func time(of line: String) -> String {
        guard let key = line.range(of: "\"time\":\"") else { return "" }
        return String(line[key.upperBound...].prefix(28))
    }

    static func id(of line: String) -> String {
        guard let key = line.range(of: "\"id\":\"") else { return line }
        return String(line[key.upperBound...].prefix { $0 != "\"" })
    }

    /// Where a kill happens: the first record after the cut, and what must be in flight then.
    struct Cut {
        var index: Int
        var what: String
        var inFlight: (_ state: DetectorInFlight) -> Bool
    }

    static func cuts(_ lines: [String]) throws -> [Cut] {
        let attackDay = "2026-02-17T"
        let change = try #require(lines.firstIndex { time(of: $0).hasPrefix(attackDay) && $0.contains("\"operationName\":\"VaultPut\"") })
        let listing = try #require(lines.firstIndex {
            time(of: $0).hasPrefix(attackDay + "13") && $0.contains("\"operationName\":\"SecretList\"") && $0.contains("KV-CI-BUILD")
        })
        let spike = lines.indices.filter { time(of: lines[$0]).hasPrefix(attackDay + "16") && lines[$0].contains("KV-DATA-PLATFORM") }
        #expect(spike.count > 40)
        let middle = spike.isEmpty ? lines.count / 2 : spike[spike.count / 2]
        // An event still held for reordering has not reached the baselines yet.
        func holds(_ state: DetectorInFlight, operation: String) -> Bool {
            state.reorder.pending.contains { $0.operation == operation }
        }
        return [
            Cut(index: lines.count / 3, what: "a learning day", inFlight: { _ in true }),
            Cut(index: change + 1, what: "after the access change, before its reads", inFlight: {
                $0.baselines.changes.contains { !$0.consumed } || holds($0, operation: "VaultPut")
            }),
            Cut(index: listing + 1, what: "after the listing, before the mass reads", inFlight: {
                !$0.baselines.lists.isEmpty || holds($0, operation: "SecretList")
            }),
            Cut(index: middle + 1, what: "in the middle of the volume spike's hour", inFlight: {
                $0.baselines.vaultHours.contains { $0.vault == "kv-data-platform" && $0.count > 20 }
            }),
        ]
    }

    @Test("detect --state killed with SIGKILL inside each attack, restarted each time, gives one uninterrupted run's alerts")
    func killedInsideAttacks() async throws {
        let lines = try await Self.demoLog()
        #expect(lines.count > 10_000)
        let directory = try TestPaths.temporaryDirectory("vaultwatch-kill")
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = directory.appendingPathComponent("audit.jsonl")
        let state = directory.appendingPathComponent("state.sqlite").path
        func text(_ range: Range<Int>) -> String { lines[range].map { $0 + "\n" }.joined() }

        // The reference: the whole log, one stateless run.
        try text(0..<lines.count).write(to: log, atomically: false, encoding: .utf8)
        let reference = try await CommandRunner.run(["detect", log.path] + Self.intelligence)
        #expect(reference.status == 0, "\(reference.stderr)")
        let kinds = Set(reference.stdoutLines.compactMap { line in
            line.range(of: "\"kind\":\"").map { String(line[$0.upperBound...].prefix { $0 != "\"" }) }
        })
        #expect(kinds.isSuperset(of: ["KV_PutGetAnomaly", "KV_ListGetAnomaly", "KV_OperationVolumeAnomaly"]), "\(kinds)")

        try "".write(to: log, atomically: false, encoding: .utf8)
        var printed: [String: String] = [:]
        var position = 0
        for cut in try Self.cuts(lines) {
            let handle = try FileHandle(forWritingTo: log)
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(text(position..<cut.index).utf8))
            try handle.close()
            position = cut.index
            let attributes = try FileManager.default.attributesOfItem(atPath: log.path)
            let size = try #require(attributes[.size] as? NSNumber).int64Value

            let running = try RunningCommand(["detect", log.path, "--follow", "--state", state] + Self.intelligence)
            // Killed once the save of exactly this point is committed.
            let saved = await running.waitUntil(timeout: .seconds(300)) { _ in Self.checkpoint(state: state) == size }
            #expect(saved, "\(cut.what): the checkpoint never reached the end of the piece; stderr: \(running.stderr)")
            running.signal(SIGKILL)
            let killed = await running.wait()
            #expect(killed.status != 0)
            // Only whole lines: a line cut by the kill is printed again by a later run.
            for line in killed.stdout.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
            where killed.stdout.contains(line + "\n") {
                printed[Self.id(of: line)] = line
            }
            let inFlight = try Self.inFlight(state: state)
            #expect(cut.inFlight(inFlight), "\(cut.what): not in the saved state")
            #expect(!inFlight.reorder.pending.isEmpty, "\(cut.what): no event held for reordering in the saved state")
        }
        let handle = try FileHandle(forWritingTo: log)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text(position..<lines.count).utf8))
        try handle.close()
        let last = try await CommandRunner.run(["detect", log.path, "--state", state] + Self.intelligence)
        #expect(last.status == 0, "\(last.stderr)")
        for line in last.stdoutLines { printed[Self.id(of: line)] = line }

        let export = try await CommandRunner.run(["alerts", "export", "--state", state])
        #expect(export.status == 0, "\(export.stderr)")
        Self.expectSame(export.stdoutLines, reference.stdoutLines, "exported")
        Self.expectSame(Array(printed.values), reference.stdoutLines, "printed")
    }

    /// The saved offset of the log, nil before the first save.
    static func checkpoint(state: String) -> Int64? {
        guard FileManager.default.fileExists(atPath: state),
            let store = try? AlertStore(path: state, access: .readOnly),
            let saved = try? store.savedDetection()
        else { return nil }
        return saved.checkpoints.first { $0.path.hasSuffix("audit.jsonl") }?.offset
    }

    /// What the detector's saved state holds in flight, with the held events saved apart.
    static func inFlight(state: String) throws -> DetectorInFlight {
        let saved = try AlertStore(path: state, access: .readOnly).savedDetection()
        let state = Data(try #require(saved.detectorSnapshot?.data))
        var snapshot = try BaselineSnapshot.decode(state, rows: saved.baselineRows)
        try snapshot.takeHeld(saved.heldEvents, format: Detector.stateFormatVersion(of: state))
        return try #require(snapshot.inFlight)
    }

    static func expectSame(_ actual: [String], _ expected: [String], _ what: String) {
        let actualByID = Dictionary(actual.map { (id(of: $0), $0) }, uniquingKeysWith: { first, _ in first })
        let expectedByID = Dictionary(expected.map { (id(of: $0), $0) }, uniquingKeysWith: { first, _ in first })
        #expect(actual.count == actualByID.count, "\(what): duplicate ids")
        let missing = Set(expectedByID.keys).subtracting(actualByID.keys)
        let extra = Set(actualByID.keys).subtracting(expectedByID.keys)
        #expect(missing.isEmpty, "\(what): missing \(missing.sorted().prefix(5).compactMap { expectedByID[$0]?.prefix(160) })")
        #expect(extra.isEmpty, "\(what): extra \(extra.sorted().prefix(5).compactMap { actualByID[$0]?.prefix(160) })")
        for (id, line) in expectedByID.sorted(by: { $0.key < $1.key }) {
            guard let other = actualByID[id], other != line else { continue }
            Issue.record("\(what): alert \(id) differs:\n  got      \(other.prefix(600))\n  expected \(line.prefix(600))")
            break
        }
    }
}
