/// One recent event as the live-activity panel shows it, its strings resolved.
public struct ActivityEvent: Sendable, Equatable {
    public var time: EventTime
    public var vault: String
    public var operation: String
    /// The UPN when there is one, else the principal's object id, else the application id.
    public var caller: String
    public var callerIP: String
    public var outcome: Outcome
    public var httpStatusCode: Int
    public var objectName: String
    /// The caller's object id and application id ("" when absent), for opening its page.
    public var principalID: String
    public var appID: String

    public init(
        time: EventTime, vault: String, operation: String, caller: String, callerIP: String, outcome: Outcome,
        httpStatusCode: Int, objectName: String, principalID: String = "", appID: String = ""
    ) {
        self.principalID = principalID
        self.appID = appID
        self.time = time
        self.vault = vault
        self.operation = operation
        self.caller = caller
        self.callerIP = callerIP
        self.outcome = outcome
        self.httpStatusCode = httpStatusCode
        self.objectName = objectName
    }

    /// The entity `Enter` opens from the row: the calling principal, else the application, else the address.
    public var callerEntity: EntityReference? {
        if !principalID.isEmpty { return EntityReference(kind: .principal, id: principalID) }
        if caller.contains("@") { return EntityReference(kind: .principal, id: caller) }
        if !appID.isEmpty { return EntityReference(kind: .application, id: appID) }
        if !callerIP.isEmpty { return EntityReference(kind: .address, id: callerIP) }
        return nil
    }
}
