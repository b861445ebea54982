/// The footer: the current context's keys from the key table (the same table the handler and
/// help use), the filter being typed, and the theme's name.
enum FooterView {
    static func draw(_ state: AppState, into buffer: inout ScreenBuffer, rect: Rect) {
        guard rect.height > 0 else { return }
        buffer.fill(Rect(x: rect.x, y: rect.y, width: rect.width, height: 1), role: .footer)
        if state.isEditingFilter {
            var x = rect.x + 1
            x += buffer.write("Filter: ", x: x, y: rect.y, role: .footerKey)
            x += buffer.write(state.filter, x: x, y: rect.y, maxWidth: rect.width - 40, role: .filter)
            x += buffer.write("▏", x: x, y: rect.y, role: .filter)
            buffer.write("  Enter keep · Esc clear", x: x, y: rect.y, maxWidth: rect.maxX - x, role: .footer)
            return
        }
        let themeText = "theme: \(state.themeName)"
        let themeWidth = TerminalWidth.of(themeText)
        let limit = rect.maxX - themeWidth - 2
        var hints: [(keys: String, hint: String)]
        if state.isShowingRawJSON {
            hints = [("\(state.keyMap.keyLabel(of: .rawJSON))/Esc", "close")]
        } else if state.isShowingHelp {
            hints = [("\(state.keyMap.keyLabel(of: .help))/Esc", "close help")]
        } else {
            hints = state.keyMap.footerHints(in: state.keyContext)
        }
        var x = rect.x + 1
        for (keys, hint) in hints {
            let width = TerminalWidth.of(keys) + 1 + TerminalWidth.of(hint) + 2
            if x + width > limit { break }
            x += buffer.write(keys, x: x, y: rect.y, role: .footerKey)
            x += buffer.write(" " + hint + "  ", x: x, y: rect.y, role: .footer)
        }
        buffer.write(themeText, x: rect.maxX - themeWidth - 1, y: rect.y, role: .footer)
    }
}
