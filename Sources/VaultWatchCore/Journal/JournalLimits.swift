/// How much the event journal keeps: the last `hours` of event time, and never more than
/// `maximumEvents` events (the oldest go first). The configuration's `[journal]` table sets
/// them (`hours`, `events`).
public struct JournalLimits: Sendable, Hashable {
    public var hours: Int
    public var maximumEvents: Int

    /// 24 hours, at most 500,000 events: about 50 MiB at the journal's ~100 bytes an event,
    /// which keeps DESIGN.md §7's 300 MB budget with the detector's own state (measured by
    /// `vaultwatch-bench`); a quiet tenant's whole day fits, a busy one's last hours do.
    public static let defaultHours = 24
    public static let defaultMaximumEvents = 500_000

    public init(hours: Int = JournalLimits.defaultHours, maximumEvents: Int = JournalLimits.defaultMaximumEvents) {
        self.hours = max(1, hours)
        self.maximumEvents = max(1, maximumEvents)
    }

    /// `hours` as event time.
    public var window: EventTime.Duration { .hours(Int64(hours)) }
}
