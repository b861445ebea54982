/// How many colours the terminal shows, and how a theme colour is brought down to it:
/// truecolor → 256 → 16 → 8, each step taking the nearest colour of the smaller palette.
public enum ColorDepth: Sendable, Hashable, Comparable {
    case none
    case colors8
    case colors16
    case colors256
    case trueColor

    /// From ncurses' `COLORS` (and whether the terminal announces direct colour).
    public init(colorCount: Int) {
        switch colorCount {
        case 0x1000000...: self = .trueColor
        case 256...: self = .colors256
        case 16...: self = .colors16
        case 8...: self = .colors8
        default: self = .none
        }
    }

    /// The colour number to give the terminal for `color` at this depth: -1 for the default
    /// colour; an RGB value packed as 0xRRGGBB in truecolor; a palette index otherwise.
    public func colorNumber(for color: ThemeColor) -> Int {
        guard let (red, green, blue) = color.rgbValue else { return -1 }
        switch self {
        case .none: return -1
        case .trueColor: return Int(red) << 16 | Int(green) << 8 | Int(blue)
        case .colors256:
            if case .indexed(let index) = color { return Int(index) }
            return Self.nearest(red, green, blue, in: 16..<256)
        case .colors16:
            if case .indexed(let index) = color, index < 16 { return Int(index) }
            return Self.nearest(red, green, blue, in: 0..<16)
        case .colors8:
            if case .indexed(let index) = color, index < 8 { return Int(index) }
            return Self.nearest(red, green, blue, in: 0..<8)
        }
    }

    static func nearest(_ red: UInt8, _ green: UInt8, _ blue: UInt8, in range: Range<Int>) -> Int {
        var best = range.lowerBound
        var bestDistance = Int.max
        for index in range {
            let (r, g, b) = ThemeColor.xtermRGB(index)
            let dr = Int(r) - Int(red)
            let dg = Int(g) - Int(green)
            let db = Int(b) - Int(blue)
            let distance = 2 * dr * dr + 4 * dg * dg + 3 * db * db
            if distance < bestDistance {
                best = index
                bestDistance = distance
            }
        }
        return best
    }
}
