import Foundation
import Testing
@testable import VaultWatchCore

/// The same tenant, written in every input shape, gives identical events.
struct InputShapesTests {
    private func fields(_ text: String, chunkSize: Int = 97) -> ([EventFields], EventBatch) {
        let symbols = SymbolTable()
        let batch = readAll(text, chunkSize: chunkSize, symbols: symbols)
        return (batch.events.map { EventFields($0, symbols) }, batch)
    }

    private var expected: [EventFields] {
        fields(TenantCall.tenant.map { TenantCall.json($0.auditEvent) }.joined(separator: "\n")).0
    }

    @Test func jsonLinesDecodeEveryCall() {
        let (events, batch) = fields(TenantCall.tenant.map { TenantCall.json($0.auditEvent) }.joined(separator: "\n"))
        #expect(batch.problems.isEmpty, "\(batch.problems)")
        #expect(events.count == TenantCall.tenant.count)
        let denied = events[5]
        #expect(denied.outcome == .denied && denied.httpStatusCode == 403)
        let longClaims = events[3]
        #expect(longClaims.principalID == "0b9c8d7e-6f5a-4b3c-2d1e-0f9e8d7c6b5a")
        #expect(longClaims.objectKind == .vault)
        let change = events[12]
        #expect(change.grantedPrincipalID == "9a8b7c6d-0000-4000-8000-00000000beef")
        #expect(change.upn == "alice@contoso.example")
        #expect(events[13].objectKind == .secret && events[13].objectName == "db-password")
        #expect(events[13].upn == nil)
        #expect(events[1].callerIP == "2001:db8:4::2")
        #expect(events[0].clientInfo == "Mozilla/5.0 (Windows NT 10.0) \"Edge\"")
    }

    @Test func envelopesOnePerLineGiveTheSameEvents() {
        let envelopes = stride(from: 0, to: TenantCall.tenant.count, by: 5).map { start in
            TenantCall.json(["records": TenantCall.tenant[start..<min(start + 5, TenantCall.tenant.count)].map(\.auditEvent)])
        }
        let (events, batch) = fields(envelopes.joined(separator: "\n"))
        #expect(batch.problems.isEmpty, "\(batch.problems)")
        #expect(events == expected)
    }

    @Test func prettyPrintedEnvelopeSpreadOverLinesGivesTheSameEvents() {
        let text = TenantCall.json(["records": TenantCall.tenant.map(\.auditEvent)], pretty: true)
        let (events, batch) = fields(text)
        #expect(batch.problems.isEmpty, "\(batch.problems)")
        #expect(events == expected)
    }

    @Test func azureDiagnosticsRowsGiveTheSameEvents() {
        let (lines, lineBatch) = fields(TenantCall.tenant.map { TenantCall.json($0.azureDiagnosticsRow) }.joined(separator: "\n"))
        #expect(lineBatch.problems.isEmpty, "\(lineBatch.problems)")
        #expect(lines == expected)
        let (array, arrayBatch) = fields(TenantCall.json(TenantCall.tenant.map(\.azureDiagnosticsRow), pretty: true))
        #expect(arrayBatch.problems.isEmpty, "\(arrayBatch.problems)")
        #expect(array == expected)
    }

    @Test func azkvAuditLogsRowsGiveTheSameEvents() {
        let (lines, lineBatch) = fields(TenantCall.tenant.map { TenantCall.json($0.azkvAuditLogsRow) }.joined(separator: "\n"))
        #expect(lineBatch.problems.isEmpty, "\(lineBatch.problems)")
        #expect(lines == expected)
        let (array, _) = fields(TenantCall.json(TenantCall.tenant.map(\.azkvAuditLogsRow)))
        #expect(array == expected)
    }

    /// README "Input formats": `Identity` as an object or a string of JSON.
    @Test func azkvAuditLogsIdentityAsAnObjectGivesTheSameEvents() throws {
        let rows = try TenantCall.tenant.map { call -> [String: Any] in
            var row = call.azkvAuditLogsRow
            let text = try #require(row["Identity"] as? String)
            row["Identity"] = try JSONSerialization.jsonObject(with: Data(text.utf8))
            return row
        }
        let (events, batch) = fields(rows.map { TenantCall.json($0) }.joined(separator: "\n"))
        #expect(batch.problems.isEmpty, "\(batch.problems)")
        #expect(events == expected)
        #expect(events.contains { $0.upn == "alice@contoso.example" })
    }

    /// README "What VaultWatch takes from a record": the object's version segment is dropped.
    @Test func objectNameDropsTheVersion() {
        let (events, _) = fields(TenantCall.tenant.map { TenantCall.json($0.auditEvent) }.joined(separator: "\n"))
        // obj-0 was written as secrets/obj-0/v0, obj-2 as keys/obj-2/v2.
        #expect(events[0].objectName == "obj-0" && events[0].objectKind == .secret)
        #expect(events[2].objectName == "obj-2" && events[2].objectKind == .key)
    }

    @Test func recordLinesInsideAMultiLineEnvelopeAreTheirOwn() {
        let text = "\n" + TenantCall.json(["records": Array(TenantCall.tenant.prefix(3)).map(\.auditEvent)], pretty: true)
        let symbols = SymbolTable()
        let batch = readAll(text, symbols: symbols)
        let lines = batch.events.map { Int($0.location.line) }
        #expect(lines.count == 3)
        #expect(lines == lines.sorted() && lines[0] > 2 && Set(lines).count == 3)
    }

    @Test func keysDifferingOnlyInCaseAreTheSameField() {
        let text = #"{"TIME":"2026-03-02T09:00:00Z","resourceid":"/x/VAULTS/Mixed-Case-KV","OPERATIONNAME":"SecretGet","Identity":{"Claim":{"OID":"ABC-DEF","AppId":"APP"}},"Properties":{"ID":"https://m.vault.azure.net/Secrets/s1","HttpStatusCode":401}}"#
        let symbols = SymbolTable()
        let batch = readAll(text, symbols: symbols)
        let event = try! #require(batch.events.first)
        let fields = EventFields(event, symbols)
        #expect(fields.vault == "mixed-case-kv")
        #expect(fields.principalID == "abc-def")
        #expect(fields.appID == "app")
        #expect(fields.outcome == .denied)
        #expect(fields.objectKind == .secret)
    }

    @Test func outcomeComesFromStatusNotResultType() {
        let base = #"{"time":"2026-03-02T09:00:00Z","resourceId":"/x/VAULTS/kv","operationName":"SecretGet","resultType":"Success""#
        let cases: [(String, Outcome)] = [
            (base + #","properties":{"httpStatusCode":403}}"#, .denied),
            (base + #","resultSignature":"Unauthorized"}"#, .denied),
            (base + #","resultSignature":"Not Found"}"#, .notFound),
            (base + #","resultSignature":"OK","properties":{"httpStatusCode":429}}"#, .throttled),
            (base + "}", .unknown),
        ]
        for (text, outcome) in cases {
            #expect(readAll(text).events.first?.outcome == outcome, "\(text)")
        }
    }

    @Test func timesWithZeroToSevenFractionalDigits() {
        let digits = ["", ".1", ".12", ".123", ".1234", ".12345", ".123456", ".1234567", ".12345678"]
        let expected: [Int64] = [0, 1_000_000, 1_200_000, 1_230_000, 1_234_000, 1_234_500, 1_234_560, 1_234_567, 1_234_567]
        for (fraction, ticks) in zip(digits, expected) {
            let text = #"{"time":"2026-03-02T09:00:00\#(fraction)Z","resourceId":"/x/VAULTS/kv","operationName":"SecretGet"}"#
            let time = readAll(text).events.first?.time
            #expect(time == EventTime(year: 2026, month: 3, day: 2, hour: 9, fractionTicks: ticks), "\(fraction)")
        }
    }
}
