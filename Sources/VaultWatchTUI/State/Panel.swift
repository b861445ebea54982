/// The dashboard's panels, in the order of `Tab` and of the keys `1`–`4`.
public enum Panel: Int, Sendable, Hashable, CaseIterable {
    case vaults
    case chart
    case activity
    case alerts

    public var title: String {
        switch self {
        case .vaults: "Vaults"
        case .chart: "Baseline"
        case .activity: "Live activity"
        case .alerts: "Alerts"
        }
    }

    /// The key that focuses the panel, shown in its title.
    public var number: Int { rawValue + 1 }
}
