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

    /// The configuration providers running on `day`: each routine's index, its secrets, and its
    /// usual burst as the detector learns it (`DemoScenario.usualBurst`).
    static func providers(of scenario: DemoScenario, on day: Int) -> [(routine: DemoRoutine, secrets: [String], usual: Int)] {
        scenario.routines.compactMap { routine in
            guard case .configurationLoads = routine.rhythm, routine.runs(onDay: day),
                let identity = scenario.identities.first(where: { $0.key == routine.identity })
            else { return nil }
            let secrets = routine.operations.compactMap { if case .secretGet(let name) = $0 { name } else { nil } }
            return (routine, secrets, DemoScenario.usualBurst(of: identity, on: routine.vault, routines: scenario.routines, before: day))
        }
    }

    @Test("every tenant's busiest configuration provider reads, in one hour, as many secrets as its load, none that anyone reads there, four times its usual burst (twice the floor at least)")
    func castOnEveryTenant() throws {
        let minimum = BehaviourSettings().operationVolume.principalMinimum
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
            #expect(providers.allSatisfy { $0.usual <= provider.usual }, "\(name): not the busiest provider")
            #expect(step.application == provider.routine.application, "\(name)")

            let read = step.operations.compactMap { if case .secretGet(let name) = $0 { name } else { nil } }
            #expect(read.count == step.operations.count, "\(name): only reads")
            #expect(Set(read).count == provider.secrets.count, "\(name): as many objects as its load")
            let readThere = Set(scenario.routines.filter { $0.vault == step.vault }.flatMap(\.operations).compactMap {
                if case .secretGet(let name) = $0 { name } else { nil }
            })
            #expect(Set(read).isDisjoint(with: readThere), "\(name): a secret someone reads")
            // Four usual bursts, to the nearest whole round of its secrets; twice the floor at least.
            if 4 * provider.usual >= 2 * minimum {
                #expect(abs(read.count - 4 * provider.usual) <= provider.secrets.count / 2, "\(name): \(read.count) reads, usual \(provider.usual)")
            } else {
                #expect(read.count >= 2 * minimum && read.count < 2 * minimum + provider.secrets.count, "\(name): \(read.count) reads")
            }
            // Each call takes its spacing and up to a second more: all within the story's hour.
            #expect(story.minute * 60 + read.count * (step.spacing.upperBound + 1) <= 3600, "\(name): \(read.count) reads, \(step.spacing)")
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
        #expect(DemoScenario.usualBurst(of: identity, on: "kv-a", routines: [steady], before: day) == 63)
        var before = steady
        before.active = (day - 60)..<(day - 6)
        var after = steady
        after.rhythm = .configurationLoads(deploysPerWorkday: 1...1, replicas: 6...6, nightlyPercent: 0)
        after.active = (day - 6)..<Int.max
        #expect(DemoScenario.usualBurst(of: identity, on: "kv-a", routines: [before, after], before: day) == 126)
        // Another vault's routine, or another identity's, is not the provider's burst there.
        var elsewhere = after
        elsewhere.vault = "kv-b"
        #expect(DemoScenario.usualBurst(of: identity, on: "kv-a", routines: [steady, elsewhere], before: day) == 63)
    }

    @Test("Fabrikam's is the story it was built as: orders-api reads its 34 back-office secrets 16 times each, 2 to 5 seconds apart, at 12:05")
    func fabrikamUnchanged() throws {
        let story = try #require(DemoScenario.standard.stories.last)
        let step = try #require(story.steps.first)
        #expect((story.hour, story.minute) == (12, 5))
        #expect(step.identity == "orders-api" && step.vault == "kv-orders-au" && step.spacing == 2...5)
        #expect(step.operations == DemoScenario.repeated(DemoOperation.secretReads(DemoScenario.ordersSecrets.map { "backoffice-\($0)" }), count: 544))
    }
}
