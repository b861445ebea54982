import Foundation
import Testing
@testable import VaultWatchFuzzing

/// The fuzz corpus as regression tests: every seed and every input that once broke a parser
/// (`fuzz/regressions/TARGET`, one file per finding) goes through the same harness the fuzzer
/// drives, and must keep every property the harness checks: no crash, errors that name the
/// file and a line inside it, and for records the same events and problems whatever the reads.
struct FuzzCorpusTests {
    static let fuzzDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("fuzz")

    static func inputs(_ kind: String, _ target: FuzzTarget) throws -> [(name: String, bytes: [UInt8])] {
        let directory = fuzzDirectory.appendingPathComponent(kind).appendingPathComponent(target.rawValue)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { !$0.hasPrefix(".") }.sorted()
        return try names.map { name in
            (name, Array(try Data(contentsOf: directory.appendingPathComponent(name))))
        }
    }

    @Test("seeds keep every property", arguments: FuzzTarget.allCases)
    func seeds(_ target: FuzzTarget) throws {
        let seeds = try Self.inputs("seeds", target)
        #expect(!seeds.isEmpty)
        for seed in seeds {
            let outcome = target.run(seed.bytes)
            #expect(outcome.violations.isEmpty, "\(target.rawValue)/\(seed.name): \(outcome.violations)")
        }
    }

    @Test("inputs that once broke a parser are rejected cleanly", arguments: FuzzTarget.allCases)
    func regressions(_ target: FuzzTarget) throws {
        for input in try Self.inputs("regressions", target) {
            let outcome = target.run(input.bytes)
            #expect(outcome.violations.isEmpty, "\(target.rawValue)/\(input.name): \(outcome.violations)")
        }
    }

    @Test func recordSeedsCoverEveryInputShape() throws {
        let shapes = try Self.inputs("seeds", .recordDecoder).filter { $0.name.hasPrefix("shape-") }
        #expect(shapes.map(\.name) == [
            "shape-azkvauditlogs-array", "shape-azkvauditlogs-lines", "shape-azurediagnostics-array",
            "shape-azurediagnostics-lines", "shape-envelope-lines", "shape-envelope-pretty", "shape-json-lines",
        ])
        for shape in shapes {
            let outcome = FuzzTarget.recordDecoder.run(shape.bytes)
            #expect(outcome.messages.isEmpty, "\(shape.name): \(outcome.messages)")
        }
    }

    @Test func readsSplitAtChosenPointsReportTheSameLines() {
        // Three records, the second truncated; the prefix asks for reads of 5 and 61 bytes, repeated.
        let good = #"{"time":"2026-03-01T10:00:00Z","resourceId":"/x/VAULTS/kv1","operationName":"SecretGet"}"#
        let source = [good, String(good.prefix(40)), good].joined(separator: "\n") + "\n"
        let input = [0x0A, 4, 60] + Array(source.utf8)
        let outcome = FuzzTarget.recordDecoder.run(input)
        #expect(outcome.violations.isEmpty)
        #expect(outcome.messages.count == 1)
        #expect(outcome.messages.first?.hasPrefix("fuzz.jsonl:2: ") == true, "\(outcome.messages)")
    }

    @Test func errorsOutsideTheInputAreViolations() {
        // A configuration error must name a line inside the file: the harness's own check
        // fails for a message that does not start with the file name.
        var outcome = FuzzOutcome()
        outcome.requireLocated("elsewhere.toml:3: problem", name: "fuzz.toml", line: 3, lineCount: 2)
        #expect(outcome.violations.count == 2)
    }
}
