/// What a save writes of the learned entities (`Detector.exportProgress(heldSince:rows:)`): the
/// buckets whose entities are new, changed or gone since the previous save, and the buckets
/// left empty. Applied in the save's transaction, it leaves the saved rows exactly the
/// detector's entities at that save.
public struct BaselineRowChanges: Sendable {
    /// Rows to insert or replace.
    public var upserted: [BaselineRow]
    /// Keys (bucket numbers) of rows to delete.
    public var removed: [Int64]
    /// Every saved row goes first: the first save of rows into a file, or a new bucket size
    /// (the entities grew or shrank past what the old size suits; every bucket number changes).
    public var replacesAll: Bool
    /// How many bits of an entity's key number its bucket, saved in the state beside the rows.
    public var bucketBits: Int
    /// The digest of each upserted row's entities, for `BaselineDigests`.
    public var digests: [Int64: UInt64]

    public init(upserted: [BaselineRow], removed: [Int64], replacesAll: Bool, bucketBits: Int, digests: [Int64: UInt64]) {
        self.upserted = upserted
        self.removed = removed
        self.replacesAll = replacesAll
        self.bucketBits = bucketBits
        self.digests = digests
    }
}
