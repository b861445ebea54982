import Foundation
import VaultWatchCore

/// The dashboard's `d` (dismiss) and `r` (resolve) kept in the state file: `watch` passes this
/// sink to the dashboard so that a status set there survives a restart and shows in
/// `vaultwatch alerts list --status …`, exactly as `vaultwatch alerts dismiss|resolve` would
/// set it (no reason; the change is recorded in the alert's status history).
///
/// `record` is called on the UI thread and must not block, so changes are queued and written
/// in order by one background task. An alert raised moments ago may not be saved yet (the
/// detection run saves it with its batch's checkpoint); such a change is retried until the
/// alert is there, for up to `pendingTimeout`. Failures are kept for the caller to report once
/// the terminal is restored (`finish()`), not dropped.
public final class AlertStoreStatusSink: AlertStatusSink {
    /// One status change asked for by the analyst.
    struct Change: Sendable {
        var status: AlertStatus
        var alertID: String
    }

    public let store: AlertStore
    private let continuation: AsyncStream<Change>.Continuation
    private let writer: Task<[String], Never>

    /// - Parameters:
    ///   - pendingTimeout: how long to wait for an alert that is not in the store yet.
    ///   - retryInterval: how often to look for it meanwhile.
    public init(store: AlertStore, pendingTimeout: Duration = .seconds(30), retryInterval: Duration = .milliseconds(200)) {
        self.store = store
        let (changes, continuation) = AsyncStream.makeStream(of: Change.self, bufferingPolicy: .unbounded)
        self.continuation = continuation
        writer = Task {
            var failures: [String] = []
            for await change in changes {
                if let failure = await Self.write(change, to: store, pendingTimeout: pendingTimeout, retryInterval: retryInterval) {
                    failures.append(failure)
                }
            }
            return failures
        }
    }

    public func record(status: AlertStatus, forAlertID alertID: String) {
        continuation.yield(Change(status: status, alertID: alertID))
    }

    /// Writes every change recorded so far and stops taking more.
    /// - Returns: one line per change that could not be stored (empty when all were).
    public func finish() async -> [String] {
        continuation.finish()
        return await writer.value
    }

    /// Writes one change; nil when stored (or already in that status), else why not.
    private static func write(_ change: Change, to store: AlertStore, pendingTimeout: Duration, retryInterval: Duration) async -> String? {
        let clock = ContinuousClock()
        let deadline = clock.now + pendingTimeout
        while true {
            do {
                try store.setStatus(change.status, alertID: change.alertID)
                return nil
            } catch StoreError.statusUnchanged {
                return nil
            } catch StoreError.alertNotFound where clock.now < deadline {
                // Not saved yet: the detection run saves it with its batch.
                try? await Task.sleep(for: retryInterval)
            } catch {
                return "alert \(change.alertID) could not be marked \(change.status.rawValue): \(error)"
            }
        }
    }
}
