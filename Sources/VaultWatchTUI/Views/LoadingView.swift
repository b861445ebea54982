/// The progress box shown while the demo's history is ingested at full speed and the
/// baselines learn, before the attack day plays.
enum LoadingView {
    static func draw(_ state: AppState, progress: Double, into buffer: inout ScreenBuffer, rect: Rect) {
        let width = min(rect.width - 4, 70)
        let box = Rect(x: rect.x + (rect.width - width) / 2, y: rect.y + max(0, (rect.height - 5) / 2), width: width, height: 5)
        buffer.fill(box, role: .normal)
        let body = PanelFrame.draw(title: "Learning baselines", number: nil, focused: true, into: &buffer, rect: box, glyphs: state.chartGlyphs)
        buffer.writeTruncating(state.loadingLabel, x: body.x + 1, y: body.y, maxWidth: body.width - 2, role: .normal)
        let percent = Format.padLeft(Format.percent(progress), 5)
        let bar = ProgressBar.encode(fraction: progress, width: body.width - 9, glyphs: state.chartGlyphs)
        buffer.write(bar, x: body.x + 1, y: body.y + 2, role: .chartValue)
        buffer.write(percent, x: body.maxX - 7, y: body.y + 2, role: .value)
    }
}
