/// A bucket of the detector's learned entities (vaults, principals, pairs, known applications and
/// ranges, …) saved as a row of its own by an older VaultWatch (detector state format 6: read,
/// no longer written; `BaselineSnapshot+Rows`).
///
/// An entity's bucket is the top bits of a hash of its kind and identity (a vault's name, a pair's
/// vault and principal), so it stays in its bucket from save to save. `data` is the bucket's
/// entities one after the other, each its kind (`BaselineSnapshot.Section`) and then its fields in
/// the binary state form (`StateWriter`) with its own names: a row is read without the rest of the
/// state. `section` is 0 (a bucket mixes kinds).
public struct BaselineRow: Sendable, Hashable {
    public var key: Int64
    public var section: UInt8
    public var data: [UInt8]

    public init(key: Int64, section: UInt8 = 0, data: [UInt8]) {
        self.key = key
        self.section = section
        self.data = data
    }
}
