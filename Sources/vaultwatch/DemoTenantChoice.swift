import ArgumentParser
import VaultWatchCore

/// The demo tenants `vaultwatch demo generate --tenant` can write: Fabrikam (the demo, its
/// habits and stories) and Woodgrove (a second, independent tenant for measuring precision on
/// habits and zones the detector was not tuned on), and a random tenant per seed (a family of
/// tenants whose habits are drawn from the generator's pieces: `DemoScenario.random`).
enum DemoTenantChoice: String, CaseIterable, ExpressibleByArgument {
    case fabrikam
    case woodgrove
    case random

    /// The scenario: a random tenant is drawn from the seed, with its habits placed in a history of `historyDays`.
    func scenario(seed: UInt64, historyDays: Int) -> DemoScenario {
        switch self {
        case .fabrikam: .standard
        case .woodgrove: .woodgrove
        case .random: .random(seed: seed, historyDays: historyDays)
        }
    }

    /// Woodgrove's history is six weeks: New York's and London's summer-time changes, a
    /// month-end close and a holiday week all fall inside it.
    static let woodgroveHistoryDays = 42
}
