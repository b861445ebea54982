/// An alert as an OCSF 1.3 Detection Finding (class 2004, category 2 Findings), the shape SOC
/// data lakes normalise findings to (`detect --format ocsf`, `alerts export --format ocsf`).
///
/// What goes where:
/// - `activity_id` follows the alert's life: 1 Create (first sighting), 2 Update (repeats
///   folded in, `count` > 1), 3 Close (resolved or dismissed); `type_uid` = 2004 × 100 + it.
/// - `severity_id` 1–4 (Informational … High); `status_id` 1 New, 4 Resolved, 3 Suppressed
///   (dismissed).
/// - Times are milliseconds since 1970 of event time (`time` and `start_time` the first
///   sighting, `end_time` the last), so a replay exports the same documents.
/// - `finding_info`: the alert id, title, description, kind, the analytic (the rule; behavioural
///   for baseline rules), and `attacks`: each technique paired with the alert's tactic it belongs
///   to in ATT&CK (sub-techniques under their parent), then any tactic left unpaired alone.
/// - `evidences`: one per evidence event: `actor` (user object id and UPN, application id),
///   `api` (operation, HTTP status), `src_endpoint` (caller IP), `data` (time, vault, outcome,
///   object, client, `file:line`).
/// - `observables`: the caller IP (type 2), the user (UPN as type 4 User Name; the object id on
///   the User object, type 21), the vault's resource id (type 10 Resource UID).
/// - `unmapped`: the alert's `kind` and `reasons`, which OCSF has no attribute for.
public enum OCSFDetectionFindingJSON {
    public static let schemaVersion = "1.3.0"
    static let classUID = 2004
    static let categoryUID = 2

    static func write(_ alert: Alert, names: DirectoryNames, to writer: inout JSONWriter) {
        let activity = activity(alert)
        let (statusID, statusName) = status(alert.status)
        writer.beginObject()
        writer.key("activity_id"); writer.integer(activity.id)
        writer.key("activity_name"); writer.string(activity.name)
        writer.key("category_uid"); writer.integer(categoryUID)
        writer.key("category_name"); writer.string("Findings")
        writer.key("class_uid"); writer.integer(classUID)
        writer.key("class_name"); writer.string("Detection Finding")
        writer.key("type_uid"); writer.integer(classUID * 100 + activity.id)
        writer.key("type_name"); writer.string("Detection Finding: \(activity.name)")
        writer.key("severity_id"); writer.integer(severityID(alert.severity))
        writer.key("severity"); writer.string(alert.severity.displayName)
        writer.key("status_id"); writer.integer(statusID)
        writer.key("status"); writer.string(statusName)
        writer.key("time"); writer.integer(milliseconds(alert.firstSeen))
        writer.key("start_time"); writer.integer(milliseconds(alert.firstSeen))
        writer.key("end_time"); writer.integer(milliseconds(alert.lastSeen))
        writer.key("count"); writer.integer(alert.count)
        writer.key("message"); writer.string(alert.displayName)
        writer.key("is_alert"); writer.bool(alert.status == .active)
        writer.key("metadata")
        writer.beginObject()
        writer.key("version"); writer.string(schemaVersion)
        writer.key("uid"); writer.string(alert.id)
        writer.key("product")
        writer.beginObject()
        writer.key("name"); writer.string(DefenderAlertJSON.productName)
        writer.key("vendor_name"); writer.string(DefenderAlertJSON.productName)
        writer.endObject()
        if alert.isSample {
            writer.key("labels"); writer.stringArray(["sample"])
        }
        writer.endObject()
        writeFindingInfo(alert, to: &writer)
        writer.key("resources")
        writer.beginArray()
        if alert.vault != nil || alert.resourceID != nil {
            writer.beginObject()
            writer.key("uid"); writer.string(nonEmpty(alert.resourceID) ?? nonEmpty(alert.vault))
            writer.key("name"); writer.string(nonEmpty(alert.vault))
            writer.key("type"); writer.string("Microsoft.KeyVault/vaults")
            writer.key("cloud_partition"); writer.string(nil)
            writer.endObject()
        }
        writer.endArray()
        writer.key("evidences")
        writer.beginArray()
        for evidence in alert.evidence { writeEvidence(evidence, names: names, to: &writer) }
        writer.endArray()
        writeObservables(alert, names: names, to: &writer)
        writer.key("remediation")
        writer.beginObject()
        writer.key("desc"); writer.string(nonEmpty(alert.remediation) ?? "")
        writer.endObject()
        writer.key("unmapped")
        writer.beginObject()
        writer.key("kind"); writer.string(alert.kind.rawValue)
        writer.key("reasons"); writer.stringArray(alert.reasons)
        writer.endObject()
        writer.endObject()
    }

    private static func writeFindingInfo(_ alert: Alert, to writer: inout JSONWriter) {
        writer.key("finding_info")
        writer.beginObject()
        writer.key("uid"); writer.string(alert.id)
        writer.key("title"); writer.string(alert.displayName)
        writer.key("desc"); writer.string(nonEmpty(alert.description))
        writer.key("types"); writer.stringArray([alert.kind.rawValue])
        writer.key("created_time"); writer.integer(milliseconds(alert.firstSeen))
        writer.key("modified_time"); writer.integer(milliseconds(alert.lastSeen))
        writer.key("first_seen_time"); writer.integer(milliseconds(alert.firstSeen))
        writer.key("last_seen_time"); writer.integer(milliseconds(alert.lastSeen))
        writer.key("related_events_count"); writer.integer(alert.count)
        writer.key("analytic")
        writer.beginObject()
        writer.key("uid"); writer.string(alert.kind.rawValue)
        writer.key("name"); writer.string(alert.kind.rawValue)
        // OCSF analytic types: 1 Rule, 2 Behavioral.
        writer.key("type_id"); writer.integer(alert.kind.needsBaseline ? 2 : 1)
        writer.key("type"); writer.string(alert.kind.needsBaseline ? "Behavioral" : "Rule")
        writer.endObject()
        writer.key("attacks")
        writer.beginArray()
        for attack in attacks(tactics: alert.tactics, techniques: alert.techniques) {
            writer.beginObject()
            if let tactic = attack.tactic {
                writer.key("tactic")
                writer.beginObject()
                writer.key("uid"); writer.string(tactic.identifier)
                writer.key("name"); writer.string(tactic.rawValue)
                writer.endObject()
            }
            if let technique = attack.technique {
                let parent = technique.parentTechnique ?? technique
                writer.key("technique")
                writer.beginObject()
                writer.key("uid"); writer.string(parent.identifier)
                writer.key("name"); writer.string(parent.name)
                writer.endObject()
                if technique.isSubTechnique {
                    writer.key("sub_technique")
                    writer.beginObject()
                    writer.key("uid"); writer.string(technique.identifier)
                    writer.key("name"); writer.string(technique.subTechniqueName)
                    writer.endObject()
                }
            }
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
    }

    /// Each technique with the first of the alert's tactics it belongs to, then each tactic that
    /// no technique took, alone: every tactic and technique of the alert appears exactly once.
    static func attacks(
        tactics: [AttackTactic], techniques: [AttackTechnique]
    ) -> [(tactic: AttackTactic?, technique: AttackTechnique?)] {
        var pairs: [(tactic: AttackTactic?, technique: AttackTechnique?)] = []
        var used: Set<AttackTactic> = []
        for technique in techniques {
            let tactic = tactics.first { technique.attackTactics.contains($0) && !used.contains($0) }
                ?? tactics.first { technique.attackTactics.contains($0) }
            if let tactic { used.insert(tactic) }
            pairs.append((tactic, technique))
        }
        for tactic in tactics where !used.contains(tactic) { pairs.append((tactic, nil)) }
        return pairs
    }

    private static func writeEvidence(_ evidence: AlertEvidence, names: DirectoryNames, to writer: inout JSONWriter) {
        writer.beginObject()
        if evidence.principalID != nil || evidence.upn != nil || evidence.appID != nil {
            writer.key("actor")
            writer.beginObject()
            if evidence.principalID != nil || evidence.upn != nil {
                writer.key("user")
                writer.beginObject()
                if let principalID = nonEmpty(evidence.principalID) { writer.key("uid"); writer.string(principalID) }
                if let upn = nonEmpty(evidence.upn) { writer.key("name"); writer.string(upn) }
                if let name = names.name(for: evidence.principalID) { writer.key("full_name"); writer.string(name) }
                writer.endObject()
            }
            if let appID = nonEmpty(evidence.appID) {
                writer.key("app_uid"); writer.string(appID)
                if let name = names.name(for: appID) { writer.key("app_name"); writer.string(name) }
            }
            writer.endObject()
        }
        writer.key("api")
        writer.beginObject()
        writer.key("operation"); writer.string(nonEmpty(evidence.operation) ?? "Unknown")
        writer.key("service")
        writer.beginObject()
        writer.key("name"); writer.string("Azure Key Vault")
        writer.endObject()
        if let code = evidence.httpStatusCode {
            writer.key("response")
            writer.beginObject()
            writer.key("code"); writer.integer(code)
            writer.endObject()
        }
        writer.endObject()
        if let ip = evidence.callerIP {
            writer.key("src_endpoint")
            writer.beginObject()
            writer.key("ip"); writer.string(ip.description)
            writer.endObject()
        }
        writer.key("data")
        AlertJSON.write(evidence, to: &writer)
        writer.endObject()
    }

    private static func writeObservables(_ alert: Alert, names: DirectoryNames, to writer: inout JSONWriter) {
        func observable(_ name: String, _ typeID: Int, _ type: String, _ value: String?) {
            writer.beginObject()
            writer.key("name"); writer.string(name)
            writer.key("type_id"); writer.integer(typeID)
            writer.key("type"); writer.string(type)
            if let value { writer.key("value"); writer.string(value) }
            writer.endObject()
        }
        writer.key("observables")
        writer.beginArray()
        if let ip = alert.ip { observable("evidences[].src_endpoint.ip", 2, "IP Address", ip.description) }
        if let upn = nonEmpty(alert.upn) {
            observable("evidences[].actor.user.name", 4, "User Name", upn)
        } else if let name = names.name(for: alert.principalID) {
            observable("evidences[].actor.user.full_name", 4, "User Name", name)
        }
        if let principalID = nonEmpty(alert.principalID) { observable("evidences[].actor.user", 21, "User", principalID) }
        if let resource = nonEmpty(alert.resourceID) ?? nonEmpty(alert.vault) {
            observable("resources[].uid", 10, "Resource UID", resource)
        }
        writer.endArray()
    }

    private static func activity(_ alert: Alert) -> (id: Int, name: String) {
        if alert.status != .active { return (3, "Close") }
        return alert.count > 1 ? (2, "Update") : (1, "Create")
    }

    private static func status(_ status: AlertStatus) -> (Int, String) {
        switch status {
        case .active: (1, "New")
        case .resolved: (4, "Resolved")
        case .dismissed: (3, "Suppressed")
        }
    }

    static func severityID(_ severity: Severity) -> Int {
        switch severity {
        case .informational: 1
        case .low: 2
        case .medium: 3
        case .high: 4
        }
    }

    static func milliseconds(_ time: EventTime) -> Int {
        Int(time.ticks / (EventTime.ticksPerSecond / 1000))
    }

    private static func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }
}
