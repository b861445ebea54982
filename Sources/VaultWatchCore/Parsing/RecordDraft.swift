/// The fields of one record as the decoder finds them, in whatever order the keys come.
/// `RecordDecoder.finish` turns a complete draft into an `AuditEvent`.
///
/// Plain values only (no strings, no arrays): one is made, filled and dropped per record, and a
/// draft holding a reference would be retained and released with it every time.
struct RecordDraft {
    var time: EventTime?
    var timeGenerated: EventTime?
    /// A present `time` could not be read: report it instead of "no time" (its text is the
    /// decoder's `invalidTimeText`).
    var hasInvalidTime = false
    var resourceID: Symbol = .none
    var vaultFromResourceID: Symbol = .none
    var vaultFromResourceName: Symbol = .none
    var operation: Symbol = .none
    var operationVersion: Symbol = .none
    var category: Symbol = .none
    var resultSignature: Symbol = .none
    var durationMs: UInt32 = 0
    var callerIP: IPAddress?
    var principalID: Symbol = .none
    var upn: Symbol = .none
    var appID: Symbol = .none
    var objectKind: ObjectKind = .none
    var objectName: Symbol = .none
    var httpStatusCode: UInt16 = 0
    var clientInfo: Symbol = .none
    var grantedPrincipalID: Symbol = .none
    /// `correlationId`'s digest (`RecordIdentities.correlationDigest`), 0 when there is none.
    var correlation: UInt64 = 0
    /// Which of `principalID`, `upn` and `appID` were written (`RecordDecoder.Claims`' bits):
    /// what an object of claims wrote, for the decoder to give again when its bytes repeat.
    var claimsWritten: UInt8 = 0
    /// The object held a `records` array: an envelope, not a record.
    var isEnvelope = false
}
