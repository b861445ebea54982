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

    public init(
        time: EventTime, vault: String, operation: String, caller: String, callerIP: String, outcome: Outcome,
        httpStatusCode: Int, objectName: String
    ) {
        self.time = time
        self.vault = vault
        self.operation = operation
        self.caller = caller
        self.callerIP = callerIP
        self.outcome = outcome
        self.httpStatusCode = httpStatusCode
        self.objectName = objectName
    }
}
