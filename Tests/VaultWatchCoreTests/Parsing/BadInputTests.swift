import Testing
@testable import VaultWatchCore

/// Bad input never stops the stream: each problem is counted and reported with its line, and
/// every good record around it is still read.
struct BadInputTests {
    static func good(_ name: String, day: Int = 1) -> String {
        #"{"time":"2026-03-0\#(day)T10:00:00Z","resourceId":"/SUBSCRIPTIONS/S/RESOURCEGROUPS/G/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/KV1","operationName":"SecretGet","category":"AuditEvent","resultType":"Success","callerIpAddress":"10.0.0.1","identity":{"claim":{"oid":"p1","appid":"a1"}},"properties":{"id":"https://kv1.vault.azure.net/secrets/\#(name)/abc","httpStatusCode":200}}"#
    }

    private func names(_ batch: EventBatch, _ symbols: SymbolTable) -> [String] {
        batch.events.map { symbols.string($0.objectName) ?? "-" }
    }

    @Test func malformedLineIsCountedAndTheRestIsRead() {
        let symbols = SymbolTable()
        let text = [Self.good("s1"), #"{"time": "2026-03-01T10:00:00Z", "resourceId": }"#, Self.good("s3")].joined(separator: "\n") + "\n"
        let batch = readAll(text, symbols: symbols)
        #expect(names(batch, symbols) == ["s1", "s3"])
        #expect(batch.malformedCount == 1)
        #expect(batch.problems.first?.line == 2)
        #expect(batch.problems.first?.description.hasPrefix("test.jsonl:2: invalid JSON: unexpected '}'") == true)
    }

    @Test func recordFollowedByGarbageOnItsLineYieldsNothing() {
        let symbols = SymbolTable()
        for (index, garbage) in [" }", "x", ",{}", " {\"a\":1}"].enumerated() {
            let text = [Self.good("s1"), Self.good("s2") + garbage, Self.good("s3")].joined(separator: "\n") + "\n"
            let batch = readAll(text, symbols: symbols)
            #expect(names(batch, symbols) == ["s1", "s3"], "case \(index)")
            #expect(batch.malformedCount == 1)
            #expect(batch.problems.first?.line == 2)
        }
    }

    @Test func truncatedLineInJSONLinesDoesNotSwallowTheNextOne() {
        let symbols = SymbolTable()
        let truncated = String(Self.good("s2").prefix(120))
        let text = [Self.good("s1"), truncated, Self.good("s3"), Self.good("s4")].joined(separator: "\n") + "\n"
        let batch = readAll(text, symbols: symbols)
        #expect(names(batch, symbols) == ["s1", "s3", "s4"])
        #expect(batch.malformedCount == 1)
        #expect(batch.problems.first?.line == 2)
        #expect(batch.problems.first?.reason.contains("truncated") == true)
    }

    @Test func truncatedFirstLineDoesNotSwallowTheFile() {
        // Before the source has shown itself to be JSON lines, an unfinished first line is
        // followed as a possible multi-line value; when that fails, reading resumes at line 2.
        let symbols = SymbolTable()
        let cut = #"{"time":"2026-03-01T10:00:00Z","resourceId":"/V/KV1","#
        let text = [cut, Self.good("s2"), Self.good("s3")].joined(separator: "\n") + "\n"
        let batch = readAll(text, symbols: symbols)
        #expect(names(batch, symbols) == ["s2", "s3"])
        #expect(batch.malformedCount == 1)
        #expect(batch.problems.first?.line == 1)
    }

    @Test func truncatedFirstLineCutInsideAStringRecoversToo() {
        let symbols = SymbolTable()
        let cut = String(Self.good("s1").prefix(60))
        let batch = readAll([cut, Self.good("s2"), Self.good("s3")].joined(separator: "\n") + "\n", symbols: symbols)
        #expect(names(batch, symbols) == ["s2", "s3"])
        #expect(batch.malformedCount == 1)
    }

    @Test func nonUTF8BytesAreReported() {
        let symbols = SymbolTable()
        var bytes = Array((Self.good("s1") + "\n").utf8)
        var bad = Array(Self.good("s2").utf8)
        bad[40] = 0xFF
        bytes += bad + [0x0A] + Array((Self.good("s3") + "\n").utf8)
        let batch = readAll(bytes, symbols: symbols)
        #expect(names(batch, symbols) == ["s1", "s3"])
        #expect(batch.malformedCount == 1)
        #expect(batch.problems.first?.reason.hasPrefix("not UTF-8") == true)
        #expect(batch.problems.first?.line == 2)
    }

    @Test func overlongUTF8AndSurrogatesAreNotUTF8() {
        for sequence: [UInt8] in [[0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82]] {
            let symbols = SymbolTable()
            var line = Array(#"{"time":"2026-03-01T10:00:00Z","resourceId":"/V/KV1","operationName":"X","note":""#.utf8)
            line += sequence + Array("\"}\n".utf8)
            let batch = readAll(line, symbols: symbols)
            #expect(batch.events.isEmpty)
            #expect(batch.malformedCount == 1)
        }
    }

    @Test func nulBytesAreReported() {
        let symbols = SymbolTable()
        var bytes = Array((Self.good("s1") + "\n").utf8)
        bytes += [0, 0, 0, 0x0A]
        var withNul = Array(Self.good("s3").utf8)
        withNul[30] = 0
        bytes += withNul + [0x0A] + Array((Self.good("s4") + "\n").utf8)
        let batch = readAll(bytes, symbols: symbols)
        #expect(names(batch, symbols) == ["s1", "s4"])
        #expect(batch.malformedCount == 2)
        #expect(batch.problems.map(\.line) == [2, 3])
    }

    @Test func emptyInputGivesNothingAndNoProblem() {
        #expect(readAll("").isEmpty)
        #expect(readAll("\n\n  \r\n").isEmpty)
    }

    @Test func tenMegabyteLineIsReadAndSoAreItsNeighbours() {
        let symbols = SymbolTable()
        let padding = String(repeating: "x", count: 10 << 20)
        let big = Self.good("big").replacingOccurrences(of: #""category""#, with: #""padding":"\#(padding)","category""#)
        let text = [Self.good("s1"), big, Self.good("s3")].joined(separator: "\n") + "\n"
        let batch = readAll(text, chunkSize: 1 << 20, symbols: symbols)
        #expect(names(batch, symbols) == ["s1", "big", "s3"])
        #expect(batch.malformedCount == 0)
    }

    @Test func tenMegabyteGarbageLineIsOneProblem() {
        let symbols = SymbolTable()
        let garbage = "{" + String(repeating: "\"k\":[", count: 2 << 20)
        let text = [Self.good("s1"), garbage, Self.good("s3")].joined(separator: "\n") + "\n"
        let batch = readAll(text, chunkSize: 1 << 20, symbols: symbols)
        #expect(names(batch, symbols) == ["s1", "s3"])
        #expect(batch.malformedCount == 1)
    }

    @Test func recordsWithoutTheFieldsRulesNeedAreCountedWithTheirReason() {
        let symbols = SymbolTable()
        let noTime = #"{"resourceId":"/V/KV1","operationName":"SecretGet"}"#
        let badTime = #"{"time":"yesterday","resourceId":"/V/KV1","operationName":"SecretGet"}"#
        let noVault = #"{"time":"2026-03-01T10:00:00Z","operationName":"SecretGet"}"#
        let noOperation = #"{"time":"2026-03-01T10:00:00Z","resourceId":"/V/KV1"}"#
        let otherCategory = #"{"time":"2026-03-01T10:00:00Z","resourceId":"/V/KV1","operationName":"Eval","category":"AzurePolicyEvaluationDetails"}"#
        let notAnObject = #"[1, 2]"#
        let text = [noTime, badTime, noVault, noOperation, otherCategory, notAnObject, Self.good("s7")].joined(separator: "\n")
        let batch = readAll(text, symbols: symbols)
        #expect(names(batch, symbols) == ["s7"])
        #expect(batch.malformedCount == 4)
        #expect(batch.skippedCount == 3)
        let reasons = batch.problems.map(\.description)
        #expect(reasons[0] == "test.jsonl:1: record has no time (nor TimeGenerated)")
        #expect(reasons[1] == "test.jsonl:2: time \"yesterday\" is not an ISO-8601 date-time")
        #expect(reasons[2] == "test.jsonl:3: record has no resourceId naming its vault")
        #expect(reasons[3] == "test.jsonl:4: record has no operationName")
        #expect(reasons[4] == "test.jsonl:5: category \"azurepolicyevaluationdetails\" is not a Key Vault AuditEvent record")
        #expect(reasons[5].hasPrefix("test.jsonl:6: array element is not a record object"))
    }

    /// A bad `time` is reported with its own text, on its own record only: the decoder keeps the
    /// text aside rather than in each record's draft, so a record after it (in the same envelope,
    /// on the next line) that has no time, or a good one, must not inherit it.
    @Test func aBadTimeIsReportedOnItsOwnRecordWithItsOwnText() {
        let symbols = SymbolTable()
        let envelope = #"{"records":[{"time":"yesterday","resourceId":"/V/KV1","operationName":"SecretGet"},"#
            + #"{"resourceId":"/V/KV1","operationName":"SecretGet"},"#
            + #"{"time":"2026-03-01T10:00:00Z","resourceId":"/V/KV1","operationName":"SecretGet"},"#
            + #"{"time":"to\u006dorrow","resourceId":"/V/KV1","operationName":"SecretGet"}]}"#
        let noTime = #"{"resourceId":"/V/KV1","operationName":"SecretGet"}"#
        let batch = readAll([envelope, noTime].joined(separator: "\n"), symbols: symbols)
        #expect(batch.events.count == 1)
        #expect(batch.problems.map(\.description) == [
            "test.jsonl:1: time \"yesterday\" is not an ISO-8601 date-time",
            "test.jsonl:1: record has no time (nor TimeGenerated)",
            "test.jsonl:1: time \"tomorrow\" is not an ISO-8601 date-time",
            "test.jsonl:2: record has no time (nor TimeGenerated)",
        ])
    }

    @Test func partialLastLineIsHeldUntilItsNewlineArrives() {
        let symbols = SymbolTable()
        var reader = SourceReader(sourceName: "live.jsonl", symbols: symbols)
        var batch = EventBatch()
        let line = Array((Self.good("s1") + "\n").utf8)
        line.withUnsafeBytes { bytes in
            reader.consume(UnsafeRawBufferPointer(rebasing: bytes[0..<100]), into: &batch)
            #expect(batch.isEmpty)
            #expect(reader.heldByteCount == 100)
            reader.consume(UnsafeRawBufferPointer(rebasing: bytes[100...]), into: &batch)
        }
        #expect(batch.events.count == 1)
        #expect(reader.heldByteCount == 0)
    }

    @Test func finalLineWithoutNewlineIsReadAtTheEnd() {
        let batch = readAll(Self.good("s1") + "\n" + Self.good("s2"))
        #expect(batch.events.count == 2)
    }

    @Test func truncatedFinalLineIsReportedAtTheEnd() {
        let batch = readAll(Self.good("s1") + "\n" + String(Self.good("s2").prefix(50)))
        #expect(batch.events.count == 1)
        #expect(batch.malformedCount == 1)
        #expect(batch.problems.first?.line == 2)
    }

    @Test func everyChunkingGivesTheSameResult() {
        let text = [Self.good("s1"), "not json", Self.good("s3"), "", Self.good("s5")].joined(separator: "\n") + "\n"
        let symbols = SymbolTable()
        let whole = readAll(text, symbols: symbols)
        for size in [1, 2, 7, 64, 333] {
            let chunked = readAll(text, chunkSize: size, symbols: symbols)
            #expect(chunked.events == whole.events)
            #expect(chunked.problems == whole.problems)
        }
        #expect(whole.events.map(\.location.line) == [1, 3, 5])
    }

    @Test func deeplyNestedValueIsRejectedNotACrash() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let text = #"{"time":"2026-03-01T10:00:00Z","resourceId":"/V/KV1","operationName":"X","x":"# + deep + "}\n" + Self.good("s2") + "\n"
        let batch = readAll(text)
        #expect(batch.events.count == 1)
        #expect(batch.malformedCount == 1)
        #expect(batch.problems.first?.reason.contains("nested") == true)
    }
}
