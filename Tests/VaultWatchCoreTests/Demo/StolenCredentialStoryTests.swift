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

    /// A configuration provider's routine running on `day`: its replicas at most, its secrets.
    static func load(of routine: DemoRoutine, on day: Int) -> (replicas: Int, secrets: [String])? {
        guard case .configurationLoads(_, let replicas, _) = routine.rhythm, routine.runs(onDay: day) else { return nil }
        return (replicas.upperBound, routine.operations.compactMap { if case .secretGet(let name) = $0 { name } else { nil } })
    }

    @Test("every tenant's busiest configuration provider reads, in one hour, as many secrets as its load, none that anyone reads there, three times a deploy's reads at least")
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
            let providers = scenario.routines.compactMap { routine in Self.load(of: routine, on: day).map { (routine, $0) } }
            let (routine, load) = try #require(providers.first { $0.0.identity == step.identity && $0.0.vault == step.vault }, "\(name)")
            let size = load.replicas * (load.secrets.count + 1)
            #expect(providers.allSatisfy { $0.1.replicas * ($0.1.secrets.count + 1) <= size }, "\(name): not the busiest provider")
            #expect(step.application == routine.application, "\(name)")

            let read = step.operations.compactMap { if case .secretGet(let name) = $0 { name } else { nil } }
            #expect(read.count == step.operations.count, "\(name): only reads")
            #expect(Set(read).count == load.secrets.count, "\(name): as many objects as its load")
            let readThere = Set(scenario.routines.filter { $0.vault == step.vault }.flatMap(\.operations).compactMap {
                if case .secretGet(let name) = $0 { name } else { nil }
            })
            #expect(Set(read).isDisjoint(with: readThere), "\(name): a secret someone reads")
            #expect(read.count >= 3 * load.replicas * load.secrets.count && read.count >= 2 * minimum, "\(name): \(read.count) reads")
            // Each call takes its spacing and up to a second more: all within the story's hour.
            #expect(story.minute * 60 + read.count * (step.spacing.upperBound + 1) <= 3600, "\(name): \(read.count) reads, \(step.spacing)")
        }
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
