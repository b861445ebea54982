/// Every key, grouped by where it applies, read from the key table the handler uses, and a
/// legend of severities and outcomes.
enum HelpView {
    static func draw(_ state: AppState, into buffer: inout ScreenBuffer, rect: Rect) {
        buffer.fill(rect, role: .normal)
        let body = PanelFrame.draw(
            title: "Help: keys", number: nil, trailing: "\(state.keyMap.keyLabel(of: .help)) or Esc closes", focused: true, into: &buffer, rect: rect, glyphs: state.chartGlyphs)
        var rows: [(String, String, StyleRole)] = []
        for context in KeyContext.allCases where state.keyMap.bindings.contains(where: { $0.context == context }) {
            rows.append((context.title, "", .label))
            for binding in state.keyMap.bindings where binding.context == context {
                rows.append((binding.keyLabel, binding.description, .normal))
            }
        }
        let columns = body.height - 2 >= rows.count ? 1 : 2
        let perColumn = (rows.count + columns - 1) / columns
        let columnWidth = body.width / columns
        for (index, row) in rows.enumerated() {
            let column = index / perColumn
            let y = body.y + index % perColumn
            guard y < body.maxY - 1 else { continue }
            let x = body.x + 1 + column * columnWidth
            if row.2 == .label {
                buffer.write(row.0, x: x, y: y, maxWidth: columnWidth - 2, role: .label)
            } else {
                buffer.write(Format.pad(row.0, 11), x: x, y: y, role: .footerKey)
                buffer.writeTruncating(row.1, x: x + 11, y: y, maxWidth: columnWidth - 12, role: .normal)
            }
        }
        // The legend: what each tag and colour means.
        let y = body.maxY - 1
        var x = body.x + 1
        x += buffer.write("Severity: ", x: x, y: y, role: .label)
        for (text, role) in [("HIGH", StyleRole.severityHigh), ("MED", .severityMedium), ("LOW", .severityLow), ("INFO", .severityInformational)] {
            x += buffer.write(text, x: x, y: y, role: role)
            x += buffer.write(" ", x: x, y: y, role: .normal)
        }
        x += buffer.write("  Events: ", x: x, y: y, role: .label)
        for (text, role) in [("ok", StyleRole.eventSuccess), ("denied", .eventDenied), ("not found", .eventNotFound), ("error", .eventError)] {
            x += buffer.write(text, x: x, y: y, role: role)
            x += buffer.write(" ", x: x, y: y, role: .normal)
        }
    }
}
