/// An alert: what was seen, about whom, on which vault, why it matters and what to do.
///
/// A value that leaves the detector over its stream, is stored, shown and exported. It holds
/// text, not `Symbol`s, so it can be read anywhere without the detector's symbol table.
/// Repeats of the same (kind, vault, entity) within the aggregation window update one alert:
/// the same `id` with a higher `count` and a later `lastSeen`. Consumers upsert by `id`.
public struct Alert: Sendable, Hashable, Identifiable {
    /// Deterministic: see `AlertID`. The same events give the same ids on every run.
    public var id: String
    public var kind: AlertKind
    /// In the catalogue language chosen when the alert was raised.
    public var displayName: String
    public var severity: Severity
    public var status: AlertStatus
    /// The vault's name (lowercased, as events carry it).
    public var vault: String?
    public var resourceID: String?
    /// The caller's object id, on every alert that has one caller.
    public var principalID: String?
    public var upn: String?
    public var appID: String?
    public var ip: IPAddress?
    public var firstSeen: EventTime
    public var lastSeen: EventTime
    /// How many events raised this alert (the first one and every repeat folded into it).
    public var count: Int
    /// Plain sentences with the numbers behind the alert, refreshed by the latest repeat.
    public var reasons: [String]
    /// The first events behind the alert, up to the detector's evidence limit.
    public var evidence: [AlertEvidence]
    public var tactics: [AttackTactic]
    public var techniques: [AttackTechnique]
    public var description: String
    public var remediation: String
    /// A made-up alert from `SampleAlerts`, never a detection.
    public var isSample: Bool

    public init(
        id: String, kind: AlertKind, displayName: String, severity: Severity, status: AlertStatus = .active,
        vault: String?, resourceID: String? = nil, principalID: String? = nil, upn: String? = nil,
        appID: String? = nil, ip: IPAddress? = nil, firstSeen: EventTime, lastSeen: EventTime, count: Int = 1,
        reasons: [String] = [], evidence: [AlertEvidence] = [], tactics: [AttackTactic] = [],
        techniques: [AttackTechnique] = [], description: String, remediation: String, isSample: Bool = false
    ) {
        self.id = id
        self.kind = kind
        self.displayName = displayName
        self.severity = severity
        self.status = status
        self.vault = vault
        self.resourceID = resourceID
        self.principalID = principalID
        self.upn = upn
        self.appID = appID
        self.ip = ip
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.count = count
        self.reasons = reasons
        self.evidence = evidence
        self.tactics = tactics
        self.techniques = techniques
        self.description = description
        self.remediation = remediation
        self.isSample = isSample
    }
}
