/// Symbols to names and back for a saved state: a saved state outlives its process's symbol
/// table, so it holds names, and a restored detector interns them in its own table. The one
/// translation the learned state (`BaselineSnapshot`) and what is in flight (`BaselineInFlight`,
/// the reorder buffer) share; operation indexes go through `BehaviourBaseline+SavedNames.swift`.
struct SavedNames {
    let symbols: SymbolTable

    func name(_ symbol: Symbol) -> String { symbols.string(symbol) ?? "" }

    func symbol(_ name: String) -> Symbol { symbols.intern(name) }

    func named(_ event: AuditEvent) -> NamedEvent { NamedEvent(event, symbols: symbols) }

    func event(_ saved: NamedEvent) throws(BaselineStateError) -> AuditEvent { try saved.event(symbols: symbols) }
}
