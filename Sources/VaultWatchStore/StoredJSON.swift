import VaultWatchCore

/// Writes the JSON columns of the `alert` table (reasons, tactics, techniques, evidence) by
/// hand: Foundation's `JSONEncoder` was most of a save's cost. The output is what
/// `JSONEncoder` would write for the same `Codable` types (`StoredEvidence`, `AttackTechnique`,
/// `[String]`), so `JSONDecoder` reads it back.
enum StoredJSON {
    static func strings(_ values: [String]) -> String {
        var text = "["
        for (index, value) in values.enumerated() {
            if index > 0 { text += "," }
            appendString(value, to: &text)
        }
        return text + "]"
    }

    static func techniques(_ values: [AttackTechnique]) -> String {
        var text = "["
        for (index, technique) in values.enumerated() {
            if index > 0 { text += "," }
            text += "{\"identifier\":"
            appendString(technique.identifier, to: &text)
            text += ",\"name\":"
            appendString(technique.name, to: &text)
            text += "}"
        }
        return text + "]"
    }

    static func evidence(_ values: [AlertEvidence]) -> String {
        var text = "["
        for (index, evidence) in values.enumerated() {
            if index > 0 { text += "," }
            text += "{\"time\":\(evidence.time.ticks)"
            field("vault", evidence.vault, &text)
            field("operation", evidence.operation, &text)
            text += ",\"outcome\":\(evidence.outcome.rawValue)"
            if let code = evidence.httpStatusCode { text += ",\"httpStatusCode\":\(code)" }
            field("callerIP", evidence.callerIP?.description, &text)
            field("principalID", evidence.principalID, &text)
            field("upn", evidence.upn, &text)
            field("appID", evidence.appID, &text)
            text += ",\"objectKind\":\(evidence.objectKind.rawValue)"
            field("objectName", evidence.objectName, &text)
            field("clientInfo", evidence.clientInfo, &text)
            field("source", evidence.source, &text)
            text += "}"
        }
        return text + "]"
    }

    /// An optional string member; absent when nil (`JSONDecoder` reads a missing key as nil).
    private static func field(_ key: String, _ value: String?, _ text: inout String) {
        guard let value else { return }
        text += ",\"\(key)\":"
        appendString(value, to: &text)
    }

    static func appendString(_ value: String, to text: inout String) {
        JSONString.append(value, to: &text)
    }
}
