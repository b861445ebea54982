/// A row of the state store's held events: the events the detector's reorder buffer took between
/// two saves, encoded together, for the store to write once and delete once all are released,
/// rather than saving every held event at every save.
///
/// At a steady rate the buffer holds the last `reorder tolerance` of events (10 minutes: some
/// 150,000 events at 250 events/s), nearly all of them already held at the previous save; saving
/// only the new ones makes a save's cost follow the events since the last save, not the tolerance.
///
/// Since format 12 a row is the block of every event a save took (`block(of:names:)`), its names
/// written once for the block (`StateWriter`): the events of one save share their vault,
/// operation and principal names, and one row is one SQLite insert. Formats 4 to 11 saved a row
/// per event, each spelling out its names (`single(arrival:event:)`, kept for tests of reading
/// them): the benchmark's synthetic records made 36,001 rows a save, and half of a save's time
/// went into encoding and inserting them. A row is read by the format of the state saved with it.
public struct HeldEventRow: Sendable, Hashable {
    /// The arrival number of its last event (its only one before format 12): unique and
    /// increasing, kept across restarts; the next save's events arrived after it.
    public var arrival: UInt64
    /// The latest event time among its events (ticks): once the release mark passes it, all of
    /// them are released and the row goes.
    public var time: Int64
    public var data: [UInt8]

    /// The first format whose rows are blocks of events.
    static let blockVersion = 12

    public init(arrival: UInt64, time: Int64, data: [UInt8]) {
        self.arrival = arrival
        self.time = time
        self.data = data
    }

    /// The block of `held` (not empty, in arrival order): how many, then each event's arrival
    /// number and its fields (`StateWriter.event`), names numbered across the block and
    /// written straight from the events' symbols.
    /// - Returns: nil when `held` is empty.
    static func block(of held: some Collection<(arrival: UInt64, event: AuditEvent)>, names: SavedNames) -> HeldEventRow? {
        guard !held.isEmpty else { return nil }
        var writer = StateWriter(capacity: 96 * held.count)
        writer.unsigned(UInt64(held.count))
        var latest = Int64.min
        var last: UInt64 = 0
        for (arrival, event) in held {
            writer.unsigned(arrival)
            writer.event(event, names: names)
            latest = max(latest, event.time.ticks)
            last = arrival
        }
        return HeldEventRow(arrival: last, time: latest, data: writer.takeBytes())
    }

    /// The events of the row, as saved with a state of format `format`, in arrival order.
    /// - Throws: `BaselineStateError` when the row is damaged or does not match its arrival
    ///   number and time.
    func events(format: Int) throws(BaselineStateError) -> [(arrival: UInt64, event: NamedEvent)] {
        var reader = StateReader(data)
        var events: [(arrival: UInt64, event: NamedEvent)] = []
        if format < Self.blockVersion {
            events.append((arrival, try reader.event()))
        } else {
            let count = try reader.count()
            events.reserveCapacity(count)
            for _ in 0..<count {
                let arrival = try reader.unsigned()
                if let previous = events.last?.arrival, arrival <= previous {
                    throw BaselineStateError("detector state is damaged: held events of row \(self.arrival) out of arrival order")
                }
                events.append((arrival, try reader.event()))
            }
        }
        guard reader.isAtEnd, events.last?.arrival == arrival, events.map(\.event.time).max() == time else {
            throw BaselineStateError("detector state is damaged: held event row \(arrival) does not match its events")
        }
        return events
    }
}
