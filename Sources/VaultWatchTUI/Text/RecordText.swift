/// An original record as lines for the screen: a JSON record laid out one member per line
/// with its nesting indented (strings kept exactly as written, escapes included, so an escape
/// sequence in a log stays visible text), then sanitised (`TerminalSafeText`), and wrapped to
/// the width with continuation lines indented under their member.
public enum RecordText {
    public static func lines(_ record: String, width: Int = Int.max) -> [String] {
        var lines: [String] = []
        var current = ""
        var depth = 0
        var inString = false
        var escaped = false
        func newline() {
            if !current.trimmingPrefixSpaces.isEmpty { lines.append(current) }
            current = String(repeating: "  ", count: depth)
        }
        let characters = Array(record)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            index += 1
            if inString {
                current.append(character)
                if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { inString = false }
                continue
            }
            switch character {
            case "\"":
                inString = true
                current.append(character)
            case "{", "[":
                let close: Character = character == "{" ? "}" : "]"
                var next = index
                while next < characters.count, characters[next] == " " || characters[next] == "\n" || characters[next] == "\t" || characters[next] == "\r" { next += 1 }
                if next < characters.count, characters[next] == close {
                    current.append(character)
                    current.append(close)
                    index = next + 1
                    continue
                }
                current.append(character)
                depth += 1
                newline()
            case "}", "]":
                depth = max(0, depth - 1)
                newline()
                current.append(character)
            case ",":
                current.append(character)
                newline()
            case ":":
                current.append(": ")
            case " ", "\n", "\r", "\t":
                continue
            default:
                current.append(character)
            }
        }
        if !current.trimmingPrefixSpaces.isEmpty { lines.append(current) }
        return lines.flatMap { wrap(TerminalSafeText.sanitize($0), width: width) }
    }

    /// `line` cut into pieces of at most `width` columns, the pieces after the first indented
    /// two columns deeper than the line.
    static func wrap(_ line: String, width: Int) -> [String] {
        guard width > 8, TerminalWidth.of(line) > width else { return [line] }
        let indent = String(repeating: " ", count: min(width / 2, line.prefix { $0 == " " }.count + 2))
        var pieces: [String] = []
        var piece = ""
        var used = 0
        for character in line {
            let columns = TerminalWidth.of(String(character))
            if used + columns > width {
                pieces.append(piece)
                piece = indent
                used = TerminalWidth.of(indent)
            }
            piece.append(character)
            used += columns
        }
        if !piece.isEmpty { pieces.append(piece) }
        return pieces
    }
}

extension String {
    fileprivate var trimmingPrefixSpaces: Substring { drop { $0 == " " } }
}
