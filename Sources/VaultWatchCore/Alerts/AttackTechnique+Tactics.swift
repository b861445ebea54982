extension AttackTechnique {
    /// The ATT&CK tactics this technique is filed under in the Enterprise matrix, so that a
    /// shape that pairs a tactic with a technique (OCSF's `attack` object) pairs them as ATT&CK
    /// does, rather than crossing every tactic of an alert with every technique.
    /// Empty for a technique this table does not know (the pairing then lists it alone).
    public var attackTactics: [AttackTactic] {
        switch identifier {
        case "T1078.004": [.defenseEvasion, .persistence, .privilegeEscalation, .initialAccess]
        case "T1090.003": [.commandAndControl]
        case "T1555.006": [.credentialAccess]
        case "T1526": [.discovery]
        case "T1580": [.discovery]
        case "T1098.003": [.persistence, .privilegeEscalation]
        case "T1550.001": [.defenseEvasion, .lateralMovement]
        case "T1119": [.collection]
        case "T1485": [.impact]
        case "T1537": [.exfiltration]
        default: []
        }
    }

    /// Whether this is a sub-technique (`T1555.006`), as opposed to a technique (`T1526`).
    public var isSubTechnique: Bool { identifier.contains(".") }

    /// For a sub-technique, its parent technique (`T1555 Credentials from Password Stores`),
    /// whose name is the part of ATT&CK's sub-technique name before the colon; nil otherwise.
    public var parentTechnique: AttackTechnique? {
        guard let dot = identifier.firstIndex(of: ".") else { return nil }
        let parentName = name.split(separator: ":", maxSplits: 1).first.map(String.init) ?? name
        return AttackTechnique(identifier: String(identifier[..<dot]), name: parentName)
    }

    /// For a sub-technique, its own name without the parent's (`Cloud Secrets Management Stores`).
    public var subTechniqueName: String {
        let parts = name.split(separator: ":", maxSplits: 1)
        guard isSubTechnique, parts.count == 2 else { return name }
        return String(parts[1].drop(while: { $0 == " " }))
    }
}
