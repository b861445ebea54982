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
        // The date only when there is room: in a half-width panel the title needs it more.
        let showsDate = body.width >= 70
        // The subject column only when the name keeps room to be read.
        let subjectWidth = body.width >= 110 ? 30 : 0
        // The status column as wide as its widest text (`×23`, `dismissed`), not a fixed 10.
        let statusWidth = 1 + max(1, alerts.lazy.map { Self.statusText($0).count }.max() ?? 0)
        let longestVault = max(4, alerts.lazy.map { TerminalWidth.of(TerminalSafeText.sanitize($0.vault ?? "—")) }.max() ?? 0)
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
            let when = showsDate ? Format.shortDateTime(alert.firstSeen) : Format.timeOfDay(alert.firstSeen).prefix(5).description
            x += buffer.write(" " + when + " ", x: x, y: y, role: isSelected ? baseRole : .dim)
            let statusText = Self.statusText(alert)
            // The title takes what the other columns leave: the vault column is as wide as the
            // longest vault name, and at most a third of the room.
            let flexible = body.maxX - x - subjectWidth - statusWidth
            let vaultWidth = wide ? 24 : min(longestVault + 1, 18, max(10, flexible / 3))
            let nameWidth = max(10, flexible - vaultWidth)
            x += buffer.write(Format.pad(TerminalSafeText.sanitize(alert.displayName), nameWidth - 1) + " ", x: x, y: y, role: baseRole)
            x += buffer.write(Format.pad(TerminalSafeText.sanitize(alert.vault ?? "—"), vaultWidth - 1) + " ", x: x, y: y, role: baseRole)
            if subjectWidth > 0 {
                let id = alert.appID ?? alert.principalID
                let subject = alert.upn ?? id.map { state.names.name(for: $0) ?? $0 } ?? alert.ip?.description ?? ""
                x += buffer.write(Format.pad(TerminalSafeText.sanitize(subject), subjectWidth - 1) + " ", x: x, y: y, role: isSelected ? baseRole : .dim)
            }
            buffer.write(Format.padLeft(statusText, statusWidth - 1), x: x, y: y, role: isSelected ? baseRole : .dim)
        }
    }

    /// `×23` for a repeated active alert, nothing for a single one, the status when closed.
    static func statusText(_ alert: Alert) -> String {
        alert.status == .active ? (alert.count > 1 ? "×\(alert.count)" : "") : alert.status.rawValue
    }
}
