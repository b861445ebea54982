import VaultWatchCore

/// An evidence event as indented JSON lines, for the `y` view. The fields are alert JSON's
/// evidence fields (DESIGN.md §4); absent values are `null`. Strings are escaped as JSON and
/// then drawn through the screen buffer, which defuses anything a log put in them.
enum EvidenceJSON {
    static func lines(for evidence: AlertEvidence) -> [String] {
        func string(_ value: String?) -> String {
            guard let value, !value.isEmpty else { return "null" }
            return JSONString.quoted(value)
        }
        let fields: [(String, String)] = [
            ("time", string(evidence.time.iso8601)),
            ("vault", string(evidence.vault)),
            ("operation", string(evidence.operation)),
            ("outcome", string(evidence.outcome.name)),
            ("httpStatusCode", evidence.httpStatusCode.map(String.init) ?? "null"),
            ("callerIpAddress", string(evidence.callerIP?.description)),
            ("principalId", string(evidence.principalID)),
            ("upn", string(evidence.upn)),
            ("appId", string(evidence.appID)),
            ("objectKind", evidence.objectKind == .none ? "null" : string(evidence.objectKind.name)),
            ("objectName", string(evidence.objectName)),
            ("clientInfo", string(evidence.clientInfo)),
            ("source", string(evidence.source)),
        ]
        var lines = ["{"]
        for (index, field) in fields.enumerated() {
            lines.append("  \"\(field.0)\": \(field.1)\(index == fields.count - 1 ? "" : ",")")
        }
        lines.append("}")
        return lines
    }
}
