/// A panel's title rule: `─ 1 Vaults ──────── 12 vaults ─`, highlighted when focused. Panels
/// are separated by these rules rather than full boxes, so 80×24 keeps room for content.
public enum PanelFrame {
    /// Draws the rule on the first row of `rect` and returns the rows below it.
    public static func draw(
        title: String, number: Int?, trailing: String = "", focused: Bool, into buffer: inout ScreenBuffer, rect: Rect,
        glyphs: ChartGlyphs
    ) -> Rect {
        guard rect.height > 0 else { return rect }
        let rule: Unicode.Scalar = glyphs == .ascii ? "-" : "─"
        let role: StyleRole = focused ? .focusedBorder : .border
        buffer.fill(Rect(x: rect.x, y: rect.y, width: rect.width, height: 1), with: rule, role: role)
        var label = " "
        if let number { label += "\(number) " }
        label += title + " "
        buffer.write(label, x: rect.x + 1, y: rect.y, maxWidth: rect.width - 2, role: focused ? .focusedBorder : .title)
        if !trailing.isEmpty {
            let text = " " + trailing + " "
            let columns = TerminalWidth.of(text)
            if columns + TerminalWidth.of(label) + 4 <= rect.width {
                buffer.write(text, x: rect.maxX - 1 - columns, y: rect.y, maxWidth: columns, role: .dim)
            }
        }
        return rect.splitTop(1).rest
    }
}
