import VaultWatchCore

/// The selected vault's operations per hour against its baseline band, and its operation mix
/// this hour against the usual mix.
enum ChartView {
    static func draw(_ state: AppState, into buffer: inout ScreenBuffer, rect: Rect) {
        let vault = state.chartVault
        let trailing = vault.map { TerminalSafeText.sanitize($0.name) } ?? ""
        let body = PanelFrame.draw(
            title: Panel.chart.title, number: Panel.chart.number, trailing: trailing, focused: state.focus == .chart,
            into: &buffer, rect: rect, glyphs: state.chartGlyphs)
        guard body.height > 0 else { return }
        guard let vault else {
            buffer.write(" no vault selected", x: body.x, y: body.y, role: .dim)
            return
        }
        // The mix narrows before the chart does, so the chart keeps room for its whole legend.
        let mixWidth = body.width >= 100 ? 44 : (body.width >= 70 ? 32 : 26)
        let (chartArea, mixArea) = body.splitLeft(body.width - mixWidth)
        drawSeries(vault, state: state, into: &buffer, rect: chartArea)
        drawMix(vault, into: &buffer, rect: mixArea.inset(columns: 1))
    }

    /// Ops per hour over the last hours (newest right) with the band and its median.
    static func drawSeries(_ vault: VaultActivity, state: AppState, into buffer: inout ScreenBuffer, rect: Rect) {
        guard rect.height > 1, rect.width > 12 else { return }
        let values = vault.hourlyCounts.map(Double.init)
        let maximum = BandChart.scaleMaximum(values: values, bands: vault.hourlyBand)
        let axisWidth = 6
        let glyphs = state.chartGlyphs
        let hours = min(values.count, (rect.width - axisWidth - 1) * (glyphs == .braille ? 2 : 1))
        // The longest caption that fits whole: a legend cut to "usua" explains nothing.
        let legend = vault.hourlyBand.contains(where: { $0 != nil })
            ? ["  \(glyphs.bandCell) usual  \(glyphs.baselineCell) median", " \(glyphs.bandCell) usual \(glyphs.baselineCell) median"]
            : ["  (learning)", " (learning)"]
        let captions = [
            " ops/hour, last \(hours) h" + legend[0], " ops/h, \(hours) h" + legend[0], " \(hours) h" + legend[1], legend[1],
        ]
        let caption = captions.first { TerminalWidth.of($0) <= rect.width } ?? legend[1]
        buffer.write(caption, x: rect.x, y: rect.y, maxWidth: rect.width, role: .label)
        let plot = Rect(x: rect.x + axisWidth, y: rect.y + 1, width: rect.width - axisWidth - 1, height: rect.height - 1)
        buffer.write(Format.padLeft(Format.rate(maximum), axisWidth - 1), x: rect.x, y: plot.y, role: .dim)
        buffer.write(Format.padLeft("0", axisWidth - 1), x: rect.x, y: plot.maxY - 1, role: .dim)
        let axis: Unicode.Scalar = glyphs == .ascii ? "|" : "│"
        for y in plot.y..<plot.maxY { buffer.put(axis, x: plot.x - 1, y: y, role: .border) }
        BandChart.draw(values: values, bands: vault.hourlyBand, into: &buffer, rect: plot, glyphs: glyphs)
    }

    static func drawMix(_ vault: VaultActivity, into buffer: inout ScreenBuffer, rect: Rect) {
        guard rect.height > 0, rect.width > 10 else { return }
        let nameWidth = rect.width - 12
        buffer.write(Format.pad(nameWidth >= 14 ? "operation mix" : "mix", nameWidth) + Format.padLeft("hour", 6) + Format.padLeft("usual", 6),
                     x: rect.x, y: rect.y, maxWidth: rect.width, role: .label)
        var names: [String] = vault.operationMixNow.map(\.operation)
        for share in vault.operationMixUsual where !names.contains(share.operation) { names.append(share.operation) }
        for (row, name) in names.prefix(rect.height - 1).enumerated() {
            let now = vault.operationMixNow.first { $0.operation == name }?.fraction ?? 0
            let usual = vault.operationMixUsual.first { $0.operation == name }?.fraction ?? 0
            let unusual = now > 0 && (usual < 0.01 || now > usual * 2 + 0.1)
            let y = rect.y + 1 + row
            var x = rect.x
            x += buffer.write(Format.pad(TerminalSafeText.sanitize(name), nameWidth), x: x, y: y, role: unusual ? .chartOver : .normal)
            x += buffer.write(Format.padLeft(Format.percent(now), 6), x: x, y: y, role: unusual ? .chartOver : .value)
            buffer.write(Format.padLeft(usual > 0 ? Format.percent(usual) : "new", 6), x: x, y: y, role: .dim)
        }
        if names.isEmpty { buffer.write("no operations yet", x: rect.x, y: rect.y + 1, role: .dim) }
    }
}

extension Rect {
    func inset(columns: Int) -> Rect { Rect(x: x + columns, y: y, width: width - 2 * columns, height: height) }
}
