/// What `DemoTenant.write(to:)` wrote.
public struct DemoWriteSummary: Sendable, Hashable {
    /// Blobs written (one per vault and hour with records).
    public var files: Int
    public var records: Int
    public var bytes: Int
    /// Days generated, the attack day included.
    public var days: Int
    /// `YYYY-MM-DD` of the first day of history and of the attack day.
    public var firstDay: String
    public var attackDay: String
}
