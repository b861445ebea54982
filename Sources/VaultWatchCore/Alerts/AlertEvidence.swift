/// One event behind an alert, resolved to text when the alert was raised.
///
/// Evidence outlives the detector's memory of events (events are not retained, DESIGN.md §7),
/// so it holds strings rather than `Symbol`s: an alert read from the store or shown on screen
/// needs no symbol table. Absent values are nil (JSON `null`), never empty strings.
public struct AlertEvidence: Sendable, Hashable {
    public var time: EventTime
    public var vault: String?
    public var operation: String?
    public var outcome: Outcome
    /// nil when the record carried no status code.
    public var httpStatusCode: Int?
    public var callerIP: IPAddress?
    public var principalID: String?
    public var upn: String?
    public var appID: String?
    public var objectKind: ObjectKind
    public var objectName: String?
    public var clientInfo: String?
    /// Where the record was read, as `file:line`.
    public var source: String?
    /// The original record's text, as the log holds it (at most `recordLimit` bytes, cut at a
    /// character boundary): kept for evidence events, so `y` and `alerts show` show what the
    /// log said, not only what VaultWatch read. nil when it could not be read again (stdin,
    /// a file rotated away) or was not asked for. Untrusted text: sanitise before display.
    public var record: String?

    /// The most bytes of an original record kept with an evidence event (a storage record is a
    /// few KiB; a longer one is cut and says so).
    public static let recordLimit = 32 << 10

    public init(
        time: EventTime, vault: String? = nil, operation: String? = nil, outcome: Outcome = .unknown,
        httpStatusCode: Int? = nil, callerIP: IPAddress? = nil, principalID: String? = nil, upn: String? = nil,
        appID: String? = nil, objectKind: ObjectKind = .none, objectName: String? = nil, clientInfo: String? = nil,
        source: String? = nil
    ) {
        self.time = time
        self.vault = vault
        self.operation = operation
        self.outcome = outcome
        self.httpStatusCode = httpStatusCode
        self.callerIP = callerIP
        self.principalID = principalID
        self.upn = upn
        self.appID = appID
        self.objectKind = objectKind
        self.objectName = objectName
        self.clientInfo = clientInfo
        self.source = source
    }

    /// Resolves `event`'s symbols through `symbols`.
    /// - Complexity: a handful of symbol-table look-ups; call it only for an event that raised an alert.
    public init(event: AuditEvent, symbols: SymbolTable) {
        self.init(
            time: event.time, vault: symbols.string(event.vault), operation: symbols.string(event.operation),
            outcome: event.outcome, httpStatusCode: event.httpStatusCode == 0 ? nil : Int(event.httpStatusCode),
            callerIP: event.callerIP, principalID: symbols.string(event.principalID), upn: symbols.string(event.upn),
            appID: symbols.string(event.appID), objectKind: event.objectKind,
            objectName: symbols.string(event.objectName), clientInfo: symbols.string(event.clientInfo),
            source: Self.source(of: event.location, symbols: symbols))
    }

    /// Where a record was read, as evidence names it: `file:line` (the file alone without a line).
    public static func source(of location: RecordLocation, symbols: SymbolTable) -> String? {
        guard let file = symbols.string(location.source) else { return nil }
        return location.line > 0 ? "\(file):\(location.line)" : file
    }
}
