/// One Key Vault `AuditEvent` record, reduced to what detection and display need.
///
/// A compact value: strings are `Symbol`s in a `SymbolTable`, time is integer ticks, the
/// caller IP is 16 bytes. Whatever input shape a record came in (JSON lines, envelopes,
/// Log Analytics rows), the same record gives the same `AuditEvent`.
public struct AuditEvent: Sendable, Hashable {
    public var time: EventTime
    /// The vault name: the last segment of `resourceId`, lowercased (names are case-insensitive).
    public var vault: Symbol
    /// `resourceId` as written.
    public var resourceID: Symbol
    public var operation: Symbol
    public var operationVersion: Symbol
    /// The caller's object id (`oid` or the long `objectidentifier` claim), lowercased.
    public var principalID: Symbol
    /// The caller's user principal name; absent for service principals.
    public var upn: Symbol
    /// The calling application (`appid`), lowercased.
    public var appID: Symbol
    public var callerIP: IPAddress?
    /// `properties.httpStatusCode`, 0 when the record has none.
    public var httpStatusCode: UInt16
    public var resultSignature: Symbol
    public var outcome: Outcome
    /// What was touched: from `properties.id`, version stripped.
    public var objectKind: ObjectKind
    public var objectName: Symbol
    public var clientInfo: Symbol
    /// The principal an access-policy change granted (`addedAccessPolicy.ObjectId`), lowercased.
    public var grantedPrincipalID: Symbol
    public var durationMs: UInt32
    /// The record's identity digest (`RecordIdentities.identity`: its `correlationId` and what it
    /// says about the call), 0 when it has none: with the time, what tells a record read twice
    /// from two calls (`RecordIdentities`). Made by the decoder; read only where records enter
    /// the detector, so a saved event (`NamedEvent`) does not keep it.
    public var identity: UInt64
    public var location: RecordLocation

    public init(
        time: EventTime, vault: Symbol = .none, resourceID: Symbol = .none, operation: Symbol = .none,
        operationVersion: Symbol = .none, principalID: Symbol = .none, upn: Symbol = .none, appID: Symbol = .none,
        callerIP: IPAddress? = nil, httpStatusCode: UInt16 = 0, resultSignature: Symbol = .none,
        outcome: Outcome = .unknown, objectKind: ObjectKind = .none, objectName: Symbol = .none,
        clientInfo: Symbol = .none, grantedPrincipalID: Symbol = .none, durationMs: UInt32 = 0, identity: UInt64 = 0,
        location: RecordLocation = RecordLocation(source: .none, line: 0)
    ) {
        self.time = time
        self.vault = vault
        self.resourceID = resourceID
        self.operation = operation
        self.operationVersion = operationVersion
        self.principalID = principalID
        self.upn = upn
        self.appID = appID
        self.callerIP = callerIP
        self.httpStatusCode = httpStatusCode
        self.resultSignature = resultSignature
        self.outcome = outcome
        self.objectKind = objectKind
        self.objectName = objectName
        self.clientInfo = clientInfo
        self.grantedPrincipalID = grantedPrincipalID
        self.durationMs = durationMs
        self.identity = identity
        self.location = location
    }
}
