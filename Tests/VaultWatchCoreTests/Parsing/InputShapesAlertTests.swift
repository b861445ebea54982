import Foundation
import Testing
@testable import VaultWatchCore

/// One tenant written as JSON lines, as envelopes and as Log Analytics rows gives identical
/// alerts, not only identical events.
struct InputShapesAlertTests {
    private func alerts(of text: String) async throws -> [String] {
        let symbols = SymbolTable()
        let batch = readAll(text, chunkSize: 211, symbols: symbols)
        #expect(batch.problems.isEmpty, "\(batch.problems)")
        let tor = try ThreatIntelList.parseTorExitList(contents: "203.0.113.10\n2001:db8:4::2\n", name: "tor.txt")
        let detector = Detector(symbols: symbols, configuration: DetectorConfiguration(torExits: tor))
        await detector.process(batch)
        await detector.finish()
        var latest: [String: Alert] = [:]
        for await alert in detector.alerts { latest[alert.id] = alert }
        return latest.values
            .sorted { $0.id < $1.id }
            .map { "\($0.id) \($0.kind.rawValue) \($0.vault ?? "-") \($0.principalID ?? "-") \($0.count) \($0.firstSeen.iso8601) \($0.evidence.count)" }
    }

    @Test func everyShapeRaisesTheSameAlerts() async throws {
        let tenant = TenantCall.tenant
        let jsonLines = try await alerts(of: tenant.map { TenantCall.json($0.auditEvent) }.joined(separator: "\n"))
        #expect(jsonLines.count >= 3, "Tor access by two callers and a purge: \(jsonLines)")
        let envelopes = try await alerts(of: TenantCall.json(["records": tenant.map(\.auditEvent)], pretty: true))
        let diagnostics = try await alerts(of: tenant.map { TenantCall.json($0.azureDiagnosticsRow) }.joined(separator: "\n"))
        let azkv = try await alerts(of: TenantCall.json(tenant.map(\.azkvAuditLogsRow)))
        #expect(envelopes == jsonLines)
        #expect(diagnostics == jsonLines)
        #expect(azkv == jsonLines)
    }
}
