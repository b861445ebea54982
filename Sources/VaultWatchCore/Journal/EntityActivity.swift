/// What one entity did in the journal's window, for its page in the dashboard: events per hour,
/// its operations, outcomes and counterparts, and its newest events with their strings
/// resolved (so the UI needs no symbol table).
public struct EntityActivity: Sendable, Equatable {
    /// A name and how often it occurred, most frequent first.
    public struct Count: Sendable, Equatable {
        public var name: String
        public var count: Int

        public init(name: String, count: Int) {
            self.name = name
            self.count = count
        }
    }

    public var entity: EntityReference
    /// The start of the first hour of `hourlyCounts` (an hour boundary of event time).
    public var firstHour: EventTime
    /// Events per hour, oldest first, ending with the hour of the event clock.
    public var hourlyCounts: [Int]
    /// Of those, calls that were refused or failed.
    public var hourlyFailures: [Int]
    /// Every event of the entity in the window (the list below holds only the newest).
    public var totalEvents: Int
    public var operations: [Count]
    /// By outcome name (`success`, `denied`, `notFound`, …).
    public var outcomes: [Count]
    /// The vaults a principal, an application or an address reached.
    public var vaults: [Count]
    /// The callers (UPN, else object id, else application id) of a vault or an address.
    public var callers: [Count]
    /// The addresses a principal or an application called from.
    public var addresses: [Count]
    /// The newest events, newest first, at most `EventJournal.pageEventLimit`.
    public var events: [AlertEvidence]
    /// The oldest event the journal holds when its event cap, not its hours, dropped part of
    /// the window (the page says so); nil when the whole window is there.
    public var journalOldest: EventTime?
    /// The window the figures cover: `hours` of event time up to the event clock.
    public var windowStart: EventTime
    public var windowEnd: EventTime

    public init(
        entity: EntityReference, firstHour: EventTime, hourlyCounts: [Int], hourlyFailures: [Int], totalEvents: Int,
        operations: [Count] = [], outcomes: [Count] = [], vaults: [Count] = [], callers: [Count] = [],
        addresses: [Count] = [], events: [AlertEvidence] = [], journalOldest: EventTime? = nil,
        windowStart: EventTime, windowEnd: EventTime
    ) {
        self.entity = entity
        self.firstHour = firstHour
        self.hourlyCounts = hourlyCounts
        self.hourlyFailures = hourlyFailures
        self.totalEvents = totalEvents
        self.operations = operations
        self.outcomes = outcomes
        self.vaults = vaults
        self.callers = callers
        self.addresses = addresses
        self.events = events
        self.journalOldest = journalOldest
        self.windowStart = windowStart
        self.windowEnd = windowEnd
    }

    /// True when the journal's event cap dropped part of the window: the figures cover less
    /// than `windowStart…windowEnd`.
    public var isTruncated: Bool { journalOldest.map { $0 > windowStart } ?? false }
}
