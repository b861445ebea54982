/// The learned entities' rows as saved, by key, each with a digest of its bytes: what the next
/// save compares the detector's entities with to find the changed ones. Held by the state
/// store's recorder and replaced only once a save has committed, so a failed save leaves it
/// describing what the file holds.
public struct BaselineDigests: Sendable, Equatable {
    /// The salt the keys were hashed with (`BaselineRowChanges.salt`).
    public var salt: UInt64
    var digests: [Int64: UInt64]

    public var count: Int { digests.count }

    /// No rows saved yet.
    public init() {
        self.init(salt: 0, digests: [:])
    }

    init(salt: UInt64, digests: [Int64: UInt64]) {
        self.salt = salt
        self.digests = digests
    }

    /// The digests of rows read back from a state file, with the salt of the state saved with
    /// them (format 6); nil when that state is whole (format 5 and older: no rows).
    public init?(state: [UInt8], rows: [BaselineRow]) {
        guard let salt = BaselineSnapshot.rowSalt(of: state) else { return nil }
        var digests: [Int64: UInt64] = [:]
        digests.reserveCapacity(rows.count)
        for row in rows { digests[row.key] = StableHash.digest(row.data) }
        self.init(salt: salt, digests: digests)
    }

    /// The digests after a save of `changes` has committed.
    public mutating func apply(_ changes: BaselineRowChanges) {
        if changes.replacesAll {
            digests = [:]
            digests.reserveCapacity(changes.upserted.count)
        }
        salt = changes.salt
        for key in changes.removed { digests[key] = nil }
        for row in changes.upserted { digests[row.key] = StableHash.digest(row.data) }
    }
}
