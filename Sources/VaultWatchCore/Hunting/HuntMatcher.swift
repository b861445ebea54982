/// Tests events against a `HuntQuery`, on the compact events themselves: each string filter
/// is decided once per distinct symbol and remembered, so the cost per event is a few integer
/// comparisons and hash look-ups, whatever the number of events.
/// - Important: one matcher per task; its memory grows with the distinct symbols it meets.
public struct HuntMatcher {
    public let query: HuntQuery
    private let symbols: SymbolTable
    private var principalIDs: SymbolMemo
    private var upns: SymbolMemo
    private var applications: SymbolMemo
    private var vaults: SymbolMemo
    private var operations: SymbolMemo
    private var objects: SymbolMemo
    private let principalIDValues: Set<String>
    private let upnValues: Set<String>

    public init(query: HuntQuery, symbols: SymbolTable) {
        self.query = query
        self.symbols = symbols
        let principals = query.principals.map { $0.lowercased() }
        principalIDValues = Set(principals.filter { !$0.contains("@") })
        upnValues = Set(principals.filter { $0.contains("@") })
        principalIDs = SymbolMemo(principalIDValues)
        upns = SymbolMemo(upnValues)
        applications = SymbolMemo(Set(query.applications.map { $0.lowercased() }))
        vaults = SymbolMemo(Set(query.vaults.map { $0.lowercased() }))
        operations = SymbolMemo(Set(query.operations.map { $0.lowercased() }))
        objects = SymbolMemo(Set(query.objects.map { $0.lowercased() }))
    }

    /// Whether `event` passes every filter.
    public mutating func matches(_ event: AuditEvent) -> Bool {
        if let since = query.since, event.time < since { return false }
        if let until = query.until, event.time >= until { return false }
        if !query.outcomes.isEmpty, !query.outcomes.contains(where: { $0.matches(event.outcome) }) { return false }
        if !vaults.isEmpty, !vaults.contains(event.vault, symbols) { return false }
        if !operations.isEmpty, !operations.contains(event.operation, symbols) { return false }
        if !principalIDValues.isEmpty || !upnValues.isEmpty {
            let byID = !principalIDValues.isEmpty && principalIDs.contains(event.principalID, symbols)
            let byUPN = !byID && !upnValues.isEmpty && upns.contains(event.upn, symbols)
            if !byID && !byUPN { return false }
        }
        if !applications.isEmpty, !applications.contains(event.appID, symbols) { return false }
        if !objects.isEmpty, !objects.contains(event.objectName, symbols) { return false }
        if !query.networks.isEmpty {
            guard let ip = event.callerIP, query.networks.contains(where: { $0.contains(ip) }) else { return false }
        }
        return true
    }
}

/// One filter's verdict per symbol: the symbol's text, lowercased, is in the wanted set.
private struct SymbolMemo {
    let wanted: Set<String>
    private var verdicts: [Symbol: Bool] = [:]

    init(_ wanted: Set<String>) { self.wanted = wanted }

    var isEmpty: Bool { wanted.isEmpty }

    mutating func contains(_ symbol: Symbol, _ symbols: SymbolTable) -> Bool {
        if let verdict = verdicts[symbol] { return verdict }
        let verdict = symbols.string(symbol).map { wanted.contains($0.lowercased()) } ?? false
        verdicts[symbol] = verdict
        return verdict
    }
}
