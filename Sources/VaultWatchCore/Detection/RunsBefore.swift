/// What a detector restored from a state file knows of the runs before this one: what the
/// dashboard says beside this run's own counts, so that an analyst reading its header after a
/// restart knows which counts are this run's (from 0) and which the state carried over.
public struct RunsBefore: Sendable, Equatable {
    /// The events and the records delivered twice the runs before took (`DetectorCounters`).
    public var events: Int
    public var duplicates: Int
    /// The earliest first record of any vault the restored baselines know, and the stream's
    /// clock when the state was saved: the history the detector learned from (its vaults'
    /// learning), which this run's events alone do not show.
    public var firstEventTime: EventTime?
    public var eventClock: EventTime?

    public init(events: Int, duplicates: Int, firstEventTime: EventTime?, eventClock: EventTime?) {
        self.events = events
        self.duplicates = duplicates
        self.firstEventTime = firstEventTime
        self.eventClock = eventClock
    }
}
