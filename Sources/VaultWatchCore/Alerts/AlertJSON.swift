/// Alert JSON: one alert as one line, the format of `vaultwatch detect` and of exports.
///
/// Fields, in this order (DESIGN.md §4): `id`, `kind`, `displayName`, `severity`, `status`,
/// `vault`, `resourceId`, `principalId`, `upn`, `appId`, `ip`, `firstSeen`, `lastSeen`
/// (ISO-8601 UTC), `count`, `reasons`, `tactics`, `techniques`, `evidence`, `description`,
/// `remediation`, then `"sample": true` on sample alerts only. Absent values are `null`, never
/// `""`. Each evidence event is an object with `time`, `vault`, `operation`, `outcome`,
/// `httpStatusCode`, `callerIpAddress`, `principalId`, `upn`, `appId`, `objectKind`,
/// `objectName`, `clientInfo`, `source`.
public enum AlertJSON {
    /// The alert as one line of JSON, without the newline.
    public static func line(for alert: Alert) -> String {
        AlertFormat.jsonl.line(for: alert)
    }

    /// Appends the alert's JSON and a newline to `buffer`: the form `detect` writes to stdout.
    public static func appendLine(for alert: Alert, to buffer: inout [UInt8]) {
        AlertFormat.jsonl.appendLine(for: alert, to: &buffer)
    }

    /// Appends one event as evidence JSON (the fields of an alert's `evidence` elements) and a
    /// newline: the form `hunt` prints matching events in.
    public static func appendLine(for evidence: AlertEvidence, to buffer: inout [UInt8]) {
        var writer = JSONWriter(reservingCapacity: 512)
        write(evidence, to: &writer)
        buffer.append(contentsOf: writer.bytes)
        buffer.append(UInt8(ascii: "\n"))
    }

    /// Appends one delivery of a record as evidence JSON with `repeatOf`, the `file:line` of the
    /// record's first delivery when this one is a repeat (`null` for the first): the form
    /// `hunt --deliveries` prints every delivery in.
    public static func appendLine(for evidence: AlertEvidence, repeatOf firstDelivery: String?, to buffer: inout [UInt8]) {
        var writer = JSONWriter(reservingCapacity: 512)
        writeFields(of: evidence, to: &writer)
        writer.key("repeatOf"); writer.string(nonEmpty(firstDelivery))
        writer.endObject()
        buffer.append(contentsOf: writer.bytes)
        buffer.append(UInt8(ascii: "\n"))
    }

    static func write(_ alert: Alert, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("id"); writer.string(alert.id)
        writer.key("kind"); writer.string(alert.kind.rawValue)
        writer.key("displayName"); writer.string(alert.displayName)
        writer.key("severity"); writer.string(alert.severity.rawValue)
        writer.key("status"); writer.string(alert.status.rawValue)
        writer.key("vault"); writer.string(nonEmpty(alert.vault))
        writer.key("resourceId"); writer.string(nonEmpty(alert.resourceID))
        writer.key("principalId"); writer.string(nonEmpty(alert.principalID))
        writer.key("upn"); writer.string(nonEmpty(alert.upn))
        writer.key("appId"); writer.string(nonEmpty(alert.appID))
        writer.key("ip"); writer.string(alert.ip?.description)
        writer.key("firstSeen"); writer.string(alert.firstSeen.iso8601)
        writer.key("lastSeen"); writer.string(alert.lastSeen.iso8601)
        writer.key("count"); writer.integer(alert.count)
        writer.key("reasons"); writer.stringArray(alert.reasons)
        writer.key("tactics"); writer.stringArray(alert.tactics.map(\.rawValue))
        writer.key("techniques"); writer.stringArray(alert.techniques.map(\.description))
        writer.key("evidence")
        writer.beginArray()
        for evidence in alert.evidence { write(evidence, to: &writer) }
        writer.endArray()
        writer.key("description"); writer.string(nonEmpty(alert.description))
        writer.key("remediation"); writer.string(nonEmpty(alert.remediation))
        if alert.isSample {
            writer.key("sample"); writer.bool(true)
        }
        writer.endObject()
    }

    static func write(_ evidence: AlertEvidence, to writer: inout JSONWriter) {
        writeFields(of: evidence, to: &writer)
        writer.endObject()
    }

    /// An evidence object's fields, the object left open.
    private static func writeFields(of evidence: AlertEvidence, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("time"); writer.string(evidence.time.iso8601)
        writer.key("vault"); writer.string(nonEmpty(evidence.vault))
        writer.key("operation"); writer.string(nonEmpty(evidence.operation))
        writer.key("outcome"); writer.string(evidence.outcome.name)
        writer.key("httpStatusCode"); writer.integer(evidence.httpStatusCode)
        writer.key("callerIpAddress"); writer.string(evidence.callerIP?.description)
        writer.key("principalId"); writer.string(nonEmpty(evidence.principalID))
        writer.key("upn"); writer.string(nonEmpty(evidence.upn))
        writer.key("appId"); writer.string(nonEmpty(evidence.appID))
        writer.key("objectKind"); writer.string(evidence.objectKind == .none ? nil : evidence.objectKind.name)
        writer.key("objectName"); writer.string(nonEmpty(evidence.objectName))
        writer.key("clientInfo"); writer.string(nonEmpty(evidence.clientInfo))
        writer.key("source"); writer.string(nonEmpty(evidence.source))
    }

    /// Absent and empty are one thing in alert JSON: `null`.
    private static func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }
}
