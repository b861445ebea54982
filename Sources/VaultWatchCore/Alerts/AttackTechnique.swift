/// A MITRE ATT&CK (Enterprise) technique or sub-technique: how the adversary goes about the
/// tactic. Written in alert JSON as `"T1555.006 Credentials from Password Stores: Cloud Secrets
/// Management Stores"`, identifier first so a script can split on the first space.
public struct AttackTechnique: Sendable, Hashable, Codable, CustomStringConvertible {
    /// `T1555.006`.
    public var identifier: String
    /// ATT&CK's name, in English.
    public var name: String

    public init(identifier: String, name: String) {
        self.identifier = identifier
        self.name = name
    }

    public var description: String { "\(identifier) \(name)" }

    public static let validCloudAccounts = AttackTechnique(identifier: "T1078.004", name: "Valid Accounts: Cloud Accounts")
    public static let multiHopProxy = AttackTechnique(identifier: "T1090.003", name: "Proxy: Multi-hop Proxy")
    public static let cloudSecretsStores = AttackTechnique(
        identifier: "T1555.006", name: "Credentials from Password Stores: Cloud Secrets Management Stores")
    public static let cloudServiceDiscovery = AttackTechnique(identifier: "T1526", name: "Cloud Service Discovery")
    public static let cloudInfrastructureDiscovery = AttackTechnique(
        identifier: "T1580", name: "Cloud Infrastructure Discovery")
    public static let additionalCloudRoles = AttackTechnique(
        identifier: "T1098.003", name: "Account Manipulation: Additional Cloud Roles")
    public static let applicationAccessToken = AttackTechnique(
        identifier: "T1550.001", name: "Use Alternate Authentication Material: Application Access Token")
    public static let automatedCollection = AttackTechnique(identifier: "T1119", name: "Automated Collection")
    public static let dataDestruction = AttackTechnique(identifier: "T1485", name: "Data Destruction")
    public static let transferToCloudAccount = AttackTechnique(
        identifier: "T1537", name: "Transfer Data to Cloud Account")
}
