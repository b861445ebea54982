/// A MITRE ATT&CK (Enterprise) tactic: the adversary's goal behind the behaviour an alert
/// catches. The raw value is ATT&CK's own name, kept in English in every language so that
/// analysts can search for it.
public enum AttackTactic: String, Sendable, Hashable, CaseIterable, Codable {
    case reconnaissance = "Reconnaissance"
    case initialAccess = "Initial Access"
    case persistence = "Persistence"
    case privilegeEscalation = "Privilege Escalation"
    case defenseEvasion = "Defense Evasion"
    case credentialAccess = "Credential Access"
    case discovery = "Discovery"
    case lateralMovement = "Lateral Movement"
    case collection = "Collection"
    case commandAndControl = "Command and Control"
    case exfiltration = "Exfiltration"
    case impact = "Impact"

    /// ATT&CK's identifier of the tactic (`TA0006` for Credential Access).
    public var identifier: String {
        switch self {
        case .reconnaissance: "TA0043"
        case .initialAccess: "TA0001"
        case .persistence: "TA0003"
        case .privilegeEscalation: "TA0004"
        case .defenseEvasion: "TA0005"
        case .credentialAccess: "TA0006"
        case .discovery: "TA0007"
        case .lateralMovement: "TA0008"
        case .collection: "TA0009"
        case .commandAndControl: "TA0011"
        case .exfiltration: "TA0010"
        case .impact: "TA0040"
        }
    }
}
