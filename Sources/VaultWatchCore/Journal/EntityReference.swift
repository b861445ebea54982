/// One of the entities an analyst can open a page for: a principal (caller object id or UPN),
/// an application (app id), an IP address or a vault. The id is normalised the way events
/// carry it (object ids, app ids and vault names lowercase; addresses in canonical form), so
/// two references to the same entity compare equal.
public struct EntityReference: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case principal
        case application
        case address
        case vault

        /// How a page and a breadcrumb name the kind.
        public var label: String {
            switch self {
            case .principal: "principal"
            case .application: "application"
            case .address: "IP address"
            case .vault: "vault"
            }
        }
    }

    public var kind: Kind
    public var id: String

    public init(kind: Kind, id: String) {
        self.kind = kind
        switch kind {
        case .principal:
            // A UPN keeps its case as written (events carry it so); object ids are lowercase.
            self.id = id.contains("@") ? id : id.lowercased()
        case .application, .vault:
            self.id = id.lowercased()
        case .address:
            self.id = IPAddress(id)?.description ?? id
        }
    }

    /// The entities of an alert, in the order its page lists them: principal (or its UPN when
    /// there is no object id), application, address, vault.
    public static func entities(of alert: Alert) -> [EntityReference] {
        var result: [EntityReference] = []
        if let principal = alert.principalID ?? alert.upn { result.append(EntityReference(kind: .principal, id: principal)) }
        if let application = alert.appID { result.append(EntityReference(kind: .application, id: application)) }
        if let address = alert.ip { result.append(EntityReference(kind: .address, id: address.description)) }
        if let vault = alert.vault { result.append(EntityReference(kind: .vault, id: vault)) }
        return result
    }

    /// The entities of one event, in the same order.
    public static func entities(of event: AlertEvidence) -> [EntityReference] {
        var result: [EntityReference] = []
        if let principal = event.principalID ?? event.upn { result.append(EntityReference(kind: .principal, id: principal)) }
        if let application = event.appID { result.append(EntityReference(kind: .application, id: application)) }
        if let address = event.callerIP { result.append(EntityReference(kind: .address, id: address.description)) }
        if let vault = event.vault { result.append(EntityReference(kind: .vault, id: vault)) }
        return result
    }
}
