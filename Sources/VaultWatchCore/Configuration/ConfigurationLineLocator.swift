import Foundation

/// Finds the line a TOML key was written on. TOMLKit gives positions only for syntax errors,
/// so a light scan of the text maps each `table.key` (and each `[[array]]` element's keys) to
/// its line, for messages about values of the wrong type or out of range.
struct ConfigurationLineLocator {
    private var keyLines: [String: Int] = [:]
    private var tableLines: [String: Int] = [:]

    init(text: String) {
        var table = ""
        var arrayCounts: [String: Int] = [:]
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("[[") {
                let name = Self.headerName(line, brackets: 2)
                let index = arrayCounts[name, default: 0]
                arrayCounts[name] = index + 1
                table = "\(name)[\(index)]"
                tableLines[table] = lineNumber
            } else if line.hasPrefix("[") {
                table = Self.headerName(line, brackets: 1)
                tableLines[table] = lineNumber
            } else if let equals = line.firstIndex(of: "=") {
                var key = line[..<equals].trimmingCharacters(in: .whitespaces)
                key = key.replacingOccurrences(of: "\"", with: "")
                let path = table.isEmpty ? key : "\(table).\(key)"
                if keyLines[path] == nil { keyLines[path] = lineNumber }
            }
        }
    }

    private static func headerName(_ line: String, brackets: Int) -> String {
        var name = line.dropFirst(brackets)
        if let close = name.firstIndex(of: "]") { name = name[..<close] }
        return name.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "\"", with: "")
    }

    /// The line of `path` (`rules.KV_X.key`, `suppress[0].kind`), else of its table.
    func line(of path: String) -> Int? {
        if let line = keyLines[path] ?? tableLines[path] { return line }
        var table = path
        while let dot = table.lastIndex(of: ".") {
            table = String(table[..<dot])
            if let line = tableLines[table] { return line }
        }
        return tableLines[table]
    }
}
