/// One event the detector's reorder buffer holds, encoded on its own, for the state store to save
/// once and delete once released, rather than saving every held event at every save.
///
/// At a steady rate the buffer holds the last `reorder tolerance` of events (10 minutes: some
/// 150,000 events at 250 events/s), nearly all of them already held at the previous save; saving
/// only the new ones makes a save's cost follow the events since the last save, not the tolerance.
/// The event is `NamedEvent`'s fields in the binary state form (`StateWriter`), names spelled out
/// (a row must be readable without the rest of the state).
public struct HeldEvent: Sendable, Hashable {
    /// Its arrival number in the buffer: unique, increasing, kept across restarts.
    public var arrival: UInt64
    /// Its event time (ticks): a held event is released once the release mark passes it.
    public var time: Int64
    public var data: [UInt8]

    public init(arrival: UInt64, time: Int64, data: [UInt8]) {
        self.arrival = arrival
        self.time = time
        self.data = data
    }

    init(arrival: UInt64, time: Int64, event: NamedEvent) {
        var writer = StateWriter(capacity: 256)
        writer.event(event)
        self.init(arrival: arrival, time: time, data: writer.bytes)
    }

    /// The event, as saved.
    func namedEvent() throws(BaselineStateError) -> NamedEvent {
        var reader = StateReader(data)
        let event = try reader.event()
        guard reader.isAtEnd, event.time == time else {
            throw BaselineStateError("detector state is damaged: held event \(arrival) does not match its row")
        }
        return event
    }
}
