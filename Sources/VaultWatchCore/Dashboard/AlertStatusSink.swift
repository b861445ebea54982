/// Where an analyst's dismiss / resolve from the dashboard goes to be kept. The store
/// (issue 5) implements it to persist statuses; until then the dashboard keeps them in memory.
/// - Important: called on the UI thread; an implementation must not block (queue the write).
public protocol AlertStatusSink: Sendable {
    func record(status: AlertStatus, forAlertID alertID: String)
}
