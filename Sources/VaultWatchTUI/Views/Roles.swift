import VaultWatchCore

/// The role and the short tag of each severity and outcome: the tag keeps severity readable
/// with no colour at all (NO_COLOR), the role lets the theme colour it.
enum Roles {
    static func role(for severity: Severity) -> StyleRole {
        switch severity {
        case .informational: .severityInformational
        case .low: .severityLow
        case .medium: .severityMedium
        case .high: .severityHigh
        }
    }

    static func tag(for severity: Severity) -> String {
        switch severity {
        case .informational: "INFO"
        case .low: "LOW "
        case .medium: "MED "
        case .high: "HIGH"
        }
    }

    static func role(for outcome: Outcome) -> StyleRole {
        switch outcome {
        case .success: .eventSuccess
        case .denied: .eventDenied
        case .notFound: .eventNotFound
        case .throttled, .clientError, .serverError: .eventError
        case .unknown: .dim
        }
    }

    static func outcomeLabel(_ outcome: Outcome, status: Int) -> String {
        switch outcome {
        case .success: status > 0 ? String(status) : "ok"
        case .denied: status > 0 ? "\(status) denied" : "denied"
        case .notFound: "404"
        case .throttled: "429"
        case .clientError, .serverError: status > 0 ? "\(status) error" : "error"
        case .unknown: status > 0 ? String(status) : "?"
        }
    }
}
