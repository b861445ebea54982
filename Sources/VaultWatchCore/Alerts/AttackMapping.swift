/// The ATT&CK tactics and techniques an alert is filed under.
public struct AttackMapping: Sendable, Hashable {
    public var tactics: [AttackTactic]
    public var techniques: [AttackTechnique]

    public init(tactics: [AttackTactic], techniques: [AttackTechnique]) {
        self.tactics = tactics
        self.techniques = techniques
    }

    public static let none = AttackMapping(tactics: [], techniques: [])
}
