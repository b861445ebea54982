/// Realistic ~1 KB Key Vault `AuditEvent` records for measuring throughput: both claim
/// styles, several vaults, principals and operations, the nested fields and arrays real
/// records carry. Deterministic for a given seed.
struct SyntheticLog {
    var vaultCount = 50
    var principalCount = 2_000
    var seed: UInt64 = 42

    private static func guid(_ value: Int, _ salt: Int) -> String {
        let hex = String(UInt64(value &* 2_654_435_761 &+ salt * 97), radix: 16)
        let padded = String(repeating: "0", count: max(0, 12 - hex.count)) + hex
        return "\(String(format: "%08x", salt))-5d1c-4b7e-9f2a-\(padded.suffix(12))"
    }

    /// `count` records, one per line, in time order.
    func jsonLines(count: Int) -> [UInt8] {
        var random = SeededRandom(seed: seed)
        var output: [UInt8] = []
        output.reserveCapacity(count * 1100)
        let operations = ["SecretGet", "SecretGet", "SecretGet", "SecretList", "KeyGet", "KeySign", "KeyDecrypt", "VaultGet", "CertificateGet"]
        let start: Int64 = 1_772_352_000  // 2026-03-01T08:00:00Z
        for index in 0..<count {
            let vault = "kv-\(random.below(vaultCount))-prod"
            let principal = random.below(principalCount)
            let isUser = principal % 3 == 0
            let operation = operations[random.below(operations.count)]
            let seconds = start + Int64(index / 20)
            let fraction = random.below(10_000_000)
            let status = random.below(50) == 0 ? 403 : 200
            let time = Self.time(seconds, fraction)
            let ip = "\(20 + principal % 200).\(principal % 251).\(random.below(256)).\(random.below(256))"
            let claim: String
            if isUser {
                claim = #""oid":"\#(Self.guid(principal, 7))","appid":"04b07795-8ddb-461a-bbee-02f9e1bf7b46","scp":"user_impersonation","appidacr":"0","xms_az_nwperimid":[],"upn":"user\#(principal)@contoso.example","ipaddr":"\#(ip)","unique_name":"user\#(principal)@contoso.example","amr":"pwd""#
            } else {
                claim = #""http://schemas.microsoft.com/identity/claims/objectidentifier":"\#(Self.guid(principal, 7))","appid":"\#(Self.guid(principal, 11))","appidacr":"2","xms_az_nwperimid":[],"idtyp":"app""#
            }
            let object = operation.hasPrefix("Secret") ? "secrets/app-secret-\(random.below(40))" : operation.hasPrefix("Key") ? "keys/signing-key-\(random.below(8))" : operation.hasPrefix("Cert") ? "certificates/tls-\(random.below(5))" : ""
            let objectID = "https://\(vault).vault.azure.net/\(object)\(object.isEmpty ? "" : "/0f1e2d3c4b5a69788796a5b4c3d2e1f0")"
            let line = #"{"time":"\#(time)","category":"AuditEvent","operationName":"\#(operation)","resultType":"Success","correlationId":"\#(Self.guid(index, 3))","callerIpAddress":"\#(ip)","identity":{"claim":{\#(claim)}},"properties":{"id":"\#(objectID)","clientInfo":"azsdk-net-Security.KeyVault.Secrets/4.6.0 (.NET 8.0.4; Linux)","httpStatusCode":\#(status),"requestUri":"\#(objectID)?api-version=7.4","isAccessPolicyMatch":true,"isRbacAuthorized":false,"tlsVersion":"TLS1_2"},"resourceId":"/SUBSCRIPTIONS/0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0/RESOURCEGROUPS/SECURITY-RG/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/\#(vault.uppercased())","operationVersion":"7.4","resultSignature":"\#(status == 200 ? "OK" : "Forbidden")","durationMs":"\#(random.below(300))"}"#
            output.append(contentsOf: line.utf8)
            output.append(0x0A)
        }
        return output
    }

    private static func time(_ seconds: Int64, _ fraction: Int) -> String {
        let days = seconds / 86_400
        let secondOfDay = Int(seconds % 86_400)
        let day = 1 + Int(days - 20_513)  // days since 2026-03-01
        return String(format: "2026-03-%02dT%02d:%02d:%02d.%07dZ", day, secondOfDay / 3600, secondOfDay / 60 % 60, secondOfDay % 60, fraction)
    }
}

import Foundation
import VaultWatchCore
