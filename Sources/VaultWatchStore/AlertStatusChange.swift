import VaultWatchCore

/// One step of an alert's status history: who moved it where is not known, when and why are.
public struct AlertStatusChange: Sendable, Hashable {
    public var alertID: String
    public var previousStatus: AlertStatus
    public var status: AlertStatus
    /// Wall-clock time of the change (a person's action, not event time), ISO-8601 UTC.
    public var changedAt: String
    public var reason: String?

    public init(alertID: String, previousStatus: AlertStatus, status: AlertStatus, changedAt: String, reason: String?) {
        self.alertID = alertID
        self.previousStatus = previousStatus
        self.status = status
        self.changedAt = changedAt
        self.reason = reason
    }
}
