/// An alert a story should raise: its kind, the vault and the principal (identity key) it is
/// about. A nil vault or principal matches any (a vault-wide volume alert has no principal;
/// an identity's many-vaults alert may name any of the vaults it reached).
public struct DemoExpectation: Sendable, Hashable {
    public var kind: AlertKind
    public var vault: String?
    public var principal: String?

    public init(_ kind: AlertKind, vault: String?, principal: String?) {
        self.kind = kind
        self.vault = vault
        self.principal = principal
    }
}
