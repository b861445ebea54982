// Behaviour: one identity reaching many vaults in a day — an attacker with a broadly
// privileged credential sweeping the tenant for secrets.
// Signal: the distinct vaults a principal reached (calls not refused) in the trailing 24 hours
// of event time, against the most it usually reaches in 24 hours within the window.
// Threshold: at least max(minimumVaults, usual + margin, ratio·usual) — defaults 5, 3 and 1.5:
// a clear step above its own habit and never fewer than five vaults. Arms once the detector
// has `learningDays` of history; a principal first seen after that has a usual of zero. One
// alert per principal a day: the rest of the spree folds into it.

/// Raises `KV_AccountVolumeAnomaly` for a principal reaching far more vaults than usual.
struct AccountVolumeAnomalyRule {
    var settings: BehaviourSettings.AccountVolume

    /// Whether the event should fire, and the threshold it was compared to.
    func threshold(usual: Int) -> Int {
        max(settings.minimumVaults, usual + settings.margin, Int((settings.ratio * Double(usual)).rounded(.up)))
    }

    func evaluate(
        _ event: AuditEvent, _ observation: BaselineObservation, context: RuleContext,
        into candidates: inout [AlertCandidate]
    ) -> Bool {
        guard observation.detectorArmed, let many = observation.reachedVaults else { return false }
        let threshold = threshold(usual: many.usual)
        guard many.count >= threshold, (many.hoursSinceAlert ?? .max) >= 24 else { return false }
        let caller = context.callerName(of: event)
        let reason: String
        switch context.language {
        case .en:
            reason = "\(caller) reached \(many.count) distinct vaults in 24 hours; its usual maximum is \(many.usual), alert from \(threshold)"
        case .fr:
            reason = "\(caller) a atteint \(many.count) coffres distincts en 24 heures ; son maximum habituel est \(many.usual), alerte à partir de \(threshold)"
        }
        candidates.append(
            AlertCandidate(
                kind: .accountVolumeAnomaly, severity: .medium, entity: .caller(of: event), event: event,
                reasons: [reason, context.callSentence(event)]))
        return true
    }
}
