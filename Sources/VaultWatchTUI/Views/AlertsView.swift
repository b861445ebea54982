import VaultWatchCore

/// Alerts newest first, each tagged and coloured by severity; resolved and dismissed alerts
/// stay listed, dimmed, with their status.
enum AlertsView {
    static func draw(_ state: AppState, into buffer: inout ScreenBuffer, rect: Rect) {
        let alerts = state.visibleAlerts
        let active = alerts.filter { $0.status == .active }.count
        let body = PanelFrame.draw(
            title: Panel.alerts.title, number: Panel.alerts.number, trailing: "\(active) active of \(alerts.count)",
            focused: state.focus == .alerts, into: &buffer, rect: rect, glyphs: state.chartGlyphs)
        guard body.height > 0 else { return }
        if alerts.isEmpty {
            let text = state.filter.isEmpty ? " no alerts yet" : " no alert matches the filter"
            buffer.write(text, x: body.x, y: body.y, role: .dim)
            return
        }
        let wide = body.width >= 100
        let vaultWidth = wide ? 24 : 18
        // The subject column only when the name keeps room to be read.
        let subjectWidth = body.width >= 110 ? 30 : 0
        let selected = state.selectedAlertIndex
        let first = VaultsView.firstVisible(selected: selected, count: alerts.count, rows: body.height)
        for (offset, alert) in alerts[first..<min(alerts.count, first + body.height)].enumerated() {
            let y = body.y + offset
            let isSelected = first + offset == selected && state.focus == .alerts
            let isActive = alert.status == .active
            let baseRole: StyleRole = isSelected ? .selected : (isActive ? .normal : .dim)
            if isSelected { buffer.fill(Rect(x: body.x, y: y, width: body.width, height: 1), role: .selected) }
            var x = body.x
            x += buffer.write(isSelected ? (state.chartGlyphs == .ascii ? ">" : "▶") : " ", x: x, y: y, role: baseRole)
            x += buffer.write(Roles.tag(for: alert.severity), x: x, y: y, role: isActive ? Roles.role(for: alert.severity) : .dim)
            x += buffer.write(" " + Format.shortDateTime(alert.firstSeen) + " ", x: x, y: y, role: isSelected ? baseRole : .dim)
            let statusText = isActive ? (alert.count > 1 ? "×\(alert.count)" : "") : alert.status.rawValue
            let statusWidth = 10
            let nameWidth = max(10, body.maxX - x - vaultWidth - subjectWidth - statusWidth)
            x += buffer.write(Format.pad(TerminalSafeText.sanitize(alert.displayName), nameWidth - 1) + " ", x: x, y: y, role: baseRole)
            x += buffer.write(Format.pad(TerminalSafeText.sanitize(alert.vault ?? "—"), vaultWidth - 1) + " ", x: x, y: y, role: baseRole)
            if subjectWidth > 0 {
                let subject = alert.upn ?? alert.appID ?? alert.principalID ?? alert.ip?.description ?? ""
                x += buffer.write(Format.pad(TerminalSafeText.sanitize(subject), subjectWidth - 1) + " ", x: x, y: y, role: isSelected ? baseRole : .dim)
            }
            buffer.write(Format.padLeft(statusText, statusWidth - 1), x: x, y: y, role: isSelected ? baseRole : .dim)
        }
    }
}
