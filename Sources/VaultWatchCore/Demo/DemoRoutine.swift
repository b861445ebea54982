/// A background habit of the demo tenant: who calls which vault, with which application,
/// when (`rhythm`) and what (`operations`). Each routine yields the same calls for a given
/// seed and day, whatever else is generated.
public struct DemoRoutine: Sendable, Hashable {
    public var identity: String
    public var application: String
    public var vault: String
    public var rhythm: DemoRhythm
    /// What each cycle does or picks from (for people: the secrets they read).
    public var operations: [DemoOperation]
    /// An engineer who is sometimes refused: on this share of working days (percent), one
    /// attempt at `deniedOperation` is denied (403). The principal is known on the vault, so
    /// this is ordinary behaviour, not an alert.
    public var deniedOperation: DemoOperation?
    public var deniedPercent: Int
    /// The days the routine runs, as day numbers (days since 1970; local days for local-time
    /// rhythms): from `active.lowerBound` (a new employee's first day, a service scaled out)
    /// to before `active.upperBound`. Nil: always.
    public var active: Range<Int>?
    /// Days it does not run inside that span (a team's holiday week).
    public var pauses: [Range<Int>]

    public init(
        identity: String, application: String, vault: String, rhythm: DemoRhythm, operations: [DemoOperation],
        deniedOperation: DemoOperation? = nil, deniedPercent: Int = 0, active: Range<Int>? = nil, pauses: [Range<Int>] = []
    ) {
        self.identity = identity
        self.application = application
        self.vault = vault
        self.rhythm = rhythm
        self.operations = operations
        self.deniedOperation = deniedOperation
        self.deniedPercent = deniedPercent
        self.active = active
        self.pauses = pauses
    }

    /// Whether the routine runs on day `dayNumber`.
    public func runs(onDay dayNumber: Int) -> Bool {
        if let active, !active.contains(dayNumber) { return false }
        return !pauses.contains { $0.contains(dayNumber) }
    }
}
