/// An `AuditEvent` with its names spelled out: the one form in which an event is saved
/// (the detector's state: events held for reordering, the change an open change→read sequence
/// waits on, an open hour's crossing event and rare sample).
///
/// A saved event must outlive its process, and `Symbol`s do not (a new process numbers its
/// strings differently), so every symbol is written as its text and read back through the new
/// process's table. Every field is kept, so the event read back is the event saved, as far as
/// any rule or any alert's evidence can tell. Saved in the detector's binary state form
/// (`StateWriter.event(_:names:)`, read by `StateReader.event()`); the JSON form is what a state of format 2 holds.
public struct NamedEvent: Codable, Sendable, Hashable {
    public var time: Int64
    public var vault: String?
    public var resourceID: String?
    public var operation: String?
    public var operationVersion: String?
    public var principalID: String?
    public var upn: String?
    public var appID: String?
    public var callerIP: String?
    public var httpStatusCode: UInt16?
    public var resultSignature: String?
    public var outcome: Outcome
    public var objectKind: ObjectKind?
    public var objectName: String?
    public var clientInfo: String?
    public var grantedPrincipalID: String?
    public var durationMs: UInt32?
    /// The source's name (a path, or `-`) and the line the record starts on.
    public var source: String?
    public var line: UInt32?

    init(
        time: Int64, vault: String?, resourceID: String?, operation: String?, operationVersion: String?,
        principalID: String?, upn: String?, appID: String?, callerIP: String?, httpStatusCode: UInt16?,
        resultSignature: String?, outcome: Outcome, objectKind: ObjectKind?, objectName: String?, clientInfo: String?,
        grantedPrincipalID: String?, durationMs: UInt32?, source: String?, line: UInt32?
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
        self.source = source
        self.line = line
    }

    /// Spells out `event`'s symbols through `symbols`.
    /// - Complexity: one symbol-table look-up per present field.
    public init(_ event: AuditEvent, symbols: SymbolTable) {
        self.init(event, string: symbols.string)
    }

    /// Spells out `event`'s symbols with `string` (a save's `SavedNames`: no lock a name).
    init(_ event: AuditEvent, string: (Symbol) -> String?) {
        time = event.time.ticks
        vault = string(event.vault)
        resourceID = string(event.resourceID)
        operation = string(event.operation)
        operationVersion = string(event.operationVersion)
        principalID = string(event.principalID)
        upn = string(event.upn)
        appID = string(event.appID)
        callerIP = event.callerIP?.description
        httpStatusCode = event.httpStatusCode == 0 ? nil : event.httpStatusCode
        resultSignature = string(event.resultSignature)
        outcome = event.outcome
        objectKind = event.objectKind == .none ? nil : event.objectKind
        objectName = string(event.objectName)
        clientInfo = string(event.clientInfo)
        grantedPrincipalID = string(event.grantedPrincipalID)
        durationMs = event.durationMs == 0 ? nil : event.durationMs
        source = string(event.location.source)
        line = event.location.line == 0 ? nil : event.location.line
    }

    /// The event, its names interned in `symbols`.
    /// - Throws: `BaselineStateError` when the caller IP is not an address (a damaged state).
    public func event(symbols: SymbolTable) throws(BaselineStateError) -> AuditEvent {
        func symbol(_ text: String?) -> Symbol { text.map { symbols.intern($0) } ?? .none }
        var address: IPAddress?
        if let callerIP {
            guard let parsed = IPAddress(callerIP) else {
                throw BaselineStateError("saved event has caller IP \"\(callerIP)\", which is not an address")
            }
            address = parsed
        }
        return AuditEvent(
            time: EventTime(ticks: time), vault: symbol(vault), resourceID: symbol(resourceID), operation: symbol(operation),
            operationVersion: symbol(operationVersion), principalID: symbol(principalID), upn: symbol(upn),
            appID: symbol(appID), callerIP: address, httpStatusCode: httpStatusCode ?? 0,
            resultSignature: symbol(resultSignature), outcome: outcome, objectKind: objectKind ?? .none,
            objectName: symbol(objectName), clientInfo: symbol(clientInfo), grantedPrincipalID: symbol(grantedPrincipalID),
            durationMs: durationMs ?? 0, location: RecordLocation(source: symbol(source), line: line ?? 0))
    }
}
