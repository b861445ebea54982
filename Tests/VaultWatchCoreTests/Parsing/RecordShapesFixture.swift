import Foundation

/// One Key Vault call, written out in each input shape VaultWatch accepts, so tests can check
/// that every shape of the same tenant gives the same events.
struct TenantCall {
    var time: String
    var vault: String
    var operation: String
    var principalID: String
    var upn: String?
    var appID: String
    var callerIP: String
    var httpStatusCode: Int
    var resultSignature: String
    var objectPath: String  // "" (the vault), "secrets/NAME/VERSION", …
    var clientInfo: String
    var grantedPrincipalID: String?
    var durationMs: Int
    /// Control-plane calls name claims with long URIs.
    var usesLongClaimNames: Bool

    var resourceID: String {
        "/SUBSCRIPTIONS/0F1E2D3C-AAAA-BBBB-CCCC-000000000001/RESOURCEGROUPS/SECURITY/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/\(vault.uppercased())"
    }
    var objectID: String { "https://\(vault).vault.azure.net/\(objectPath)" }

    /// The resource-log `AuditEvent` record (storage blobs, Event Hubs).
    var auditEvent: [String: Any] {
        var claim: [String: Any] = ["appid": appID, "xms_az_nwperimid": [Any](), "scp": "user_impersonation"]
        if usesLongClaimNames {
            claim["http://schemas.microsoft.com/identity/claims/objectidentifier"] = principalID
            if let upn { claim["http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn"] = upn }
        } else {
            claim["oid"] = principalID
            if let upn { claim["upn"] = upn }
        }
        var properties: [String: Any] = [
            "id": objectID, "clientInfo": clientInfo, "httpStatusCode": httpStatusCode,
            "requestUri": objectID + "?api-version=7.4", "isAccessPolicyMatch": true, "tlsVersion": "TLS1_2",
        ]
        if let grantedPrincipalID {
            properties["addedAccessPolicy"] = [
                "ObjectId": grantedPrincipalID, "TenantId": "tenant-1",
                "Permissions": ["keys": [Any](), "secrets": ["get", "list"]],
            ]
        }
        return [
            "time": time, "resourceId": resourceID, "operationName": operation, "operationVersion": "7.4",
            "category": "AuditEvent", "resultType": "Success", "resultSignature": resultSignature,
            "durationMs": String(durationMs), "callerIpAddress": callerIP, "correlationId": UUID().uuidString,
            "identity": ["claim": claim], "properties": properties,
        ]
    }

    /// A row of the Log Analytics `AzureDiagnostics` table (flattened columns).
    var azureDiagnosticsRow: [String: Any] {
        var row: [String: Any] = [
            "TenantId": "law-1", "TimeGenerated": time, "ResourceId": resourceID, "Category": "AuditEvent",
            "ResourceGroup": "SECURITY", "SubscriptionId": "0f1e2d3c", "ResourceProvider": "MICROSOFT.KEYVAULT",
            "Resource": vault.uppercased(), "ResourceType": "VAULTS", "OperationName": operation,
            "ResultType": "Success", "ResultSignature": resultSignature, "CorrelationId": "c-1",
            "DurationMs": durationMs, "CallerIPAddress": callerIP, "OperationVersion": "7.4",
            "identity_claim_appid_g": appID, "id_s": objectID, "clientInfo_s": clientInfo,
            "httpStatusCode_d": httpStatusCode, "requestUri_s": objectID, "isAccessPolicyMatch_b": true,
            "Type": "AzureDiagnostics",
        ]
        if usesLongClaimNames {
            row["identity_claim_http_schemas_microsoft_com_identity_claims_objectidentifier_g"] = principalID
            if let upn { row["identity_claim_http_schemas_xmlsoap_org_ws_2005_05_identity_claims_upn_s"] = upn }
        } else {
            row["identity_claim_oid_g"] = principalID
            if let upn { row["identity_claim_upn_s"] = upn }
        }
        if let grantedPrincipalID { row["addedAccessPolicy_ObjectId_g"] = grantedPrincipalID }
        return row
    }

    /// A row of the Log Analytics `AZKVAuditLogs` table; its dynamic `Identity` column is
    /// exported as a string of JSON.
    var azkvAuditLogsRow: [String: Any] {
        var claim: [String: Any] = ["appid": appID]
        claim[usesLongClaimNames ? "http://schemas.microsoft.com/identity/claims/objectidentifier" : "oid"] = principalID
        if let upn { claim[usesLongClaimNames ? "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn" : "upn"] = upn }
        let identity = String(decoding: try! JSONSerialization.data(withJSONObject: ["claim": claim]), as: UTF8.self)
        var row: [String: Any] = [
            "TimeGenerated": time, "OperationName": operation, "OperationVersion": "7.4", "ResultType": "Success",
            "ResultSignature": resultSignature, "DurationMs": durationMs, "CallerIpAddress": callerIP,
            "CorrelationId": "c-1", "Identity": identity, "Id": objectID, "ClientInfo": clientInfo,
            "HttpStatusCode": httpStatusCode, "RequestUri": objectID, "IsAccessPolicyMatch": true,
            "_ResourceId": resourceID.lowercased(), "Type": "AZKVAuditLogs",
        ]
        if let grantedPrincipalID { row["AddedAccessPolicy"] = ["ObjectId": grantedPrincipalID, "TenantId": "t"] }
        return row
    }

    static func json(_ object: Any, pretty: Bool = false) -> String {
        let options: JSONSerialization.WritingOptions = pretty ? [.prettyPrinted, .sortedKeys] : []
        return String(decoding: try! JSONSerialization.data(withJSONObject: object, options: options), as: UTF8.self)
    }

    /// A small tenant: users through both claim styles, a service principal, a denial, a
    /// policy change that grants access, reads and deletes across three vaults.
    static let tenant: [TenantCall] = {
        let alice = ("7d3f0a52-1b2c-4d5e-8f90-a1b2c3d4e5f6", "alice@contoso.example")
        let build = ("0b9c8d7e-6f5a-4b3c-2d1e-0f9e8d7c6b5a", nil as String?)
        let portal = "c44b4083-3bb0-49c1-b47d-974e53cbdf3c"
        let pipeline = "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9"
        var calls: [TenantCall] = []
        for minute in 0..<12 {
            let vault = ["payments-kv", "web-kv", "hr-kv"][minute % 3]
            let user = minute % 2 == 0
            calls.append(TenantCall(
                time: "2026-03-02T09:\(minute < 10 ? "0" : "")\(minute):1\(minute % 10).123Z", vault: vault,
                operation: ["SecretGet", "SecretList", "KeyGet", "VaultGet"][minute % 4],
                principalID: user ? alice.0 : build.0, upn: user ? alice.1 : build.1,
                appID: user ? portal : pipeline, callerIP: user ? "203.0.113.\(10 + minute)" : "2001:db8:4::\(minute + 1)",
                httpStatusCode: minute == 5 ? 403 : 200, resultSignature: minute == 5 ? "Forbidden" : "OK",
                objectPath: minute % 4 == 3 ? "" : "\(["secrets", "secrets", "keys"][minute % 4 % 3])/obj-\(minute)/v\(minute)",
                clientInfo: user ? "Mozilla/5.0 (Windows NT 10.0) \"Edge\"" : "azsdk-net-Security.KeyVault.Secrets/4.6.0",
                grantedPrincipalID: nil, durationMs: 20 + minute, usesLongClaimNames: minute % 4 == 3))
        }
        calls.append(TenantCall(
            time: "2026-03-02T09:30:00.5Z", vault: "payments-kv", operation: "VaultPut", principalID: alice.0,
            upn: alice.1, appID: portal, callerIP: "203.0.113.10", httpStatusCode: 200, resultSignature: "OK",
            objectPath: "", clientInfo: "PowerShell/7.4", grantedPrincipalID: "9a8b7c6d-0000-4000-8000-00000000beef",
            durationMs: 310, usesLongClaimNames: true))
        calls.append(TenantCall(
            time: "2026-03-02T09:31:00Z", vault: "payments-kv", operation: "SecretPurge", principalID: build.0,
            upn: nil, appID: pipeline, callerIP: "198.51.100.7", httpStatusCode: 204, resultSignature: "NoContent",
            objectPath: "deletedsecrets/db-password", clientInfo: "Azure-CLI/2.60", grantedPrincipalID: nil,
            durationMs: 55, usesLongClaimNames: false))
        return calls
    }()
}
