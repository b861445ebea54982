// Behaviour: a caller uses a key vault from an address your threat intelligence names as
// hostile (a known attacker, a botnet node, a scanning host).
// Signal: the record's caller IP is inside an address or CIDR block of the threat-intel list.
// Threshold: one call — the list is the analyst's own statement that any contact is
// suspect. A refused call (401/403) raises `KV_SuspiciousIPAccessDenied` (Low: nothing was
// read); any other outcome passed authentication and raises `KV_SuspiciousIPAccess` (Medium).

/// Raises `KV_SuspiciousIPAccess` / `KV_SuspiciousIPAccessDenied` for a call from a listed IP.
public struct SuspiciousIPAccessRule: DetectionRule {
    public init() {}

    public func evaluate(
        _ event: AuditEvent, traits: OperationTraits, context: RuleContext, into candidates: inout [AlertCandidate]
    ) {
        guard let ip = event.callerIP, context.threatIntel?.ranges.contains(ip) == true, let list = context.threatIntel else {
            return
        }
        let denied = event.outcome == .denied
        candidates.append(
            AlertCandidate(
                kind: denied ? .suspiciousIPAccessDenied : .suspiciousIPAccess,
                severity: denied ? .low : .medium,
                entity: .caller(of: event),
                event: event,
                reasons: [context.listedSentence(ip: ip, list: list), context.callSentence(event)]))
    }
}
