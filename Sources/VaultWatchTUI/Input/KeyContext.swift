/// Where a binding applies: everywhere, on the dashboard, or in an alert's detail.
public enum KeyContext: String, Sendable, Hashable, CaseIterable {
    case global
    case dashboard
    case detail
    case entity
    case event

    public var title: String {
        switch self {
        case .global: "Everywhere"
        case .dashboard: "Dashboard"
        case .detail: "Alert detail"
        case .entity: "Entity page"
        case .event: "Event record"
        }
    }
}
