/// One Key Vault operation a demo caller performs, with the object it touches.
public enum DemoOperation: Sendable, Hashable {
    case vaultGet
    /// An access-policy change through Azure Resource Manager that grants secret get/list to
    /// the identity with this key (`properties.addedAccessPolicy.ObjectId`).
    case vaultPut(granting: String)
    case secretList
    case secretGet(String)
    case secretSet(String)
    case secretDelete(String)
    case secretPurge(String)
    case keyGet(String)
    case keySign(String)
    case keyUnwrap(String)
    case certificateList
    case certificateGet(String)
    case keyList
    case secretListVersions(String)
    case certificatePolicyGet(String)
    case secretBackup(String)
    case certificateImport(String)

    /// `operationName` as the service writes it.
    public var operationName: String {
        switch self {
        case .vaultGet: "VaultGet"
        case .vaultPut: "VaultPut"
        case .secretList: "SecretList"
        case .secretGet: "SecretGet"
        case .secretSet: "SecretSet"
        case .secretDelete: "SecretDelete"
        case .secretPurge: "SecretPurge"
        case .keyGet: "KeyGet"
        case .keySign: "KeySign"
        case .keyUnwrap: "KeyUnwrap"
        case .certificateList: "CertificateList"
        case .certificateGet: "CertificateGet"
        case .keyList: "KeyList"
        case .secretListVersions: "SecretListVersions"
        case .certificatePolicyGet: "CertificatePolicyGet"
        case .secretBackup: "SecretBackup"
        case .certificateImport: "CertificateImport"
        }
    }

    /// Control-plane operations go through Azure Resource Manager and carry the long claim URIs.
    public var isControlPlane: Bool {
        switch self {
        case .vaultGet, .vaultPut: true
        default: false
        }
    }

    /// The secret, key or certificate touched, if any.
    public var objectName: String? {
        switch self {
        case .secretGet(let name), .secretSet(let name), .secretDelete(let name), .secretPurge(let name),
            .keyGet(let name), .keySign(let name), .keyUnwrap(let name), .certificateGet(let name),
            .secretListVersions(let name), .certificatePolicyGet(let name), .secretBackup(let name), .certificateImport(let name):
            name
        default: nil
        }
    }

    /// The permission word Azure names in an access-policy refusal ("does not have secrets get permission").
    var permissionPhrase: String {
        switch self {
        case .vaultGet, .vaultPut: "vault"
        case .secretList: "secrets list"
        case .secretGet: "secrets get"
        case .secretSet: "secrets set"
        case .secretDelete: "secrets delete"
        case .secretPurge: "secrets purge"
        case .keyGet: "keys get"
        case .keySign: "keys sign"
        case .keyUnwrap: "keys unwrapKey"
        case .certificateList: "certificates list"
        case .certificateGet: "certificates get"
        case .keyList: "keys list"
        case .secretListVersions: "secrets list"
        case .certificatePolicyGet: "certificates get"
        case .secretBackup: "secrets backup"
        case .certificateImport: "certificates import"
        }
    }

    /// The RBAC data action named in an RBAC refusal.
    var dataAction: String {
        switch self {
        case .vaultGet, .vaultPut: "Microsoft.KeyVault/vaults/write"
        case .secretList: "Microsoft.KeyVault/vaults/secrets/readMetadata/action"
        case .secretGet: "Microsoft.KeyVault/vaults/secrets/getSecret/action"
        case .secretSet: "Microsoft.KeyVault/vaults/secrets/setSecret/action"
        case .secretDelete: "Microsoft.KeyVault/vaults/secrets/delete"
        case .secretPurge: "Microsoft.KeyVault/vaults/deletedSecrets/delete"
        case .keyGet: "Microsoft.KeyVault/vaults/keys/read"
        case .keySign: "Microsoft.KeyVault/vaults/keys/sign/action"
        case .keyUnwrap: "Microsoft.KeyVault/vaults/keys/unwrap/action"
        case .certificateList, .certificateGet, .certificatePolicyGet: "Microsoft.KeyVault/vaults/certificates/read"
        case .keyList: "Microsoft.KeyVault/vaults/keys/read"
        case .secretListVersions: "Microsoft.KeyVault/vaults/secrets/readMetadata/action"
        case .secretBackup: "Microsoft.KeyVault/vaults/secrets/backup/action"
        case .certificateImport: "Microsoft.KeyVault/vaults/certificates/import/action"
        }
    }

    /// Reads of each named secret, in order.
    public static func secretReads(_ names: [String]) -> [DemoOperation] {
        names.map { .secretGet($0) }
    }
}
