/// An alert the demo's attack day should raise (`isRequired`) or may raise as a side effect of
/// a story, with the event-time window its first sighting falls in. `vault` or `principalID`
/// nil means any. Written to `demo-data/expected-alerts.json`.
public struct DemoExpectedAlert: Sendable, Hashable {
    public var story: String
    public var kind: AlertKind
    public var vault: String?
    public var principalID: String?
    /// The UPN, or the service principal's name: for people reading the file.
    public var principalName: String?
    public var from: EventTime
    public var to: EventTime
    public var isRequired: Bool

    public init(
        story: String, kind: AlertKind, vault: String?, principalID: String?, principalName: String?, from: EventTime, to: EventTime,
        isRequired: Bool
    ) {
        self.story = story
        self.kind = kind
        self.vault = vault
        self.principalID = principalID
        self.principalName = principalName
        self.from = from
        self.to = to
        self.isRequired = isRequired
    }

    /// Whether an alert with these fields is this one: same kind, vault and principal (nil
    /// matching any), first seen within the window.
    public func matches(kind: AlertKind, vault: String?, principalID: String?, firstSeen: EventTime) -> Bool {
        guard kind == self.kind, firstSeen >= from, firstSeen <= to else { return false }
        if let expectedVault = self.vault, expectedVault != vault?.lowercased() { return false }
        if let expectedPrincipal = self.principalID, expectedPrincipal != principalID?.lowercased() { return false }
        return true
    }

    /// The expected alerts as `expected-alerts.json`: a JSON array, one object per line.
    public static func json(_ alerts: [DemoExpectedAlert]) -> String {
        var text = "[\n"
        for (index, alert) in alerts.enumerated() {
            text += "  {\"kind\": \"\(alert.kind.rawValue)\", \"required\": \(alert.isRequired)"
            text += ", \"vault\": " + (alert.vault.map(JSONString.quoted) ?? "null")
            text += ", \"principal\": " + (alert.principalID.map(JSONString.quoted) ?? "null")
            text += ", \"principalName\": " + (alert.principalName.map(JSONString.quoted) ?? "null")
            text += ", \"from\": \"\(DemoText.wholeSecondTimestamp(alert.from))\", \"to\": \"\(DemoText.wholeSecondTimestamp(alert.to))\""
            text += ", \"story\": " + JSONString.quoted(alert.story) + "}"
            text += index == alerts.count - 1 ? "\n" : ",\n"
        }
        return text + "]\n"
    }
}
