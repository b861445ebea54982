/// A one-row chart of a series: each cell one value (or, in braille, two), scaled so the
/// series' maximum fills the cell. Zero draws the lowest mark so the row stays visible.
public enum Sparkline {
    /// The characters for `values`, resampled to `width` cells (the newest values kept when
    /// there are more values than cells).
    public static func encode(_ values: [Double], width: Int, glyphs: ChartGlyphs) -> [Unicode.Scalar] {
        guard width > 0 else { return [] }
        let perCell = glyphs == .braille ? 2 : 1
        let shown = Array(values.suffix(width * perCell))
        let maximum = shown.max() ?? 0
        var result: [Unicode.Scalar] = []
        result.reserveCapacity(width)
        if glyphs == .braille {
            // Oldest values to the left; pad on the left when the series is short.
            let padded = Array(repeating: 0.0, count: width * 2 - shown.count) + shown
            for cell in 0..<width {
                let left = level(padded[cell * 2], maximum: maximum, steps: 4)
                let right = level(padded[cell * 2 + 1], maximum: maximum, steps: 4)
                result.append(BrailleCanvas.bars(left: left, right: right))
            }
            return result
        }
        let levels = glyphs.levels
        for _ in 0..<(width - shown.count) { result.append(" ") }
        for value in shown {
            if value <= 0 || maximum <= 0 {
                result.append(glyphs.emptySpark)
            } else {
                result.append(levels[max(0, level(value, maximum: maximum, steps: 8) - 1)])
            }
        }
        return result
    }

    /// 0…steps: how many of `steps` the value fills; any value above zero shows at least one.
    static func level(_ value: Double, maximum: Double, steps: Int) -> Int {
        guard value > 0, maximum > 0 else { return 0 }
        return min(steps, max(1, Int((value / maximum * Double(steps)).rounded())))
    }
}
