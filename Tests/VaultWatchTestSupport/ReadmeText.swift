import Foundation

/// The repository's README.md as tests read it: its sections, code blocks, tables and
/// back-quoted names, so a test can check the program against what the manual says rather than
/// against a copy of it that would drift.
public struct ReadmeText: Sendable {
    public let text: String

    public init(_ text: String) { self.text = text }

    /// README.md at the repository root.
    public static func load() throws -> ReadmeText {
        ReadmeText(try String(contentsOf: TestPaths.repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8))
    }

    /// The section under the heading whose text is `heading` (`"## Alerts"`, `"### \`hunt\`"`),
    /// up to the next heading of the same or a higher level; nil when there is no such heading.
    public func section(_ heading: String) -> ReadmeText? {
        let level = heading.prefix { $0 == "#" }.count
        var lines: [Substring] = []
        var inside = false
        var inCode = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") { inCode.toggle() }
            let headingLevel = inCode ? 0 : line.prefix { $0 == "#" }.count
            if inside, headingLevel > 0, headingLevel <= level, line.dropFirst(headingLevel).hasPrefix(" ") { break }
            if !inside, line == heading { inside = true; continue }
            if inside { lines.append(line) }
        }
        return inside ? ReadmeText(lines.joined(separator: "\n")) : nil
    }

    /// The fenced code blocks, in order, with their info string (`sh`, `toml`, or empty).
    public var codeBlocks: [(info: String, body: String)] {
        var blocks: [(info: String, body: String)] = []
        var current: (info: String, lines: [Substring])?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") {
                if let open = current {
                    blocks.append((open.info, open.lines.joined(separator: "\n")))
                    current = nil
                } else {
                    current = (String(line.dropFirst(3)).trimmingCharacters(in: .whitespaces), [])
                }
            } else if current != nil {
                current?.lines.append(line)
            }
        }
        return blocks
    }

    /// The body rows of the Markdown tables, as trimmed cells (header and rule rows left out).
    public var tableRows: [[String]] {
        var rows: [[String]] = []
        var previousWasRow = false
        for line in text.split(separator: "\n") {
            guard line.hasPrefix("|") else { previousWasRow = false; continue }
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast()
                .map { $0.trimmingCharacters(in: .whitespaces) }
            let isRule = cells.allSatisfy { !$0.isEmpty && $0.allSatisfy { "-: ".contains($0) } }
            // The first row of a table is its header.
            if previousWasRow, !isRule { rows.append(cells) }
            previousWasRow = true
        }
        return rows
    }

    /// The text between the first occurrence of `start` and the next occurrence of `end` after it.
    public func between(_ start: String, and end: String) -> String? {
        guard let from = text.range(of: start), let to = text.range(of: end, range: from.upperBound..<text.endIndex) else { return nil }
        return String(text[from.upperBound..<to.lowerBound])
    }

    /// The back-quoted names in `text`, in order, leaving out those inside parentheses when
    /// `outsideParentheses` (a field list's value lists: `severity` (`low`, `high`)).
    public static func quotedNames(in text: String, outsideParentheses: Bool = false) -> [String] {
        var names: [String] = []
        var depth = 0
        var current: String?
        for character in text {
            if var name = current {
                if character == "`" {
                    if depth == 0 || !outsideParentheses { names.append(name) }
                    current = nil
                } else {
                    name.append(character)
                    current = name
                }
                continue
            }
            switch character {
            case "`": current = ""
            case "(": depth += 1
            case ")": depth = max(0, depth - 1)
            default: break
            }
        }
        return names
    }
}
