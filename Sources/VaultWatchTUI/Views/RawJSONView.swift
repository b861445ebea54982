import VaultWatchCore

/// The selected evidence event's original record (`y`), over the alert's detail or an event's
/// page, over the whole page: the record as the log holds it when it was kept, else the fields
/// VaultWatch read.
enum RawJSONView {
    static func draw(_ state: AppState, into buffer: inout ScreenBuffer, rect: Rect) {
        let event: AlertEvidence
        var title: String
        switch state.screen {
        case .detail:
            guard let alert = state.detailAlert, !alert.evidence.isEmpty else { return }
            let index = min(state.selectedEvidence, alert.evidence.count - 1)
            event = alert.evidence[index]
            title = "Evidence \(index + 1) of \(alert.evidence.count)"
        case .event(let shown):
            event = shown
            title = "Event"
        case .dashboard, .entity:
            return
        }
        var shown = event
        if shown.record == nil { shown.record = state.foundRecords[event] }
        let (kind, lines) = RecordView.content(of: shown, width: rect.width - 8)
        title += ": " + kind
        // The whole page, as the key's hint says ("full screen"): a box narrower than the page
        // left the page's first columns showing beside it, read as stray letters.
        let box = rect
        buffer.fill(box, role: .normal)
        let body = PanelFrame.draw(
            title: title, number: nil, trailing: "\(state.keyMap.keyLabel(of: .rawJSON))/Esc close", focused: true,
            into: &buffer, rect: box, glyphs: state.chartGlyphs)
        let scroll = min(state.recordScroll, max(0, lines.count - body.height))
        for (row, line) in lines.dropFirst(scroll).prefix(body.height).enumerated() {
            buffer.writeTruncating(line, x: body.x + 1, y: body.y + row, maxWidth: body.width - 2, role: .value)
        }
        if scroll + body.height < lines.count {
            buffer.writeRightAligned(" \(lines.count - scroll - body.height) more ↓ j/PgDn ", rightEdge: body.maxX - 1, y: body.maxY - 1, role: .dim)
        }
    }
}
