import Testing
@testable import VaultWatchCore

extension DetectionTests {
    @Suite("Tor and threat-intel rules")
    struct IPListRuleTests {
        let fixture = DetectionFixture()

        @Test("a successful call from a Tor exit raises KV_TORAccess at Medium, with the list in the reasons")
        func torSuccessFires() throws {
            let candidates = fixture.run(TorAccessRule(), on: fixture.event(callerIP: DetectionFixture.torAddress))
            let candidate = try #require(candidates.first)
            #expect(candidates.count == 1)
            #expect(candidate.kind == .torAccess)
            #expect(candidate.severity == .medium)
            #expect(candidate.reasons.first == "caller IP 185.220.101.4 is listed in the Tor exit list tor-exit-addresses.txt (3 addresses)")
            #expect(candidate.reasons.last?.contains("the call succeeded (HTTP 200)") == true)
        }

        @Test("a refused call from a Tor exit is the same kind at Low")
        func torDeniedIsLow() throws {
            let candidates = fixture.run(
                TorAccessRule(), on: fixture.event(callerIP: DetectionFixture.torAddress, httpStatusCode: 403))
            let candidate = try #require(candidates.first)
            #expect(candidate.kind == .torAccess)
            #expect(candidate.severity == .low)
            #expect(candidate.reasons.last?.contains("the call was refused (HTTP 403)") == true)
        }

        @Test("Tor exits over IPv6 are found too")
        func torIPv6() {
            #expect(fixture.run(TorAccessRule(), on: fixture.event(callerIP: "2001:db8:7::1")).count == 1)
        }

        @Test("near miss: an address one above a Tor exit raises nothing", arguments: ["185.220.101.3", "185.220.101.6", "2001:db8:7::2"])
        func torNearMiss(address: String) {
            #expect(fixture.run(TorAccessRule(), on: fixture.event(callerIP: address)).isEmpty)
        }

        @Test("without a Tor list, or without a caller IP, the rule is silent")
        func torNoListNoIP() {
            let rule = TorAccessRule()
            var candidates: [AlertCandidate] = []
            let event = fixture.event(callerIP: DetectionFixture.torAddress)
            rule.evaluate(event, traits: .ordinary, context: fixture.context(withLists: false), into: &candidates)
            #expect(candidates.isEmpty)
            #expect(fixture.run(TorAccessRule(), on: fixture.event(callerIP: nil)).isEmpty)
        }

        @Test("the entity is the principal, or the caller IP when the record names none")
        func torEntity() throws {
            let withPrincipal = try #require(fixture.run(TorAccessRule(), on: fixture.event(callerIP: DetectionFixture.torAddress)).first)
            #expect(withPrincipal.entity.principalID == fixture.symbols.intern("9f1c2b7e-0000-4000-8000-000000000001"))
            #expect(withPrincipal.entity.callerIP == nil)
            let anonymous = try #require(
                fixture.run(
                    TorAccessRule(),
                    on: fixture.event(principalID: nil, upn: nil, appID: nil, callerIP: DetectionFixture.torAddress, httpStatusCode: 401)
                ).first)
            #expect(anonymous.entity.principalID.isNone)
            #expect(anonymous.entity.callerIP == IPAddress(DetectionFixture.torAddress))
            #expect(anonymous.reasons.last?.hasPrefix("185.220.101.4 called SecretGet") == true)
        }

        @Test("a successful call from a threat-intel block raises KV_SuspiciousIPAccess at Medium")
        func suspiciousSuccess() throws {
            let candidate = try #require(fixture.run(SuspiciousIPAccessRule(), on: fixture.event(callerIP: "203.0.113.200")).first)
            #expect(candidate.kind == .suspiciousIPAccess)
            #expect(candidate.severity == .medium)
            #expect(candidate.reasons.first == "caller IP 203.0.113.200 is listed in the threat-intel list blocked-networks.txt (2 addresses and ranges)")
        }

        @Test("a refused call from a threat-intel address raises KV_SuspiciousIPAccessDenied at Low")
        func suspiciousDenied() throws {
            let candidates = fixture.run(SuspiciousIPAccessRule(), on: fixture.event(callerIP: "192.0.2.66", httpStatusCode: 401))
            #expect(candidates.map(\.kind) == [.suspiciousIPAccessDenied])
            #expect(candidates.first?.severity == .low)
        }

        @Test("near miss: just outside the block, or a listed single address's neighbour", arguments: ["203.0.114.0", "203.0.112.255", "192.0.2.67"])
        func suspiciousNearMiss(address: String) {
            #expect(fixture.run(SuspiciousIPAccessRule(), on: fixture.event(callerIP: address)).isEmpty)
        }

        @Test("reasons follow the language")
        func frenchReasons() throws {
            let candidate = try #require(
                fixture.run(TorAccessRule(), on: fixture.event(callerIP: DetectionFixture.torAddress), language: .fr).first)
            #expect(candidate.reasons.first == "l'IP appelante 185.220.101.4 figure dans la liste de sorties Tor tor-exit-addresses.txt (3 adresses)")
            #expect(candidate.reasons.last?.contains(" ; l'appel a réussi (HTTP 200)") == true)
        }
    }
}
