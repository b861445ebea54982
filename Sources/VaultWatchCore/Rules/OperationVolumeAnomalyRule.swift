// Behaviour: far more operations than usual — a script dumping a vault, a compromised
// pipeline identity reading everything, a runaway job.
// Signals, evaluated when an hour closes (event time passes it), so the count is complete
// and does not depend on arrival order. Both are DESIGN §4's median + max(k·MAD, margin)
// (`VolumeBand`), over different samples:
// (1) a principal's hour on a vault, against its usual burst: its busiest hour on each day it
//     was active in the window (`BurstHistory`), whatever the hour — deploys, restarts, CI
//     jobs and renewals burst at unpredictable hours, so the size is the habit, not the time.
//     Alert above max(principalMinimum, median + max(madMultiplier·MAD, principalMargin,
//     (principalRatio − 1)·median)). Defaults 60, 5, 40 and 3: three times its usual burst.
//     An hour that touched no more distinct objects than the principal's busiest hours in the
//     window (`BurstHistory.isUsualLoad`) is more replicas of its usual load (a service whose
//     replicas doubled, deploying twice in an hour), not a dump or a mass read, which touch
//     many objects: it alerts only above replicaRatio (5) times its usual burst, a runaway job,
//     and then as any hour above the threshold does (the same reasons and crossing call). When
//     the objects could change the limit, a reason says which limit held the hour and why: its
//     distinct objects, how many were new to it, against its busiest hours' (`replicaReason`).
// (2) a vault's hour, against the same local hour on the window's days of the same kind
//     (weekday or weekend, in the vault's clock: `LocalClock`), and at least the same hour on
//     the same weekday: median + max(madMultiplier·MAD, minimumMargin, relativeMargin·median),
//     defaults 5, 20 and 1. Before the vault's hour is called anomalous, the excess is
//     attributed to its principals: calls within a principal's habit (up to its largest burst,
//     or principalRatio times its usual one: within that, its whole count) are explained, and
//     only count − explained is compared (`BurstHistory.explained`).
// When a principal explains a vault's spike, only the principal's alert is raised. Hours that
// alerted are not learned. The alert's time and first evidence are the call that took the
// count over the threshold.

/// Raises `KV_OperationVolumeAnomaly` for an hour far above its baseline.
struct OperationVolumeAnomalyRule {
    var settings: BehaviourSettings.OperationVolume

    func evaluate(_ report: HourReports.VaultVolume, context: RuleContext, into candidates: inout [AlertCandidate]) {
        let vault = context.vaultName(report.vault)
        let band = report.band
        let usual = "\(context.number(band.median)) ± \(context.number(band.mad))"
        let slot = context.bandSlotPhrase(report.hour, clock: report.clock)
        var reasons: [String] = []
        switch context.language {
        case .en:
            reasons.append(
                "\(report.count) operations on vault \(vault) \(context.hourPhrase(report.hour)); usual for \(slot) is \(usual) (median ± MAD of \(band.samples) days), alert above \(band.threshold)")
            if report.explained > 0 {
                let habits = report.habits.map { "\(context.principalName($0.principal)) \($0.count), usual burst \($0.usualBurst)" }
                reasons.append(
                    "\(report.explained) of them are its callers' usual bursts (\(habits.joined(separator: "; "))); the other \(report.count - report.explained) are still above \(band.threshold)")
            }
            if report.isLate { reasons.append("the count went over the threshold with a record that arrived after the hour closed") }
            if report.lateCallersOnly {
                reasons.append("the hour had closed more than \(ClosedHours.keptHours) hours before: only the calls that arrived late are counted by caller")
            }
        case .fr:
            reasons.append(
                "\(report.count) opérations sur le coffre \(vault) \(context.hourPhrase(report.hour)) ; l'habituel pour \(slot) est \(usual) (médiane ± MAD sur \(band.samples) jours), alerte au-delà de \(band.threshold)")
            if report.explained > 0 {
                let habits = report.habits.map { "\(context.principalName($0.principal)) \($0.count), rafale habituelle \($0.usualBurst)" }
                reasons.append(
                    "\(report.explained) d'entre elles sont les rafales habituelles de ses appelants (\(habits.joined(separator: " ; "))) ; les \(report.count - report.explained) autres dépassent encore \(band.threshold)")
            }
            if report.isLate { reasons.append("le seuil a été franchi par un enregistrement arrivé après la clôture de l'heure") }
            if report.lateCallersOnly {
                reasons.append("l'heure était close depuis plus de \(ClosedHours.keptHours) heures : seuls les appels arrivés en retard sont comptés par appelant")
            }
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
        let hour = context.hourPhrase(report.hour)
        var reasons: [String] = []
        switch context.language {
        case .en:
            if let band = report.band {
                reasons.append(
                    "\(caller) performed \(report.count) operations on vault \(vault) \(hour); its usual burst there is \(context.number(band.median)) ± \(context.number(band.mad)) (its busiest hour on each of \(band.samples) active days, largest \(band.sameWeekdayMaximum)), alert above \(report.threshold)")
            } else {
                reasons.append(
                    "\(caller) performed \(report.count) operations on vault \(vault) \(hour); it has no busy hour there in the window, alert above \(report.threshold)")
            }
            if let vaultBand = report.vaultBand {
                reasons.append(
                    "vault \(vault) usually sees \(context.number(vaultBand.median)) ± \(context.number(vaultBand.mad)) operations at \(context.bandSlotPhrase(report.hour, clock: report.clock)), alert above \(vaultBand.threshold)")
            }
            if let verdict = report.replicas { reasons.append(replicaReason(verdict, threshold: report.threshold, context: context)) }
            if report.isLate { reasons.append("the count went over the threshold with a record that arrived after the hour closed") }
            if report.lateCallersOnly {
                reasons.append("the hour had closed more than \(ClosedHours.keptHours) hours before: only the calls that arrived late are counted by caller")
            }
        case .fr:
            if let band = report.band {
                reasons.append(
                    "\(caller) a effectué \(report.count) opérations sur le coffre \(vault) \(hour) ; sa rafale habituelle y est de \(context.number(band.median)) ± \(context.number(band.mad)) (son heure la plus chargée sur chacun de \(band.samples) jours d'activité, au plus \(band.sameWeekdayMaximum)), alerte au-delà de \(report.threshold)")
            } else {
                reasons.append(
                    "\(caller) a effectué \(report.count) opérations sur le coffre \(vault) \(hour) ; il n'y a aucune heure chargée dans la fenêtre, alerte au-delà de \(report.threshold)")
            }
            if let vaultBand = report.vaultBand {
                reasons.append(
                    "le coffre \(vault) voit habituellement \(context.number(vaultBand.median)) ± \(context.number(vaultBand.mad)) opérations pour \(context.bandSlotPhrase(report.hour, clock: report.clock)), alerte au-delà de \(vaultBand.threshold)")
            }
            if let verdict = report.replicas { reasons.append(replicaReason(verdict, threshold: report.threshold, context: context)) }
            if report.isLate { reasons.append("le seuil a été franchi par un enregistrement arrivé après la clôture de l'heure") }
            if report.lateCallersOnly {
                reasons.append("l'heure était close depuis plus de \(ClosedHours.keptHours) heures : seuls les appels arrivés en retard sont comptés par appelant")
            }
        }
        reasons.append(context.callSentence(report.crossing))
        candidates.append(
            AlertCandidate(
                kind: .operationVolumeAnomaly, severity: .medium, entity: .caller(of: report.crossing),
                event: report.crossing, reasons: reasons))
    }

    /// Why the hour was held to the ceiling of more replicas or to its threshold
    /// (`HourReports.ReplicaVerdict`), so the analyst sees what the hour's objects said: the same
    /// secrets read by more replicas, more objects than its busiest hours, or other ones.
    func replicaReason(_ verdict: HourReports.ReplicaVerdict, threshold: Int, context: RuleContext) -> String {
        let objects = verdict.objects
        let usual = verdict.usualObjects
        // A new object is one the fingerprint does not hold: it never calls a learned object new,
        // but may take a new one for learned (`ObjectFingerprint`), so new counts are "at least".
        switch context.language {
        case .en:
            let new = verdict.newObjects.map { ", at least \($0) of them not among those its hours there touched in the window" } ?? ""
            if verdict.isUsualLoad {
                return "more replicas of its usual load: it touched \(objects) distinct objects, no more than its busiest hours' \(usual) plus a quarter, and at most \(verdict.mostNewObjects) of them (a quarter of \(usual)) were not among those its hours there touched in the window, so the hour is held to the replicas' ceiling \(verdict.ceiling), not its threshold \(threshold)"
            }
            if objects > verdict.mostObjects {
                return "not more replicas of its usual load: it touched \(objects) distinct objects, more than its busiest hours' \(usual) plus a quarter (\(verdict.mostObjects))\(new), so the hour is held to its threshold \(threshold), not the replicas' ceiling \(verdict.ceiling)"
            }
            return "not more replicas of its usual load: at least \(verdict.newObjects ?? 0) of the \(objects) distinct objects it touched were not among those its hours there touched in the window, where more replicas would bring at most \(verdict.mostNewObjects) such objects (a quarter of its busiest hours' \(usual)), so the hour is held to its threshold \(threshold), not the replicas' ceiling \(verdict.ceiling)"
        case .fr:
            let new = verdict.newObjects.map { ", dont au moins \($0) hors de ceux que ses heures y ont touchés dans la fenêtre" } ?? ""
            if verdict.isUsualLoad {
                return "davantage de réplicas de sa charge habituelle : \(objects) objets distincts touchés, pas plus que les \(usual) de ses heures les plus chargées plus un quart, et au plus un quart de \(usual) (\(verdict.mostNewObjects)) hors de ceux que ses heures y ont touchés dans la fenêtre, donc l'heure est tenue au plafond des réplicas \(verdict.ceiling), non à son seuil \(threshold)"
            }
            if objects > verdict.mostObjects {
                return "pas davantage de réplicas de sa charge habituelle : \(objects) objets distincts touchés, plus que les \(usual) de ses heures les plus chargées plus un quart (\(verdict.mostObjects))\(new), donc l'heure est tenue à son seuil \(threshold), non au plafond des réplicas \(verdict.ceiling)"
            }
            return "pas davantage de réplicas de sa charge habituelle : au moins \(verdict.newObjects ?? 0) des \(objects) objets distincts touchés sont hors de ceux que ses heures y ont touchés dans la fenêtre (au plus un quart des \(usual) de ses heures les plus chargées, \(verdict.mostNewObjects), peuvent l'être), donc l'heure est tenue à son seuil \(threshold), non au plafond des réplicas \(verdict.ceiling)"
        }
    }
}
