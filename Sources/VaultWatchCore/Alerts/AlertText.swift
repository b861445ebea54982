/// The words of one alert kind in one language: what a person reads first (display name),
/// what the alert means (description) and what to do about it (remediation).
public struct AlertText: Sendable, Hashable {
    public var displayName: String
    public var description: String
    public var remediation: String

    public init(displayName: String, description: String, remediation: String) {
        self.displayName = displayName
        self.description = description
        self.remediation = remediation
    }
}
