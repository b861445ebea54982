import Synchronization

/// The dashboard's side of the pipeline: fed the same batches as the detector and every alert
/// it publishes, it keeps an `ActivityTracker` and publishes `DashboardSnapshot`s for the UI.
///
/// Newest wins: `publishIfChanged()` (called by a ticker about ten times a second) builds a
/// snapshot when something changed, the events/s falling while the input is quiet included, and
/// replaces the one waiting; the UI's
/// `takeLatestSnapshot()` swaps it out. Neither side waits for the other beyond a short lock.
/// Alerts are kept in first-sighting order as they come (an alert's first sighting never
/// changes, so an update finds its place by binary search), at most `alertLimit` of them: past
/// that the oldest are dropped (the state file, when there is one, keeps them all). A snapshot
/// takes a copy of the list under the lock and orders it newest first outside it, so the
/// ingestion path never waits for a sort.
/// - Important: thread-safe. Ingestion calls `ingest` and `upsert`, a ticker calls
///   `publishIfChanged`, the UI thread calls `takeLatestSnapshot`.
public final class DashboardModel: Sendable {
    private struct State {
        var tracker: ActivityTracker
        /// Ascending by (first sighting, id).
        var alerts: [Alert] = []
        var changed = true
        var sequence = 0
        var rateSamples: [(seconds: Double, events: Int)] = []
        /// The events/s the last snapshot showed: the rate falls while the input is quiet, with
        /// nothing else changing, and the header must follow it down to 0.
        var publishedRate = 0.0
        var baselines: [String: VaultBaselineSummary] = [:]
        var journal: EventJournal
        /// The entity whose page is open, its activity (rebuilt when the journal changes, at
        /// most once a second) and what the baselines know of it.
        var focus: EntityReference?
        var activity: EntityActivity?
        var activityVersion = -1
        var activityBuilt = -Double.infinity
        var profile: EntityProfile?
        /// What the state file's runs before this one took (`Detector.runsBefore`).
        var runsBefore: RunsBefore?
    }

    private let state: Mutex<State>
    private let mailbox = Mutex<DashboardSnapshot?>(nil)
    private let wallClock: @Sendable () -> Double
    private let learningDays: Int
    /// Recent events carried by each snapshot.
    private let recentEventLimit: Int
    /// The most alerts the dashboard lists.
    public let alertLimit: Int

    /// - Parameters:
    ///   - wallClock: monotonic seconds, for events/s only (detection runs on event time);
    ///     inject a fake in tests.
    ///   - alertLimit: the most alerts listed; the oldest beyond it are dropped.
    ///   - journalLimits: how much of the event stream the journal keeps for entity pages.
    public init(
        symbols: SymbolTable, learningDays: Int = 7, recentEventLimit: Int = 64, alertLimit: Int = 10_000,
        journalLimits: JournalLimits = JournalLimits(),
        wallClock: @escaping @Sendable () -> Double = DashboardModel.monotonicSeconds
    ) {
        self.alertLimit = max(1, alertLimit)
        self.state = Mutex(State(tracker: ActivityTracker(symbols: symbols), journal: EventJournal(symbols: symbols, limits: journalLimits)))
        self.wallClock = wallClock
        self.learningDays = learningDays
        self.recentEventLimit = recentEventLimit
    }

    /// Counts a batch (the same batch the detector processes) but the events at the positions
    /// `repeats`, the records the detector recognised as already taken (`Detector.take`): those
    /// are counted as duplicates, and neither shown nor journalled.
    public func ingest(_ batch: EventBatch, repeats: [Int] = []) {
        state.withLock { state in
            state.tracker.ingest(batch, repeats: repeats)
            state.journal.append(batch.events(skipping: repeats))
            state.changed = true
        }
    }

    /// What the runs before this one took, restored from the state file (`Detector.runsBefore`):
    /// snapshots carry it, so that the header says which counts are this run's.
    public func noteRunsBefore(_ runsBefore: RunsBefore?) {
        state.withLock { state in
            state.runsBefore = runsBefore
            state.changed = true
        }
    }

    /// Opens (or, with nil, closes) an entity's page: snapshots then carry its activity from
    /// the journal and the profile given by `updateProfile`.
    public func focus(on entity: EntityReference?) {
        state.withLock { state in
            guard state.focus != entity else { return }
            state.focus = entity
            state.activity = nil
            state.activityVersion = -1
            state.activityBuilt = -.infinity
            if state.profile?.entity != entity { state.profile = nil }
            state.changed = true
        }
    }

    /// The entity whose page is open.
    public var focusedEntity: EntityReference? { state.withLock { $0.focus } }

    /// What the baselines know of the open entity (`Detector.profile(of:)`); ignored when the
    /// page has closed or moved on meanwhile.
    public func updateProfile(_ profile: EntityProfile) {
        state.withLock { state in
            guard state.focus == profile.entity, state.profile != profile else { return }
            state.profile = profile
            state.changed = true
        }
    }

    /// How many events the journal holds, and their bytes (`EventJournal.estimatedBytes`).
    public var journalUsage: (events: Int, bytes: Int) { state.withLock { ($0.journal.count, $0.journal.estimatedBytes) } }

    /// Takes an alert's current state from the detector's stream (upsert by id).
    /// - Complexity: O(log n) for an update or an alert newer than the rest (the usual case).
    public func upsert(_ alert: Alert) {
        let limit = alertLimit
        state.withLock { state in
            let key = (alert.firstSeen, alert.id)
            if let last = state.alerts.last, (last.firstSeen, last.id) < key {
                state.alerts.append(alert)
            } else {
                var low = 0
                var high = state.alerts.count
                while low < high {
                    let middle = (low + high) / 2
                    if (state.alerts[middle].firstSeen, state.alerts[middle].id) < key { low = middle + 1 } else { high = middle }
                }
                if low < state.alerts.count, state.alerts[low].id == alert.id {
                    state.alerts[low] = alert
                } else {
                    state.alerts.insert(alert, at: low)
                }
            }
            // Dropped a tenth at a time, so that pruning costs O(1) per alert on average.
            if state.alerts.count > limit + limit / 10 { state.alerts.removeFirst(state.alerts.count - limit) }
            state.changed = true
        }
    }

    /// The newest reports of data that may have been lost (at most `ActivityTracker.lossHistory`),
    /// oldest first, and how many there were in all: `watch` prints them once the terminal is
    /// restored.
    public var dataLosses: (recent: [String], total: Int) {
        state.withLock { ($0.tracker.recentDataLosses, $0.tracker.dataLossReports) }
    }

    /// How many alerts are listed (at most `alertLimit` plus a tenth).
    public var alertCount: Int { state.withLock { $0.alerts.count } }

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
        let parts: SnapshotParts? = state.withLock { state in
            let total = state.tracker.totalEvents
            state.rateSamples.append((now, total))
            state.rateSamples.removeAll { now - $0.seconds > 3 }
            Self.refreshActivity(&state, now: now)
            let rate = Self.rate(of: state.rateSamples)
            if rate != state.publishedRate { state.changed = true }
            guard state.changed else { return nil }
            state.changed = false
            state.publishedRate = rate
            state.sequence += 1
            return SnapshotParts(state)
        }
        if let parts { mailbox.withLock { $0 = makeSnapshot(parts) } }
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
        return makeSnapshot(state.withLock { state in
            Self.refreshActivity(&state, now: now, force: true)
            return SnapshotParts(state)
        })
    }

    /// Rebuilds the open page's activity when the journal changed, at most once a second (a
    /// pass over the journal, under the lock: a few milliseconds per million events).
    private static func refreshActivity(_ state: inout State, now: Double, force: Bool = false) {
        guard let entity = state.focus, state.activityVersion != state.journal.version else { return }
        guard force || state.activity == nil || now - state.activityBuilt >= 1 else { return }
        state.activity = state.journal.activity(of: entity)
        state.activityVersion = state.journal.version
        state.activityBuilt = now
        state.changed = true
    }

    /// What a snapshot is built from, copied under the lock (copies of values: the work of
    /// ordering and summing happens after the lock is released).
    private struct SnapshotParts {
        var tracker: ActivityTracker
        var alerts: [Alert]
        var baselines: [String: VaultBaselineSummary]
        var sequence: Int
        var rate: Double
        var activity: EntityActivity?
        var profile: EntityProfile?
        var runsBefore: RunsBefore?

        init(_ state: State) {
            runsBefore = state.runsBefore
            tracker = state.tracker
            activity = state.activity
            profile = state.profile
            alerts = state.alerts
            baselines = state.baselines
            sequence = state.sequence
            rate = DashboardModel.rate(of: state.rateSamples)
        }
    }

    /// Events per second over the samples of the last 3 s (0 until they span 0.2 s).
    private static func rate(of samples: [(seconds: Double, events: Int)]) -> Double {
        guard let first = samples.first, let last = samples.last, last.seconds - first.seconds > 0.2 else { return 0 }
        return Double(last.events - first.events) / (last.seconds - first.seconds)
    }

    private func makeSnapshot(_ parts: SnapshotParts) -> DashboardSnapshot {
        var openAlerts: [String: Int] = [:]
        for alert in parts.alerts where alert.status == .active {
            if let vault = alert.vault { openAlerts[vault, default: 0] += 1 }
        }
        let tracker = parts.tracker
        var snapshot = DashboardSnapshot(
            sequence: parts.sequence, eventClock: tracker.eventClock, firstEventTime: tracker.firstEventTime,
            totalEvents: tracker.totalEvents, malformedRecords: tracker.malformedRecords,
            skippedRecords: tracker.skippedRecords, dataLossReports: tracker.dataLossReports,
            latestDataLoss: tracker.recentDataLosses.last, eventsPerSecond: parts.rate,
            vaults: tracker.vaultActivities(openAlerts: openAlerts, baselines: parts.baselines),
            recentEvents: tracker.activityEvents(limit: recentEventLimit), alerts: parts.alerts.reversed(),
            learningDays: learningDays)
        snapshot.challengeRequests = tracker.challengeRequests
        snapshot.duplicateRecords = tracker.duplicateRecords
        snapshot.runsBefore = parts.runsBefore
        snapshot.entityActivity = parts.activity
        snapshot.entityProfile = parts.profile
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
