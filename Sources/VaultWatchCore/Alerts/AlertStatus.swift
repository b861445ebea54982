/// Where an alert stands in an analyst's workflow. Detection opens alerts as `active`; only
/// a person (through the dashboard or `alerts` commands) resolves or dismisses them.
public enum AlertStatus: String, Sendable, Hashable, CaseIterable, Codable {
    case active
    case resolved
    case dismissed
}
