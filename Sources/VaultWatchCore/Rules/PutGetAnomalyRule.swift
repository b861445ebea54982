// Behaviour: grant, then take — an intruder changes a vault's access configuration (an
// access policy, the vault itself) and then reads its secrets, as themselves or as the
// principal they just granted.
// Signal: a successful `VaultPut`, `VaultPatch` or access-policy change by P on V, then within
// `windowMinutes` (60) a successful `SecretGet` or `SecretList*` on V by P or by the principal
// the change granted (`addedAccessPolicy.ObjectId`).
// Threshold: the first such read, when P has no change→read sequence on V within the window
// (administrators who routinely do this are learned). One alert per change; the vault must be
// armed. A sequence that alerted is not learned as usual, but its day is counted: the same
// sequence (vault, change operation) on `routineDays` (3) distinct earlier days within the
// window, by any of the vault's changers, is routine for a changer that ran it there before
// (`RoutineOperations`, as routine sensitive operations): an admin's weekly onboarding (grant,
// then read to check) alerts its first three weeks, not every week forever, and so does one
// done in turn by two admins (each alone would need three days of its own in the window, which
// a fortnightly turn never gives). The trade: an intruder repeating grant→read on three
// distinct days is routine from the fourth, and so is the stolen token of an admin who ran it
// on the vault within the window, once the vault's routine has it; someone who never ran it on
// the vault (an admin granting access on a vault it never changed) still alerts.

/// Raises `KV_PutGetAnomaly` for an access change followed by secret reads.
struct PutGetAnomalyRule {
    var settings: BehaviourSettings.PutGet

    @discardableResult
    func evaluate(
        _ event: AuditEvent, _ observation: BaselineObservation, context: RuleContext,
        into candidates: inout [AlertCandidate]
    ) -> Bool {
        guard observation.vaultArmed, let sequence = observation.changeRead, !sequence.isKnownSequence else { return false }
        let changer = context.callerName(of: sequence.changeEvent)
        let reader = context.callerName(of: event)
        let vault = context.vaultName(event.vault)
        let change = context.symbols.string(sequence.changeOperation) ?? "?"
        let read = context.symbols.string(event.operation) ?? "?"
        let history = context.historyPhrase(days: observation.vaultHistoryDays)
        let when = context.clock(sequence.changeTime)
        let minutes = settings.windowMinutes
        var reasons: [String] = []
        switch context.language {
        case .en:
            reasons.append(
                "\(changer) changed the access configuration of vault \(vault) (\(change)) at \(when), and within \(minutes) minutes \(reader) read secrets (\(read))")
            if !sequence.granted.isNone {
                reasons.append("the change granted access to \(context.principalName(sequence.granted))")
            }
            reasons.append("\(changer) has no such change-then-read sequence on \(vault) \(history)")
        case .fr:
            reasons.append(
                "\(changer) a modifié la configuration d'accès du coffre \(vault) (\(change)) à \(when), et en moins de \(minutes) minutes \(reader) a lu des secrets (\(read))")
            if !sequence.granted.isNone {
                reasons.append("la modification a accordé l'accès à \(context.principalName(sequence.granted))")
            }
            reasons.append("\(changer) n'a aucune séquence modification puis lecture sur \(vault) \(history)")
        }
        reasons.append(context.callSentence(event))
        candidates.append(
            AlertCandidate(
                kind: .putGetAnomaly, severity: .medium, entity: AlertEntity(principalID: sequence.changer),
                event: sequence.changeEvent, reasons: reasons, relatedEvents: [event]))
        return true
    }
}
