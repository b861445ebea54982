/// Who an alert is about, for folding repeats into one alert: the caller's principal, else
/// its IP; some kinds add the operation (a purge and a backup by one principal are two alerts).
///
/// Symbols, not text, so building and hashing one costs nothing on the hot path.
public struct AlertEntity: Sendable, Hashable {
    public var principalID: Symbol
    public var callerIP: IPAddress?
    public var operation: Symbol

    public init(principalID: Symbol = .none, callerIP: IPAddress? = nil, operation: Symbol = .none) {
        self.principalID = principalID
        self.callerIP = callerIP
        self.operation = operation
    }

    /// The event's caller: its principal id, or its IP when the record names no principal
    /// (an unauthenticated call).
    public static func caller(of event: AuditEvent) -> AlertEntity {
        event.principalID.isNone
            ? AlertEntity(callerIP: event.callerIP)
            : AlertEntity(principalID: event.principalID)
    }

    /// The caller plus the operation.
    public static func callerAndOperation(of event: AuditEvent) -> AlertEntity {
        var entity = caller(of: event)
        entity.operation = event.operation
        return entity
    }

    /// The entity as text, the input of `AlertID`: `principal`, `ip`, with `|operation` when set;
    /// nil for a vault-wide alert.
    public func text(symbols: SymbolTable) -> String? {
        var parts: [String] = []
        if let principal = symbols.string(principalID) { parts.append(principal) }
        if let callerIP { parts.append(callerIP.description) }
        if let operation = symbols.string(operation) { parts.append(operation) }
        return parts.isEmpty ? nil : parts.joined(separator: "|")
    }
}
