// Behaviour: a vault suddenly used in a way it never is — a purge, backup, key export or
// listing run on a vault that only ever serves reads, or an hour dominated by such operations.
// Signals: (1) a call (not refused) of an operation type the vault has not performed within
// the memory (90 days), or an operation that changes the vault (not a read, list or key use) that this
// principal — with `learningDays` of its own history on the vault — has never performed on it
// (a service that only reads suddenly writing) nor on any other vault: a person who writes
// secrets now and then on the vaults they use, writing for the first time on one where the
// operation is known, is not that (a held-out tenant's users alerted 6 to 10 times a month);
// a type new to the vault itself alerts too, unless its caller performs it on another vault
// (before this hour): an admin who sets secrets and lists their versions on the vaults they run,
// doing so for the first time on one where nobody did, brings a habit, not an anomaly (the
// held-out tenant's admins alerted 3 times a month). The trade: an admin's stolen token doing
// on a new vault what the admin does elsewhere is left to the other rules — list→reads,
// volume, change→read, many vaults, an unfamiliar network — while a type the admin performs
// nowhere, or one first used elsewhere in the same hour (a spree), still alerts here;
// (2) when an hour closes, operation types that are known but rare on the vault
// (under `rareShare`, default 1%, of its usual mix) make up at least `rareHourShare` (50%) of
// an hour of at least `mixMinimumOperations` (30) operations. Both wait for the vault to arm.
// Thresholds: a new type is rare enough to be worth a look on its own; the mix test needs a
// busy hour and a clear majority, so a single odd call in a quiet hour does not count. Types
// new this hour are left to signal (1), so one change of habit raises one alert.

/// Raises `KV_OperationPatternAnomaly` for a new operation type or a rare-dominated hour.
struct OperationPatternAnomalyRule {
    var settings: BehaviourSettings.OperationPattern

    var learningDays: Int

    func evaluate(
        _ event: AuditEvent, _ observation: BaselineObservation, context: RuleContext,
        into candidates: inout [AlertCandidate]
    ) {
        guard settings.newOperations, observation.vaultArmed, event.outcome != .denied else { return }
        // One test for both signals: a type the principal performs on another vault is its habit
        // arriving here, not the vault's anomaly nor the principal's.
        let newToVault = !observation.operationKnownOnVault && !observation.operationKnownForPrincipalElsewhere
        let newToPrincipal = observation.operationChangesVault && !observation.operationKnownForPrincipal
            && !observation.operationKnownForPrincipalElsewhere && observation.principalReachedVault
            && observation.principalHistoryDays >= learningDays
        guard newToVault || newToPrincipal else { return }
        let operation = context.symbols.string(event.operation) ?? "?"
        let vault = context.vaultName(event.vault)
        let history = context.historyPhrase(days: observation.vaultHistoryDays)
        let reason: String
        switch (context.language, newToVault) {
        case (.en, true): reason = "operation \(operation) has not been performed on vault \(vault) \(history)"
        case (.fr, true): reason = "l'opération \(operation) n'a pas été effectuée sur le coffre \(vault) \(history)"
        case (.en, false):
            let caller = context.callerName(of: event)
            reason = "\(caller) has not performed \(operation) on vault \(vault) in its \(observation.principalHistoryDays) days of history there; it only used other operations"
        case (.fr, false):
            let caller = context.callerName(of: event)
            reason = "\(caller) n'a jamais effectué \(operation) sur le coffre \(vault) en \(observation.principalHistoryDays) jours d'historique ; il n'y utilisait que d'autres opérations"
        }
        candidates.append(
            AlertCandidate(
                kind: .operationPatternAnomaly, severity: .medium, entity: .callerAndOperation(of: event),
                event: event, reasons: [reason, context.callSentence(event)]))
    }

    func evaluate(_ mix: HourReports.RareMix, context: RuleContext, into candidates: inout [AlertCandidate]) {
        let vault = context.vaultName(mix.vault)
        let listed = mix.rareOperations.prefix(5).map { operation in
            context.language == .fr
                ? "\(operation.name) ×\(operation.count) (habituellement \(context.percent(operation.usualShare)))"
                : "\(operation.name) ×\(operation.count) (usually \(context.percent(operation.usualShare)))"
        }.joined(separator: ", ")
        let threshold = context.percent(settings.rareShare)
        let reason: String
        switch context.language {
        case .en:
            reason = "\(mix.rareCount) of the \(mix.total) operations on vault \(vault) \(context.hourPhrase(mix.hour)) were of types that make up under \(threshold) of its usual mix: \(listed)"
        case .fr:
            reason = "\(mix.rareCount) des \(mix.total) opérations sur le coffre \(vault) \(context.hourPhrase(mix.hour)) sont de types qui pèsent moins de \(threshold) de son profil habituel : \(listed)"
        }
        candidates.append(
            AlertCandidate(
                kind: .operationPatternAnomaly, severity: .medium, entity: AlertEntity(), event: mix.sample,
                reasons: [reason, context.callSentence(mix.sample)], isVaultWide: true))
    }
}
