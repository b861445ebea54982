/// The shapes an alert is written in for pipelines: VaultWatch's own alert JSON, a Defender for
/// Cloud security alert, or an OCSF Detection Finding. One JSON object per line in each.
public enum AlertFormat: String, Sendable, Hashable, CaseIterable {
    /// Alert JSON (`AlertJSON`), the default of `detect` and `alerts export`.
    case jsonl
    /// A Defender for Cloud security alert (`DefenderAlertJSON`).
    case defender
    /// An OCSF 1.3 Detection Finding (`OCSFDetectionFindingJSON`).
    case ocsf

    /// Appends the alert in this shape and a newline to `buffer`. The Defender and OCSF shapes
    /// add `names` beside the ids; alert JSON keeps its documented fields, ids only.
    public func appendLine(for alert: Alert, names: DirectoryNames = .builtIn, to buffer: inout [UInt8]) {
        switch self {
        case .jsonl: AlertJSON.appendLine(for: alert, to: &buffer)
        case .defender: DefenderAlertJSON.appendLine(for: alert, names: names, to: &buffer)
        case .ocsf: OCSFDetectionFindingJSON.appendLine(for: alert, names: names, to: &buffer)
        }
    }
}
