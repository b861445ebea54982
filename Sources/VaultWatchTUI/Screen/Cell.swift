/// One terminal cell: the character drawn, how many columns it takes, and its style role.
///
/// A wide character (width 2) is followed by a continuation cell of width 0 that draws
/// nothing; a cell never holds a control or format character (`ScreenBuffer` refuses them).
public struct Cell: Sendable, Hashable {
    public var character: Unicode.Scalar
    /// 1, 2 for East Asian wide characters, 0 for the second half of a wide character.
    public var width: UInt8
    public var role: StyleRole

    public init(_ character: Unicode.Scalar, width: UInt8 = 1, role: StyleRole = .normal) {
        self.character = character
        self.width = width
        self.role = role
    }

    public static let blank = Cell(" ")
    static let continuation = Cell(" ", width: 0)
}
