import VaultWatchCore

/// Alerts as CSV (RFC 4180) for spreadsheets: one row per alert, lists joined with "; ",
/// absent values empty. A cell that a spreadsheet would run as a formula (starting with
/// `=`, `+`, `-`, `@`) is prefixed with `'`: log fields are attacker-controlled.
enum AlertCSV {
    static let header = [
        "id", "kind", "displayName", "severity", "status", "vault", "resourceId", "principalId", "upn", "appId", "ip",
        "firstSeen", "lastSeen", "count", "reasons", "tactics", "techniques", "description", "remediation",
    ]

    static func document(for alerts: [Alert]) -> String {
        var text = row(header)
        for alert in alerts {
            text += row([
                alert.id, alert.kind.rawValue, alert.displayName, alert.severity.rawValue, alert.status.rawValue,
                alert.vault ?? "", alert.resourceID ?? "", alert.principalID ?? "", alert.upn ?? "", alert.appID ?? "",
                alert.ip?.description ?? "", alert.firstSeen.iso8601, alert.lastSeen.iso8601, String(alert.count),
                alert.reasons.joined(separator: "; "), alert.tactics.map(\.rawValue).joined(separator: "; "),
                alert.techniques.map(\.description).joined(separator: "; "), alert.description, alert.remediation,
            ])
        }
        return text
    }

    private static func row(_ cells: [String]) -> String {
        cells.map(cell).joined(separator: ",") + "\r\n"
    }

    private static func cell(_ value: String) -> String {
        var value = value
        if let first = value.first, "=+-@".contains(first) { value = "'" + value }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacing("\"", with: "\"\"") + "\""
    }
}
