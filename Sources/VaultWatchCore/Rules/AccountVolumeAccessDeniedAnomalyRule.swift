// Behaviour: one identity refused by many vaults in a day — someone trying a credential
// everywhere to see what it opens.
// Signal: the distinct vaults that refused a principal (HTTP 401/403) in the trailing 24 hours
// of event time, against the most that usually refuse it in 24 hours within the window.
// Threshold: at least max(minimumVaults, usual + margin) — defaults 5 and 2 (Low: nothing was
// read). Arms once the detector has `learningDays` of history; a principal first seen after
// that has a usual of zero. One alert per principal a day.

/// Raises `KV_AccountVolumeAccessDeniedAnomaly` for refusals on many vaults.
struct AccountVolumeAccessDeniedAnomalyRule {
    var settings: BehaviourSettings.AccountVolumeDenied

    func threshold(usual: Int) -> Int { max(settings.minimumVaults, usual + settings.margin) }

    func evaluate(
        _ event: AuditEvent, _ observation: BaselineObservation, context: RuleContext,
        into candidates: inout [AlertCandidate]
    ) -> Bool {
        guard observation.detectorArmed, let many = observation.deniedVaults else { return false }
        let threshold = threshold(usual: many.usual)
        guard many.count >= threshold, (many.hoursSinceAlert ?? .max) >= 24 else { return false }
        let caller = context.callerName(of: event)
        let reason: String
        switch context.language {
        case .en:
            reason = "\(caller) was refused by \(many.count) distinct vaults in 24 hours; its usual maximum is \(many.usual), alert from \(threshold)"
        case .fr:
            reason = "\(caller) a été refusé par \(many.count) coffres distincts en 24 heures ; son maximum habituel est \(many.usual), alerte à partir de \(threshold)"
        }
        candidates.append(
            AlertCandidate(
                kind: .accountVolumeAccessDeniedAnomaly, severity: .low, entity: .caller(of: event), event: event,
                reasons: [reason, context.callSentence(event)]))
        return true
    }
}
