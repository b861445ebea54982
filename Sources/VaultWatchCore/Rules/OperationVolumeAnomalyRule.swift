// Behaviour: far more operations than usual — a script dumping a vault, a compromised
// pipeline identity reading everything, a runaway job.
// Signals, evaluated when an hour closes (event time passes it), so the count is complete
// and does not depend on arrival order:
// (1) a vault's hour is above median + max(madMultiplier·MAD, minimumMargin,
//     relativeMargin·median) of the same hour on the window's days of the same kind (weekday
//     or weekend), and above the same hour on the same weekday (a weekly job is not a spike).
//     Defaults 5, 20 and 1: at least double the usual, at least 20 more, and far outside the
//     usual spread; the margin keeps near-constant series (MAD 0) quiet.
// (2) a principal's hour on a vault is above max(principalMinimum, principalRatio·usual,
//     usual + principalMargin), usual being its busiest hour in that three-hour block of the
//     day (or half its busiest hour at any time) within the window. Defaults 60, 3 and 40.
// When a principal explains a vault's spike, only the principal's alert is raised. The alert's
// time and first evidence are the call that took the count over the threshold.

/// Raises `KV_OperationVolumeAnomaly` for an hour far above its baseline.
struct OperationVolumeAnomalyRule {
    var settings: BehaviourSettings.OperationVolume

    func evaluate(_ report: HourReports.VaultVolume, context: RuleContext, into candidates: inout [AlertCandidate]) {
        let vault = context.vaultName(report.vault)
        let band = report.band
        let usual = "\(context.number(band.median)) ± \(context.number(band.mad))"
        let slot = context.bandSlotPhrase(report.hour)
        var reasons: [String] = []
        switch context.language {
        case .en:
            reasons.append(
                "\(report.count) operations on vault \(vault) \(context.hourPhrase(report.hour)); usual for \(slot) is \(usual) (median ± MAD of \(band.samples) days), alert above \(band.threshold)")
            if report.isLate { reasons.append("the count went over the threshold with a record that arrived after the hour closed") }
        case .fr:
            reasons.append(
                "\(report.count) opérations sur le coffre \(vault) \(context.hourPhrase(report.hour)) ; l'habituel pour \(slot) est \(usual) (médiane ± MAD sur \(band.samples) jours), alerte au-delà de \(band.threshold)")
            if report.isLate { reasons.append("le seuil a été franchi par un enregistrement arrivé après la clôture de l'heure") }
        }
        reasons.append(context.callSentence(report.crossing))
        candidates.append(
            AlertCandidate(
                kind: .operationVolumeAnomaly, severity: .medium, entity: AlertEntity(), event: report.crossing,
                reasons: reasons, isVaultWide: true))
    }

    func evaluate(_ report: HourReports.PrincipalVolume, context: RuleContext, into candidates: inout [AlertCandidate]) {
        let vault = context.vaultName(report.vault)
        let caller = context.callerName(of: report.crossing)
        let reason: String
        switch context.language {
        case .en:
            reason = "\(caller) performed \(report.count) operations on vault \(vault) \(context.hourPhrase(report.hour)); its usual busiest hour at that time of day is \(report.usual), alert above \(report.threshold)"
        case .fr:
            reason = "\(caller) a effectué \(report.count) opérations sur le coffre \(vault) \(context.hourPhrase(report.hour)) ; son heure la plus chargée à ce moment de la journée est habituellement \(report.usual), alerte au-delà de \(report.threshold)"
        }
        candidates.append(
            AlertCandidate(
                kind: .operationVolumeAnomaly, severity: .medium, entity: .caller(of: report.crossing),
                event: report.crossing, reasons: [reason, context.callSentence(report.crossing)]))
    }
}
