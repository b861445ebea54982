/// An alert in the shape of a Microsoft Defender for Cloud security alert, as continuous export
/// and the `SecurityAlert` table carry it, so that playbooks and workbooks written for
/// Defender's Key Vault alerts take VaultWatch's unchanged (`detect --format defender`,
/// `alerts export --format defender`).
///
/// The reference is a real exported sample alert (`SIMULATED_KV_ListGetAnomaly`, see
/// `samples/azure-kv/` beside the repository): the same top-level fields, in its order, with
/// the same JSON types; `VendorName` and `ProductName` say VaultWatch. Choices where VaultWatch
/// knows less or differently than Defender:
/// - `AlertType` is the kind (`KV_ListGetAnomaly`, Defender's own names), prefixed
///   `SIMULATED_` on sample alerts as Defender marks its samples.
/// - `TimeGenerated` and `ProcessingEndTime` are the alert's last sighting in event time, never
///   the wall clock, so a replay exports the same documents.
/// - `Status` is the `SecurityAlert` vocabulary: `New` (active), `Resolved`, `Dismissed`.
/// - `Intent` is the ATT&CK tactics in Defender's kill-chain words (`CredentialAccess`),
///   comma-separated, `Unknown` when none; `Techniques` and `SubTechniques` list the ids.
/// - Tenant ids, workspace fields, geolocation and the portal link are not in audit records:
///   `null` or left out, never invented.
/// - `ExtendedProperties` values are all strings, as Defender writes them (lists as
///   `[a, b]`); `Suspicious Operations` counts the operations of the evidence events.
public enum DefenderAlertJSON {
    static let productName = "VaultWatch"

    static func write(_ alert: Alert, names: DirectoryNames, to writer: inout JSONWriter) {
        let vault = nonEmpty(alert.vault)
        let resourceID = nonEmpty(alert.resourceID)
        writer.beginObject()
        writer.key("VendorName"); writer.string(productName)
        writer.key("AlertType"); writer.string((alert.isSample ? "SIMULATED_" : "") + alert.kind.rawValue)
        writer.key("ProductName"); writer.string(productName)
        writer.key("StartTimeUtc"); writer.string(alert.firstSeen.iso8601)
        writer.key("EndTimeUtc"); writer.string(alert.lastSeen.iso8601)
        writer.key("TimeGenerated"); writer.string(alert.lastSeen.iso8601)
        writer.key("ProcessingEndTime"); writer.string(alert.lastSeen.iso8601)
        writer.key("Severity"); writer.string(alert.severity.displayName)
        writer.key("Status"); writer.string(status(alert.status))
        writer.key("ProviderAlertStatus"); writer.string(nil)
        writer.key("ConfidenceLevel"); writer.string(nil)
        writer.key("ConfidenceScore"); writer.string(nil)
        writer.key("ConfidenceReasons"); writer.string(nil)
        writer.key("IsIncident"); writer.bool(false)
        writer.key("SystemAlertId"); writer.string(alert.id)
        writer.key("CorrelationKey"); writer.string(nil)
        writer.key("Intent"); writer.string(intent(alert.tactics))
        writer.key("Techniques"); writer.stringArray(unique(alert.techniques.map { $0.parentTechnique?.identifier ?? $0.identifier }))
        writer.key("SubTechniques"); writer.stringArray(alert.techniques.filter(\.isSubTechnique).map(\.identifier))
        writer.key("AzureResourceId"); writer.string(resourceID)
        writer.key("WorkspaceId"); writer.string(nil)
        writer.key("WorkspaceSubscriptionId"); writer.string(nil)
        writer.key("WorkspaceResourceGroup"); writer.string(nil)
        writer.key("AgentId"); writer.string(nil)
        writer.key("CompromisedEntity"); writer.string(vault)
        writer.key("AlertDisplayName"); writer.string(alert.displayName)
        writer.key("Description"); writer.string(nonEmpty(alert.description))
        writeEntities(alert, names: names, to: &writer)
        writer.key("ExtendedLinks"); writer.string(nil)
        writer.key("RemediationSteps"); writer.stringArray(nonEmpty(alert.remediation).map { [$0] } ?? [])
        writeExtendedProperties(alert, names: names, to: &writer)
        writer.key("ResourceIdentifiers")
        writer.beginArray()
        if let resourceID {
            writer.beginObject()
            writer.key("$id"); writer.string("2")
            writer.key("AzureResourceId"); writer.string(resourceID)
            writer.key("Type"); writer.string("AzureResource")
            writer.endObject()
        }
        writer.endArray()
        writer.key("AlertUri"); writer.string(nil)
        if alert.isSample {
            writer.key("IsSample"); writer.bool(true)
        }
        writer.endObject()
    }

    /// `azure-resource` (the vault), `account` (the caller) and `ip` entities, numbered after the
    /// resource identifiers as Defender's `$id` references are.
    private static func writeEntities(_ alert: Alert, names: DirectoryNames, to writer: inout JSONWriter) {
        var nextID = 3
        func referenceID() -> String {
            defer { nextID += 1 }
            return String(nextID)
        }
        writer.key("Entities")
        writer.beginArray()
        if let vault = nonEmpty(alert.vault) {
            writer.beginObject()
            writer.key("$id"); writer.string(referenceID())
            writer.key("ResourceId"); writer.string(nonEmpty(alert.resourceID))
            writer.key("ResourceType"); writer.string("Key Vault")
            writer.key("ResourceName"); writer.string(vault)
            writer.key("Asset"); writer.bool(true)
            writer.key("Type"); writer.string("azure-resource")
            writer.endObject()
        }
        if let principalID = nonEmpty(alert.principalID) {
            writer.beginObject()
            writer.key("$id"); writer.string(referenceID())
            writer.key("AadUserId"); writer.string(principalID)
            if let upn = nonEmpty(alert.upn) {
                let parts = upn.split(separator: "@", maxSplits: 1)
                writer.key("Name"); writer.string(String(parts[0]))
                if parts.count == 2 { writer.key("UPNSuffix"); writer.string(String(parts[1])) }
            }
            if let displayName = names.name(for: principalID) { writer.key("DisplayName"); writer.string(displayName) }
            writer.key("IsDomainJoined"); writer.bool(false)
            writer.key("Asset"); writer.bool(true)
            writer.key("Type"); writer.string("account")
            writer.endObject()
        }
        if let ip = alert.ip {
            writer.beginObject()
            writer.key("$id"); writer.string(referenceID())
            writer.key("Address"); writer.string(ip.description)
            writer.key("Asset"); writer.bool(false)
            writer.key("Type"); writer.string("ip")
            writer.endObject()
        }
        writer.endArray()
    }

    private static func writeExtendedProperties(_ alert: Alert, names: DirectoryNames, to writer: inout JSONWriter) {
        writer.key("ExtendedProperties")
        writer.beginObject()
        writer.key("resourceType"); writer.string("Key Vault")
        writer.key("Start Time UTC"); writer.string(usDateTime(alert.firstSeen))
        writer.key("End Time UTC"); writer.string(usDateTime(alert.lastSeen))
        if !alert.evidence.isEmpty {
            writer.key("Suspicious Operations"); writer.string(operationCounts(alert.evidence))
        }
        if let ip = alert.ip { writer.key("Attacker IP Address"); writer.string(ip.description) }
        if let principalID = nonEmpty(alert.principalID) {
            writer.key("Attacker Object ID"); writer.string(principalID)
            if let name = names.name(for: principalID) { writer.key("Attacker Display Name"); writer.string(name) }
        }
        if let upn = nonEmpty(alert.upn) { writer.key("User Principal Name"); writer.string(upn) }
        if let appID = nonEmpty(alert.appID) {
            writer.key("Application ID"); writer.string(appID)
            if let name = names.name(for: appID) { writer.key("Application Name"); writer.string(name) }
        }
        if let clientInfo = alert.evidence.lazy.compactMap({ nonEmpty($0.clientInfo) }).first {
            writer.key("Client Information"); writer.string(clientInfo)
        }
        if !alert.reasons.isEmpty {
            writer.key("Alert Reasons"); writer.string("[" + alert.reasons.joined(separator: ", ") + "]")
        }
        writer.key("Alert Count"); writer.string(String(alert.count))
        if let resourceID = nonEmpty(alert.resourceID) {
            writer.key("EffectiveAzureResourceId"); writer.string(resourceID)
            if let subscription = subscriptionID(resourceID) {
                writer.key("EffectiveSubscriptionId"); writer.string(subscription)
            }
        }
        if let vault = nonEmpty(alert.vault) { writer.key("CompromisedEntity"); writer.string(vault) }
        writer.key("ProductComponentName"); writer.string("KeyVault")
        writer.endObject()
    }

    /// `SecurityAlert`'s status words.
    private static func status(_ status: AlertStatus) -> String {
        switch status {
        case .active: "New"
        case .resolved: "Resolved"
        case .dismissed: "Dismissed"
        }
    }

    /// Defender's kill-chain intent words for ATT&CK tactics (Reconnaissance is its `PreAttack`).
    static func intent(_ tactics: [AttackTactic]) -> String {
        guard !tactics.isEmpty else { return "Unknown" }
        return tactics.map { tactic in
            tactic == .reconnaissance ? "PreAttack" : tactic.rawValue.split(separator: " ").map(String.init).joined()
        }.joined(separator: ", ")
    }

    /// `[SecretGet:3, SecretList:1]`: the evidence's operations and how often each occurs, by name.
    private static func operationCounts(_ evidence: [AlertEvidence]) -> String {
        var counts: [String: Int] = [:]
        for event in evidence { counts[event.operation ?? "Unknown", default: 0] += 1 }
        return "[" + counts.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: ", ") + "]"
    }

    /// `02/20/2025 18:44:10`, the form of Defender's `Start Time UTC` property.
    private static func usDateTime(_ time: EventTime) -> String {
        let c = time.components
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
        return "\(two(c.month))/\(two(c.day))/\(c.year) \(two(c.hour)):\(two(c.minute)):\(two(c.second))"
    }

    /// The subscription id segment of an Azure resource id (`/SUBSCRIPTIONS/{id}/…`), any case.
    private static func subscriptionID(_ resourceID: String) -> String? {
        let segments = resourceID.split(separator: "/")
        guard let index = segments.firstIndex(where: { $0.lowercased() == "subscriptions" }),
              index + 1 < segments.count else { return nil }
        return String(segments[index + 1])
    }

    private static func unique(_ values: [String]) -> [String] {
        var seen: Set<String> = []
        return values.filter { seen.insert($0).inserted }
    }

    private static func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }
}
