import VaultWatchCore

/// Builds one minimal, valid Key Vault `AuditEvent` record as a JSON line, for tests.
///
/// Every field has a plausible default; set the ones a test is about. The record uses the
/// data-plane claim names (`oid`, `appid`, `upn`) and the upper-case `resourceId` that storage
/// blobs carry. `objectName` goes into `properties.id` as
/// `https://<vault>.vault.azure.net/<objectCollection>/<objectName>`, so a unique object name per
/// record lets a test recognise each event (`AuditEvent.objectName`).
///
///     var record = RecordBuilder(objectName: "s42")
///     record.httpStatusCode = 403
///     let line = record.jsonLine()   // {"time":"…",…}\n
public struct RecordBuilder: Sendable, Hashable {
    /// ISO-8601 UTC, up to 7 fractional digits as in real records.
    public var time: String
    public var vault: String
    public var subscriptionID: String
    public var resourceGroup: String
    public var operationName: String
    public var category: String
    /// `identity.claim.oid`.
    public var principalID: String
    /// `identity.claim.appid`.
    public var appID: String
    /// `identity.claim.upn`; nil for a service principal (the claim is left out).
    public var upn: String?
    public var callerIPAddress: String
    /// The path segment of `properties.id`: `secrets`, `keys`, `certificates`.
    public var objectCollection: String
    /// The last segment of `properties.id`; nil leaves `properties.id` out.
    public var objectName: String?
    public var httpStatusCode: Int
    public var correlationID: String
    /// `properties.clientInfo` (the user agent); nil leaves it out.
    public var clientInfo: String?

    public init(
        time: String = "2024-05-01T10:00:00.0000000Z", vault: String = "v1",
        subscriptionID: String = "00000000-0000-0000-0000-000000000001", resourceGroup: String = "rg-vaultwatch",
        operationName: String = "SecretGet", category: String = "AuditEvent",
        principalID: String = "11111111-1111-1111-1111-111111111111",
        appID: String = "22222222-2222-2222-2222-222222222222", upn: String? = "alice@contoso.com",
        callerIPAddress: String = "10.0.0.1", objectCollection: String = "secrets", objectName: String? = "s1",
        httpStatusCode: Int = 200, correlationID: String = "33333333-3333-3333-3333-333333333333",
        clientInfo: String? = nil
    ) {
        self.time = time
        self.vault = vault
        self.subscriptionID = subscriptionID
        self.resourceGroup = resourceGroup
        self.operationName = operationName
        self.category = category
        self.principalID = principalID
        self.appID = appID
        self.upn = upn
        self.callerIPAddress = callerIPAddress
        self.objectCollection = objectCollection
        self.objectName = objectName
        self.httpStatusCode = httpStatusCode
        self.correlationID = correlationID
        self.clientInfo = clientInfo
    }

    /// `/SUBSCRIPTIONS/…/RESOURCEGROUPS/…/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/<VAULT>`.
    public var resourceID: String {
        "/SUBSCRIPTIONS/\(subscriptionID.uppercased())/RESOURCEGROUPS/\(resourceGroup.uppercased())"
            + "/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/\(vault.uppercased())"
    }

    /// The record as one JSON object, without a newline.
    public func json() -> String {
        var claims = "\"oid\":\(Self.quoted(principalID)),\"appid\":\(Self.quoted(appID))"
        if let upn { claims += ",\"upn\":\(Self.quoted(upn))" }
        var properties = ""
        if let objectName {
            properties += "\"id\":\(Self.quoted("https://\(vault).vault.azure.net/\(objectCollection)/\(objectName)")),"
        }
        if let clientInfo { properties += "\"clientInfo\":\(Self.quoted(clientInfo))," }
        properties += "\"httpStatusCode\":\(httpStatusCode)"
        return "{\"time\":\(Self.quoted(time)),\"resourceId\":\(Self.quoted(resourceID)),"
            + "\"operationName\":\(Self.quoted(operationName)),\"operationVersion\":\"7.4\","
            + "\"category\":\(Self.quoted(category)),\"resultType\":\"Success\","
            + "\"correlationId\":\(Self.quoted(correlationID)),\"callerIpAddress\":\(Self.quoted(callerIPAddress)),"
            + "\"identity\":{\"claim\":{\(claims)}},\"properties\":{\(properties)}}"
    }

    /// The record as a JSON line: `json()` and a newline.
    public func jsonLine() -> String { json() + "\n" }

    /// A JSON string literal for `text`.
    public static func quoted(_ text: String) -> String { JSONString.quoted(text) }
}
