/// The learned entities' rows (buckets) as saved, by bucket, each with a digest of the entities
/// in it: what the next save compares the detector's entities with to find the buckets that
/// changed. Held by the state store's recorder and replaced only once a save has committed, so
/// a failed save leaves it describing what the file holds.
public struct BaselineDigests: Sendable, Equatable {
    /// How many bits of an entity's key number its bucket (`BaselineRowChanges.bucketBits`).
    public var bucketBits: Int
    var digests: [Int64: UInt64]

    public var count: Int { digests.count }

    /// No rows saved yet.
    public init() {
        self.init(bucketBits: 0, digests: [:])
    }

    init(bucketBits: Int, digests: [Int64: UInt64]) {
        self.bucketBits = bucketBits
        self.digests = digests
    }

    /// The digests of rows read back from a state file, with the bucket size of the state saved
    /// with them (format 6); nil when that state is whole (format 5 and older: no rows) or a
    /// row cannot be read (the restore reports it).
    public init?(state: [UInt8], rows: [BaselineRow]) {
        guard let bits = BaselineSnapshot.bucketBits(of: state) else { return nil }
        var digests: [Int64: UInt64] = [:]
        digests.reserveCapacity(rows.count)
        for row in rows {
            guard let digest = try? BaselineSnapshot.bucketDigest(row.data) else { return nil }
            digests[row.key] = digest
        }
        self.init(bucketBits: bits, digests: digests)
    }

    /// The digests after a save of `changes` has committed.
    public mutating func apply(_ changes: BaselineRowChanges) {
        if changes.replacesAll {
            digests = [:]
            digests.reserveCapacity(changes.upserted.count)
        }
        bucketBits = changes.bucketBits
        for key in changes.removed { digests[key] = nil }
        for (key, digest) in changes.digests { digests[key] = digest }
    }
}
