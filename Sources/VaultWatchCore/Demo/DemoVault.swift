/// A key vault of the demo tenant: where it lives and what it holds.
public struct DemoVault: Sendable, Hashable {
    /// The vault name as created (`kv-payments-prod`); events carry it lowercased.
    public var name: String
    /// What the vault is for, in a few words (the README's vault table).
    public var purpose: String
    public var subscriptionID: String
    public var resourceGroup: String
    public var location: String
    /// Azure RBAC (`isRbacAuthorized` in records) rather than access policies (`isAccessPolicyMatch`).
    public var usesRBAC: Bool
    /// A firewall that admits only the company's networks and Azure services.
    public var hasFirewall: Bool
    public var secrets: [String]
    public var keys: [String]
    public var certificates: [String]

    public init(
        name: String, purpose: String, subscriptionID: String, resourceGroup: String, location: String = "westeurope",
        usesRBAC: Bool, hasFirewall: Bool = false, secrets: [String], keys: [String] = [], certificates: [String] = []
    ) {
        self.name = name
        self.purpose = purpose
        self.subscriptionID = subscriptionID
        self.resourceGroup = resourceGroup
        self.location = location
        self.usesRBAC = usesRBAC
        self.hasFirewall = hasFirewall
        self.secrets = secrets
        self.keys = keys
        self.certificates = certificates
    }

    /// `resourceId` as the service writes it in records and blob paths: upper case.
    public var resourceID: String {
        "/SUBSCRIPTIONS/\(subscriptionID.uppercased())/RESOURCEGROUPS/\(resourceGroup.uppercased())"
            + "/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/\(name.uppercased())"
    }

    /// The data-plane endpoint, `https://NAME.vault.azure.net`.
    public var endpoint: String { "https://\(name).vault.azure.net" }

    /// The Azure Resource Manager path of the vault, as control-plane request URIs write it.
    public var managementPath: String {
        "/subscriptions/\(subscriptionID)/resourceGroups/\(resourceGroup)/providers/Microsoft.KeyVault/vaults/\(name)"
    }
}
