/// How urgently an alert needs a person, from a heads-up to "look now".
///
/// Ordered, so an alert that repeats with a graver event can be raised to the graver level
/// (`max(old, new)`). The raw value is the word written in alert JSON.
public enum Severity: String, Sendable, Hashable, CaseIterable, Comparable, Codable {
    case informational
    case low
    case medium
    case high

    private var rank: Int {
        switch self {
        case .informational: 0
        case .low: 1
        case .medium: 2
        case .high: 3
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }

    /// The word shown to a person, capitalised as a console shows it.
    public var displayName: String {
        switch self {
        case .informational: "Informational"
        case .low: "Low"
        case .medium: "Medium"
        case .high: "High"
        }
    }
}
