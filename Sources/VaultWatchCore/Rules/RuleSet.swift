/// The rules a detector runs on every event, held as concrete values so the hot path
/// dispatches statically (no existential boxes, no per-event allocation).
///
/// To add a rule: a stored property and one line in `evaluate`. Behavioural rules that keep
/// baselines are `mutating`; their state lives here, owned by the detector actor.
struct RuleSet {
    var torAccess = TorAccessRule()
    var suspiciousIPAccess = SuspiciousIPAccessRule()
    var sensitiveOperation = SensitiveOperationRule()
    var testAlert = TestAlertRule()

    @inline(__always)
    mutating func evaluate(
        _ event: AuditEvent, traits: OperationTraits, context: RuleContext, into candidates: inout [AlertCandidate]
    ) {
        torAccess.evaluate(event, traits: traits, context: context, into: &candidates)
        suspiciousIPAccess.evaluate(event, traits: traits, context: context, into: &candidates)
        sensitiveOperation.evaluate(event, traits: traits, context: context, into: &candidates)
        testAlert.evaluate(event, traits: traits, context: context, into: &candidates)
    }
}
