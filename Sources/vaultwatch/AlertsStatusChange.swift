import ArgumentParser
import VaultWatchCore
import VaultWatchStore

/// What `alerts dismiss` and `alerts resolve` share: find the alert, record the change with
/// its reason, say what was done and where.
enum AlertsStatusChange {
    static func run(_ status: AlertStatus, id: String, reason: String?, state: StateFileOption) throws {
        let store = try state.open(.readWrite)
        do {
            let alert = try store.setStatus(status, alertID: id, reason: reason)
            StandardStreams.output(Array("\(alert.id) \(status.rawValue) (saved in \(store.displayName))\n".utf8))
        } catch {
            throw CommandFailure(message: "\(error)")
        }
    }
}
