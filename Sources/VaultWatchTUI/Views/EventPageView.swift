import VaultWatchCore

/// One event: what happened (time, operation, outcome, object, client, where it was read),
/// its entities (principal, application, address, vault: `Enter` opens the selected one's
/// page) and its record: the original record as the log holds it when VaultWatch kept it (an
/// evidence event), else the fields VaultWatch read, as JSON.
enum EventPageView {
    static func draw(_ state: AppState, into buffer: inout ScreenBuffer, rect: Rect) {
        guard case .event(let event) = state.screen else { return }
        let entities = EntityReference.entities(of: event)
        let headRows = 1 + 2 + 1 + max(1, entities.count)
        let (top, bottom) = rect.splitTop(min(rect.height - 3, headRows))
        let body = PanelFrame.draw(
            title: "Event", number: nil, trailing: event.source.map(TerminalSafeText.sanitize) ?? "", focused: true,
            into: &buffer, rect: top, glyphs: state.chartGlyphs)
        var y = body.y
        var x = body.x + 1
        x += buffer.write(Format.clock(event.time) + "  ", x: x, y: y, role: .dim)
        x += buffer.write(TerminalSafeText.sanitize(event.operation ?? "?") + "  ", x: x, y: y, maxWidth: max(0, body.maxX - x), role: .title)
        x += buffer.write(Roles.outcomeLabel(event.outcome, status: event.httpStatusCode ?? 0), x: x, y: y, maxWidth: max(0, body.maxX - x), role: Roles.role(for: event.outcome))
        y += 1
        var detail: [String] = []
        if let name = event.objectName { detail.append("\(event.objectKind == .none ? "object" : event.objectKind.name) \(name)") }
        if let client = event.clientInfo { detail.append("client \(client)") }
        if y < body.maxY {
            buffer.writeTruncating(TerminalSafeText.sanitize(detail.joined(separator: " · ")), x: body.x + 1, y: y, maxWidth: body.width - 2, role: .dim)
            y += 1
        }
        if y < body.maxY {
            buffer.write("Entities", x: body.x + 1, y: y, role: .label)
            buffer.write("  Enter opens a page", x: body.x + 9, y: y, maxWidth: body.width - 10, role: .dim)
            y += 1
        }
        let selected = min(state.cursor.row, max(0, entities.count - 1))
        for (index, entity) in entities.enumerated() where y < body.maxY {
            let isSelected = index == selected
            if isSelected { buffer.fill(Rect(x: body.x, y: y, width: body.width, height: 1), role: .selected) }
            buffer.write(isSelected ? (state.chartGlyphs == .ascii ? ">" : "▶") : " ", x: body.x, y: y, role: isSelected ? .selected : .normal)
            buffer.write(Format.pad(entity.kind.label, 13), x: body.x + 1, y: y, role: isSelected ? .selected : .dim)
            buffer.writeTruncating(EntityText.full(of: entity, state: state), x: body.x + 14, y: y, maxWidth: body.width - 15, role: isSelected ? .selected : .value)
            y += 1
        }
        RecordView.draw(event, state: state, into: &buffer, rect: bottom)
    }
}

/// An event's record in a panel: the original record (sanitised: control characters and
/// escape sequences cannot reach the terminal; long lines wrap) when it was kept, else the
/// fields VaultWatch read as JSON, saying so.
enum RecordView {
    static func draw(_ event: AlertEvidence, state: AppState, into buffer: inout ScreenBuffer, rect: Rect) {
        let (title, lines) = content(of: event, width: rect.width - 2)
        let body = PanelFrame.draw(
            title: title, number: nil, trailing: "\(state.keyMap.keyLabel(of: .rawJSON)) full screen", focused: false,
            into: &buffer, rect: rect, glyphs: state.chartGlyphs)
        for (row, line) in lines.prefix(body.height).enumerated() {
            buffer.writeTruncating(line, x: body.x + 1, y: body.y + row, maxWidth: body.width - 2, role: .value)
        }
        if lines.count > body.height, body.height > 0 {
            buffer.writeRightAligned(" \(lines.count - body.height) more lines ", rightEdge: body.maxX - 1, y: body.maxY - 1, role: .dim)
        }
    }

    /// The panel's title and lines: the original record, pretty-printed when it is one JSON
    /// object, else the fields read.
    static func content(of event: AlertEvidence, width: Int) -> (title: String, lines: [String]) {
        if let record = event.record {
            return ("Original record", RecordText.lines(record, width: max(20, width)))
        }
        return ("Fields read (the original record could not be read again)", EvidenceJSON.lines(for: event))
    }
}
