import Synchronization

/// The dashboard's side of the pipeline: fed the same batches as the detector and every alert
/// it publishes, it keeps an `ActivityTracker` and publishes `DashboardSnapshot`s for the UI.
///
/// Newest wins: `publishIfChanged()` (called by a ticker about ten times a second) builds a
/// snapshot when something changed and replaces the one waiting; the UI's
/// `takeLatestSnapshot()` swaps it out. Neither side waits for the other beyond a short lock.
/// - Important: thread-safe. Ingestion calls `ingest` and `upsert`, a ticker calls
///   `publishIfChanged`, the UI thread calls `takeLatestSnapshot`.
public final class DashboardModel: Sendable {
    private struct State {
        var tracker: ActivityTracker
        var alerts: [String: Alert] = [:]
        var alertOrder: [String] = []
        var changed = true
        var sequence = 0
        var rateSamples: [(seconds: Double, events: Int)] = []
        var baselines: [String: VaultBaselineSummary] = [:]
    }

    private let state: Mutex<State>
    private let mailbox = Mutex<DashboardSnapshot?>(nil)
    private let wallClock: @Sendable () -> Double
    private let learningDays: Int
    /// Recent events carried by each snapshot.
    private let recentEventLimit: Int

    /// - Parameters:
    ///   - wallClock: monotonic seconds, for events/s only (detection runs on event time);
    ///     inject a fake in tests.
    public init(
        symbols: SymbolTable, learningDays: Int = 7, recentEventLimit: Int = 64,
        wallClock: @escaping @Sendable () -> Double = DashboardModel.monotonicSeconds
    ) {
        self.state = Mutex(State(tracker: ActivityTracker(symbols: symbols)))
        self.wallClock = wallClock
        self.learningDays = learningDays
        self.recentEventLimit = recentEventLimit
    }

    /// Counts a batch (the same batch the detector processes).
    public func ingest(_ batch: EventBatch) {
        state.withLock { state in
            state.tracker.ingest(batch)
            state.changed = true
        }
    }

    /// Takes an alert's current state from the detector's stream (upsert by id).
    public func upsert(_ alert: Alert) {
        state.withLock { state in
            if state.alerts.updateValue(alert, forKey: alert.id) == nil { state.alertOrder.append(alert.id) }
            state.changed = true
        }
    }

    /// The newest reports of data that may have been lost (at most `ActivityTracker.lossHistory`),
    /// oldest first, and how many there were in all: `watch` prints them once the terminal is
    /// restored.
    public var dataLosses: (recent: [String], total: Int) {
        state.withLock { ($0.tracker.recentDataLosses, $0.tracker.dataLossReports) }
    }

    /// The vaults seen so far, by name.
    public var vaultNames: [String] { state.withLock { $0.tracker.vaultNames } }

    /// Takes the detector's baselines of some vaults (`Detector.baselineSummary(vault:)`),
    /// shown instead of the dashboard's own estimate for those vaults.
    public func updateBaselines(_ summaries: [String: VaultBaselineSummary]) {
        state.withLock { state in
            state.baselines.merge(summaries) { _, new in new }
            state.changed = true
        }
    }

    /// Builds and publishes a snapshot if anything changed since the last one; the snapshot
    /// waiting in the mailbox, if the UI has not taken it, is replaced (newest wins).
    public func publishIfChanged() {
        let now = wallClock()
        let snapshot: DashboardSnapshot? = state.withLock { state in
            let total = state.tracker.totalEvents
            state.rateSamples.append((now, total))
            state.rateSamples.removeAll { now - $0.seconds > 3 }
            guard state.changed else { return nil }
            state.changed = false
            state.sequence += 1
            return makeSnapshot(&state, now: now)
        }
        if let snapshot { mailbox.withLock { $0 = snapshot } }
    }

    /// The newest snapshot not yet taken, or nil when none was published since the last call.
    public func takeLatestSnapshot() -> DashboardSnapshot? {
        mailbox.withLock { mailbox in
            defer { mailbox = nil }
            return mailbox
        }
    }

    /// Builds a snapshot now, regardless of changes (tests, the final frame).
    public func currentSnapshot() -> DashboardSnapshot {
        let now = wallClock()
        return state.withLock { makeSnapshot(&$0, now: now) }
    }

    private func makeSnapshot(_ state: inout State, now: Double) -> DashboardSnapshot {
        var openAlerts: [String: Int] = [:]
        var alerts: [Alert] = []
        alerts.reserveCapacity(state.alertOrder.count)
        for id in state.alertOrder {
            guard let alert = state.alerts[id] else { continue }
            alerts.append(alert)
            if alert.status == .active, let vault = alert.vault { openAlerts[vault, default: 0] += 1 }
        }
        alerts.sort { ($0.firstSeen, $0.id) > ($1.firstSeen, $1.id) }
        var rate = 0.0
        if let first = state.rateSamples.first, let last = state.rateSamples.last, last.seconds - first.seconds > 0.2 {
            rate = Double(last.events - first.events) / (last.seconds - first.seconds)
        }
        let tracker = state.tracker
        var snapshot = DashboardSnapshot(
            sequence: state.sequence, eventClock: tracker.eventClock, firstEventTime: tracker.firstEventTime,
            totalEvents: tracker.totalEvents, malformedRecords: tracker.malformedRecords,
            skippedRecords: tracker.skippedRecords, dataLossReports: tracker.dataLossReports,
            latestDataLoss: tracker.recentDataLosses.last, eventsPerSecond: rate,
            vaults: tracker.vaultActivities(openAlerts: openAlerts, baselines: state.baselines),
            recentEvents: tracker.activityEvents(limit: recentEventLimit), alerts: alerts, learningDays: learningDays)
        snapshot.challengeRequests = tracker.challengeRequests
        return snapshot
    }

    /// Seconds of a monotonic clock, for rates.
    public static let monotonicSeconds: @Sendable () -> Double = {
        let now = ContinuousClock.now
        let components = (now - start).components
        return Double(components.seconds) + Double(components.attoseconds) / 1e18
    }

    private static let start = ContinuousClock.now
}
