// Behaviour: an application (client id) that has never called a vault starts using it — a new
// deployment, or a stolen application credential or token used from a tool of the attacker's.
// Signal: a successful call whose `appid` has not called the vault within the memory (90 days,
// longer than the 30-day window: a job rarer than the window is not new at each run), once the
// vault is armed (`learningDays` of history).
// Threshold: the first such call. Applications on a vault change rarely and deliberately, so
// the first appearance is the moment to ask. When the caller is also a user new on the vault,
// `KV_UserAnomaly` speaks for the arrival instead (one alert, not three).

/// Raises `KV_AppAnomaly` for an application new on an armed vault.
struct AppAnomalyRule {
    func evaluate(
        _ event: AuditEvent, _ observation: BaselineObservation, context: RuleContext,
        into candidates: inout [AlertCandidate]
    ) {
        guard observation.vaultArmed, event.outcome == .success, !event.appID.isNone,
            !observation.applicationKnownOnVault, !UserAnomalyRule.fires(event, observation)
        else { return }
        let application = context.symbols.string(event.appID) ?? "?"
        let vault = context.vaultName(event.vault)
        let history = context.historyPhrase(days: observation.vaultHistoryDays)
        let known = observation.knownApplications
        let reason: String
        switch context.language {
        case .en:
            reason = "application \(application) has not accessed vault \(vault) \(history); \(vault) has \(known) known applications"
        case .fr:
            reason = "l'application \(application) n'a pas accédé au coffre \(vault) \(history) ; \(vault) compte \(known) applications connues"
        }
        candidates.append(
            AlertCandidate(
                kind: .appAnomaly, severity: .medium, entity: .caller(of: event), event: event,
                reasons: [reason, context.callSentence(event)]))
    }
}
