/// Puts events back in time order when a blob tree is read hour by hour, one vault after the
/// other: events of an hour are held until an event of a later hour arrives, then released
/// sorted by time. A replay then unfolds minute by minute across vaults instead of one
/// vault's hour after another's.
/// - Complexity: O(n log n) per released hour; holds at most one hour of events.
public struct HourReorderBuffer: Sendable {
    private var held: [AuditEvent] = []
    private var latestHour: Int64 = .min

    public init() {}

    /// Adds `batch`'s events; returns the batch of events now in order (problems and counts
    /// travel with it).
    public mutating func add(_ batch: EventBatch) -> EventBatch {
        var released = EventBatch(problems: batch.problems, malformedCount: batch.malformedCount, skippedCount: batch.skippedCount)
        for event in batch.events {
            let hour = event.time.ticks / EventTime.ticksPerHour
            if hour > latestHour {
                if !held.isEmpty {
                    released.events.append(contentsOf: held.sorted { $0.time < $1.time })
                    held.removeAll(keepingCapacity: true)
                }
                latestHour = hour
            }
            held.append(event)
        }
        return released
    }

    /// Everything still held, sorted.
    public mutating func flush() -> EventBatch {
        defer { held.removeAll() }
        return EventBatch(events: held.sorted { $0.time < $1.time })
    }
}
