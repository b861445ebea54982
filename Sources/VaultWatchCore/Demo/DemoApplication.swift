/// An application (`appid`) that calls the demo tenant's vaults: a first-party tool (portal,
/// Azure CLI, Azure PowerShell, Azure Resource Graph) or one of the company's own apps.
public struct DemoApplication: Sendable, Hashable {
    public var key: String
    public var displayName: String
    /// The application id; the well-known GUIDs for first-party tools, derived ones otherwise.
    public var appID: String
    /// User agents this application sends (`properties.clientInfo`); a caller keeps one.
    public var clientInfos: [String]
    /// Whether its calls go through Azure Resource Manager (portal blades, indexers) when
    /// reading the vault resource itself.
    public var isFirstParty: Bool

    public init(key: String, displayName: String, appID: String? = nil, clientInfos: [String], isFirstParty: Bool = false) {
        self.key = key
        self.displayName = displayName
        self.appID = appID ?? DemoGUID.named("application/\(key)")
        self.clientInfos = clientInfos
        self.isFirstParty = isFirstParty
    }
}
