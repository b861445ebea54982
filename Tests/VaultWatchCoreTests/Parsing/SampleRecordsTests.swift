import Foundation
import Testing
import VaultWatchTestSupport
@testable import VaultWatchCore

/// The real records in ../shared/samples (absent in a user's clone: these tests then skip).
@Suite(.enabled(if: TestPaths.sharedSamples != nil, "needs ../shared/samples/azure-kv"))
struct SampleRecordsTests {
    private func read(_ name: String) throws -> (EventBatch, SymbolTable) {
        let url = try #require(TestPaths.sharedSamples).appendingPathComponent(name)
        let symbols = SymbolTable()
        let data = try Data(contentsOf: url)
        return (readAll(Array(data), chunkSize: 4096, symbols: symbols, source: name), symbols)
    }

    @Test func sekoiaRawRecordsAllDecode() throws {
        let (batch, symbols) = try read("sekoia-intake-formats-azure-key-vault/raw-records.derived.jsonl")
        #expect(batch.malformedCount == 0, "\(batch.problems)")
        #expect(batch.skippedCount == 0)
        #expect(batch.events.count == 32)
        let first = try #require(batch.events.first)
        let fields = EventFields(first, symbols)
        #expect(fields.operation == "CertificateCreate")
        #expect(fields.vault == "testpermissionvault")
        #expect(fields.upn == "john.doe@dummy.onmicrosoft.com")
        #expect(fields.appID == "3686488a-04fc-4d8a-b967-61f98ec41efe")
        #expect(fields.principalID == "d4ba3e84-0444-4841-aaf7-xxxx")
        #expect(fields.callerIP == "147.161.0.0")
        #expect(fields.httpStatusCode == 202)
        #expect(fields.outcome == .success)
        #expect(fields.objectKind == .certificate)
        #expect(fields.objectName == "fdfdffffd")
        #expect(fields.time == "2024-04-03T14:03:10.788626Z")
        #expect(first.location.line == 1)
        #expect(batch.events.last?.location.line == 32)
    }

    @Test func microsoftEnvelopeSpreadOverLinesDecodes() throws {
        let (batch, symbols) = try read("msdocs-keyvault-logging-vaultget-records-envelope.json")
        #expect(batch.malformedCount == 0, "\(batch.problems)")
        #expect(batch.events.count == 1)
        let fields = try EventFields(#require(batch.events.first), symbols)
        #expect(fields.vault == "contosokeyvault")
        #expect(fields.operation == "VaultGet")
        #expect(fields.principalID == "d9da5048-2737-4770-bd64-xxxxxxxxxxxx")
        #expect(fields.upn == "live.com#username@outlook.com")
        #expect(fields.objectKind == .vault)
        #expect(fields.durationMs == 78)
        #expect(batch.events.first?.location.line == 4)
    }

    @Test func microsoftBlobJSONLinesDecodes() throws {
        let (batch, _) = try read("msdocs-resource-logs-blob-format-PT1H.jsonl")
        #expect(batch.malformedCount == 0, "\(batch.problems)")
        #expect(batch.events.count == 2)
    }
}
