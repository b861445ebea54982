import Testing
@testable import VaultWatchCore

/// The seventeenth story (a configuration provider's stolen credential reading as many secrets it
/// never reads: `StolenServiceCredentialTests` checks the detector's side) is cast on every
/// tenant, not only Fabrikam's, where it was built: on each tenant's busiest configuration
/// provider, so a held-out sweep checks it on tenants nobody tuned it on.
@Suite("The stolen service credential story")
struct StolenCredentialStoryTests {
    static let title = "A configuration provider's credential reads other secrets"

    /// Fabrikam, Woodgrove and the random seeds the other demo tests draw.
    static var scenarios: [(name: String, scenario: DemoScenario)] {
        [("Fabrikam", .standard), ("Woodgrove", .woodgrove)] + (UInt64(1)...40).map { ("random \($0)", DemoScenario.random(seed: $0)) }
    }

    /// The configuration providers running on `day`: each routine, its secrets, and the band the
    /// detector learns for it over the scenario's drawn histories (`DemoScenario.learnedBand`).
    static func providers(of scenario: DemoScenario, on day: Int) -> [(routine: DemoRoutine, secrets: [String], band: VolumeBand?)] {
        scenario.routines.compactMap { routine in
            guard case .configurationLoads = routine.rhythm, routine.runs(onDay: day),
                let identity = scenario.identities.first(where: { $0.key == routine.identity })
            else { return nil }
            let secrets = routine.operations.compactMap { if case .secretGet(let name) = $0 { name } else { nil } }
            let band = DemoScenario.learnedBand(
                of: identity, on: routine.vault, routines: scenario.routines, before: day, histories: Array(DemoScenario.usualBurstHistories))
            return (routine, secrets, band)
        }
    }

    @Test("every tenant's busiest configuration provider reads, in one hour, as many secrets as its load, none that anyone reads there, halfway between its threshold and the replicas' ceiling (twice the floor for a small one)")
    func castOnEveryTenant() throws {
        let volume = BehaviourSettings().operationVolume
        for (name, scenario) in Self.scenarios {
            let story = try #require(scenario.stories.last, "\(name)")
            #expect(story.title == Self.title, "\(name)")
            #expect(scenario.stories.count { $0.title == Self.title } == 1, "\(name)")
            let step = try #require(story.steps.first, "\(name)")
            #expect(story.steps.count == 1 && step.source == .usual && step.outcome == .success, "\(name)")
            #expect(story.raises == [DemoExpectation(.operationVolumeAnomaly, vault: step.vault, principal: step.identity)], "\(name)")

            let day = DemoScenario.dayNumber(scenario.attackYear, scenario.attackMonth, scenario.attackDay)
            let providers = Self.providers(of: scenario, on: day)
            let provider = try #require(providers.first { $0.routine.identity == step.identity && $0.routine.vault == step.vault }, "\(name)")
            let band = try #require(provider.band, "\(name)")
            #expect(providers.allSatisfy { ($0.band?.median ?? 0) <= band.median }, "\(name): not the busiest provider")
            #expect(step.application == provider.routine.application, "\(name)")

            let read = step.operations.compactMap { if case .secretGet(let name) = $0 { name } else { nil } }
            #expect(read.count == step.operations.count, "\(name): only reads")
            #expect(Set(read).count == provider.secrets.count, "\(name): as many objects as its load")
            let readThere = Set(scenario.routines.filter { $0.vault == step.vault }.flatMap(\.operations).compactMap {
                if case .secretGet(let name) = $0 { name } else { nil }
            })
            #expect(Set(read).isDisjoint(with: readThere), "\(name): a secret someone reads")
            // Above the threshold and within the ceiling the detector learns: the objects decide.
            let ceiling = BurstHistory.replicaCeiling(band: band, threshold: band.threshold, settings: volume)
            if ceiling > band.threshold {
                #expect(read.count > band.threshold && read.count <= ceiling, "\(name): \(read.count) reads, \(band.threshold) to \(ceiling)")
            } else {
                #expect(read.count == 2 * volume.principalMinimum, "\(name): \(read.count) reads")
            }
            // Each call takes its spacing and up to a second more: all within the story's hour.
            #expect(story.minute * 60 + read.count * (step.spacing.upperBound + 1) <= 3600, "\(name): \(read.count) reads, \(step.spacing)")
        }
    }

    /// A tenant's story is sized on its own days, not the scenario's drawn ones: the same story
    /// cast with the tenant's seed (random seed 249: sized on the drawn histories, it
    /// raised nothing, under the threshold its own days gave; sized on them, 507 reads, not 364).
    @Test("a tenant's seventeenth story is sized on the tenant's own days")
    func sizedOnTheTenantsDays() throws {
        for seed: UInt64 in [1, 249] {
            let days = DemoScenario.randomHistoryDays
            let scenario = DemoScenario.random(seed: seed, historyDays: days)
            let tenant = DemoTenant(seed: seed, days: days, scenario: scenario)
            let day = DemoScenario.dayNumber(scenario.attackYear, scenario.attackMonth, scenario.attackDay)
            let own = DemoScenario.stolenServiceCredentialStories(
                routines: scenario.routines, identities: scenario.identities, attackDay: day, histories: [seed])
            #expect(tenant.scenario.stories.last == own.first, "seed \(seed)")
            #expect(tenant.scenario.stories.dropLast() == scenario.stories.dropLast(), "seed \(seed)")
        }
    }

    /// A provider deploying once each working day with three replicas, no nightly restarts: its
    /// busiest hour is three replicas' load (a listing and its 20 secrets each) on every active
    /// day, whichever history is drawn. Scaled out to six replicas six days before: four of its
    /// last seven active days are the new size, and the usual is the new size (the last seven
    /// days' median, as the detector takes it), not the window's.
    @Test("the usual burst a story is sized on is the one the detector learns from the provider's days")
    func usualBurstIsLearned() {
        let identity = DemoIdentity(
            key: "provider", displayName: "provider", kind: .servicePrincipal(managedIdentityResource: nil), usualNetwork: DemoNetwork("20.1.2", hosts: [3]))
        let secrets = (0..<20).map { "config-\($0)" }
        let day = DemoScenario.dayNumber(2026, 3, 31)
        let steady = DemoRoutine(
            identity: "provider", application: "provider", vault: "kv-a",
            rhythm: .configurationLoads(deploysPerWorkday: 1...1, replicas: 3...3, nightlyPercent: 0), operations: DemoOperation.secretReads(secrets))
        #expect(DemoScenario.learnedBand(of: identity, on: "kv-a", routines: [steady], before: day, histories: [1, 2, 3])?.median == 63)
        var before = steady
        before.active = (day - 60)..<(day - 6)
        var after = steady
        after.rhythm = .configurationLoads(deploysPerWorkday: 1...1, replicas: 6...6, nightlyPercent: 0)
        after.active = (day - 6)..<Int.max
        #expect(DemoScenario.learnedBand(of: identity, on: "kv-a", routines: [before, after], before: day, histories: [1, 2, 3])?.median == 126)
        // Another vault's routine, or another identity's, is not the provider's burst there.
        var elsewhere = after
        elsewhere.vault = "kv-b"
        #expect(DemoScenario.learnedBand(of: identity, on: "kv-a", routines: [steady, elsewhere], before: day, histories: [1, 2, 3])?.median == 63)
    }

    /// Fabrikam's story was 544 reads (16 rounds of its 34 secrets) until it was sized between
    /// the threshold and the ceiling the detector learns for orders-api: 420 and 700.
    @Test("Fabrikam's is orders-api reading its 34 back-office secrets in turn, 560 reads, 2 to 4 seconds apart, at 12:05")
    func fabrikam() throws {
        let story = try #require(DemoScenario.standard.stories.last)
        let step = try #require(story.steps.first)
        #expect((story.hour, story.minute) == (12, 5))
        #expect(step.identity == "orders-api" && step.vault == "kv-orders-au" && step.spacing == 2...4)
        #expect(step.operations == DemoScenario.repeated(DemoOperation.secretReads(DemoScenario.ordersSecrets.map { "backoffice-\($0)" }), count: 560))
    }
}
