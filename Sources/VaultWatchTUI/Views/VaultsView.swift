import VaultWatchCore

/// A row per vault: operations per minute now against the usual rate for this hour of the
/// week, principals seen, a sparkline of the last hour and open alerts.
enum VaultsView {
    static func draw(_ state: AppState, into buffer: inout ScreenBuffer, rect: Rect) {
        let vaults = state.visibleVaults
        let focused = state.focus == .vaults
        let body = PanelFrame.draw(
            title: Panel.vaults.title, number: Panel.vaults.number,
            trailing: "\(vaults.count) \(vaults.count == 1 ? "vault" : "vaults")", focused: focused,
            into: &buffer, rect: rect, glyphs: state.chartGlyphs)
        guard body.height > 0 else { return }
        let sparkWidth = body.width >= 110 ? 30 : (body.width >= 90 ? 20 : 14)
        let numbers = 8 + 8 + 7 + 7  // ops/min, usual, principals, alerts
        let nameWidth = max(8, body.width - numbers - sparkWidth - 4)
        var header = " " + Format.pad("vault", nameWidth) + Format.padLeft("ops/min", 8) + Format.padLeft("usual", 8)
        header += Format.padLeft("callers", 8) + "  " + Format.pad("last 60 min", sparkWidth) + Format.padLeft("alerts", 7)
        buffer.write(header, x: body.x, y: body.y, maxWidth: body.width, role: .label)
        let rows = body.height - 1
        guard rows > 0 else { return }
        if vaults.isEmpty {
            buffer.write(state.filter.isEmpty ? " no vaults yet" : " no vault matches the filter", x: body.x, y: body.y + 1, role: .dim)
            return
        }
        let selected = state.selectedVaultIndex
        let first = Self.firstVisible(selected: selected, count: vaults.count, rows: rows)
        for (offset, vault) in vaults[first..<min(vaults.count, first + rows)].enumerated() {
            let y = body.y + 1 + offset
            let isSelected = first + offset == selected
            let rowRole: StyleRole = isSelected ? .selected : .normal
            if isSelected { buffer.fill(Rect(x: body.x, y: y, width: body.width, height: 1), role: .selected) }
            var x = body.x
            x += buffer.write(isSelected ? (state.chartGlyphs == .ascii ? ">" : "▶") : " ", x: x, y: y, role: rowRole)
            x += buffer.write(Format.pad(TerminalSafeText.sanitize(vault.name), nameWidth), x: x, y: y, role: rowRole)
            let now = vault.operationsPerMinuteNow
            let usual = vault.baselinePerMinute
            let band = vault.hourlyBand.last ?? nil
            let isHigh = band.map { now * 60 > $0.alertLevel } ?? false
            x += buffer.write(Format.padLeft(Format.rate(now), 8), x: x, y: y, role: isSelected ? rowRole : (isHigh ? .chartOver : .value))
            x += buffer.write(Format.padLeft(usual.map(Format.rate) ?? "learn", 8), x: x, y: y, role: isSelected ? rowRole : .dim)
            x += buffer.write(Format.padLeft(Format.count(vault.principalCount), 8), x: x, y: y, role: rowRole)
            x += 2
            for scalar in Sparkline.encode(vault.minuteCounts.map(Double.init), width: sparkWidth, glyphs: state.chartGlyphs == .braille ? .blocks : state.chartGlyphs) {
                x += buffer.put(scalar, x: x, y: y, role: isSelected ? rowRole : .sparkline)
            }
            let alertsText = vault.openAlerts > 0 ? "\(vault.openAlerts)" : "·"
            buffer.write(Format.padLeft(alertsText, 7), x: x, y: y, role: isSelected ? rowRole : (vault.openAlerts > 0 ? .severityMedium : .dim))
        }
    }

    /// The first row to show so that `selected` stays visible.
    static func firstVisible(selected: Int, count: Int, rows: Int) -> Int {
        guard count > rows else { return 0 }
        return min(max(0, selected - rows / 2), count - rows)
    }
}
