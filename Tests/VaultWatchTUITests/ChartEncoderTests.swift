import Testing
import VaultWatchCore
@testable import VaultWatchTUI

/// The chart encoders, in each of their glyph sets.
@Suite struct ChartEncoderTests {
    @Test func sparklineInEighthBlocksScalesToTheMaximum() {
        let line = String(String.UnicodeScalarView(Sparkline.encode([0, 1, 2, 4, 8], width: 5, glyphs: .blocks)))
        #expect(line == "▁▁▂▄█")
    }

    @Test func sparklinePadsShortSeriesOnTheLeftAndKeepsTheNewest() {
        #expect(String(String.UnicodeScalarView(Sparkline.encode([8], width: 3, glyphs: .blocks))) == "  █")
        #expect(String(String.UnicodeScalarView(Sparkline.encode([1, 2, 3, 8], width: 2, glyphs: .blocks))) == "▃█")
    }

    @Test func sparklineInASCII() {
        let line = String(String.UnicodeScalarView(Sparkline.encode([0, 1, 4, 8], width: 4, glyphs: .ascii)))
        #expect(line == "_.:#")
    }

    @Test func sparklineInBraillePacksTwoValuesPerCell() {
        let line = String(String.UnicodeScalarView(Sparkline.encode([0, 4, 2, 1], width: 2, glyphs: .braille)))
        // (0, full) then (half, quarter): dots from the bottom of each column.
        #expect(line == "⢸⣄")
    }

    @Test func brailleCanvasSetsTheRightDots() {
        var canvas = BrailleCanvas(width: 1, height: 1)
        #expect(canvas.character(x: 0, y: 0) == "⠀")
        canvas.set(dotX: 0, dotY: 0)
        #expect(canvas.character(x: 0, y: 0) == "⠁")
        canvas.set(dotX: 1, dotY: 3)
        #expect(canvas.character(x: 0, y: 0) == "⢁")
        canvas.set(dotX: 5, dotY: 9)  // outside: ignored
        #expect(canvas.character(x: 0, y: 0) == "⢁")
        #expect(BrailleCanvas.bars(left: 4, right: 4) == "⣿")
    }

    @Test func bandChartInBlocksDrawsBarsBandAndMedian() {
        var buffer = ScreenBuffer(width: 4, height: 4)
        let band = BaselineBand(median: 4, medianAbsoluteDeviation: 0)  // band 2…6
        BandChart.draw(values: [0, 2, 4, 8], bands: [band, band, band, band], into: &buffer, rect: Rect(x: 0, y: 0, width: 4, height: 4), glyphs: .blocks)
        // Each row spans 2 operations: the median (4) lies in the second row, the band (2…6)
        // reaches into the third.
        #expect(buffer.lines == [
            "   █",
            "───█",
            "░░██",
            " ███",
        ])
        #expect(buffer[3, 0].role == .chartOver, "8 is above the band")
        #expect(buffer[1, 1].role == .chartBaseline)
        #expect(buffer[0, 2].role == .chartBand)
        #expect(buffer[1, 3].role == .chartValue)
    }

    @Test func bandChartInASCII() {
        var buffer = ScreenBuffer(width: 4, height: 4)
        let band = BaselineBand(median: 4, medianAbsoluteDeviation: 0)
        BandChart.draw(values: [0, 2, 4, 8], bands: [band, band, band, band], into: &buffer, rect: Rect(x: 0, y: 0, width: 4, height: 4), glyphs: .ascii)
        #expect(buffer.lines == [
            "   #",
            "---#",
            "..##",
            " ###",
        ])
        #expect(buffer.cells.allSatisfy { $0.character.isASCII })
    }

    @Test func bandChartInBrailleDrawsALineOfDots() {
        var buffer = ScreenBuffer(width: 2, height: 2)
        BandChart.draw(values: [0, 2, 4, 8], bands: [nil, nil, nil, nil], into: &buffer, rect: Rect(x: 0, y: 0, width: 2, height: 2), glyphs: .braille)
        // Dots (x, y), y from the top: 0 → (0,7); 2 → (1,5…7); 4 → (2,3…5); 8 → (3,0…3).
        #expect(buffer.lines == [
            " ⣸",
            "⣰⠃",
        ])
    }

    @Test func progressBarUsesEighthsOrASCII() {
        #expect(ProgressBar.encode(fraction: 0.5, width: 4, glyphs: .blocks) == "██··")
        #expect(ProgressBar.encode(fraction: 0.3, width: 4, glyphs: .blocks) == "█▏··")
        #expect(ProgressBar.encode(fraction: 0.5, width: 4, glyphs: .ascii) == "##..")
        #expect(ProgressBar.encode(fraction: 2, width: 3, glyphs: .ascii) == "###")
    }
}

