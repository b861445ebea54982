// Behaviour: a person signs in to a vault they have not used before — a new team member, or
// a stolen account exploring what it can reach.
// Signal: a successful call by a user principal (the record has a UPN) that has not reached
// the vault within the memory (default 90 days, `memory_days`), once the vault has `learningDays`
// (default 7) of its own history.
// Threshold: the first such call. A user is few and far between on most vaults, and a vault's
// set of users is stable: one new user is worth a question. This alert stands for the whole
// arrival: the same call does not also raise the application or user–application alerts.

/// Raises `KV_UserAnomaly` for a user new on an armed vault.
struct UserAnomalyRule {
    func evaluate(
        _ event: AuditEvent, _ observation: BaselineObservation, context: RuleContext,
        into candidates: inout [AlertCandidate]
    ) {
        guard Self.fires(event, observation) else { return }
        let user = context.callerName(of: event)
        let vault = context.vaultName(event.vault)
        let history = context.historyPhrase(days: observation.vaultHistoryDays)
        let reason: String
        switch context.language {
        case .en:
            reason = "user \(user) has not accessed vault \(vault) \(history); \(vault) has \(observation.knownUsers) known users"
        case .fr:
            reason = "l'utilisateur \(user) n'a pas accédé au coffre \(vault) \(history) ; \(vault) compte \(observation.knownUsers) utilisateurs connus"
        }
        candidates.append(
            AlertCandidate(
                kind: .userAnomaly, severity: .medium, entity: .caller(of: event), event: event,
                reasons: [reason, context.callSentence(event)]))
    }

    /// Whether `event` is a new user's successful call on an armed vault.
    static func fires(_ event: AuditEvent, _ observation: BaselineObservation) -> Bool {
        observation.vaultArmed && event.outcome == .success && !event.upn.isNone && !event.principalID.isNone
            && !observation.principalReachedVault
    }
}
