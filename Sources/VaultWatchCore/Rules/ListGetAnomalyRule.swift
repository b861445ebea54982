// Behaviour: enumerate, then take everything — an intruder lists a vault's secrets and reads
// them one after another.
// Signal: a `SecretList*` by a principal on a vault, then successful `SecretGet`s of distinct
// secrets by the same principal within `windowMinutes` (60) of the list.
// Threshold: the read that brings the distinct count to max(minimumDistinctReads, the most the
// principal read after a list on this vault within the window × usualRatio, plus one) —
// defaults 5 and 2. A web app that lists and reads its ten secrets at each restart has a usual
// of ten and stays quiet; a principal that never lists then reads alerts at its fifth secret.
// A principal back after more than the window away (a month-end close) is judged by its
// remembered runs within the memory, its arrival's included (`PairBaseline.usualListRead`).
// One alert per sequence; the vault must be armed.

/// Raises `KV_ListGetAnomaly` for a listing followed by unusually many reads.
struct ListGetAnomalyRule {
    var settings: BehaviourSettings.ListGet

    func firingPoint(usualPeak: Int) -> Int {
        max(settings.minimumDistinctReads, Int((settings.usualRatio * Double(usualPeak)).rounded(.down)) + 1)
    }

    @discardableResult
    func evaluate(
        _ event: AuditEvent, _ observation: BaselineObservation, context: RuleContext,
        into candidates: inout [AlertCandidate]
    ) -> Bool {
        guard observation.vaultArmed, let read = observation.listRead,
            read.distinctSecrets == firingPoint(usualPeak: read.usualPeak)
        else { return false }
        let caller = context.callerName(of: event)
        let vault = context.vaultName(event.vault)
        let listed = context.clock(read.listTime)
        let minutes = settings.windowMinutes
        let reason: String
        switch context.language {
        case .en:
            reason = "\(caller) listed the secrets of vault \(vault) at \(listed) and then read \(read.distinctSecrets) distinct secrets within \(minutes) minutes; the most it read after a list in the window is \(read.usualPeak), alert from \(read.distinctSecrets)"
        case .fr:
            reason = "\(caller) a listé les secrets du coffre \(vault) à \(listed) puis lu \(read.distinctSecrets) secrets distincts en moins de \(minutes) minutes ; le plus qu'il ait lu après une liste dans la fenêtre est \(read.usualPeak), alerte à partir de \(read.distinctSecrets)"
        }
        candidates.append(
            AlertCandidate(
                kind: .listGetAnomaly, severity: .medium, entity: .caller(of: event), event: event,
                reasons: [reason, context.callSentence(event)],
                // The listing and the earlier reads: the sequence the reason describes.
                relatedEvents: read.events.filter { $0 != event }))
        return true
    }
}
