/// The outcomes `hunt --outcome` names. Judged from the HTTP status (else `resultSignature`),
/// never from `resultType`, which says `Success` on a 403: the trap a `jq` filter falls into.
public enum HuntOutcome: String, Sendable, Hashable, CaseIterable {
    case success
    /// 401 or 403.
    case denied
    /// Any other failure: not found, throttled, other client and server errors.
    case error

    public func matches(_ outcome: Outcome) -> Bool {
        switch self {
        case .success: outcome == .success
        case .denied: outcome == .denied
        case .error: outcome == .notFound || outcome == .throttled || outcome == .clientError || outcome == .serverError
        }
    }
}
