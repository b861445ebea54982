/// What detection needs to know about an operation name, worked out once per distinct name.
///
/// Rules read these flags instead of comparing operation strings: an event carries its
/// operation as a `Symbol`, and `OperationClassifier` maps each symbol to its traits.
public struct OperationTraits: Sendable, Hashable {
    /// The destructive or copying operations `KV_SensitiveOperation` watches.
    public enum SensitiveAction: UInt8, Sendable, Hashable, CaseIterable {
        case delete
        case purge
        case backup
    }

    /// Emitted by the service itself (`*EventGridNotification`, `KeyRotateIfDue`): not a
    /// caller's behaviour, so no behavioural or sensitive-operation rule counts it.
    public var isServiceGenerated: Bool
    /// Set for `VaultDelete`, `SecretPurge`, `KeyBackup`, ….
    public var sensitiveAction: SensitiveAction?
    /// What the operation acts on, from its name (`Secret…` → secret); `.none` when unknown.
    public var target: ObjectKind
    /// `SecretGet`: reads a secret's value.
    public var isSecretRead: Bool
    /// `SecretList`, `SecretListVersions`, `SecretListDeleted`: enumerates secrets.
    public var isSecretList: Bool
    /// `VaultPut`, `VaultPatch`, access-policy updates: may change who can reach the vault.
    public var isAccessChange: Bool
    /// Reads, lists and cryptographic uses (`…Get`, `…List…`, `KeySign`, `KeyDecrypt`, …):
    /// operations that change nothing in the vault.
    public var isReadOnly: Bool = false

    public init(
        isServiceGenerated: Bool = false, sensitiveAction: SensitiveAction? = nil, target: ObjectKind = .none,
        isSecretRead: Bool = false, isSecretList: Bool = false, isAccessChange: Bool = false
    ) {
        self.isServiceGenerated = isServiceGenerated
        self.sensitiveAction = sensitiveAction
        self.target = target
        self.isSecretRead = isSecretRead
        self.isSecretList = isSecretList
        self.isAccessChange = isAccessChange
    }

    /// An operation detection has nothing special to say about.
    public static let ordinary = OperationTraits()

    /// The traits of an operation name, compared without regard to case (exports differ).
    /// - Complexity: string work; `OperationClassifier` calls it once per distinct symbol.
    public init(operationName name: String) {
        let lowered = name.lowercased()
        self.init()
        if lowered.hasSuffix("eventgridnotification") || lowered == "keyrotateifdue" {
            isServiceGenerated = true
        }
        for (prefix, kind) in Self.targetPrefixes where lowered.hasPrefix(prefix) {
            target = kind
            break
        }
        if let action = Self.sensitiveOperations[lowered] { sensitiveAction = action }
        isSecretRead = lowered == "secretget"
        isSecretList = lowered.hasPrefix("secretlist")
        isReadOnly = lowered.hasSuffix("get") || lowered.contains("list") || lowered.hasSuffix("getversions")
            || Self.cryptographicUses.contains(where: { lowered.hasSuffix($0) })
        isAccessChange = lowered == "vaultput" || lowered == "vaultpatch"
            || (lowered.contains("accesspolicy") && !isServiceGenerated)
    }

    /// The operation names of `KV_SensitiveOperation`, lowercased. An exact list rather than a
    /// pattern: `SecretListDeleted` or `KeyRecover` must not match `…Delete…`.
    static let sensitiveOperations: [String: SensitiveAction] = [
        "vaultdelete": .delete, "vaultpurge": .purge,
        "secretdelete": .delete, "secretpurge": .purge, "secretbackup": .backup,
        "keydelete": .delete, "keypurge": .purge, "keybackup": .backup,
        "certificatedelete": .delete, "certificatepurge": .purge, "certificatebackup": .backup,
    ]

    /// Key operations that use a key without changing it.
    static let cryptographicUses = ["sign", "verify", "encrypt", "decrypt", "wrapkey", "unwrapkey", "wrap", "unwrap"]

    /// The names the classifier learns up front, as the service writes them.
    static let knownOperationNames: [String] = [
        "VaultDelete", "VaultPurge", "SecretDelete", "SecretPurge", "SecretBackup", "KeyDelete", "KeyPurge",
        "KeyBackup", "CertificateDelete", "CertificatePurge", "CertificateBackup", "KeyRotateIfDue",
        "SecretGet", "SecretList", "VaultPut", "VaultPatch",
    ]

    /// Longest first, so `certificate` wins over a shorter prefix.
    private static let targetPrefixes: [(String, ObjectKind)] = [
        ("certificate", .certificate), ("secret", .secret), ("vault", .vault), ("key", .key),
    ]
}
