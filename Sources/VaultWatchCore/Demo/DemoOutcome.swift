/// How a demo call ends, and so its `httpStatusCode`, `resultSignature` and `resultDescription`.
public enum DemoOutcome: Sendable, Hashable {
    case success
    /// 403: the caller lacks the permission (access policy or RBAC role).
    case denied
    /// 403: the vault's firewall refused the caller's address.
    case blockedByFirewall
    /// 404: the object does not exist.
    case notFound
    /// 401 without identity: an SDK client's first request, sent without a token to learn
    /// where to get one ("Request is missing a Bearer or PoP token."); the client retries.
    case challenge
}
