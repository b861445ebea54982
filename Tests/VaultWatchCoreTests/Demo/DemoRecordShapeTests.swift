import Testing
import VaultWatchCore

@Suite("Demo tenant records")
struct DemoRecordShapeTests {
    static let tenant = DemoTenant(seed: 11, days: 2)

    @Test("every record of a tenant with its attack day decodes, none malformed or skipped")
    func everyRecordDecodes() {
        let records = Array(Self.tenant.records)
        let batch = DemoDecoding.decode(records)
        #expect(batch.malformedCount == 0)
        #expect(batch.skippedCount == 0)
        #expect(batch.problems.isEmpty, "\(batch.problems.prefix(3))")
        #expect(batch.events.count == records.count)
    }

    @Test("both claim styles give the principal, people have a UPN, services none")
    func claimStyles() throws {
        // Day 1 is a Monday (day 0, two days before the Tuesday attack day, a Sunday).
        let records = Self.tenant.records(onDay: 1)
        #expect(Self.tenant.dayStart(1).weekday == 1)
        let symbols = SymbolTable()
        let batch = DemoDecoding.decode(records, symbols: symbols)
        let camille = try #require(DemoScenario.standard.identity("camille"))
        let events = batch.events.filter { symbols.string($0.principalID) == camille.objectID }
        let controlPlane = events.filter { symbols.string($0.operation) == "VaultGet" }
        let dataPlane = events.filter { symbols.string($0.operation) == "SecretGet" }
        #expect(!controlPlane.isEmpty)
        #expect(!dataPlane.isEmpty)
        for event in controlPlane + dataPlane { #expect(symbols.string(event.upn) == camille.upn) }
        #expect(records.contains { String(decoding: $0.line, as: UTF8.self).contains("\"http://schemas.microsoft.com/identity/claims/objectidentifier\":\"\(camille.objectID)\"") })
        #expect(records.contains { String(decoding: $0.line, as: UTF8.self).contains("\"oid\":\"\(camille.objectID)\"") })
        let service = try #require(DemoScenario.standard.identity("payments-api"))
        let serviceEvents = batch.events.filter { symbols.string($0.principalID) == service.objectID }
        #expect(!serviceEvents.isEmpty)
        #expect(serviceEvents.allSatisfy { $0.upn == .none })
    }

    @Test("the access-policy change names the principal it grants")
    func accessPolicyGrant() throws {
        let records = Self.tenant.records(onDay: Self.tenant.historyDays)
        let symbols = SymbolTable()
        let batch = DemoDecoding.decode(records, symbols: symbols)
        let granted = try #require(DemoScenario.standard.identity("data-export-tool"))
        let puts = batch.events.filter { symbols.string($0.operation) == "VaultPut" }
        #expect(puts.count == 1)
        #expect(puts.first.flatMap { symbols.string($0.grantedPrincipalID) } == granted.objectID)
    }

    @Test("refusals are 403 with resultType Success, as the service writes them")
    func refusals() {
        let records = Self.tenant.records(onDay: Self.tenant.historyDays)
        let batch = DemoDecoding.decode(records)
        let denied = batch.events.filter { $0.outcome == .denied && !$0.isChallengeRequest }
        #expect(denied.count >= 10)  // the developer, the spray, the guest on seven vaults
        #expect(denied.allSatisfy { $0.httpStatusCode == 403 })
        let deniedLines = records.map { String(decoding: $0.line, as: UTF8.self) }.filter { $0.contains("\"httpStatusCode\":403") }
        #expect(deniedLines.allSatisfy { $0.contains("\"resultType\":\"Success\"") && $0.contains("\"resultSignature\":\"Forbidden\"") })
    }

    @Test("an SDK client's first request is a 401 without identity, as the service logs it")
    func challengeRequests() {
        let records = Self.tenant.records(onDay: Self.tenant.historyDays)
        let batch = DemoDecoding.decode(records)
        let challenges = batch.events.filter(\.isChallengeRequest)
        #expect(!challenges.isEmpty)
        #expect(challenges.allSatisfy { $0.outcome == .denied && $0.principalID == .none && $0.appID == .none })
        let lines = records.map { String(decoding: $0.line, as: UTF8.self) }.filter { $0.contains("\"httpStatusCode\":401") }
        #expect(lines.count == challenges.count)
        #expect(lines.allSatisfy {
            !$0.contains("\"identity\"") && $0.contains("\"resultSignature\":\"Unauthorized\"")
                && $0.contains("\"resultDescription\":\"Request is missing a Bearer or PoP token.\"")
        })
    }

    @Test("timestamps have seven fractional digits and durations are strings")
    func timeAndDuration() {
        let timePattern = #/^\{"time":"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z","category":"AuditEvent"/#
        let durationPattern = #/"durationMs":"\d+"\}$/#
        for record in Self.tenant.records(onDay: 0).prefix(500) {
            let line = String(decoding: record.line, as: UTF8.self)
            #expect(line.prefixMatch(of: timePattern) != nil, "\(line.prefix(80))")
            #expect(line.firstMatch(of: durationPattern) != nil)
        }
    }
}
