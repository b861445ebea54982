/// The sentences rules put in `Alert.reasons`, in the context's language. Called only when a
/// rule fires: every function here looks strings up in the symbol table.
extension RuleContext {
    /// The caller as a person reads it: the UPN, else the principal id, else the application,
    /// else the IP.
    public func callerName(of event: AuditEvent) -> String {
        if let upn = symbols.string(event.upn) { return upn }
        if let principal = symbols.string(event.principalID) { return principal }
        if let application = symbols.string(event.appID) {
            return language == .fr ? "l'application \(application)" : "application \(application)"
        }
        if let ip = event.callerIP { return ip.description }
        return language == .fr ? "un appelant inconnu" : "an unknown caller"
    }

    /// "secret payments-db-password" / "le secret payments-db-password"; the vault's own name
    /// for vault-level objects.
    public func objectPhrase(kind: ObjectKind, name: String?) -> String {
        let noun = Self.noun(kind, language)
        guard let name else { return noun.text }
        return "\(noun.text) \(name)"
    }

    /// The event's object (or the vault, for a vault-level call).
    public func objectPhrase(of event: AuditEvent) -> String {
        if event.objectKind == .none || event.objectKind == .vault {
            return objectPhrase(kind: .vault, name: symbols.string(event.vault))
        }
        return objectPhrase(kind: event.objectKind, name: symbols.string(event.objectName))
    }

    /// "the call succeeded (HTTP 200)".
    public func outcomePhrase(of event: AuditEvent) -> String {
        let words: String
        switch (event.outcome, language) {
        case (.success, .en): words = "the call succeeded"
        case (.success, .fr): words = "l'appel a réussi"
        case (.denied, .en): words = "the call was refused"
        case (.denied, .fr): words = "l'appel a été refusé"
        case (.notFound, .en): words = "the object was not found"
        case (.notFound, .fr): words = "l'objet est introuvable"
        case (.throttled, .en): words = "the call was throttled"
        case (.throttled, .fr): words = "l'appel a été limité"
        case (.clientError, .en): words = "the call was rejected as invalid"
        case (.clientError, .fr): words = "l'appel a été rejeté comme invalide"
        case (.serverError, .en): words = "the call failed inside the service"
        case (.serverError, .fr): words = "l'appel a échoué dans le service"
        case (.unknown, .en): words = "the record does not say how the call ended"
        case (.unknown, .fr): words = "l'enregistrement n'indique pas l'issue de l'appel"
        }
        return event.httpStatusCode == 0 ? words : "\(words) (HTTP \(event.httpStatusCode))"
    }

    /// "alice@contoso.com called SecretGet on secret x in vault v; the call succeeded (HTTP 200)".
    public func callSentence(_ event: AuditEvent) -> String {
        let caller = callerName(of: event)
        let operation = symbols.string(event.operation) ?? (language == .fr ? "une opération inconnue" : "an unknown operation")
        let vault = symbols.string(event.vault) ?? "?"
        let target: String
        if event.objectKind == .none || event.objectKind == .vault {
            target = language == .fr ? "sur le coffre \(vault)" : "on vault \(vault)"
        } else {
            target = language == .fr
                ? "sur \(objectPhrase(of: event)) du coffre \(vault)"
                : "on \(objectPhrase(of: event)) in vault \(vault)"
        }
        let called = language == .fr ? "a appelé" : "called"
        return "\(caller) \(called) \(operation) \(target)\(clauseSeparator)\(outcomePhrase(of: event))"
    }

    /// "caller IP 185.220.101.4 is listed in the Tor exit list tor-exit-addresses.txt (932 addresses)".
    public func listedSentence(ip: IPAddress, list: ThreatIntelList) -> String {
        let size = list.ranges.count
        switch (list.kind, language) {
        case (.torExits, .en):
            return "caller IP \(ip) is listed in the Tor exit list \(list.name) (\(size) addresses)"
        case (.torExits, .fr):
            return "l'IP appelante \(ip) figure dans la liste de sorties Tor \(list.name) (\(size) adresses)"
        case (.threatIntel, .en):
            return "caller IP \(ip) is listed in the threat-intel list \(list.name) (\(size) addresses and ranges)"
        case (.threatIntel, .fr):
            return "l'IP appelante \(ip) figure dans la liste de menaces \(list.name) (\(size) adresses et plages)"
        }
    }

    /// Between two clauses: French puts a space before a semicolon.
    public var clauseSeparator: String { language == .fr ? " ; " : "; " }

    struct Noun {
        var text: String
        var isFeminine: Bool
    }

    static func noun(_ kind: ObjectKind, _ language: Language) -> Noun {
        switch (kind, language) {
        case (.secret, .en): Noun(text: "secret", isFeminine: false)
        case (.secret, .fr): Noun(text: "le secret", isFeminine: false)
        case (.key, .en): Noun(text: "key", isFeminine: false)
        case (.key, .fr): Noun(text: "la clé", isFeminine: true)
        case (.certificate, .en): Noun(text: "certificate", isFeminine: false)
        case (.certificate, .fr): Noun(text: "le certificat", isFeminine: false)
        case (.storageAccount, .en): Noun(text: "storage account", isFeminine: false)
        case (.storageAccount, .fr): Noun(text: "le compte de stockage", isFeminine: false)
        case (.vault, .en), (.none, .en): Noun(text: "vault", isFeminine: false)
        case (.vault, .fr), (.none, .fr): Noun(text: "le coffre", isFeminine: false)
        case (.other, .en): Noun(text: "object", isFeminine: false)
        case (.other, .fr): Noun(text: "l'objet", isFeminine: false)
        }
    }
}
