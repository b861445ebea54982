import VaultWatchCore

/// The newest events, one per row, coloured by outcome (denied, not found, error).
enum ActivityView {
    static func draw(_ state: AppState, into buffer: inout ScreenBuffer, rect: Rect) {
        let events = state.visibleActivity
        let body = PanelFrame.draw(
            title: Panel.activity.title, number: Panel.activity.number,
            trailing: state.isPaused && state.mode == .live ? "paused" : "newest first", focused: state.focus == .activity,
            into: &buffer, rect: rect, glyphs: state.chartGlyphs)
        guard body.height > 0 else { return }
        if events.isEmpty {
            buffer.write(state.filter.isEmpty ? " waiting for events" : " no event matches the filter", x: body.x, y: body.y, role: .dim)
            return
        }
        let wide = body.width >= 100
        let outcomeWidth = 11
        let ipWidth = wide ? 16 : 0
        // In a narrow panel the vault and operation columns give way so the caller, the column
        // an analyst reads first, keeps about a third of the room.
        let flexible = body.width - 1 - 9 - outcomeWidth - ipWidth
        let callerWidth = min(24, flexible / 3)
        let vaultWidth = min(wide ? 22 : 18, (flexible - callerWidth) / 2)
        let operationWidth = min(wide ? 24 : 18, flexible - callerWidth - vaultWidth)
        let start = min(state.activityOffset, max(0, events.count - 1))
        for (row, event) in events[start...].prefix(body.height).enumerated() {
            let y = body.y + row
            // The top row is the cursor (`Enter` opens its caller's page) while the panel has focus.
            let isSelected = row == 0 && state.focus == .activity && state.screen == .dashboard
            if isSelected { buffer.fill(Rect(x: body.x, y: y, width: body.width, height: 1), role: .selected) }
            let role = isSelected ? StyleRole.selected : Roles.role(for: event.outcome)
            if isSelected { buffer.write(state.chartGlyphs == .ascii ? ">" : "▶", x: body.x, y: y, role: .selected) }
            var x = body.x + 1
            x += buffer.write(Format.timeOfDay(event.time) + " ", x: x, y: y, role: isSelected ? .selected : .dim)
            x += buffer.write(Format.pad(TerminalSafeText.sanitize(event.vault), vaultWidth - 1) + " ", x: x, y: y, role: isSelected ? .selected : .normal)
            x += buffer.write(Format.pad(TerminalSafeText.sanitize(event.operation), operationWidth - 1) + " ", x: x, y: y, role: role)
            x += buffer.write(Format.pad(Roles.outcomeLabel(event.outcome, status: event.httpStatusCode), outcomeWidth - 1) + " ", x: x, y: y, role: role)
            if ipWidth > 0 {
                x += buffer.write(Format.pad(event.callerIP, ipWidth - 1) + " ", x: x, y: y, role: isSelected ? .selected : .dim)
            }
            // A caller without a UPN is a bare id: its display name goes first, the id after it.
            let caller = state.names.name(for: event.caller).map { "\($0) \(event.caller)" } ?? event.caller
            buffer.writeTruncating(TerminalSafeText.sanitize(caller), x: x, y: y, maxWidth: body.maxX - x, role: isSelected ? .selected : .normal)
        }
    }
}
