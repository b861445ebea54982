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

    public init(
        identity: String, application: String, vault: String, rhythm: DemoRhythm, operations: [DemoOperation],
        deniedOperation: DemoOperation? = nil, deniedPercent: Int = 0
    ) {
        self.identity = identity
        self.application = application
        self.vault = vault
        self.rhythm = rhythm
        self.operations = operations
        self.deniedOperation = deniedOperation
        self.deniedPercent = deniedPercent
    }
}
