/// One generated audit record: a JSON object as Azure writes it in a `PT1H.json` blob, with
/// what a replay or a writer needs to place it.
public struct DemoRecord: Sendable, Hashable {
    public var time: EventTime
    /// The vault name, lowercase.
    public var vault: String
    public var resourceID: String
    /// The record's JSON, one line, without the newline.
    public var line: [UInt8]

    public init(time: EventTime, vault: String, resourceID: String, line: [UInt8]) {
        self.time = time
        self.vault = vault
        self.resourceID = resourceID
        self.line = line
    }

    /// The blob the record belongs in, relative to the container directory:
    /// `resourceId=/SUBSCRIPTIONS/…/VAULTS/NAME/y=YYYY/m=MM/d=DD/h=HH/m=00/PT1H.json`.
    public var blobPath: String {
        let parts = time.components
        return "resourceId=\(resourceID)/y=\(DemoText.pad(parts.year, 4))/m=\(DemoText.pad(parts.month, 2))"
            + "/d=\(DemoText.pad(parts.day, 2))/h=\(DemoText.pad(parts.hour, 2))/m=00/PT1H.json"
    }
}
