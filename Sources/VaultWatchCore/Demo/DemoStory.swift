/// One staged attack of the attack day: a believable sequence of calls at its own time, and
/// the alerts it should raise.
public struct DemoStory: Sendable, Hashable {
    public var title: String
    /// Start, UTC, on the attack day.
    public var hour: Int
    public var minute: Int
    /// What happens, for the README: actors, what they do, why it is suspicious.
    public var narrative: String
    public var steps: [DemoStep]
    /// The alerts the story must raise.
    public var raises: [DemoExpectation]
    /// Alerts that may come with it, as consequences of the same calls (a stranger's first
    /// call is also from an address never seen for them, say). Not required, not a false positive.
    public var mayAlsoRaise: [DemoExpectation]

    public init(
        title: String, hour: Int, minute: Int, narrative: String, steps: [DemoStep], raises: [DemoExpectation],
        mayAlsoRaise: [DemoExpectation] = []
    ) {
        self.title = title
        self.hour = hour
        self.minute = minute
        self.narrative = narrative
        self.steps = steps
        self.raises = raises
        self.mayAlsoRaise = mayAlsoRaise
    }

    /// Seconds after midnight UTC of the story's start.
    var startSecond: Int { hour * 3600 + minute * 60 }

    /// Seconds after midnight UTC by which every call of the story has been made, whatever the seed.
    var latestEndSecond: Int { startSecond + (steps.map(\.latestEndSecond).max() ?? 0) }
}
