/// What a save writes of the learned entities (`Detector.exportProgress(heldSince:rows:)`): the
/// rows of entities new or changed since the previous save, and the keys of those gone since
/// (forgotten by the sliding window). Applied in the save's transaction, it leaves the saved
/// rows exactly the detector's entities at that save.
public struct BaselineRowChanges: Sendable {
    /// Rows to insert or replace.
    public var upserted: [BaselineRow]
    /// Keys of rows to delete.
    public var removed: [Int64]
    /// Every saved row goes first: the first save of rows into a file, or a new salt after two
    /// entities' keys collided (then every key changes).
    public var replacesAll: Bool
    /// The salt of the keys, saved in the state beside the rows.
    public var salt: UInt64

    public init(upserted: [BaselineRow], removed: [Int64], replacesAll: Bool, salt: UInt64) {
        self.upserted = upserted
        self.removed = removed
        self.replacesAll = replacesAll
        self.salt = salt
    }
}
