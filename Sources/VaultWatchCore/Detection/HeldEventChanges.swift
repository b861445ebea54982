/// The change to the saved held events since the last save (`Detector.exportProgress(heldSince:)`):
/// the events the reorder buffer took since, and the release mark below which every saved held
/// event has been released and its row can go. The state store applies it in the save's
/// transaction, so the saved rows always hold exactly the events the buffer held at that save
/// (with, in a row not wholly released yet, some released ones a restore leaves out).
public struct HeldEventChanges: Sendable {
    /// Held events that arrived since the last save, in one row (format 12); nil when none did.
    public var added: HeldEventRow?
    /// Every event earlier than this (ticks) has been released.
    public var releasedThrough: Int64
    /// The arrival number the buffer gives its next event: the next save's `heldSince`.
    public var nextArrival: UInt64
    /// `added` holds every held event (taken since arrival 0): the rows saved so far go, whatever
    /// their format (a state restored from format 11 or older saved one row per event).
    public var replacesSaved: Bool

    public init(added: HeldEventRow?, releasedThrough: Int64, nextArrival: UInt64, replacesSaved: Bool = false) {
        self.added = added
        self.releasedThrough = releasedThrough
        self.nextArrival = nextArrival
        self.replacesSaved = replacesSaved
    }
}
