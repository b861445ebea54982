/// The kind of Key Vault object a call touched, from the path of `properties.id`
/// (`https://v.vault.azure.net/secrets/NAME/VERSION`).
public enum ObjectKind: UInt8, Sendable, Hashable, CaseIterable, Codable {
    case none
    case vault
    case secret
    case key
    case certificate
    case storageAccount
    case other

    /// From the first path segment of an object URI (`secrets`, `keys`, `certificates`, …).
    public init(pathSegment: String) {
        switch pathSegment.lowercased() {
        case "secrets", "deletedsecrets": self = .secret
        case "keys", "deletedkeys": self = .key
        case "certificates", "deletedcertificates": self = .certificate
        case "storage", "deletedstorage": self = .storageAccount
        case "": self = .vault
        default: self = .other
        }
    }

    public var name: String {
        switch self {
        case .none: "none"
        case .vault: "vault"
        case .secret: "secret"
        case .key: "key"
        case .certificate: "certificate"
        case .storageAccount: "storageAccount"
        case .other: "other"
        }
    }
}
