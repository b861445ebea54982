/// The change to the saved held events since the last save (`Detector.exportProgress(heldSince:)`):
/// the events the reorder buffer took since, and the release mark below which every saved held
/// event has been released and its row can go. The state store applies it in the save's
/// transaction, so the saved rows are always exactly the events the buffer held at that save.
public struct HeldEventChanges: Sendable {
    /// Held events that arrived since the last save, in arrival order.
    public var added: [HeldEvent]
    /// Every event earlier than this (ticks) has been released.
    public var releasedThrough: Int64
    /// The arrival number the buffer gives its next event: the next save's `heldSince`.
    public var nextArrival: UInt64

    public init(added: [HeldEvent], releasedThrough: Int64, nextArrival: UInt64) {
        self.added = added
        self.releasedThrough = releasedThrough
        self.nextArrival = nextArrival
    }
}
