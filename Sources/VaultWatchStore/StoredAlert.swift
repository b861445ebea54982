import VaultWatchCore

/// An `Alert` as JSON, every field exactly (times in ticks, the IP as text, evidence as
/// `StoredEvidence`), for the open alerts' states a clean stop saves apart from the `alert`
/// table (`DetectionProgress.resumeStates`).
struct StoredAlert: Codable {
    var id: String
    var kind: String
    var displayName: String
    var severity: String
    var status: String
    var vault: String?
    var resourceID: String?
    var principalID: String?
    var upn: String?
    var appID: String?
    var ip: String?
    var firstSeen: Int64
    var lastSeen: Int64
    var count: Int
    var reasons: [String]
    var evidence: [StoredEvidence]
    var tactics: [String]
    var techniques: [AttackTechnique]
    var description: String
    var remediation: String
    var isSample: Bool

    init(_ alert: Alert) {
        id = alert.id
        kind = alert.kind.rawValue
        displayName = alert.displayName
        severity = alert.severity.rawValue
        status = alert.status.rawValue
        vault = alert.vault
        resourceID = alert.resourceID
        principalID = alert.principalID
        upn = alert.upn
        appID = alert.appID
        ip = alert.ip?.description
        firstSeen = alert.firstSeen.ticks
        lastSeen = alert.lastSeen.ticks
        count = alert.count
        reasons = alert.reasons
        evidence = alert.evidence.map(StoredEvidence.init)
        tactics = alert.tactics.map(\.rawValue)
        techniques = alert.techniques
        description = alert.description
        remediation = alert.remediation
        isSample = alert.isSample
    }

    /// The alert, or nil when a value is not one VaultWatch writes.
    var alert: Alert? {
        guard let kind = AlertKind(rawValue: kind), let severity = Severity(rawValue: severity),
            let status = AlertStatus(rawValue: status)
        else { return nil }
        return Alert(
            id: id, kind: kind, displayName: displayName, severity: severity, status: status, vault: vault,
            resourceID: resourceID, principalID: principalID, upn: upn, appID: appID, ip: ip.flatMap(IPAddress.init),
            firstSeen: EventTime(ticks: firstSeen), lastSeen: EventTime(ticks: lastSeen), count: count, reasons: reasons,
            evidence: evidence.map(\.evidence), tactics: tactics.compactMap(AttackTactic.init(rawValue:)),
            techniques: techniques, description: description, remediation: remediation, isSample: isSample)
    }
}
