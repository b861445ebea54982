import Foundation
import Testing
import VaultWatchTestSupport
@testable import VaultWatchCore

@Suite("Configuration file")
struct ConfigurationTests {
    func parse(_ text: String) throws(ConfigurationError) -> DetectorConfiguration {
        try ConfigurationFile.parse(text, file: "vw.toml", over: DetectorConfiguration())
    }

    func error(_ text: String) -> ConfigurationError? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            return error
        }
    }

    @Test("the shipped example parses, with every value applied")
    func example() throws {
        let path = TestPaths.repositoryRoot.appendingPathComponent("demo-data/vaultwatch.example.toml").path
        let configuration = try ConfigurationFile.load(path: path, over: DetectorConfiguration())
        #expect(configuration.learningDays == 7)
        #expect(configuration.baselineRetentionDays == 30)
        #expect(configuration.effectiveBehaviour.listGet.minimumDistinctReads == 5)
        #expect(configuration.allowedPrincipalIDs == ["6f1d3c2a-0000-4000-8000-00000000b001"])
        #expect(configuration.trustedRanges.contains(IPAddress("10.1.2.3")!))
        #expect(!configuration.trustedRanges.contains(IPAddress("203.0.113.1")!))
        #expect(configuration.suppressions.count == 2)
        #expect(configuration.suppressions[0].kind == .operationVolumeAnomaly)
        #expect(configuration.suppressions[0].expires == EventTime(year: 2026, month: 3, day: 31))
        #expect(configuration.suppressions[1].principalID == "1a2b3c4d-0000-4000-8000-00000000c042")
        #expect(configuration.effectiveBehaviour.timeZones.clock(forVault: "kv-orders-au")?.label == "Australia/Sydney")
        #expect(configuration.effectiveBehaviour.timeZones.clock(forVault: "kv-web-prod") == nil)
        #expect(configuration.effectiveBehaviour.sensitiveOperation.routineDays == 3)
        #expect(configuration.effectiveBehaviour.unusualIP.familiarBlockRanges == 2)
    }

    @Test("thresholds, switches and learning days change the settings")
    func values() throws {
        let configuration = try parse("""
            learning_days = 3
            window_days = 14
            [rules.KV_ListGetAnomaly]
            minimum_distinct_reads = 8
            usual_ratio = 3
            [rules.KV_OperationVolumeAnomaly]
            replica_ratio = 8
            [rules.KV_UserAppAnomaly]
            enabled = false
            [[suppress]]
            kind = "*"
            vault = "KV-Dev"
            expires = "2026-01-02"
            """)
        let settings = configuration.effectiveBehaviour
        #expect(settings.learningDays == 3)
        #expect(settings.windowDays == 14)
        #expect(settings.listGet.minimumDistinctReads == 8)
        #expect(settings.listGet.usualRatio == 3)
        #expect(settings.operationVolume.replicaRatio == 8)
        #expect(!settings.isEnabled(.userAppAnomaly))
        #expect(configuration.suppressions.first?.kind == nil)
        #expect(configuration.suppressions.first?.vault == "kv-dev")
        #expect(configuration.suppressions.first?.expires == EventTime(year: 2026, month: 1, day: 2))
    }

    @Test("bad lines are errors naming the file, the line and the problem")
    func errors() {
        #expect(error("learning_days = 7\nwindow_dayz = 30\n")?.description
            == "vw.toml:2: unknown key window_dayz (expected one of: allow, clock, directory, infer_timezone, journal, keys, learning_days, memory_days, reorder_tolerance_minutes, rules, suppress, timezone, timezones, window_days)")
        #expect(error("# comment\n\n[rules.KV_ListGetAnomaly]\nusual_ratio = \"two\"\n")?.description
            == "vw.toml:4: rules.KV_ListGetAnomaly.usual_ratio must be a number")
        #expect(error("[rules.KV_Nope]\nenabled = true\n")?.description == "vw.toml:1: unknown alert kind KV_Nope in [rules.KV_Nope]")
        #expect(error("[allow]\ntrusted_ip_ranges = [\"10.0.0.0/33\"]\n")?.description
            == "vw.toml:2: allow.trusted_ip_ranges: \"10.0.0.0/33\" is not an IP address or CIDR range")
        #expect(error("learning_days = 40\n")?.description == "vw.toml:1: learning_days (40) cannot exceed window_days (30)")
        #expect(error("[[suppress]]\nkind = \"KV_UserAnomaly\"\n[[suppress]]\nkind = \"KV_Bogus\"\n")?.description
            == "vw.toml:4: suppress[1].kind: unknown alert kind \"KV_Bogus\"")
        #expect(error("[[suppress]]\nexpires = 2026-01-01\n")?.line == 1)
        let syntax = error("learning_days = 7\n[rules\n")
        #expect(syntax?.line == 2)
        #expect(syntax?.file == "vw.toml")
        #expect(error("[rules.KV_AccountVolumeAnomaly]\nminimum_vaults = 0\n")?.description
            == "vw.toml:2: rules.KV_AccountVolumeAnomaly.minimum_vaults must be between 1 and 100000, not 0")
    }

    @Test("a missing file is an error naming it")
    func missingFile() {
        #expect(throws: ConfigurationError.self) {
            _ = try ConfigurationFile.load(path: "/nonexistent/vw.toml", over: DetectorConfiguration())
        }
    }

    @Test("suppressions silence matching alerts until they expire; allow-listed principals are not behaviour")
    func suppressionAndAllowList() async {
        let fixture = BehaviourFixture()
        let newcomer = fixture.userCall(at: BehaviourFixture.time(day: 10, hour: 11), principalID: "cccccccc-0000-4000-8000-000000000003", upn: "bob@contoso.com")
        var suppressed = fixture.configuration()
        suppressed.suppressions = [Suppression(kind: .userAnomaly, vault: "KV-PAYMENTS", expires: BehaviourFixture.time(day: 11, hour: 0))]
        #expect(await fixture.run(fixture.history(days: 10) + [newcomer], configuration: suppressed).isEmpty)

        var expired = fixture.configuration()
        expired.suppressions = [Suppression(kind: .userAnomaly, vault: "kv-payments", expires: BehaviourFixture.time(day: 10, hour: 0))]
        #expect(BehaviourFixture.kinds(await fixture.run(fixture.history(days: 10) + [newcomer], configuration: expired)) == [.userAnomaly])

        var allowed = fixture.configuration()
        allowed.allowedPrincipalIDs = ["CCCCCCCC-0000-4000-8000-000000000003"]
        #expect(await fixture.run(fixture.history(days: 10) + [newcomer], configuration: allowed).isEmpty)
    }
}
