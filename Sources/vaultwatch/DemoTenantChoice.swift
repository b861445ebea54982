import ArgumentParser
import VaultWatchCore

/// The demo tenants `vaultwatch demo generate --tenant` can write: Fabrikam (the demo, its
/// habits and stories) and Woodgrove (a second, independent tenant for measuring precision on
/// habits and zones the detector was not tuned on).
enum DemoTenantChoice: String, CaseIterable, ExpressibleByArgument {
    case fabrikam
    case woodgrove

    var scenario: DemoScenario {
        switch self {
        case .fabrikam: .standard
        case .woodgrove: .woodgrove
        }
    }

    /// Woodgrove's history is six weeks: New York's and London's summer-time changes, a
    /// month-end close and a holiday week all fall inside it.
    static let woodgroveHistoryDays = 42
}
