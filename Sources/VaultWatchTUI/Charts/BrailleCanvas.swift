/// A grid of braille dots, two columns by four rows per cell (U+2800–U+28FF): four times the
/// vertical and twice the horizontal resolution of a character grid.
public struct BrailleCanvas: Sendable, Equatable {
    public let width: Int
    public let height: Int
    private var bits: [UInt8]

    /// - Parameters: width and height in cells.
    public init(width: Int, height: Int) {
        self.width = max(width, 0)
        self.height = max(height, 0)
        bits = Array(repeating: 0, count: self.width * self.height)
    }

    public var dotWidth: Int { width * 2 }
    public var dotHeight: Int { height * 4 }

    /// Sets the dot at (x, y), y = 0 at the top; outside dots are ignored.
    public mutating func set(dotX x: Int, dotY y: Int) {
        guard x >= 0, y >= 0, x < dotWidth, y < dotHeight else { return }
        bits[(y / 4) * width + x / 2] |= Self.bit(column: x % 2, row: y % 4)
    }

    /// Draws a vertical run of dots from `fromY` to `toY` inclusive in dot column `x`.
    public mutating func line(dotX x: Int, fromY: Int, toY: Int) {
        for y in min(fromY, toY)...max(fromY, toY) { set(dotX: x, dotY: y) }
    }

    public func hasDots(x: Int, y: Int) -> Bool { bits[y * width + x] != 0 }

    /// The braille character of cell (x, y).
    public func character(x: Int, y: Int) -> Unicode.Scalar {
        Unicode.Scalar(0x2800 + UInt32(bits[y * width + x])) ?? " "
    }

    /// One cell of two bars rising from the bottom, `left` and `right` dots high (0…4).
    public static func bars(left: Int, right: Int) -> Unicode.Scalar {
        var value: UInt8 = 0
        for row in 0..<4 where 3 - row < left { value |= bit(column: 0, row: row) }
        for row in 0..<4 where 3 - row < right { value |= bit(column: 1, row: row) }
        return Unicode.Scalar(0x2800 + UInt32(value)) ?? " "
    }

    /// Braille dot numbering: 1 2 3 7 down the left column, 4 5 6 8 down the right.
    static func bit(column: Int, row: Int) -> UInt8 {
        switch (column, row) {
        case (0, 0): 0x01
        case (0, 1): 0x02
        case (0, 2): 0x04
        case (0, 3): 0x40
        case (1, 0): 0x08
        case (1, 1): 0x10
        case (1, 2): 0x20
        default: 0x80
        }
    }
}
