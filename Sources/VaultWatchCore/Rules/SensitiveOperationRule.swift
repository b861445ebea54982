// Behaviour: destruction or copying-out of key material — a vault, key, secret or certificate
// deleted, purged or backed up. Deletion breaks the services that depend on the object;
// a purge makes that permanent; a backup blob carries a key or secret out of the vault (it can
// be restored into another vault of the same subscription and geography).
// Signal: the operation name is one of VaultDelete, VaultPurge, {Secret,Key,Certificate}
// {Delete,Purge,Backup} (classified once per distinct operation symbol), the call succeeded,
// and the service did not generate it itself (`*EventGridNotification`, `KeyRotateIfDue`).
// Threshold: every successful call, at Low: these operations are rare and each one is worth a
// look, but most are planned clean-ups. Refused or failed attempts changed nothing, so they are
// left to the behavioural rules. Repeats fold per (caller, operation) and vault per 24 h, so
// a clean-up script deleting 200 secrets gives one alert with count 200.
// Routine: the same operation by the same principal on the same vault on `routineDays` (3)
// distinct earlier days within the window raises nothing — a nightly backup job is quiet from
// its fourth night (`RoutineOperations`). A delete or purge is routine only for an object the
// principal wrote before, so deleting what it never touched still alerts.

/// Raises `KV_SensitiveOperation` for a successful delete, purge or backup.
public struct SensitiveOperationRule: DetectionRule {
    public init() {}

    public func evaluate(
        _ event: AuditEvent, traits: OperationTraits, context: RuleContext, into candidates: inout [AlertCandidate]
    ) {
        var routine = RoutineOperations()
        evaluate(event, traits: traits, context: context, routine: &routine, settings: BehaviourSettings(), into: &candidates)
    }

    /// Judges `event` against the routine sensitive operations, then teaches them the event.
    func evaluate(
        _ event: AuditEvent, traits: OperationTraits, context: RuleContext, routine: inout RoutineOperations,
        settings: BehaviourSettings, into candidates: inout [AlertCandidate]
    ) {
        guard !traits.isServiceGenerated, event.outcome == .success else { return }
        let day = event.time.dayNumber
        let stamp = HourCalendar.stamp(day: day)
        defer { routine.observe(event, traits: traits, day: stamp) }
        guard let action = traits.sensitiveAction else { return }
        let windowStart = HourCalendar.stamp(day: day - Int32(max(1, settings.windowDays)))
        if routine.isRoutine(event, action: action, day: stamp, windowStart: windowStart, routineDays: settings.sensitiveOperation.routineDays) {
            return
        }
        candidates.append(
            AlertCandidate(
                kind: .sensitiveOperation, severity: .low, entity: .callerAndOperation(of: event), event: event,
                reasons: [reason(action, event, traits, context), context.callSentence(event)],
                attack: action == .backup
                    ? AttackMapping(tactics: [.exfiltration], techniques: [.transferToCloudAccount])
                    : AttackMapping(tactics: [.impact], techniques: [.dataDestruction])))
    }

    /// "secret payments-db-password was purged by alice@contoso.com; purges cannot be undone".
    private func reason(
        _ action: OperationTraits.SensitiveAction, _ event: AuditEvent, _ traits: OperationTraits, _ context: RuleContext
    ) -> String {
        let kind = traits.target == .none ? event.objectKind : traits.target
        let name = kind == .vault
            ? context.symbols.string(event.objectName) ?? context.symbols.string(event.vault)
            : context.symbols.string(event.objectName)
        let object = context.objectPhrase(kind: kind, name: name)
        let caller = context.callerName(of: event)
        let separator = context.clauseSeparator
        switch context.language {
        case .en:
            switch action {
            case .purge:
                return "\(object) was purged by \(caller)\(separator)purges cannot be undone"
            case .delete:
                return "\(object) was deleted by \(caller)\(separator)it can be recovered while the vault's soft-delete retention lasts, unless it is purged"
            case .backup:
                return "\(object) was backed up by \(caller)\(separator)the backup can be restored into another vault of the same subscription and geography"
            }
        case .fr:
            let feminine = RuleContext.noun(kind, .fr).isFeminine ? "e" : ""
            switch action {
            case .purge:
                return "\(object) a été purgé\(feminine) par \(caller)\(separator)une purge est irréversible"
            case .delete:
                return "\(object) a été supprimé\(feminine) par \(caller)\(separator)la récupération reste possible pendant la rétention de suppression réversible du coffre, sauf purge"
            case .backup:
                return "\(object) a été sauvegardé\(feminine) par \(caller)\(separator)la sauvegarde peut être restaurée dans un autre coffre du même abonnement et de la même zone géographique"
            }
        }
    }
}
