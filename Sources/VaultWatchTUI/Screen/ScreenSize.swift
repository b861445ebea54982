/// A terminal's size in cells.
public struct ScreenSize: Sendable, Hashable {
    public var width: Int
    public var height: Int

    public init(width: Int, height: Int) {
        self.width = max(width, 0)
        self.height = max(height, 0)
    }

    /// The smallest size the dashboard draws its panels at (DESIGN.md §5).
    public static let minimum = ScreenSize(width: 80, height: 24)

    public var isLargeEnough: Bool { width >= Self.minimum.width && height >= Self.minimum.height }
}
