/// One learned entity of the detector's saved state (a vault, a principal, a pair, a known
/// application or range, …) as a row of its own, so that a save writes only the entities that
/// changed since the previous one (detector state format 6, `BaselineRowChanges`).
///
/// `data` is the entity in the binary state form (`StateWriter`), its names spelled out: a row
/// is read without the rest of the state. `key` numbers the entity (its kind and identity —
/// a vault's name, a pair's vault and principal —, hashed with the state's salt): the same
/// entity keeps its key from save to save, so a changed entity replaces its row.
public struct BaselineRow: Sendable, Hashable {
    public var key: Int64
    public var section: UInt8
    public var data: [UInt8]

    public init(key: Int64, section: UInt8, data: [UInt8]) {
        self.key = key
        self.section = section
        self.data = data
    }
}
