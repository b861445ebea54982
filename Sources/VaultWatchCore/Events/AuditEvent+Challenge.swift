extension AuditEvent {
    /// An SDK challenge request: every Key Vault client's first request carries no token, and
    /// the service logs it as a 401 with no identity ("Request is missing a Bearer or PoP
    /// token."), then the client retries with one. It is counted and shown, never a caller's
    /// denial: no principal, no application, so nothing to learn or judge.
    @inlinable
    public var isChallengeRequest: Bool {
        httpStatusCode == 401 && principalID.isNone && appID.isNone && upn.isNone
    }
}
