/// The transient strings of a `SymbolTable` held at one point, kept readable while this lives
/// (`SymbolTable.pinTransient`); released with the last reference.
final class TransientPin: Sendable {
    let table: SymbolTable
    /// The transient sequence numbers held when the pin was taken: `from..<until`.
    let from: UInt32
    let until: UInt32

    init(table: SymbolTable, from: UInt32, until: UInt32) {
        self.table = table
        self.from = from
        self.until = until
    }

    deinit { table.unpinTransient(from: from) }
}
