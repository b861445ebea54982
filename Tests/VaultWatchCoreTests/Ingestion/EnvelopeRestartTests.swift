import Foundation
import Testing
import VaultWatchCore
import VaultWatchTestSupport

/// Envelopes (`{"records":[…]}`, one per line or spread over lines) and Log Analytics arrays hold
/// many events in one record text. Their events are handed on one at a time, each by its own
/// time, so they interleave with other sources' records as a file of JSON lines would, and a
/// restart from the checkpoint after any event (inside an envelope: its start and the events
/// already handed on) gives every event exactly once, in the same order.
extension IngestionTests {
    @Suite("Envelope restarts")
    struct EnvelopeRestartTests {
        /// A record named `name` at 2024-05-01 10:`minute`.
        private static func record(_ name: String, minute: Int, vault: String = "v1") -> String {
            RecordBuilder(time: String(format: "2024-05-01T10:%02d:00.0000000Z", minute), vault: vault, objectName: name).json()
        }

        /// Every batch until the ingestor finishes: object names in order, and problems.
        private static func collect(_ ingestor: Ingestor, symbols: SymbolTable) async -> (names: [String], problems: [InputProblem], batches: Int) {
            async let reading: Void = ingestor.run(mode: .readToEnd)
            var names: [String] = []
            var problems: [InputProblem] = []
            var batches = 0
            for await batch in ingestor.batches {
                names += batch.events.map { symbols.string($0.objectName) ?? "?" }
                problems += batch.problems
                batches += 1
            }
            await reading
            return (names, problems, batches)
        }

        /// Minutes 0…47: `e` events in envelopes (four per line in one file, and a pretty-printed
        /// envelope spread over lines, with a bad record inside, in another), `a` events in a
        /// Log Analytics style array file (one JSON value), `j` events in JSON lines,
        /// interleaved in time.
        private static func writeSources(_ files: TestFiles) throws -> (paths: [String], expected: [String]) {
            var expected: [(minute: Int, name: String)] = []
            var envelopes = ""
            for line in 0..<3 {
                let minutes = (0..<4).map { 12 * line + 3 * $0 }
                envelopes += "{\"records\":[" + minutes.map { record("e\($0)", minute: $0) }.joined(separator: ",") + "]}\n"
                expected += minutes.map { ($0, "e\($0)") }
            }
            try files.write(envelopes, to: "envelopes.json")
            let spread = [36, 39, 42, 45]
            try files.write(
                "{\n  \"records\": [\n" + spread.map { "    " + record("e\($0)", minute: $0) }.joined(separator: ",\n")
                    + ",\n    {\"time\": 12}\n  ]\n}\n",
                to: "spread.json")
            expected += spread.map { ($0, "e\($0)") }
            let arrayMinutes = stride(from: 1, to: 48, by: 3).map { $0 }
            try files.write("[\n" + arrayMinutes.map { "  " + record("a\($0)", minute: $0, vault: "v2") }.joined(separator: ",\n") + "\n]\n", to: "array.json")
            expected += arrayMinutes.map { ($0, "a\($0)") }
            let lineMinutes = stride(from: 2, to: 48, by: 6).map { $0 }
            try files.write(lineMinutes.map { record("j\($0)", minute: $0, vault: "v3") + "\n" }.joined(), to: "lines.jsonl")
            expected += lineMinutes.map { ($0, "j\($0)") }
            return (["envelopes.json", "spread.json", "array.json", "lines.jsonl"].map(files.path), expected.sorted { $0.minute < $1.minute }.map(\.name))
        }

        @Test func theEventsOfEnvelopesAndArraysAreHandedOnOneAtATimeByTime() async throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            let (paths, expected) = try Self.writeSources(files)
            let symbols = SymbolTable()
            let result = await Self.collect(
                try Ingestor(paths: paths, symbols: symbols, configuration: .init(batchSize: 5, chunkSize: 200)), symbols: symbols)
            #expect(result.names == expected)
            #expect(result.problems.count == 1, "the bad record inside the spread envelope: \(result.problems)")
        }

        @Test func aRestartAfterAnyEventGivesEveryEventOnceInTheSameOrder() async throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            let (paths, expected) = try Self.writeSources(files)
            // One event a batch: a checkpoint after every event, inside envelopes and arrays too.
            let configuration = Ingestor.Configuration(batchSize: 1, chunkSize: 256)
            var failures: [String] = []
            var insideRecordTexts = 0
            for stop in 1..<expected.count {
                let symbols = SymbolTable()
                let first = try Ingestor(paths: paths, symbols: symbols, configuration: configuration)
                let run = Task { await first.run(mode: .readToEnd) }
                var iterator = first.batches.makeAsyncIterator()
                var names: [String] = []
                var problems = 0
                var received = 0
                while names.count < stop, let batch = await iterator.next() {
                    names += batch.events.map { symbols.string($0.objectName) ?? "?" }
                    problems += batch.problems.count
                    received += 1
                }
                let checkpoints = first.checkpoints(throughBatch: received)
                run.cancel()
                await run.value
                insideRecordTexts += checkpoints.contains { $0.skipEvents > 0 } ? 1 : 0

                var resumed = configuration
                resumed.checkpoints = checkpoints
                let secondSymbols = SymbolTable()
                let rest = await Self.collect(try Ingestor(paths: paths, symbols: secondSymbols, configuration: resumed), symbols: secondSymbols)
                if names + rest.names != expected {
                    failures.append("after \(stop) events (\(checkpoints.map { "\($0.offset)+\($0.skipEvents)" })): \(names + rest.names)")
                }
                if problems + rest.problems.count != 1 { failures.append("after \(stop) events: \(problems + rest.problems.count) problems") }
            }
            #expect(failures.isEmpty, "\(failures.count) restarts differ:\n\(failures.prefix(5).joined(separator: "\n"))")
            #expect(insideRecordTexts > expected.count / 2, "most cuts fall inside an envelope or the array")
        }
    }
}
