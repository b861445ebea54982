extension AlertKind {
    /// Where the kind sits in MITRE ATT&CK. Chosen for what an attacker would be doing if the
    /// alert is a true positive:
    /// - Tor and threat-intel IPs: someone holding working cloud credentials (T1078.004) hides
    ///   their origin behind relays (T1090.003, a Command and Control technique; using valid
    ///   accounts is also Defense Evasion) to read secrets (T1555.006).
    /// - Policy change then read: granting oneself or another principal access (T1098.003).
    /// - Listing then mass reads, volume and pattern anomalies: dumping the store (T1555.006),
    ///   after enumerating it (T1526) and often by script (T1119).
    /// - Unusual user, app or pair: stolen accounts or application tokens (T1078.004, T1550.001).
    /// - Denials on many vaults: probing what the identity can reach (T1526, T1580).
    /// - Delete and purge destroy (T1485); a backup moves key material out (T1537).
    public var attackMapping: AttackMapping {
        switch self {
        case .torAccess:
            AttackMapping(
                tactics: [.initialAccess, .defenseEvasion, .commandAndControl],
                techniques: [.validCloudAccounts, .multiHopProxy])
        case .suspiciousIPAccess:
            AttackMapping(
                tactics: [.initialAccess, .credentialAccess],
                techniques: [.validCloudAccounts, .cloudSecretsStores])
        case .suspiciousIPAccessDenied:
            AttackMapping(
                tactics: [.initialAccess, .discovery],
                techniques: [.validCloudAccounts, .cloudServiceDiscovery])
        case .putGetAnomaly:
            AttackMapping(
                tactics: [.persistence, .privilegeEscalation, .credentialAccess],
                techniques: [.additionalCloudRoles, .cloudSecretsStores])
        case .listGetAnomaly:
            AttackMapping(
                tactics: [.discovery, .credentialAccess],
                techniques: [.cloudServiceDiscovery, .cloudSecretsStores])
        case .userAnomaly:
            AttackMapping(
                tactics: [.initialAccess, .credentialAccess],
                techniques: [.validCloudAccounts, .cloudSecretsStores])
        case .appAnomaly:
            AttackMapping(
                tactics: [.initialAccess, .defenseEvasion, .credentialAccess],
                techniques: [.validCloudAccounts, .applicationAccessToken, .cloudSecretsStores])
        case .userAppAnomaly:
            AttackMapping(
                tactics: [.initialAccess, .defenseEvasion],
                techniques: [.validCloudAccounts, .applicationAccessToken])
        case .userAccessDeniedAnomaly:
            AttackMapping(
                tactics: [.initialAccess, .discovery],
                techniques: [.validCloudAccounts, .cloudServiceDiscovery])
        case .operationPatternAnomaly:
            AttackMapping(
                tactics: [.discovery, .credentialAccess],
                techniques: [.cloudServiceDiscovery, .cloudSecretsStores])
        case .operationVolumeAnomaly:
            AttackMapping(
                tactics: [.collection, .credentialAccess],
                techniques: [.automatedCollection, .cloudSecretsStores])
        case .accountVolumeAnomaly:
            AttackMapping(
                tactics: [.discovery, .credentialAccess],
                techniques: [.cloudServiceDiscovery, .cloudSecretsStores])
        case .accountVolumeAccessDeniedAnomaly:
            AttackMapping(
                tactics: [.discovery],
                techniques: [.cloudServiceDiscovery, .cloudInfrastructureDiscovery])
        case .unusualAccessSuspiciousIP:
            AttackMapping(
                tactics: [.initialAccess, .credentialAccess],
                techniques: [.validCloudAccounts, .cloudSecretsStores])
        case .sensitiveOperation:
            AttackMapping(
                tactics: [.impact, .exfiltration],
                techniques: [.dataDestruction, .transferToCloudAccount])
        case .testAlert:
            .none
        }
    }
}
