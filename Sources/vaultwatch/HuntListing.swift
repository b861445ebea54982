import VaultWatchCore

/// How `hunt` lists a delivery in its format: a JSON line or a table row printed as it comes, or,
/// for `raw`, the event kept to be read again from its file after the hunt. With `--deliveries`
/// (`marksRepeats`), each line says whether it is a repeat and of which delivery (`repeatOf`).
struct HuntListing {
    let format: HuntCommand.Format
    let symbols: SymbolTable
    var table: HuntTable
    let marksRepeats: Bool
    /// `raw`: the deliveries listed, in the order listed.
    private(set) var rawMatches: [AuditEvent] = []

    init(format: HuntCommand.Format, symbols: SymbolTable, table: HuntTable, marksRepeats: Bool) {
        self.format = format
        self.symbols = symbols
        self.table = table
        self.marksRepeats = marksRepeats
    }

    /// Lists `event`: a first delivery, or with `repeatOf` a repeat of the delivery read there.
    mutating func list(_ event: AuditEvent, repeatOf first: RecordLocation? = nil, to output: inout [UInt8]) {
        let repeatOf = first.map { AlertEvidence.source(of: $0, symbols: symbols) ?? "?" }
        switch format {
        case .jsonl:
            let evidence = AlertEvidence(event: event, symbols: symbols)
            if marksRepeats {
                AlertJSON.appendLine(for: evidence, repeatOf: repeatOf, to: &output)
            } else {
                AlertJSON.appendLine(for: evidence, to: &output)
            }
        case .table: table.append(AlertEvidence(event: event, symbols: symbols), repeatOf: repeatOf, to: &output)
        case .raw: rawMatches.append(event)
        }
    }
}
