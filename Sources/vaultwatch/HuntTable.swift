import VaultWatchCore
import VaultWatchTUI

/// `hunt --format table`: matching events in aligned columns, for a person at a terminal.
///
/// Column widths come from the first rows (up to `sampleRows`, held back until then), so a
/// long hunt streams after a short wait instead of holding every row; later cells wider than
/// their column are cut with `…`. Every value from the logs is made safe for the terminal;
/// callers and applications are shown by name beside their id when the directory knows them.
/// With `hunt --deliveries`, a last column says which delivery a repeat repeats (`-` for a first).
struct HuntTable {
    static let columns = ["time", "vault", "operation", "outcome", "caller", "application", "ip", "object", "source"]
    static let sampleRows = 1000

    let names: DirectoryNames
    /// The column names: `columns`, and `repeat of` when every delivery is listed.
    let header: [String]
    private var held: [[String]] = []
    private var widths: [Int]?

    init(names: DirectoryNames, deliveries: Bool = false) {
        self.names = names
        header = deliveries ? Self.columns + ["repeat of"] : Self.columns
    }

    /// Adds `event`'s row; `repeatOf`, with `--deliveries`: the first delivery's `file:line` for a repeat, nil for a first.
    mutating func append(_ event: AlertEvidence, repeatOf: String? = nil, to output: inout [UInt8]) {
        var row = cells(event)
        if header.count > Self.columns.count { row.append(repeatOf.map(TerminalSafeText.sanitize) ?? "-") }
        if let widths {
            output.append(contentsOf: Self.line(row, widths: widths).utf8)
            return
        }
        held.append(row)
        if held.count >= Self.sampleRows { output.append(contentsOf: flushHeld().utf8) }
    }

    /// What is still held back (all of a short hunt), with the header if nothing was printed.
    mutating func finish() -> [UInt8] {
        guard widths == nil else { return [] }
        return Array(flushHeld().utf8)
    }

    private mutating func flushHeld() -> String {
        var widths = header.map { TerminalWidth.of($0) }
        for row in held {
            for (column, cell) in row.enumerated() { widths[column] = max(widths[column], TerminalWidth.of(cell)) }
        }
        self.widths = widths
        var text = Self.line(header, widths: widths)
        for row in held { text += Self.line(row, widths: widths) }
        held.removeAll()
        return text
    }

    private func cells(_ event: AlertEvidence) -> [String] {
        func safe(_ text: String?) -> String { text.map(TerminalSafeText.sanitize) ?? "-" }
        func named(_ id: String?) -> String {
            guard let id else { return "-" }
            return safe(names.name(for: id).map { "\($0) (\(id))" } ?? id)
        }
        var outcome = event.outcome.name
        if let code = event.httpStatusCode { outcome += " \(code)" }
        let caller = event.upn.map(safe) ?? named(event.principalID)
        let object = event.objectName.map { "\(event.objectKind.name)/\(safe($0))" } ?? "-"
        return [event.time.iso8601, safe(event.vault), safe(event.operation), outcome, caller, named(event.appID),
                event.callerIP?.description ?? "-", object, safe(event.source)]
    }

    private static func line(_ cells: [String], widths: [Int]) -> String {
        var parts: [String] = []
        for (column, cell) in cells.enumerated() {
            let last = column == cells.count - 1
            parts.append(last ? cell : Format.pad(cell, widths[column]))
        }
        return parts.joined(separator: "  ") + "\n"
    }
}
