/// What the baselines know about one entity, for its page in the dashboard: when it was first
/// seen and the learned facts the rules compare with (vaults used, usual volume and hours,
/// familiar address ranges and applications; for a vault its known principals). Each fact is
/// a label and a few lines of text with names resolved, so the UI shows them as they are.
public struct EntityProfile: Sendable, Equatable {
    public struct Fact: Sendable, Equatable {
        public var label: String
        public var values: [String]

        public init(label: String, values: [String]) {
            self.label = label
            self.values = values
        }
    }

    public var entity: EntityReference
    /// False when the baselines hold nothing about it (new, forgotten after the window, or
    /// seen only in calls that teach nothing).
    public var isKnown: Bool
    public var firstSeen: EventTime?
    public var facts: [Fact]

    public init(entity: EntityReference, isKnown: Bool, firstSeen: EventTime? = nil, facts: [Fact] = []) {
        self.entity = entity
        self.isKnown = isKnown
        self.firstSeen = firstSeen
        self.facts = facts
    }
}
