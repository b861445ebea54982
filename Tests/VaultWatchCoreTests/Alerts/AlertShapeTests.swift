import Foundation
import Testing
import VaultWatchTestSupport
@testable import VaultWatchCore

/// The pipeline shapes (`--format defender|ocsf`) checked against hand-written schemas of their
/// required fields and types, over an alert of every kind, a detected alert, and the edge cases
/// (no caller, no resource id, closed alerts, text that needs escaping).
@Suite("Alert shapes: Defender and OCSF")
struct AlertShapeTests {
    /// A detected-looking alert: caller with UPN, application, IP, evidence with every field.
    static func detectedAlert(status: AlertStatus = .active, count: Int = 3) -> Alert {
        let time = EventTime(year: 2026, month: 3, day: 9, hour: 14, minute: 5, second: 7, fractionTicks: 1_234_567)
        let resource = "/SUBSCRIPTIONS/0B1C2D3E-4F50-6172-8394-A5B6C7D8E9F0/RESOURCEGROUPS/RG-PAY/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/KV-PAYMENTS"
        let evidence = (0..<3).map { index in
            AlertEvidence(
                time: time + .minutes(Int64(index)), vault: "kv-payments", operation: index == 0 ? "SecretList" : "SecretGet",
                outcome: .success, httpStatusCode: 200, callerIP: IPAddress("198.51.100.23"),
                principalID: "5f1c9a2e-7d3b-4c8e-9a6f-1b2c3d4e5f60", upn: "mallory@fabrikam.example",
                appID: "04b07795-8ddb-461a-bbee-02f9e1bf7b46", objectKind: .secret, objectName: "db-\"password\"\n",
                clientInfo: "python/3.12 azure-keyvault-secrets/4.8", source: "audit.jsonl:\(index + 10)")
        }
        return Alert(
            id: "a1b2c3d4e5f60718", kind: .listGetAnomaly, displayName: "Suspicious secret listing then mass reads",
            severity: .medium, status: status, vault: "kv-payments", resourceID: resource,
            principalID: "5f1c9a2e-7d3b-4c8e-9a6f-1b2c3d4e5f60", upn: "mallory@fabrikam.example",
            appID: "04b07795-8ddb-461a-bbee-02f9e1bf7b46", ip: IPAddress("198.51.100.23"),
            firstSeen: time, lastSeen: time + .minutes(2), count: count,
            reasons: ["7 distinct secrets read within 60 min of a listing", "usual after a list: 1"],
            evidence: evidence, tactics: AlertKind.listGetAnomaly.attackMapping.tactics,
            techniques: AlertKind.listGetAnomaly.attackMapping.techniques,
            description: "A listing of secrets followed by reads of many of them.", remediation: "Rotate the secrets read.")
    }

    /// A vault-wide alert: no caller, no IP, no resource id, no evidence.
    static func vaultWideAlert() -> Alert {
        let time = EventTime(year: 2026, month: 3, day: 9, hour: 15, minute: 0, second: 0)
        return Alert(
            id: "00000000000000ff", kind: .operationVolumeAnomaly, displayName: "High volume of operations", severity: .medium,
            vault: "kv-data", firstSeen: time, lastSeen: time, reasons: ["142 operations this hour"],
            tactics: [.collection, .credentialAccess], techniques: [.automatedCollection, .cloudSecretsStores],
            description: "d", remediation: "r")
    }

    static var allAlerts: [Alert] {
        SampleAlerts.all() + [detectedAlert(), detectedAlert(status: .resolved), detectedAlert(status: .dismissed, count: 1), vaultWideAlert()]
    }

    // MARK: - Defender

    /// Defender for Cloud's security alert, as continuous export and `SecurityAlert` carry it.
    static let defenderShape: JSONShape = {
        var shape = JSONShape()
        shape.require("VendorName", .string, allowed: ["VaultWatch"])
        shape.require("ProductName", .string, allowed: ["VaultWatch"])
        shape.require("AlertType", .string)
        shape.require("AlertDisplayName", .string)
        shape.require("Description", .string)
        shape.require("Severity", .string, allowed: ["Informational", "Low", "Medium", "High"])
        shape.require("Status", .string, allowed: ["New", "InProgress", "Resolved", "Dismissed"])
        shape.require("StartTimeUtc", .string)
        shape.require("EndTimeUtc", .string)
        shape.require("TimeGenerated", .string)
        shape.require("SystemAlertId", .string)
        shape.require("IsIncident", .boolean)
        shape.require("Intent", .string)
        shape.require("CompromisedEntity", .string)
        shape.require("AzureResourceId", .string, nullable: true)
        shape.require("Entities", .array)
        shape.require("Entities[].$id", .string)
        shape.require("Entities[].Type", .string, allowed: ["azure-resource", "account", "ip"])
        shape.require("Entities[].Asset", .boolean)
        shape.require("RemediationSteps", .array)
        shape.require("ExtendedProperties", .object)
        shape.require("ExtendedProperties.resourceType", .string, allowed: ["Key Vault"])
        shape.require("ExtendedProperties.Start Time UTC", .string)
        shape.require("ExtendedProperties.End Time UTC", .string)
        shape.require("ExtendedProperties.ProductComponentName", .string, allowed: ["KeyVault"])
        shape.optional("ExtendedProperties.Attacker IP Address", .string)
        shape.optional("ExtendedProperties.Attacker Object ID", .string)
        shape.optional("ExtendedProperties.Application ID", .string)
        shape.optional("ExtendedProperties.Alert Reasons", .string)
        shape.optional("ExtendedProperties.Suspicious Operations", .string)
        shape.require("ResourceIdentifiers", .array)
        shape.require("ResourceIdentifiers[].Type", .string, allowed: ["AzureResource", "AAD"])
        shape.require("ResourceIdentifiers[].AzureResourceId", .string)
        return shape
    }()

    @Test("every alert kind and state gives a Defender alert with the required fields and types")
    func defenderSchema() throws {
        for alert in Self.allAlerts {
            let document = try JSONValue.parse(AlertFormat.defender.line(for: alert))
            #expect(Self.defenderShape.violations(of: document) == [], "\(alert.kind.rawValue) \(alert.status)")
            // Defender writes every extended property as a string.
            for (key, value) in document["ExtendedProperties"]?.object ?? [:] {
                #expect(value.string != nil, "ExtendedProperties.\(key) is \(value.typeName)")
            }
            for field in ["StartTimeUtc", "EndTimeUtc", "TimeGenerated"] {
                #expect(EventTime.parse(iso8601: document[field]?.string ?? "") != nil, "\(field)")
            }
            for entity in document["Entities"]?.array ?? [] {
                switch entity["Type"]?.string {
                case "azure-resource": #expect(entity["ResourceName"]?.string == alert.vault)
                case "account": #expect(entity["AadUserId"]?.string == alert.principalID)
                case "ip": #expect(entity["Address"]?.string == alert.ip?.description)
                default: Issue.record("unexpected entity \(entity)")
                }
            }
        }
    }

    @Test("a detected alert's Defender fields carry its entities, reasons, operations and ATT&CK intent")
    func defenderValues() throws {
        let alert = Self.detectedAlert()
        let document = try JSONValue.parse(AlertFormat.defender.line(for: alert))
        #expect(document["AlertType"]?.string == "KV_ListGetAnomaly")
        #expect(document["Severity"]?.string == "Medium")
        #expect(document["Status"]?.string == "New")
        #expect(document["CompromisedEntity"]?.string == "kv-payments")
        #expect(document["StartTimeUtc"]?.string == "2026-03-09T14:05:07.1234567Z")
        #expect(document["EndTimeUtc"]?.string == "2026-03-09T14:07:07.1234567Z")
        #expect(document["Intent"]?.string == "Discovery, CredentialAccess")
        #expect(document["Techniques"]?.array == [.string("T1526"), .string("T1555")])
        #expect(document["SubTechniques"]?.array == [.string("T1555.006")])
        #expect(document["Entities"]?.array?.compactMap { $0["Type"]?.string } == ["azure-resource", "account", "ip"])
        let account = try #require(document["Entities"]?.array?.first { $0["Type"]?.string == "account" })
        #expect(account["Name"]?.string == "mallory")
        #expect(account["UPNSuffix"]?.string == "fabrikam.example")
        let properties = try #require(document["ExtendedProperties"])
        #expect(properties["Attacker IP Address"]?.string == "198.51.100.23")
        #expect(properties["Attacker Object ID"]?.string == alert.principalID)
        #expect(properties["Application ID"]?.string == alert.appID)
        #expect(properties["Suspicious Operations"]?.string == "[SecretGet:2, SecretList:1]")
        #expect(properties["Alert Reasons"]?.string == "[7 distinct secrets read within 60 min of a listing, usual after a list: 1]")
        #expect(properties["Start Time UTC"]?.string == "03/09/2026 14:05:07")
        #expect(properties["EffectiveSubscriptionId"]?.string == "0B1C2D3E-4F50-6172-8394-A5B6C7D8E9F0")
        #expect(properties["Client Information"]?.string == "python/3.12 azure-keyvault-secrets/4.8")
        #expect(document["RemediationSteps"]?.array == [.string("Rotate the secrets read.")])
        #expect(document["ResourceIdentifiers"]?.array?.first?["AzureResourceId"]?.string == alert.resourceID)
    }

    @Test("samples are SIMULATED_ like Defender's; closed alerts say Resolved or Dismissed")
    func defenderSamplesAndStatus() throws {
        let sample = try JSONValue.parse(AlertFormat.defender.line(for: SampleAlerts.sample(of: .torAccess)))
        #expect(sample["AlertType"]?.string == "SIMULATED_KV_TORAccess")
        #expect(sample["IsSample"] == .bool(true))
        let resolved = try JSONValue.parse(AlertFormat.defender.line(for: Self.detectedAlert(status: .resolved)))
        #expect(resolved["Status"]?.string == "Resolved")
        let dismissed = try JSONValue.parse(AlertFormat.defender.line(for: Self.detectedAlert(status: .dismissed)))
        #expect(dismissed["Status"]?.string == "Dismissed")
        let vaultWide = try JSONValue.parse(AlertFormat.defender.line(for: Self.vaultWideAlert()))
        #expect(vaultWide["Entities"]?.array?.count == 1)
        #expect(vaultWide["AzureResourceId"] == .null)
        #expect(vaultWide["ResourceIdentifiers"]?.array == [])
    }

    /// The real exported sample (third-party, not in the repository) is the reference: every
    /// top-level field it has, ours has with the same JSON type (or null where either has none),
    /// and so do the extended properties that playbooks read.
    @Test("matches the fields and types of a real Defender for Cloud Key Vault alert")
    func defenderMatchesRealSample() throws {
        guard let samples = TestPaths.sharedSamples else { return }  // not in a user's clone
        let url = samples.appendingPathComponent("defender-sample-alert-SIMULATED_KV_ListGetAnomaly.json")
        let reference = try JSONValue.parse(String(decoding: try Data(contentsOf: url), as: UTF8.self))
        let ours = try JSONValue.parse(AlertFormat.defender.line(for: Self.detectedAlert()))
        let referenceFields = try #require(reference.object)
        let ourFields = try #require(ours.object)
        for (key, value) in referenceFields {
            let mine = try #require(ourFields[key], "missing \(key)")
            if value != .null, mine != .null {
                #expect(mine.typeName == value.typeName, "\(key): \(mine.typeName), reference \(value.typeName)")
            }
        }
        for key in ["Attacker IP Address", "Attacker Object ID", "Application ID", "Alert Reasons", "Suspicious Operations",
                    "Client Information", "resourceType", "Start Time UTC", "End Time UTC", "ProductComponentName",
                    "EffectiveAzureResourceId", "EffectiveSubscriptionId", "CompromisedEntity"] {
            #expect(reference["ExtendedProperties"]?[key] != nil, "the reference has \(key)")
            #expect(ours["ExtendedProperties"]?[key]?.string != nil, "ours has \(key)")
        }
        let referenceTypes = Set(reference["Entities"]?.array?.compactMap { $0["Type"]?.string } ?? [])
        let ourTypes = Set(ours["Entities"]?.array?.compactMap { $0["Type"]?.string } ?? [])
        #expect(referenceTypes == ourTypes)
        for type in referenceTypes {
            let referenceEntity = reference["Entities"]?.array?.first { $0["Type"]?.string == type }?.object ?? [:]
            let ourEntity = ours["Entities"]?.array?.first { $0["Type"]?.string == type }?.object ?? [:]
            // The keys that identify the entity; Location and IsValid are Defender's enrichment.
            for key in referenceEntity.keys where !["Location", "IsValid", "Metadata"].contains(key) {
                #expect(ourEntity[key] != nil, "\(type) entity lacks \(key)")
            }
        }
    }

    // MARK: - OCSF

    /// OCSF 1.3 Detection Finding: the base event's required attributes, the finding's, and the
    /// objects' required ones (metadata, product, finding_info, observable, attack parts).
    static let ocsfShape: JSONShape = {
        var shape = JSONShape()
        shape.require("activity_id", .integer, allowed: ["1", "2", "3"])
        shape.require("category_uid", .integer, allowed: ["2"])
        shape.require("class_uid", .integer, allowed: ["2004"])
        shape.require("type_uid", .integer, allowed: ["200401", "200402", "200403"])
        shape.require("severity_id", .integer, allowed: ["0", "1", "2", "3", "4", "5", "6", "99"])
        shape.require("time", .integer)
        shape.optional("start_time", .integer)
        shape.optional("end_time", .integer)
        shape.optional("status_id", .integer, allowed: ["0", "1", "2", "3", "4", "5", "6", "99"])
        shape.optional("count", .integer)
        shape.optional("message", .string)
        shape.require("metadata", .object)
        shape.require("metadata.version", .string)
        shape.require("metadata.product", .object)
        shape.require("metadata.product.vendor_name", .string, allowed: ["VaultWatch"])
        shape.require("metadata.product.name", .string, allowed: ["VaultWatch"])
        shape.require("finding_info", .object)
        shape.require("finding_info.uid", .string)
        shape.require("finding_info.title", .string)
        shape.optional("finding_info.desc", .string)
        shape.optional("finding_info.types", .array)
        shape.optional("finding_info.first_seen_time", .integer)
        shape.optional("finding_info.last_seen_time", .integer)
        shape.require("finding_info.analytic.type_id", .integer, allowed: ["1", "2"])
        shape.require("finding_info.attacks", .array)
        shape.optional("finding_info.attacks[].tactic.uid", .string)
        shape.optional("finding_info.attacks[].tactic.name", .string)
        shape.optional("finding_info.attacks[].technique.uid", .string)
        shape.optional("finding_info.attacks[].technique.name", .string)
        shape.optional("finding_info.attacks[].sub_technique.uid", .string)
        shape.require("evidences", .array)
        shape.optional("evidences[].actor.user.uid", .string)
        shape.optional("evidences[].actor.app_uid", .string)
        shape.require("evidences[].api.operation", .string)
        shape.optional("evidences[].api.response.code", .integer)
        shape.optional("evidences[].src_endpoint.ip", .string)
        shape.require("observables", .array)
        shape.require("observables[].name", .string)
        shape.require("observables[].type_id", .integer, allowed: ["2", "4", "10", "21"])
        shape.require("resources", .array)
        shape.require("resources[].uid", .string)
        shape.optional("remediation.desc", .string)
        return shape
    }()

    @Test("every alert kind and state gives an OCSF Detection Finding with the required fields and types")
    func ocsfSchema() throws {
        for alert in Self.allAlerts {
            let document = try JSONValue.parse(AlertFormat.ocsf.line(for: alert))
            #expect(Self.ocsfShape.violations(of: document) == [], "\(alert.kind.rawValue) \(alert.status)")
            let activity = try #require(document["activity_id"]?.integer)
            #expect(document["type_uid"]?.integer == 2004 * 100 + activity)
            #expect(document["severity_id"]?.integer == OCSFDetectionFindingJSON.severityID(alert.severity))
            for evidence in document["evidences"]?.array ?? [] {
                // OCSF's constraint on evidences: at least one of these.
                let atLeastOne = ["actor", "api", "connection_info", "data", "database", "databucket", "device",
                                  "dst_endpoint", "email", "file", "process", "query", "resources", "src_endpoint",
                                  "url", "user", "job", "script"]
                #expect(atLeastOne.contains { evidence[$0] != nil })
            }
            // Every tactic and technique of the alert appears, with well-formed ATT&CK ids.
            var tactics: [String] = []
            var techniques: [String] = []
            for attack in document["finding_info"]?["attacks"]?.array ?? [] {
                #expect(attack["tactic"] != nil || attack["technique"] != nil || attack["sub_technique"] != nil)
                if let uid = attack["tactic"]?["uid"]?.string {
                    #expect(uid.wholeMatch(of: /TA\d{4}/) != nil)
                    tactics.append(uid)
                }
                if let uid = attack["technique"]?["uid"]?.string {
                    #expect(uid.wholeMatch(of: /T\d{4}/) != nil)
                    if attack["sub_technique"] == nil { techniques.append(uid) }
                }
                if let uid = attack["sub_technique"]?["uid"]?.string {
                    #expect(uid.wholeMatch(of: /T\d{4}\.\d{3}/) != nil)
                    #expect(uid.hasPrefix((attack["technique"]?["uid"]?.string ?? "-") + "."))
                    techniques.append(uid)
                }
            }
            #expect(Set(tactics) == Set(alert.tactics.map(\.identifier)), "\(alert.kind.rawValue)")
            #expect(techniques.sorted() == alert.techniques.map(\.identifier).sorted(), "\(alert.kind.rawValue)")
        }
    }

    @Test("a detected alert's finding carries evidences, observables (IP, user, resource) and times in ms")
    func ocsfValues() throws {
        let alert = Self.detectedAlert()
        let document = try JSONValue.parse(AlertFormat.ocsf.line(for: alert))
        #expect(document["activity_id"]?.integer == 2)  // repeats folded in: an update
        #expect(document["time"]?.integer == 1_773_065_107_123)
        #expect(document["end_time"]?.integer == 1_773_065_227_123)
        #expect(document["severity_id"]?.integer == 3)
        #expect(document["status_id"]?.integer == 1)
        #expect(document["finding_info"]?["uid"]?.string == alert.id)
        #expect(document["finding_info"]?["analytic"]?["type_id"]?.integer == 2)
        let observables = document["observables"]?.array ?? []
        #expect(observables.map { $0["type_id"]?.integer ?? -1 } == [2, 4, 21, 10])
        #expect(observables.map { $0["value"]?.string } == ["198.51.100.23", alert.upn, alert.principalID, alert.resourceID])
        let evidences = try #require(document["evidences"]?.array)
        #expect(evidences.count == 3)
        #expect(evidences[0]["api"]?["operation"]?.string == "SecretList")
        #expect(evidences[0]["api"]?["response"]?["code"]?.integer == 200)
        #expect(evidences[0]["actor"]?["user"]?["uid"]?.string == alert.principalID)
        #expect(evidences[0]["actor"]?["user"]?["name"]?.string == alert.upn)
        #expect(evidences[0]["actor"]?["app_uid"]?.string == alert.appID)
        #expect(evidences[0]["src_endpoint"]?["ip"]?.string == "198.51.100.23")
        #expect(evidences[0]["data"]?["objectName"]?.string == "db-\"password\"\n")
        #expect(evidences[0]["data"]?["source"]?.string == "audit.jsonl:10")
        let attacks = try #require(document["finding_info"]?["attacks"]?.array)
        #expect(attacks.count == 2)
        #expect(attacks[0]["tactic"]?["name"]?.string == "Discovery")
        #expect(attacks[0]["technique"]?["uid"]?.string == "T1526")
        #expect(attacks[1]["tactic"]?["name"]?.string == "Credential Access")
        #expect(attacks[1]["technique"]?["name"]?.string == "Credentials from Password Stores")
        #expect(attacks[1]["sub_technique"]?["name"]?.string == "Cloud Secrets Management Stores")
        #expect(document["unmapped"]?["reasons"]?.array?.count == 2)
    }

    @Test("OCSF activity and status follow the alert's life: create, update, close")
    func ocsfLifecycle() throws {
        let created = try JSONValue.parse(AlertFormat.ocsf.line(for: Self.detectedAlert(count: 1)))
        #expect(created["activity_id"]?.integer == 1)
        #expect(created["type_uid"]?.integer == 200401)
        let resolved = try JSONValue.parse(AlertFormat.ocsf.line(for: Self.detectedAlert(status: .resolved)))
        #expect(resolved["activity_id"]?.integer == 3)
        #expect(resolved["status_id"]?.integer == 4)
        let dismissed = try JSONValue.parse(AlertFormat.ocsf.line(for: Self.detectedAlert(status: .dismissed)))
        #expect(dismissed["status_id"]?.integer == 3)
        let vaultWide = try JSONValue.parse(AlertFormat.ocsf.line(for: Self.vaultWideAlert()))
        #expect(vaultWide["observables"]?.array?.map { $0["type_id"]?.integer ?? -1 } == [10])
        #expect(vaultWide["resources"]?.array?.first?["uid"]?.string == "kv-data")
    }

    @Test("the shape checker itself catches a missing field, a wrong type and a value outside the set")
    func checkerCatches() throws {
        var document = try JSONValue.parse(AlertFormat.ocsf.line(for: Self.detectedAlert()))
        guard case .object(var members) = document else { Issue.record("not an object"); return }
        members["class_uid"] = .string("2004")
        members["finding_info"] = .object([:])
        members["severity_id"] = .integer(7)
        document = .object(members)
        let problems = Self.ocsfShape.violations(of: document)
        #expect(problems.contains("class_uid: string, expected integer"))
        #expect(problems.contains("finding_info.uid: missing"))
        #expect(problems.contains { $0.hasPrefix("severity_id: 7 not in") })
    }

    @Test("display names go beside the ids in the Defender and OCSF shapes, never in place of them, and not in alert JSON")
    func namesBesideIDs() throws {
        var alert = Self.detectedAlert()
        alert.upn = nil
        for index in alert.evidence.indices { alert.evidence[index].upn = nil }
        let names = DirectoryNames.builtIn.merging(DirectoryNames(entries: [alert.principalID ?? "": "Payments API"]))
        let defender = try JSONValue.parse(AlertFormat.defender.line(for: alert, names: names))
        let account = try #require(defender["Entities"]?.array?.first { $0["Type"]?.string == "account" })
        #expect(account["AadUserId"]?.string == alert.principalID)
        #expect(account["DisplayName"]?.string == "Payments API")
        #expect(defender["ExtendedProperties"]?["Attacker Object ID"]?.string == alert.principalID)
        #expect(defender["ExtendedProperties"]?["Attacker Display Name"]?.string == "Payments API")
        #expect(defender["ExtendedProperties"]?["Application ID"]?.string == alert.appID)
        #expect(defender["ExtendedProperties"]?["Application Name"]?.string == "Microsoft Azure CLI")

        let ocsf = try JSONValue.parse(AlertFormat.ocsf.line(for: alert, names: names))
        let actor = try #require(ocsf["evidences"]?.array?.first?["actor"])
        #expect(actor["user"]?["uid"]?.string == alert.principalID)
        #expect(actor["user"]?["full_name"]?.string == "Payments API")
        #expect(actor["app_uid"]?.string == alert.appID)
        #expect(actor["app_name"]?.string == "Microsoft Azure CLI")
        #expect(ocsf["observables"]?.array?.contains { $0["type_id"]?.integer == 4 && $0["value"]?.string == "Payments API" } == true)
        #expect(Self.ocsfShape.violations(of: ocsf) == [])
        #expect(Self.defenderShape.violations(of: defender) == [])

        let unnamed = try JSONValue.parse(AlertFormat.defender.line(for: alert, names: .empty))
        #expect(unnamed["ExtendedProperties"]?["Application Name"] == nil)
        var jsonl: [UInt8] = []
        AlertFormat.jsonl.appendLine(for: alert, names: names, to: &jsonl)
        #expect(!String(decoding: jsonl, as: UTF8.self).contains("Payments API"))
    }

    @Test("each format writes one line per alert through the one JSON writer")
    func formatsWriteLines() throws {
        for format in AlertFormat.allCases {
            var bytes: [UInt8] = []
            for alert in Self.allAlerts { format.appendLine(for: alert, to: &bytes) }
            let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.count == Self.allAlerts.count + 1 && lines.last == "")
            for line in lines.dropLast() { _ = try JSONValue.parse(String(line)) }
        }
    }
}
