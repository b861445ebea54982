/// The selected evidence event's JSON, over the alert's detail.
enum RawJSONView {
    static func draw(_ state: AppState, into buffer: inout ScreenBuffer, rect: Rect) {
        guard let alert = state.detailAlert, !alert.evidence.isEmpty else { return }
        let index = min(state.selectedEvidence, alert.evidence.count - 1)
        let lines = EvidenceJSON.lines(for: alert.evidence[index])
        let width = min(rect.width - 4, max(60, (lines.map { TerminalWidth.of($0) }.max() ?? 0) + 4))
        let height = min(rect.height, lines.count + 2)
        let box = Rect(x: rect.x + (rect.width - width) / 2, y: rect.y + (rect.height - height) / 2, width: width, height: height)
        buffer.fill(box, role: .normal)
        let body = PanelFrame.draw(
            title: "Evidence \(index + 1) of \(alert.evidence.count) (JSON)", number: nil, trailing: "\(state.keyMap.keyLabel(of: .rawJSON))/Esc close", focused: true,
            into: &buffer, rect: box, glyphs: state.chartGlyphs)
        for (row, line) in lines.prefix(body.height).enumerated() {
            buffer.writeTruncating(line, x: body.x + 1, y: body.y + row, maxWidth: body.width - 2, role: .value)
        }
    }
}
