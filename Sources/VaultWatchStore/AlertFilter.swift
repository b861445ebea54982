import VaultWatchCore

/// Which stored alerts a listing or export shows. Nil fields match everything.
public struct AlertFilter: Sendable, Hashable {
    public var status: AlertStatus?
    public var kind: AlertKind?
    /// A vault name, compared case-insensitively (vault names are stored lowercased).
    public var vault: String?
    /// Alerts last seen at or after this event time.
    public var since: EventTime?

    public init(status: AlertStatus? = nil, kind: AlertKind? = nil, vault: String? = nil, since: EventTime? = nil) {
        self.status = status
        self.kind = kind
        self.vault = vault
        self.since = since
    }
}
