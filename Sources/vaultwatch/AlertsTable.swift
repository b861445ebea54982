import VaultWatchTUI

/// A plain-text table for `alerts list`: columns padded to their widest cell, two spaces
/// apart. Cells come from logs, so control characters are neutralised before they reach the
/// terminal.
struct AlertsTable {
    let columns: [String]
    private var rows: [[String]] = []

    init(columns: [String]) {
        self.columns = columns
    }

    mutating func add(_ cells: [String]) {
        rows.append(cells.map { TerminalSafeText.sanitize($0) })
    }

    var rendered: String {
        var widths = columns.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], cell.count) }
        }
        var text = ""
        for row in [columns] + rows {
            var line = ""
            for (index, cell) in row.enumerated() {
                let isLast = index == row.count - 1
                line += isLast ? cell : cell + String(repeating: " ", count: widths[index] - cell.count + 2)
            }
            text += line + "\n"
        }
        return text
    }
}
