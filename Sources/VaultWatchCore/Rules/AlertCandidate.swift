/// What a rule says when an event should raise an alert; `AlertAggregator` turns it into a
/// new alert or folds it into the open one for the same (kind, vault, entity).
public struct AlertCandidate: Sendable {
    public var kind: AlertKind
    public var severity: Severity
    public var entity: AlertEntity
    /// The event that fired the rule: its time, vault and caller fill the alert; it becomes evidence.
    public var event: AuditEvent
    /// Sentences with the numbers behind the alert, in the context's language.
    public var reasons: [String]
    /// A narrower ATT&CK mapping than the kind's (a purge is Impact only); nil for the kind's.
    public var attack: AttackMapping?

    public init(
        kind: AlertKind, severity: Severity, entity: AlertEntity, event: AuditEvent, reasons: [String],
        attack: AttackMapping? = nil
    ) {
        self.kind = kind
        self.severity = severity
        self.entity = entity
        self.event = event
        self.reasons = reasons
        self.attack = attack
    }
}
