import Foundation
import Testing
import VaultWatchCore
import VaultWatchTestSupport

@Suite("Demo scenario")
struct DemoScenarioTests {
    static let demoData = TestPaths.repositoryRoot.appendingPathComponent("demo-data")

    @Test("the demo tenant is what the README's quick start says: thirteen vaults, fifteen days of history, then the attack day")
    func quickStartTenant() {
        let tenant = DemoTenant()
        var vaults: Set<String> = []
        var days: Set<Int64> = []
        for record in tenant.records {
            vaults.insert(record.vault)
            days.insert(record.time.ticks / EventTime.ticksPerDay)
        }
        #expect(vaults.count == 13)
        #expect(tenant.historyDays == 15)
        #expect(days.count == 16)
        #expect(days.max() == tenant.attackDayStart.ticks / EventTime.ticksPerDay)
        #expect(DemoScenario.standard.stories.count == 17)
    }

    @Test("the standard scenario refers only to what it defines")
    func consistent() {
        #expect(DemoScenario.standard.undefinedReferences == [])
    }

    @Test("the attack day stages every alert kind the detector knows")
    func everyKindStaged() {
        let staged = Set(DemoScenario.standard.stories.flatMap(\.raises).map(\.kind))
        #expect(staged == Set(AlertKind.allCases), "missing: \(Set(AlertKind.allCases).subtracting(staged))")
    }

    @Test("the dashboard demo plays the attack day's stories, not the habits' learning nights")
    func playbackIsTheAttackDay() throws {
        let tenant = DemoTenant()
        let playback = tenant.attackDayPlayback
        let firstStory = try #require(DemoScenario.standard.stories.map(\.hour).min())
        #expect(playback.lowerBound == tenant.attackDayStart + .hours(Int64(firstStory)))
        #expect(playback.upperBound <= tenant.attackDayStart + .hours(25))
        // The history holds expected (learning) alerts too; they must not pull the replay back.
        #expect(tenant.expectedAlerts.contains { $0.from < tenant.attackDayStart })
    }

    @Test("demo-data/expected-alerts.json is what the scenario says")
    func expectedAlertsFileMatches() throws {
        let file = try String(contentsOf: Self.demoData.appendingPathComponent("expected-alerts.json"), encoding: .utf8)
        let generated = DemoExpectedAlert.json(DemoTenant().expectedAlerts)
        #expect(file == generated, """
            demo-data/expected-alerts.json is stale: regenerate it with
            swift run vaultwatch demo generate --out /tmp/vaultwatch-demo --force --expected-alerts demo-data/expected-alerts.json
            """)
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(file.utf8)) as? [[String: Any]])
        #expect(parsed.count == DemoTenant().expectedAlerts.count)
        #expect(parsed.allSatisfy { $0["kind"] is String && $0["from"] is String && $0["to"] is String })
    }

    @Test("stories that share a vault are in different hours, so each alert traces to one story: Fabrikam, Woodgrove, random seeds 1 to 40")
    func storiesApartOnEachVault() {
        let scenarios = [DemoScenario.standard, .woodgrove] + (UInt64(1)...40).map { DemoScenario.random(seed: $0) }
        for scenario in scenarios { expectStoriesApart(scenario) }
    }

    private func expectStoriesApart(_ scenario: DemoScenario) {
        var hoursByVault: [String: [Int]] = [:]
        for story in scenario.stories {
            var vaultsHours: Set<String> = []
            for step in story.steps {
                let hour = story.hour + (story.minute + step.minute) / 60
                vaultsHours.insert("\(step.vault) \(hour)")
            }
            for entry in vaultsHours {
                let parts = entry.split(separator: " ")
                hoursByVault[String(parts[0]), default: []].append(Int(parts[1]) ?? -1)
            }
        }
        for (vault, hours) in hoursByVault {
            #expect(Set(hours).count == hours.count, "\(scenario.organization): two stories in one hour on \(vault): \(hours.sorted())")
        }
    }

    @Test("the attack day is fixed; --days moves only the start of history")
    func attackDayFixed() {
        let short = DemoTenant(days: 8)
        let long = DemoTenant(days: 15)
        #expect(short.attackDate == "2026-02-17")
        #expect(long.attackDate == "2026-02-17")
        #expect(long.dayStart(0).iso8601 == "2026-02-02T00:00:00Z")
        #expect(long.dayStart(0).weekday == 1)
        #expect(short.dayCount == 9)
    }

    @Test("demo-data/README.md tells every story")
    func readmeTellsEveryStory() throws {
        let readme = try String(contentsOf: Self.demoData.appendingPathComponent("README.md"), encoding: .utf8)
        for story in DemoScenario.standard.stories {
            let time = "\(story.hour < 10 ? "0" : "")\(story.hour):\(story.minute < 10 ? "0" : "")\(story.minute)"
            #expect(readme.contains("| \(time) | \(story.title) |"), "README lacks the row of \(story.title) at \(time)")
        }
    }

    @Test("without the attack day only the habits' learning alerts are expected, none required, none after three days")
    func noAttacksNoExpectations() {
        let tenant = DemoTenant(includesAttackDay: false)
        #expect(!tenant.expectedAlerts.isEmpty)
        #expect(tenant.expectedAlerts.allSatisfy { !$0.isRequired && $0.kind == .sensitiveOperation && $0.story.hasPrefix("Habit: ") })
        #expect(tenant.expectedAlerts.allSatisfy { $0.to <= tenant.dayStart(3) + DemoTenant.alertDelayAllowance })
    }

    @Test("the attackers' addresses are on the demo lists, and no ordinary caller's is")
    func addressesAndLists() throws {
        let tor = try ThreatIntelList.loadTorExitList(path: Self.demoData.appendingPathComponent("tor-exit-addresses.txt").path)
        let intel = try ThreatIntelList.loadThreatIntel(path: Self.demoData.appendingPathComponent("threat-intel.txt").path)
        var fixedAddresses: [AlertKind: [String]] = [:]
        for story in DemoScenario.standard.stories {
            for step in story.steps {
                if case .address(let address) = step.source {
                    for kind in story.raises.map(\.kind) { fixedAddresses[kind, default: []].append(address) }
                }
            }
        }
        for address in fixedAddresses[.torAccess] ?? [] { #expect(tor.contains(try #require(IPAddress(address)))) }
        let intelAddresses = (fixedAddresses[.suspiciousIPAccess] ?? []) + (fixedAddresses[.suspiciousIPAccessDenied] ?? [])
        #expect(!intelAddresses.isEmpty)
        for address in intelAddresses { #expect(intel.contains(try #require(IPAddress(address)))) }
        for address in fixedAddresses[.unusualAccessSuspiciousIP] ?? [] {
            let ip = try #require(IPAddress(address))
            #expect(!tor.contains(ip) && !intel.contains(ip))
        }

        let batch = DemoDecoding.decode(Array(DemoTenant(seed: 2, days: 2, includesAttackDay: false).records))
        let addresses = Set(batch.events.compactMap(\.callerIP))
        #expect(addresses.count > 10)
        for address in addresses { #expect(!tor.contains(address) && !intel.contains(address), "\(address) is listed") }
    }
}
