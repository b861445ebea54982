/// The shapes an alert is written in for pipelines: VaultWatch's own alert JSON, a Defender for
/// Cloud security alert, or an OCSF Detection Finding. One JSON object per line in each.
public enum AlertFormat: String, Sendable, Hashable, CaseIterable {
    /// Alert JSON (`AlertJSON`), the default of `detect` and `alerts export`.
    case jsonl
    /// A Defender for Cloud security alert (`DefenderAlertJSON`).
    case defender
    /// An OCSF 1.3 Detection Finding (`OCSFDetectionFindingJSON`).
    case ocsf

    /// The alert in this shape as one line of JSON, without the newline. The Defender and OCSF
    /// shapes add `names` beside the ids; alert JSON keeps its documented fields, ids only.
    public func line(for alert: Alert, names: DirectoryNames = .builtIn) -> String {
        var writer = JSONWriter()
        write(alert, names: names, to: &writer)
        return writer.text
    }

    /// Appends the alert in this shape and a newline to `buffer` (see `line(for:names:)`).
    public func appendLine(for alert: Alert, names: DirectoryNames = .builtIn, to buffer: inout [UInt8]) {
        var writer = JSONWriter()
        write(alert, names: names, to: &writer)
        buffer.append(contentsOf: writer.bytes)
        buffer.append(UInt8(ascii: "\n"))
    }

    /// The one place that picks a shape's writer.
    private func write(_ alert: Alert, names: DirectoryNames, to writer: inout JSONWriter) {
        switch self {
        case .jsonl: AlertJSON.write(alert, to: &writer)
        case .defender: DefenderAlertJSON.write(alert, names: names, to: &writer)
        case .ocsf: OCSFDetectionFindingJSON.write(alert, names: names, to: &writer)
        }
    }
}
