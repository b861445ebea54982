// Behaviour: someone reaches a key vault through the Tor anonymity network. Legitimate
// automation and staff almost never do; an intruder hiding their origin often does.
// Signal: the record's caller IP is in the configured Tor exit list (TorDNSEL or bare IPs).
// Threshold: a single call is enough — the list is specific, and one authenticated call from
// Tor already means working credentials are in someone's hands there. A refused call (401/403)
// is Low: nothing was read, but someone there knows the vault. Any other outcome (success, 404,
// throttling) passed authentication, so it is Medium. Both fold into one alert per caller and
// vault per 24 h, raised to the graver severity seen.

/// Raises `KV_TORAccess` for a call from a Tor exit node.
public struct TorAccessRule: DetectionRule {
    public init() {}

    public func evaluate(
        _ event: AuditEvent, traits: OperationTraits, context: RuleContext, into candidates: inout [AlertCandidate]
    ) {
        guard let ip = event.callerIP, context.torExits?.ranges.contains(ip) == true, let list = context.torExits else { return }
        candidates.append(
            AlertCandidate(
                kind: .torAccess,
                severity: event.outcome == .denied ? .low : .medium,
                entity: .caller(of: event),
                event: event,
                reasons: [context.listedSentence(ip: ip, list: list), context.callSentence(event)]))
    }
}
