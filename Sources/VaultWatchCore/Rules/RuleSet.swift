/// The rules a detector runs, held as concrete values so the hot path dispatches statically
/// (no existential boxes, no per-event allocation).
///
/// Stateless rules (`evaluate`) run on each event as it arrives. Behavioural rules read what
/// the baselines knew before the event (`evaluateBehaviour`, on events in event-time order)
/// or what an hour held when it closed (`evaluateHours`). To add a rule: a stored property and
/// one line in the matching function.
struct RuleSet {
    var torAccess = TorAccessRule()
    var suspiciousIPAccess = SuspiciousIPAccessRule()
    var sensitiveOperation = SensitiveOperationRule()
    var testAlert = TestAlertRule()

    var settings = BehaviourSettings()
    var userAnomaly = UserAnomalyRule()
    var appAnomaly = AppAnomalyRule()
    var userAppAnomaly = UserAppAnomalyRule()
    var userAccessDeniedAnomaly = UserAccessDeniedAnomalyRule()
    var operationPattern = OperationPatternAnomalyRule(settings: .init(), learningDays: 7)
    var operationVolume = OperationVolumeAnomalyRule(settings: .init())
    var accountVolume = AccountVolumeAnomalyRule(settings: .init())
    var accountVolumeDenied = AccountVolumeAccessDeniedAnomalyRule(settings: .init())
    var unusualIP = UnusualAccessSuspiciousIPRule(settings: .init(), trustedRanges: .empty)
    var listGet = ListGetAnomalyRule(settings: .init())
    var putGet = PutGetAnomalyRule(settings: .init())

    init() {}

    init(settings: BehaviourSettings, trustedRanges: IPRangeSet) {
        self.settings = settings
        operationPattern = OperationPatternAnomalyRule(settings: settings.operationPattern, learningDays: settings.learningDays)
        operationVolume = OperationVolumeAnomalyRule(settings: settings.operationVolume)
        accountVolume = AccountVolumeAnomalyRule(settings: settings.accountVolume)
        accountVolumeDenied = AccountVolumeAccessDeniedAnomalyRule(settings: settings.accountVolumeDenied)
        unusualIP = UnusualAccessSuspiciousIPRule(settings: settings.unusualIP, trustedRanges: trustedRanges)
        listGet = ListGetAnomalyRule(settings: settings.listGet)
        putGet = PutGetAnomalyRule(settings: settings.putGet)
    }

    /// Runs the stateless rules; the sensitive-operation rule also reads and teaches which
    /// sensitive operations are routine (`routine`, part of the learned state).
    @inline(__always)
    mutating func evaluate(
        _ event: AuditEvent, traits: OperationTraits, context: RuleContext, routine: inout RoutineOperations,
        into candidates: inout [AlertCandidate]
    ) {
        torAccess.evaluate(event, traits: traits, context: context, into: &candidates)
        suspiciousIPAccess.evaluate(event, traits: traits, context: context, into: &candidates)
        if traits.sensitiveAction != nil || !traits.isReadOnly {
            sensitiveOperation.evaluate(
                event, traits: traits, context: context, routine: &routine, settings: settings, into: &candidates)
        }
        testAlert.evaluate(event, traits: traits, context: context, into: &candidates)
    }

    /// Which learning-sensitive rules fired for one event, so the baseline keeps what raised an
    /// alert out of what it learns (`BehaviourBaseline.settle`).
    struct Fired {
        var reached = false
        var denied = false
        var listGet = false
        var putGet = false

        var any: Bool { reached || denied || listGet || putGet }
    }

    /// Runs the per-event behavioural rules. Disabled kinds are dropped by the detector.
    /// `mutating` though it changes nothing: called on the detector's stored rule set, a
    /// non-mutating call copied the whole set (its settings and every rule's, about twenty
    /// references retained and released) for every event; a mutating one works in place.
    mutating func evaluateBehaviour(
        _ event: AuditEvent, _ observation: BaselineObservation, context: RuleContext,
        into candidates: inout [AlertCandidate]
    ) -> Fired {
        userAnomaly.evaluate(event, observation, context: context, into: &candidates)
        appAnomaly.evaluate(event, observation, context: context, into: &candidates)
        userAppAnomaly.evaluate(event, observation, context: context, into: &candidates)
        userAccessDeniedAnomaly.evaluate(event, observation, context: context, into: &candidates)
        operationPattern.evaluate(event, observation, context: context, into: &candidates)
        unusualIP.evaluate(event, observation, context: context, into: &candidates)
        var fired = Fired()
        if observation.listRead != nil, settings.isEnabled(.listGetAnomaly) {
            fired.listGet = listGet.evaluate(event, observation, context: context, into: &candidates)
        }
        if observation.changeRead != nil, settings.isEnabled(.putGetAnomaly) {
            fired.putGet = putGet.evaluate(event, observation, context: context, into: &candidates)
        }
        if observation.reachedVaults != nil, settings.isEnabled(.accountVolumeAnomaly) {
            fired.reached = accountVolume.evaluate(event, observation, context: context, into: &candidates)
        }
        if observation.deniedVaults != nil, settings.isEnabled(.accountVolumeAccessDeniedAnomaly) {
            fired.denied = accountVolumeDenied.evaluate(event, observation, context: context, into: &candidates)
        }
        return fired
    }

    /// Runs the hourly rules on what closing hours found (`mutating` for the reason above).
    mutating func evaluateHours(_ reports: HourReports, context: RuleContext, into candidates: inout [AlertCandidate]) {
        for report in reports.principalVolumes { operationVolume.evaluate(report, context: context, into: &candidates) }
        for report in reports.vaultVolumes { operationVolume.evaluate(report, context: context, into: &candidates) }
        for mix in reports.rareMixes { operationPattern.evaluate(mix, context: context, into: &candidates) }
    }
}
