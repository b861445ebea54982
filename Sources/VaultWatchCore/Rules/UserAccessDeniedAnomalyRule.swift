// Behaviour: an identity that has nothing to do with a vault tries it and is refused —
// someone probing what a stolen token can reach.
// Signal: a refused call (HTTP 401/403) by a principal that made no call at all to the vault
// within the window, on an armed vault. Principals that are refused now and then as part of
// their usual work (an engineer without every permission) are known and stay quiet.
// Threshold: the first refusal (Low: nothing was read). Repeats fold into one alert a day.

/// Raises `KV_UserAccessDeniedAnomaly` for a refusal of a principal unknown on the vault.
struct UserAccessDeniedAnomalyRule {
    func evaluate(
        _ event: AuditEvent, _ observation: BaselineObservation, context: RuleContext,
        into candidates: inout [AlertCandidate]
    ) {
        guard observation.vaultArmed, event.outcome == .denied, !event.principalID.isNone,
            !observation.principalSeenOnVault
        else { return }
        let caller = context.callerName(of: event)
        let vault = context.vaultName(event.vault)
        let history = context.historyPhrase(days: observation.vaultHistoryDays)
        let reason: String
        switch context.language {
        case .en:
            reason = "\(caller) was refused by vault \(vault), which it has not called \(history); \(vault) has \(observation.knownPrincipals) known principals"
        case .fr:
            reason = "\(caller) a été refusé par le coffre \(vault), qu'il n'a pas appelé \(history) ; \(vault) compte \(observation.knownPrincipals) principaux connus"
        }
        candidates.append(
            AlertCandidate(
                kind: .userAccessDeniedAnomaly, severity: .low, entity: .caller(of: event), event: event,
                reasons: [reason, context.callSentence(event)]))
    }
}
