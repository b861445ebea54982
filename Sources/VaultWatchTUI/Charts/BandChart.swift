import VaultWatchCore

/// Counts over time against their baseline band, drawn into a rectangle of a `ScreenBuffer`.
///
/// Blocks and ASCII: a bar per column (eighth blocks give the top its fraction), the band
/// shaded behind it and its median as a line; a bar above the band takes the `chart.over`
/// role, so an anomaly stands out in any theme, colour or not. Braille: the series as a line
/// of dots at twice the horizontal and four times the vertical resolution, over the band.
public enum BandChart {
    /// Draws `values` (oldest first, the newest at the right edge) and `bands` (same length,
    /// nil where unknown) into `rect`, scaled to the largest value or band edge.
    /// - Complexity: O(rect.width × rect.height).
    public static func draw(
        values: [Double], bands: [BaselineBand?], into buffer: inout ScreenBuffer, rect: Rect, glyphs: ChartGlyphs
    ) {
        guard rect.width > 0, rect.height > 0 else { return }
        let perColumn = glyphs == .braille ? 2 : 1
        let count = min(values.count, rect.width * perColumn)
        let shownValues = Array(values.suffix(count))
        let shownBands = Array(bands.suffix(count)) + Array(repeating: nil, count: max(0, count - bands.count))
        var maximum = 1.0
        for value in shownValues { maximum = max(maximum, value) }
        for band in shownBands { if let band { maximum = max(maximum, band.upper) } }
        let firstColumn = rect.maxX - (count + perColumn - 1) / perColumn
        let rows = Double(rect.height)

        // The band and median behind everything.
        for column in 0..<((count + perColumn - 1) / perColumn) {
            let index = min(column * perColumn + perColumn - 1, count - 1)
            guard let band = shownBands[index] else { continue }
            for row in 0..<rect.height {
                let cellLow = Double(rect.height - 1 - row) / rows * maximum
                let cellHigh = Double(rect.height - row) / rows * maximum
                let x = firstColumn + column
                let y = rect.y + row
                if band.median >= cellLow && band.median < cellHigh {
                    buffer.put(glyphs.baselineCell, x: x, y: y, role: .chartBaseline)
                } else if band.upper > cellLow && band.lower < cellHigh {
                    buffer.put(glyphs.bandCell, x: x, y: y, role: .chartBand)
                }
            }
        }

        if glyphs == .braille {
            var canvas = BrailleCanvas(width: (count + 1) / 2, height: rect.height)
            var previousY: Int?
            var over = Array(repeating: false, count: canvas.width)
            for (index, value) in shownValues.enumerated() {
                let dotY = canvas.dotHeight - 1 - min(canvas.dotHeight - 1, Int((value / maximum * Double(canvas.dotHeight - 1)).rounded()))
                canvas.line(dotX: index + (canvas.width * 2 - count), fromY: previousY ?? dotY, toY: dotY)
                previousY = dotY
                if let band = shownBands[index], value > band.alertLevel { over[(index + (canvas.width * 2 - count)) / 2] = true }
            }
            for row in 0..<canvas.height {
                for column in 0..<canvas.width where canvas.hasDots(x: column, y: row) {
                    buffer.put(canvas.character(x: column, y: row), x: rect.maxX - canvas.width + column, y: rect.y + row,
                               role: over[column] ? .chartOver : .chartValue)
                }
            }
            return
        }

        let levels = glyphs.levels
        for (column, value) in shownValues.enumerated() where value > 0 {
            let role: StyleRole = (shownBands[column].map { value > $0.alertLevel } ?? false) ? .chartOver : .chartValue
            let eighths = max(1, Int((value / maximum * rows * 8).rounded()))
            let x = firstColumn + column
            for row in 0..<rect.height {
                let filledBelow = (rect.height - 1 - row) * 8
                let inCell = min(8, eighths - filledBelow)
                guard inCell > 0 else { continue }
                buffer.put(inCell >= 8 ? glyphs.fullCell : levels[inCell - 1], x: x, y: rect.y + row, role: role)
            }
        }
    }

    /// The scale's top value for `values` and `bands`, for the axis label.
    public static func scaleMaximum(values: [Double], bands: [BaselineBand?]) -> Double {
        var maximum = 1.0
        for value in values { maximum = max(maximum, value) }
        for band in bands { if let band { maximum = max(maximum, band.upper) } }
        return maximum
    }
}
