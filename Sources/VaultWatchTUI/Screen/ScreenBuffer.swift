/// The screen as cells: what `render(state:size:)` fills and the terminal adapter draws.
///
/// Every write clips to the buffer and refuses characters that could drive a terminal
/// (controls, escapes, format characters become `�` or vanish, see `TerminalSafeText`), so
/// no text reaches the terminal unsanitised, whoever wrote it.
public struct ScreenBuffer: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int, filling cell: Cell = .blank) {
        self.width = max(width, 0)
        self.height = max(height, 0)
        self.cells = Array(repeating: cell, count: self.width * self.height)
    }

    public init(size: ScreenSize) { self.init(width: size.width, height: size.height) }

    public var size: ScreenSize { ScreenSize(width: width, height: height) }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { cells[y * width + x] = newValue }
    }

    /// Puts one character at (x, y), clipped to `limit` (the buffer by default). A wide
    /// character that does not fit is drawn as a space. Returns the columns used.
    @discardableResult
    public mutating func put(_ scalar: Unicode.Scalar, x: Int, y: Int, role: StyleRole, limit: Int? = nil) -> Int {
        let right = min(limit ?? width, width)
        guard y >= 0, y < height, x >= 0, x < right else { return 0 }
        let safe = TerminalSafeText.displayable(scalar)
        guard let safe else { return 0 }
        let columns = TerminalWidth.of(safe)
        if columns == 0 { return 0 }
        let row = y * width
        clearWideNeighbours(x: x, row: row)
        if columns == 2 {
            guard x + 1 < right else {
                cells[row + x] = Cell(" ", role: role)
                return 1
            }
            clearWideNeighbours(x: x + 1, row: row)
            cells[row + x] = Cell(safe, width: 2, role: role)
            cells[row + x + 1] = Cell(" ", width: 0, role: role)
            return 2
        }
        cells[row + x] = Cell(safe, width: 1, role: role)
        return 1
    }

    /// Writes `text` from (x, y), at most `maxWidth` columns; returns the columns used.
    @discardableResult
    public mutating func write(_ text: some StringProtocol, x: Int, y: Int, maxWidth: Int? = nil, role: StyleRole = .normal) -> Int {
        guard y >= 0, y < height else { return 0 }
        let limit = min(maxWidth.map { x + max($0, 0) } ?? width, width)
        var column = x
        for scalar in text.unicodeScalars {
            if column >= limit { break }
            column += put(scalar, x: column, y: y, role: role, limit: limit)
        }
        return column - x
    }

    /// Writes `text`, ending with `…` when it is cut.
    @discardableResult
    public mutating func writeTruncating(_ text: some StringProtocol, x: Int, y: Int, maxWidth: Int, role: StyleRole = .normal) -> Int {
        guard maxWidth > 0 else { return 0 }
        if TerminalWidth.of(text) <= maxWidth { return write(text, x: x, y: y, maxWidth: maxWidth, role: role) }
        let used = write(text, x: x, y: y, maxWidth: maxWidth - 1, role: role)
        return used + write("…", x: x + used, y: y, maxWidth: 1, role: role)
    }

    /// Writes `text` right-aligned so that it ends at column `rightEdge` (exclusive).
    @discardableResult
    public mutating func writeRightAligned(_ text: some StringProtocol, rightEdge: Int, y: Int, role: StyleRole = .normal) -> Int {
        let columns = TerminalWidth.of(text)
        return write(text, x: rightEdge - columns, y: y, maxWidth: columns, role: role)
    }

    /// Fills `rect` with `scalar` in `role`.
    public mutating func fill(_ rect: Rect, with scalar: Unicode.Scalar = " ", role: StyleRole = .normal) {
        let cell = Cell(scalar, role: role)
        for y in max(rect.y, 0)..<min(rect.maxY, height) {
            for x in max(rect.x, 0)..<min(rect.maxX, width) { cells[y * width + x] = cell }
        }
    }

    /// Changes the role of the cells of `rect`, keeping their characters.
    public mutating func restyle(_ rect: Rect, role: StyleRole) {
        for y in max(rect.y, 0)..<min(rect.maxY, height) {
            for x in max(rect.x, 0)..<min(rect.maxX, width) { cells[y * width + x].role = role }
        }
    }

    /// The characters of row `y` (continuation cells skipped), without trailing spaces.
    public func text(ofRow y: Int) -> String {
        var scalars = String.UnicodeScalarView()
        for x in 0..<width {
            let cell = cells[y * width + x]
            if cell.width > 0 { scalars.append(cell.character) }
        }
        var line = String(scalars)
        while line.hasSuffix(" ") { line.removeLast() }
        return line
    }

    /// Every row as text, for tests and the tmux-free snapshot comparisons.
    public var lines: [String] { (0..<height).map(text(ofRow:)) }

    /// Writing over half of a wide character blanks its other half, so no stray half remains.
    private mutating func clearWideNeighbours(x: Int, row: Int) {
        let cell = cells[row + x]
        if cell.width == 0, x > 0 { cells[row + x - 1] = Cell(" ", role: cells[row + x - 1].role) }
        if cell.width == 2, x + 1 < width { cells[row + x + 1] = Cell(" ", role: cell.role) }
    }
}
