/// Word wrapping for descriptions and reasons, by display columns.
public enum TextWrap {
    /// `text` cut into lines of at most `width` columns at spaces; a word longer than a line
    /// is cut. Sanitised first: log text may be inside.
    public static func lines(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        var current = ""
        var currentWidth = 0
        for word in TerminalSafeText.sanitize(text).split(separator: " ", omittingEmptySubsequences: true) {
            var word = String(word)
            var wordWidth = TerminalWidth.of(word)
            while wordWidth > width {
                if !current.isEmpty {
                    lines.append(current)
                    current = ""
                    currentWidth = 0
                }
                var head = ""
                var headWidth = 0
                while let character = word.first, headWidth + TerminalWidth.of(String(character)) <= width {
                    head.append(word.removeFirst())
                    headWidth += TerminalWidth.of(String(character))
                }
                if head.isEmpty { head.append(word.removeFirst()) }
                lines.append(head)
                wordWidth = TerminalWidth.of(word)
            }
            if word.isEmpty { continue }
            if currentWidth == 0 {
                current = word
                currentWidth = wordWidth
            } else if currentWidth + 1 + wordWidth <= width {
                current += " " + word
                currentWidth += 1 + wordWidth
            } else {
                lines.append(current)
                current = word
                currentWidth = wordWidth
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}
