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
    /// About the vault as a whole (an hour's volume or mix), not one caller: the alert carries
    /// no principal, UPN, application or IP, though its evidence event does.
    public var isVaultWide: Bool
    /// Further events that belong to the evidence (the reads after an access change).
    public var relatedEvents: [AuditEvent]

    public init(
        kind: AlertKind, severity: Severity, entity: AlertEntity, event: AuditEvent, reasons: [String],
        attack: AttackMapping? = nil, isVaultWide: Bool = false, relatedEvents: [AuditEvent] = []
    ) {
        self.isVaultWide = isVaultWide
        self.relatedEvents = relatedEvents
        self.kind = kind
        self.severity = severity
        self.entity = entity
        self.event = event
        self.reasons = reasons
        self.attack = attack
    }
}
