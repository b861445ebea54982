/// Which characters charts draw with: Unicode eighth blocks, braille dots (2×4 per cell), or
/// plain ASCII when the locale is not UTF-8.
public enum ChartGlyphs: Sendable, Hashable {
    case blocks
    case braille
    case ascii

    /// Eight rising levels, from one eighth to a full cell.
    var levels: [Unicode.Scalar] {
        switch self {
        case .blocks, .braille: ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
        case .ascii: [".", ".", ":", ":", "+", "+", "#", "#"]
        }
    }

    var fullCell: Unicode.Scalar { self == .ascii ? "#" : "█" }
    var bandCell: Unicode.Scalar { self == .ascii ? "." : "░" }
    var baselineCell: Unicode.Scalar { self == .ascii ? "-" : "─" }
    var emptySpark: Unicode.Scalar { self == .ascii ? "_" : "▁" }
}
