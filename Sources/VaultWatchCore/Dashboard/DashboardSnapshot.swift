/// What the dashboard shows at one moment: a Sendable value the UI takes whole, newest wins.
///
/// Built by `DashboardModel` on the ingestion side at most about ten times a second; every
/// string in it is resolved from symbols, so the UI needs no symbol table. Strings come from
/// logs and are untrusted: the UI sanitises them before they reach the terminal.
public struct DashboardSnapshot: Sendable, Equatable {
    /// Increases with every published snapshot, so the UI can tell a new one from the last.
    public var sequence: Int
    /// The latest event time seen: the dashboard's clock (event time, never the wall clock).
    public var eventClock: EventTime?
    /// The earliest event time seen, for the learning state.
    public var firstEventTime: EventTime?
    public var totalEvents: Int
    public var malformedRecords: Int
    public var skippedRecords: Int
    /// Reports of data that may have been lost while reading, and the newest one's text.
    public var dataLossReports: Int
    public var latestDataLoss: String?
    /// SDK challenge requests seen (401 without identity): counted, never judged.
    public var challengeRequests: Int = 0
    /// Records already taken, delivered again (`Detector.take`): counted, not among
    /// `totalEvents`, not shown.
    public var duplicateRecords: Int = 0
    /// What the runs before this one took, when the detector was restored from a state file
    /// (`Detector.runsBefore`): the counts above are this run's, from 0; the learning state
    /// counts the history the state carried over too.
    public var runsBefore: RunsBefore?
    /// Events ingested per second of wall-clock time, over the last few seconds.
    public var eventsPerSecond: Double
    /// One entry per vault, sorted by name.
    public var vaults: [VaultActivity]
    /// The newest events first, at most `ActivityTracker.recentLimit`.
    public var recentEvents: [ActivityEvent]
    /// Alerts in their current state, newest first (by first sighting).
    public var alerts: [Alert]
    /// Days of history a vault needs before its behavioural rules arm.
    public var learningDays: Int
    /// The open entity page's activity from the journal (`DashboardModel.focus(on:)`), and
    /// what the baselines know of the entity; nil when no page is open or not built yet.
    public var entityActivity: EntityActivity?
    public var entityProfile: EntityProfile?

    public init(
        sequence: Int = 0, eventClock: EventTime? = nil, firstEventTime: EventTime? = nil, totalEvents: Int = 0,
        malformedRecords: Int = 0, skippedRecords: Int = 0, dataLossReports: Int = 0, latestDataLoss: String? = nil,
        eventsPerSecond: Double = 0, vaults: [VaultActivity] = [],
        recentEvents: [ActivityEvent] = [], alerts: [Alert] = [], learningDays: Int = 7
    ) {
        self.sequence = sequence
        self.eventClock = eventClock
        self.firstEventTime = firstEventTime
        self.totalEvents = totalEvents
        self.malformedRecords = malformedRecords
        self.skippedRecords = skippedRecords
        self.dataLossReports = dataLossReports
        self.latestDataLoss = latestDataLoss
        self.eventsPerSecond = eventsPerSecond
        self.vaults = vaults
        self.recentEvents = recentEvents
        self.alerts = alerts
        self.learningDays = learningDays
    }

    /// Whole days of event time seen so far, by this run and the runs before it (`runsBefore`).
    public var daysOfHistory: Int {
        let firsts = [firstEventTime, runsBefore?.firstEventTime].compactMap { $0 }
        let clocks = [eventClock, runsBefore?.eventClock].compactMap { $0 }
        guard let first = firsts.min(), let clock = clocks.max() else { return 0 }
        return Int((clock.ticks - first.ticks) / EventTime.ticksPerDay)
    }

    /// Whether any history is known: events of this run, or the runs before it.
    public var hasHistory: Bool { totalEvents > 0 || runsBefore != nil }

    /// True while the detector has less history than its behavioural rules need.
    public var isLearning: Bool { daysOfHistory < learningDays }
}
