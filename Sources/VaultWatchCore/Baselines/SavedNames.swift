/// Symbols to names and back for a saved state: a saved state outlives its process's symbol
/// table, so it holds names, and a restored detector interns them in its own table. The one
/// translation the learned state (`BaselineSnapshot`) and what is in flight (`BaselineInFlight`,
/// the reorder buffer) share; operation indexes go through `BehaviourBaseline+SavedNames.swift`.
struct SavedNames {
    let symbols: SymbolTable
    /// The table's permanent strings when these names were made (`SymbolTable.permanentStrings`):
    /// a save spells out every name of the state, and a lock of the table for each (what
    /// `SymbolTable.string` takes) was a tenth of its time. Newer and transient symbols go to the table.
    private let permanent: [String]

    init(symbols: SymbolTable) {
        self.symbols = symbols
        self.permanent = symbols.permanentStrings()
    }

    /// The text of `symbol`, nil for `Symbol.none` and a forgotten transient symbol.
    func string(_ symbol: Symbol) -> String? {
        let index = Int(symbol.rawValue)
        if symbol.rawValue & SymbolTable.transientBit == 0, index < permanent.count { return symbol.isNone ? nil : permanent[index] }
        return symbols.string(symbol)
    }

    func name(_ symbol: Symbol) -> String { string(symbol) ?? "" }

    /// How many permanent symbols there were when these names were made (`Symbol.none` included).
    var permanentCount: Int { permanent.count }

    func symbol(_ name: String) -> Symbol { symbols.intern(name) }

    func named(_ event: AuditEvent) -> NamedEvent { NamedEvent(event, string: string) }

    func event(_ saved: NamedEvent) throws(BaselineStateError) -> AuditEvent { try saved.event(symbols: symbols) }
}
