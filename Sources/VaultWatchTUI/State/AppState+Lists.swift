import VaultWatchCore

/// The rows each panel shows: the snapshot's lists, with status overrides applied and the
/// filter (case-insensitive, on every text column) applied.
extension AppState {
    /// Alerts newest first, with the analyst's status changes.
    public var visibleAlerts: [Alert] {
        var result: [Alert] = []
        for var alert in snapshot.alerts {
            if let status = statusOverrides[alert.id] { alert.status = status }
            if matchesFilter(alert) { result.append(alert) }
        }
        return result
    }

    public var visibleVaults: [VaultActivity] {
        let needle = filter.lowercased()
        return snapshot.vaults.filter { needle.isEmpty || $0.name.lowercased().contains(needle) }
    }

    public var visibleActivity: [ActivityEvent] {
        guard !filter.isEmpty else { return snapshot.recentEvents }
        let needle = filter.lowercased()
        return snapshot.recentEvents.filter { event in
            let fields: [String] = [event.vault, event.operation, event.caller, event.callerIP, event.objectName, event.outcome.name]
            return fields.contains { $0.lowercased().contains(needle) }
        }
    }

    /// The vault the chart shows: the selected one, else the busiest with an open alert, else the first.
    public var chartVault: VaultActivity? {
        let vaults = visibleVaults
        if let name = selectedVaultName, let vault = vaults.first(where: { $0.name == name }) { return vault }
        return vaults.first
    }

    public var selectedVaultIndex: Int {
        let vaults = visibleVaults
        return selectedVaultName.flatMap { name in vaults.firstIndex { $0.name == name } } ?? 0
    }

    public var selectedAlertIndex: Int {
        let alerts = visibleAlerts
        return selectedAlertID.flatMap { id in alerts.firstIndex { $0.id == id } } ?? 0
    }

    /// The alert open in the detail view, in its current state.
    public var detailAlert: Alert? {
        guard case .detail(let id) = screen else { return nil }
        guard var alert = snapshot.alerts.first(where: { $0.id == id }) else { return nil }
        if let status = statusOverrides[alert.id] { alert.status = status }
        return alert
    }

    /// Active alerts by severity (with the analyst's changes), for the header.
    public func activeAlertCount(of severity: Severity) -> Int {
        snapshot.alerts.reduce(0) { count, alert in
            let status = statusOverrides[alert.id] ?? alert.status
            return count + (status == .active && alert.severity == severity ? 1 : 0)
        }
    }

    func matchesFilter(_ alert: Alert) -> Bool {
        guard !filter.isEmpty else { return true }
        let needle = filter.lowercased()
        var fields: [String] = [alert.displayName, alert.kind.rawValue, alert.severity.displayName]
        fields.append(alert.vault ?? "")
        fields.append(alert.upn ?? "")
        fields.append(alert.principalID ?? "")
        fields.append(alert.appID ?? "")
        fields.append(alert.ip?.description ?? "")
        return fields.contains { $0.lowercased().contains(needle) }
    }

    /// The entity whose page is on top.
    public var openEntity: EntityReference? {
        if case .entity(let entity) = screen { return entity }
        return nil
    }

    /// The open entity's activity, once the model has built it for this entity.
    public var entityActivity: EntityActivity? {
        guard let entity = openEntity, let activity = snapshot.entityActivity, activity.entity == entity else { return nil }
        return activity
    }

    /// What the baselines know of the open entity, once the detector has said.
    public var entityProfile: EntityProfile? {
        guard let entity = openEntity, let profile = snapshot.entityProfile, profile.entity == entity else { return nil }
        return profile
    }

    /// The open entity's events (newest first), with the page's filter applied.
    public var entityEvents: [AlertEvidence] {
        let events = entityActivity?.events ?? []
        guard !filter.isEmpty else { return events }
        let needle = filter.lowercased()
        return events.filter { event in
            let fields: [String?] = [event.vault, event.operation, event.upn, event.principalID, event.appID,
                                     event.callerIP?.description, event.objectName, event.outcome.name, event.clientInfo]
            return fields.contains { $0?.lowercased().contains(needle) ?? false }
        }
    }

    /// The alerts that involve the open entity (as principal, application, address or vault),
    /// newest first, with the analyst's status changes.
    public var entityAlerts: [Alert] {
        guard let entity = openEntity else { return [] }
        var result: [Alert] = []
        for var alert in snapshot.alerts where Self.alert(alert, involves: entity) {
            if let status = statusOverrides[alert.id] { alert.status = status }
            result.append(alert)
        }
        return result
    }

    /// Whether `entity` is one of `alert`'s entities (a principal by object id or UPN),
    /// compared field by field: this runs over every listed alert at each frame of the page.
    static func alert(_ alert: Alert, involves entity: EntityReference) -> Bool {
        switch entity.kind {
        case .principal:
            return alert.principalID.map { $0.lowercased() == entity.id } == true || alert.upn == entity.id
        case .application:
            return alert.appID.map { $0.lowercased() == entity.id } == true
        case .address:
            return alert.ip.map { $0.description == entity.id } == true
        case .vault:
            return alert.vault.map { $0.lowercased() == entity.id } == true
        }
    }
}
