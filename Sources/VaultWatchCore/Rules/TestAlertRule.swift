// Behaviour: an operator checking the whole path end to end — vault logs, transport,
// VaultWatch, alert consumers — by touching a reserved object in a production vault.
// Signal: any operation, by anyone, with any outcome, on an object named exactly
// `vaultwatch-test-alert` (a secret, key or certificate).
// Threshold: every such call, because the point is to prove that one event gives one alert;
// repeats within 24 h fold into it, so a test loop does not flood the console.

/// Raises `KV_TestAlert` (Informational) for any operation on `vaultwatch-test-alert`.
public struct TestAlertRule: DetectionRule {
    public init() {}

    public func evaluate(
        _ event: AuditEvent, traits: OperationTraits, context: RuleContext, into candidates: inout [AlertCandidate]
    ) {
        guard event.objectName == context.testObjectSymbol else { return }
        let reason: String
        switch context.language {
        case .en:
            reason = "\(RuleContext.testObjectName) is reserved for VaultWatch's end-to-end test; any operation on it raises this alert"
        case .fr:
            reason = "\(RuleContext.testObjectName) est réservé au test de bout en bout de VaultWatch ; toute opération sur cet objet lève cette alerte"
        }
        candidates.append(
            AlertCandidate(
                kind: .testAlert, severity: .informational, entity: .caller(of: event), event: event,
                reasons: [context.callSentence(event), reason]))
    }
}
