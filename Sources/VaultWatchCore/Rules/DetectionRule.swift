/// A detection rule: looks at one event at a time and proposes alerts.
///
/// Stateless rules (IP lists, sensitive operations) ignore `mutating`; behavioural rules keep
/// their baselines in the rule value, so the detector that owns the rule owns its state.
/// - Important: the hot path. `evaluate` runs for every event and must not allocate, touch
///   strings or take locks unless it fires; compare `Symbol`s and `OperationTraits`, not text.
public protocol DetectionRule: Sendable {
    /// Appends a candidate to `candidates` for each alert `event` raises; appends nothing otherwise.
    /// - Parameter traits: the event's operation, classified once per distinct name.
    mutating func evaluate(
        _ event: AuditEvent, traits: OperationTraits, context: RuleContext, into candidates: inout [AlertCandidate])
}
