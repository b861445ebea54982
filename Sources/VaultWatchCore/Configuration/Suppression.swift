/// A configured rule that silences matching alerts: a kind plus optional vault, principal and
/// application matches, until an optional expiry (event time).
public struct Suppression: Sendable, Hashable {
    /// nil matches every kind.
    public var kind: AlertKind?
    /// Lowercased, as events carry them; nil matches any.
    public var vault: String?
    public var principalID: String?
    public var applicationID: String?
    /// Event time after which the suppression no longer applies.
    public var expires: EventTime?
    /// Where it was written, for messages (`file:line`).
    public var origin: String

    public init(
        kind: AlertKind?, vault: String? = nil, principalID: String? = nil, applicationID: String? = nil,
        expires: EventTime? = nil, origin: String = ""
    ) {
        self.kind = kind
        self.vault = vault?.lowercased()
        self.principalID = principalID?.lowercased()
        self.applicationID = applicationID?.lowercased()
        self.expires = expires
        self.origin = origin
    }
}

/// Suppressions with their names interned, checked only when a rule fires.
struct SuppressionMatcher: Sendable {
    private struct Compiled: Sendable {
        var kind: AlertKind?
        var vault: Symbol?
        var principal: Symbol?
        var application: Symbol?
        var expires: EventTime?
    }

    private let rules: [Compiled]

    init(_ suppressions: [Suppression], symbols: SymbolTable) {
        rules = suppressions.map {
            Compiled(
                kind: $0.kind, vault: $0.vault.map(symbols.intern), principal: $0.principalID.map(symbols.intern),
                application: $0.applicationID.map(symbols.intern), expires: $0.expires)
        }
    }

    var isEmpty: Bool { rules.isEmpty }

    func suppresses(_ candidate: AlertCandidate) -> Bool {
        let event = candidate.event
        for rule in rules {
            if let kind = rule.kind, kind != candidate.kind { continue }
            if let vault = rule.vault, vault != event.vault { continue }
            if let principal = rule.principal, principal != event.principalID { continue }
            if let application = rule.application, application != event.appID { continue }
            if let expires = rule.expires, event.time >= expires { continue }
            return true
        }
        return false
    }
}
