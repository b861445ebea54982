/// Where a binding applies: everywhere, on the dashboard, or in an alert's detail.
public enum KeyContext: String, Sendable, Hashable, CaseIterable {
    case global
    case dashboard
    case detail

    public var title: String {
        switch self {
        case .global: "Everywhere"
        case .dashboard: "Dashboard"
        case .detail: "Alert detail"
        }
    }
}
