/// Shown instead of the panels when the terminal is below 80×24: a clear message rather than
/// a garbled screen.
enum TooSmallView {
    static func draw(into buffer: inout ScreenBuffer, size: ScreenSize) {
        let lines = [
            "VaultWatch needs a terminal of at least \(ScreenSize.minimum.width)×\(ScreenSize.minimum.height).",
            "This one is \(size.width)×\(size.height): please enlarge it.",
            "q quits.",
        ]
        let top = max(0, (size.height - lines.count) / 2)
        for (index, line) in lines.enumerated() {
            let words = TextWrap.lines(line, width: max(size.width, 1))
            for (offset, part) in words.enumerated() where top + index + offset < size.height {
                let x = max(0, (size.width - TerminalWidth.of(part)) / 2)
                buffer.write(part, x: x, y: min(size.height - 1, top + index * 1 + offset), role: index == 0 ? .warning : .normal)
            }
        }
    }
}
