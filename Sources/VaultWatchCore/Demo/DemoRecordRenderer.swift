/// Writes a `DemoCall` as the Key Vault `AuditEvent` record the service would write for it.
///
/// The shapes follow real records: data-plane calls carry short claims (`oid`, `appid`,
/// `upn`, `xms_az_nwperimid: []`, …), control-plane calls through Azure Resource Manager the
/// long claim URIs and the vault's own nested `properties`; `resultType` is `Success` even for
/// a 403, the outcome being in `httpStatusCode` and `resultSignature`; `durationMs` is a string;
/// `time` has seven fractional digits. Keys are in the order the service writes them.
struct DemoRecordRenderer {
    let tenantID: String

    /// The record's JSON, one line; `random` supplies the correlation id and the duration.
    func render(_ call: DemoCall, random: inout SeededRandom) -> String {
        let operation = call.operation
        let time = EventTime(ticks: call.ticks)
        var json = "{\"time\":\"\(DemoText.timestamp(time))\",\"category\":\"AuditEvent\""
        json += ",\"operationName\":\"\(operation.operationName)\",\"resultType\":\"Success\""
        if let description = resultDescription(call) {
            json += ",\"resultDescription\":" + JSONString.quoted(description)
        }
        json += ",\"correlationId\":\"\(DemoGUID.make(using: &random))\""
        json += ",\"callerIpAddress\":\"\(call.address)\""
        // A challenge carries no token, so the service logs no identity.
        if call.outcome != .challenge { json += ",\"identity\":{\"claim\":{" + claims(call) + "}}" }
        json += ",\"properties\":{" + properties(call) + "}"
        json += ",\"resourceId\":\"\(call.vault.resourceID)\""
        json += ",\"operationVersion\":\"\(operationVersion(call))\""
        json += ",\"resultSignature\":\"\(resultSignature(call))\""
        json += ",\"durationMs\":\"\(duration(call, random: &random))\"}"
        return json
    }

    // MARK: Identity

    private func claims(_ call: DemoCall) -> String {
        let identity = call.identity
        let appID = call.application.appID
        if call.operation.isControlPlane {
            var text = "\"http://schemas.microsoft.com/identity/claims/objectidentifier\":\"\(identity.objectID)\""
            if let upn = identity.upn {
                let quotedUPN = JSONString.quoted(upn)
                text += ",\"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn\":\(quotedUPN)"
                text += ",\"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name\":\(quotedUPN)"
                text += ",\"appid\":\"\(appID)\""
                text += ",\"http://schemas.microsoft.com/identity/claims/scope\":\"user_impersonation\""
            } else {
                text += ",\"appid\":\"\(appID)\""
                text += ",\"http://schemas.microsoft.com/identity/claims/identityprovider\":\"https://sts.windows.net/\(tenantID)/\""
            }
            text += ",\"http://schemas.microsoft.com/identity/claims/tenantid\":\"\(tenantID)\""
            return text
        }
        var text = "\"oid\":\"\(identity.objectID)\",\"appid\":\"\(appID)\""
        switch identity.kind {
        case .user(let upn):
            let quotedUPN = JSONString.quoted(upn)
            text += ",\"scp\":\"user_impersonation\",\"appidacr\":\"0\",\"xms_az_nwperimid\":[]"
            text += ",\"upn\":\(quotedUPN),\"ipaddr\":\"\(call.address)\",\"unique_name\":\(quotedUPN),\"idtyp\":\"user\""
        case .servicePrincipal(let resource):
            text += ",\"appidacr\":\"2\",\"xms_az_nwperimid\":[],\"idtyp\":\"app\""
            if let resource { text += ",\"xms_mirid\":" + JSONString.quoted(resource) }
        }
        text += ",\"tid\":\"\(tenantID)\""
        return text
    }

    // MARK: Properties

    private func properties(_ call: DemoCall) -> String {
        let vault = call.vault
        let operation = call.operation
        if operation.isControlPlane {
            var text = "\"id\":\"\(vault.endpoint)/\",\"clientInfo\":" + JSONString.quoted(call.clientInfo)
            let host = call.application.key == "resource-graph" ? "\(vault.location).management.azure.com" : "management.azure.com"
            let extra = call.application.key == "resource-graph" ? "&MaskCMKEnabledProperties=true" : ""
            text += ",\"requestUri\":\"https://\(host)\(vault.managementPath)?api-version=2023-07-01\(extra)\""
            text += ",\"httpStatusCode\":\(statusCode(call))"
            text += ",\"properties\":{\"sku\":{\"Family\":\"A\",\"Name\":\"Standard\",\"Capacity\":null},\"tenantId\":\"\(tenantID)\""
            text += vault.hasFirewall
                ? ",\"networkAcls\":{\"bypass\":\"AzureServices\",\"defaultAction\":\"Deny\"}"
                : ",\"networkAcls\":null"
            text += ",\"enabledForDeployment\":false,\"enabledForDiskEncryption\":false,\"enabledForTemplateDeployment\":false"
            text += ",\"enableSoftDelete\":true,\"softDeleteRetentionInDays\":90"
            text += ",\"enableRbacAuthorization\":\(vault.usesRBAC),\"enablePurgeProtection\":null}"
            if case .vaultPut = operation, let granted = call.grantedObjectID {
                text += ",\"addedAccessPolicy\":{\"ObjectId\":\"\(granted)\",\"TenantId\":\"\(tenantID)\""
                text += ",\"PermissionsToKeys\":[],\"PermissionsToSecrets\":[\"get\",\"list\"],\"PermissionsToCertificates\":[]"
                text += ",\"PermissionsToStorage\":[]}"
            }
            return text
        }
        var text = ""
        if let objectID = objectID(call) { text += "\"id\":\"\(objectID)\"," }
        text += "\"clientInfo\":" + JSONString.quoted(call.clientInfo)
        text += ",\"httpStatusCode\":\(statusCode(call))"
        text += ",\"requestUri\":\"\(requestURI(call))\""
        switch call.outcome {
        case .blockedByFirewall, .challenge:
            break
        case .denied:
            text += vault.usesRBAC ? ",\"isRbacAuthorized\":false" : ",\"isAccessPolicyMatch\":false"
        case .success, .notFound:
            text += vault.usesRBAC ? ",\"isRbacAuthorized\":true" : ",\"isAccessPolicyMatch\":true"
        }
        if call.outcome == .success, case .secretGet = operation {
            text += ",\"secretProperties\":{\"attributes\":{\"enabled\":true}}"
        }
        text += ",\"tlsVersion\":\"\(call.identity.upn == nil ? "TLS1_2" : "TLS1_3")\""
        return text
    }

    /// `properties.id`: the object with its version for reads and writes, without for deletes.
    private func objectID(_ call: DemoCall) -> String? {
        let endpoint = call.vault.endpoint
        func versioned(_ collection: String, _ name: String) -> String {
            "\(endpoint)/\(collection)/\(name)/\(DemoGUID.objectVersion("\(call.vault.name)/\(collection)/\(name)"))"
        }
        switch call.operation {
        case .secretGet(let name), .secretSet(let name):
            return call.outcome == .success ? versioned("secrets", name) : "\(endpoint)/secrets/\(name)"
        case .secretDelete(let name): return "\(endpoint)/secrets/\(name)"
        case .secretPurge(let name): return "\(endpoint)/deletedsecrets/\(name)"
        case .keyGet(let name), .keySign(let name), .keyUnwrap(let name): return versioned("keys", name)
        case .certificateGet(let name): return versioned("certificates", name)
        case .secretListVersions(let name), .secretBackup(let name): return "\(endpoint)/secrets/\(name)"
        case .certificatePolicyGet(let name): return "\(endpoint)/certificates/\(name)/policy"
        case .certificateImport(let name): return call.outcome == .success ? versioned("certificates", name) : "\(endpoint)/certificates/\(name)"
        case .vaultGet, .vaultPut, .secretList, .certificateList, .keyList: return nil
        }
    }

    private func requestURI(_ call: DemoCall) -> String {
        let endpoint = call.vault.endpoint
        let version = "api-version=\(operationVersion(call))"
        let keyVersion = { (name: String) in DemoGUID.objectVersion("\(call.vault.name)/keys/\(name)") }
        switch call.operation {
        case .secretList:
            return call.application.key == "cli" || call.application.key == "portal"
                ? "\(endpoint)/secrets?\(version)&maxresults=25" : "\(endpoint)/secrets?\(version)"
        case .secretGet(let name): return "\(endpoint)/secrets/\(name)/?\(version)"
        case .secretSet(let name), .secretDelete(let name): return "\(endpoint)/secrets/\(name)?\(version)"
        case .secretPurge(let name): return "\(endpoint)/deletedsecrets/\(name)?\(version)"
        case .keyGet(let name): return "\(endpoint)/keys/\(name)/?\(version)"
        case .keySign(let name): return "\(endpoint)/keys/\(name)/\(keyVersion(name))/sign?\(version)"
        case .keyUnwrap(let name): return "\(endpoint)/keys/\(name)/\(keyVersion(name))/unwrapkey?\(version)"
        case .certificateList: return "\(endpoint)/certificates?\(version)"
        case .certificateGet(let name): return "\(endpoint)/certificates/\(name)/?\(version)"
        case .keyList: return "\(endpoint)/keys?\(version)"
        case .secretListVersions(let name): return "\(endpoint)/secrets/\(name)/versions?\(version)"
        case .certificatePolicyGet(let name): return "\(endpoint)/certificates/\(name)/policy?\(version)"
        case .secretBackup(let name): return "\(endpoint)/secrets/\(name)/backup?\(version)"
        case .certificateImport(let name): return "\(endpoint)/certificates/\(name)/import?\(version)"
        case .vaultGet, .vaultPut: return "\(endpoint)/"
        }
    }

    // MARK: Result

    private func operationVersion(_ call: DemoCall) -> String {
        if call.operation.isControlPlane { return "2023-07-01" }
        return call.application.clientInfos.first?.hasPrefix("azsdk-java") == true ? "7.3" : "7.4"
    }

    private func statusCode(_ call: DemoCall) -> Int {
        switch call.outcome {
        case .denied, .blockedByFirewall: return 403
        case .notFound: return 404
        case .challenge: return 401
        case .success:
            if case .secretPurge = call.operation { return 204 }
            return 200
        }
    }

    private func resultSignature(_ call: DemoCall) -> String {
        switch statusCode(call) {
        case 204: "No Content"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        default: "OK"
        }
    }

    private func resultDescription(_ call: DemoCall) -> String? {
        let vault = call.vault
        let caller = "appid=\(call.application.appID);oid=\(call.identity.objectID);iss=https://sts.windows.net/\(tenantID)/"
        switch call.outcome {
        case .success:
            return nil
        case .challenge:
            return "Request is missing a Bearer or PoP token."
        case .notFound:
            let name = call.operation.objectName ?? ""
            return "A secret with (name/id) \(name) was not found in this key vault. If you recently deleted this secret you may be able "
                + "to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182"
        case .blockedByFirewall:
            return "Client address is not authorized and caller is not a trusted service.\r\nClient address: \(call.address)\r\n"
                + "Caller: \(caller)\r\nVault: \(vault.name);location=\(vault.location)"
        case .denied:
            if vault.usesRBAC {
                let object = call.operation.objectName.map { "/secrets/\($0)" } ?? ""
                return "Caller is not authorized to perform action on resource.\nIf role assignments, deny assignments or role definitions "
                    + "were changed recently, please observe propagation time.\nCaller: \(caller)\nAction: '\(call.operation.dataAction)'\n"
                    + "Resource: '\(vault.managementPath.lowercased())\(object)'\nAssignment: (not found)\nDenyAssignmentId: null\n"
                    + "DecisionReason: null \nVault: \(vault.name);location=\(vault.location)"
            }
            return "The user, group or application '\(caller)' does not have \(call.operation.permissionPhrase) permission on key vault "
                + "'\(vault.name);location=\(vault.location)'. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125287"
        }
    }

    private func duration(_ call: DemoCall, random: inout SeededRandom) -> Int {
        if call.outcome == .denied || call.outcome == .blockedByFirewall || call.outcome == .challenge { return random.number(in: 2...18) }
        switch call.operation {
        case .vaultGet: return random.number(in: 9...60)
        case .vaultPut: return random.number(in: 280...900)
        case .secretList, .certificateList, .keyList, .secretListVersions: return random.number(in: 18...95)
        case .secretGet, .keyGet, .certificateGet, .certificatePolicyGet: return random.number(in: 4...45)
        case .secretBackup, .certificateImport: return random.number(in: 40...160)
        case .keySign, .keyUnwrap: return random.number(in: 12...70)
        case .secretSet, .secretDelete: return random.number(in: 35...130)
        case .secretPurge: return random.number(in: 60...320)
        }
    }
}
