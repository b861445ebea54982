import VaultWatchCore

/// `AlertEvidence` as stored in the `evidence` JSON column: every field exactly (time in ticks,
/// IP as text), so an alert read back is equal to the one saved.
struct StoredEvidence: Codable {
    var time: Int64
    var vault: String?
    var operation: String?
    var outcome: UInt8
    var httpStatusCode: Int?
    var callerIP: String?
    var principalID: String?
    var upn: String?
    var appID: String?
    var objectKind: UInt8
    var objectName: String?
    var clientInfo: String?
    var source: String?

    init(_ evidence: AlertEvidence) {
        time = evidence.time.ticks
        vault = evidence.vault
        operation = evidence.operation
        outcome = evidence.outcome.rawValue
        httpStatusCode = evidence.httpStatusCode
        callerIP = evidence.callerIP?.description
        principalID = evidence.principalID
        upn = evidence.upn
        appID = evidence.appID
        objectKind = evidence.objectKind.rawValue
        objectName = evidence.objectName
        clientInfo = evidence.clientInfo
        source = evidence.source
    }

    var evidence: AlertEvidence {
        AlertEvidence(
            time: EventTime(ticks: time), vault: vault, operation: operation, outcome: Outcome(rawValue: outcome) ?? .unknown,
            httpStatusCode: httpStatusCode, callerIP: callerIP.flatMap(IPAddress.init), principalID: principalID, upn: upn,
            appID: appID, objectKind: ObjectKind(rawValue: objectKind) ?? .none, objectName: objectName,
            clientInfo: clientInfo, source: source)
    }
}
