/// What `vaultwatch hunt` looks for. Filters combine with AND; the values of one filter with
/// OR. An empty filter matches everything.
public struct HuntQuery: Sendable {
    /// Object ids (any case) or UPNs (they hold `@`; any case).
    public var principals: [String] = []
    /// Application ids (any case).
    public var applications: [String] = []
    /// Vault names (any case).
    public var vaults: [String] = []
    /// Caller addresses or ranges.
    public var networks: [IPNetwork] = []
    /// Operation names (any case).
    public var operations: [String] = []
    public var outcomes: [HuntOutcome] = []
    /// Object names (secret, key or certificate; any case, version not included).
    public var objects: [String] = []
    /// Events at or after this time.
    public var since: EventTime?
    /// Events before this time.
    public var until: EventTime?

    public init() {}
}
