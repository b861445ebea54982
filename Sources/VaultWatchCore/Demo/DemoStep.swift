/// One burst of calls in an attack story: who, from where, with what, on which vault.
public struct DemoStep: Sendable, Hashable {
    /// Where the calls come from.
    public enum Source: Sendable, Hashable {
        /// The caller's own network for the day (office, home, Azure region).
        case usual
        /// A fixed address: a Tor exit, a threat-intel address, a hotel.
        case address(String)
    }

    /// Minutes after the story's start.
    public var minute: Int
    public var identity: String
    public var application: String
    public var vault: String
    public var operations: [DemoOperation]
    /// Seconds between two calls (a script is fast, a person slower).
    public var spacing: ClosedRange<Int>
    public var source: Source
    public var outcome: DemoOutcome
    /// A user agent other than the caller's usual one (an attacker's script).
    public var clientInfo: String?

    public init(
        minute: Int = 0, identity: String, application: String, vault: String, operations: [DemoOperation],
        spacing: ClosedRange<Int> = 2...20, source: Source = .usual, outcome: DemoOutcome = .success, clientInfo: String? = nil
    ) {
        self.minute = minute
        self.identity = identity
        self.application = application
        self.vault = vault
        self.operations = operations
        self.spacing = spacing
        self.source = source
        self.outcome = outcome
        self.clientInfo = clientInfo
    }

    /// The latest a step's calls can end, in seconds after the story's start (whatever the seed).
    var latestEndSecond: Int {
        minute * 60 + operations.count * spacing.upperBound
    }
}
