// Behaviour: a known user reaches a vault through an application they have never used on it,
// though both are familiar there — a token lifted from one tool and replayed through another,
// or an account driven by a script it never ran.
// Signal: a successful call by a user (UPN) who reached the vault within the window, with an
// application that called the vault within the window, but never this user with this
// application; the vault is armed.
// Threshold: the first such call; new users and new applications are left to their own alerts.

/// Raises `KV_UserAppAnomaly` for a new (user, application) pair of known parts.
struct UserAppAnomalyRule {
    func evaluate(
        _ event: AuditEvent, _ observation: BaselineObservation, context: RuleContext,
        into candidates: inout [AlertCandidate]
    ) {
        guard observation.vaultArmed, event.outcome == .success, !event.upn.isNone, !event.appID.isNone,
            observation.principalReachedVault, observation.applicationKnownOnVault,
            !observation.userApplicationKnownOnVault
        else { return }
        let user = context.callerName(of: event)
        let application = context.symbols.string(event.appID) ?? "?"
        let vault = context.vaultName(event.vault)
        let history = context.historyPhrase(days: observation.vaultHistoryDays)
        let reason: String
        switch context.language {
        case .en:
            reason = "user \(user) and application \(application) are both known on vault \(vault), but \(user) has not used \(application) on \(vault) \(history)"
        case .fr:
            reason = "l'utilisateur \(user) et l'application \(application) sont tous deux connus du coffre \(vault), mais \(user) n'a pas utilisé \(application) sur \(vault) \(history)"
        }
        candidates.append(
            AlertCandidate(
                kind: .userAppAnomaly, severity: .medium, entity: .caller(of: event), event: event,
                reasons: [reason, context.callSentence(event)]))
    }
}
