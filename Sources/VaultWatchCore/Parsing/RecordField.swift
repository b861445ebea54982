/// The fields the decoder takes from a record, under every name the input shapes give them:
/// the `AuditEvent` resource log, `AzureDiagnostics` rows (flattened `identity_claim_*_g`,
/// `*_s`, `*_d` columns) and `AZKVAuditLogs` rows (PascalCase columns, dynamic `Identity`).
/// Keys match case-insensitively (`resourceId` and `resourceid` both appear in real exports).
enum RecordField: UInt8, CaseIterable {
    case time
    case timeGenerated
    case resourceID
    case resourceName
    case operationName
    case operationVersion
    case category
    case resultSignature
    case durationMs
    case callerIPAddress
    case identity
    case properties
    case records
    // Identity claims, nested (`identity.claim.*`) or flattened (AzureDiagnostics).
    case claim
    case principalID
    case upn
    case appID
    // Properties, nested (`properties.*`), flattened (AzureDiagnostics `*_s`) or top-level (AZKVAuditLogs).
    case objectID
    case httpStatusCode
    case clientInfo
    case addedAccessPolicy
    case addedPolicyObjectID
    /// `correlationId` (top-level in all three shapes): read as a digest of its bytes, never
    /// interned (each request has its own), for recognising a record read twice (`RecordIdentities`).
    case correlationID

    /// The field whose raw value is `rawValue`, nil for any other byte (`MemberPredictor`
    /// remembers keys the decoder skips as 0xFF). Called for every predicted member: the
    /// synthesized `init(rawValue:)` is a switch over every case, and a table in a `static let`
    /// costs a call to `swift_once` on each use (1.3% of `detect`). The raw values are the
    /// cases' indices in declaration order (0, 1, 2, …, none given explicitly), which is how a
    /// case without a payload is stored, so the byte is the case; `RecordFieldTests` checks
    /// every byte against `init(rawValue:)`.
    @inline(__always)
    static func withRawValue(_ rawValue: UInt8) -> RecordField? {
        rawValue < caseCount ? unsafeBitCast(rawValue, to: RecordField.self) : nil
    }

    /// How many cases there are (`allCases.count`, as a constant).
    static var caseCount: UInt8 { 23 }

    /// Every key the decoder reads, by the object it appears in.
    static let keyTable = RecordKeyTable([
        // Top-level keys of a record, in all three shapes.
        (.record, "time", .time), (.record, "timegenerated", .timeGenerated),
        (.record, "resourceid", .resourceID), (.record, "_resourceid", .resourceID), (.record, "resource", .resourceName),
        (.record, "operationname", .operationName), (.record, "operationversion", .operationVersion),
        (.record, "category", .category), (.record, "resultsignature", .resultSignature),
        (.record, "durationms", .durationMs), (.record, "calleripaddress", .callerIPAddress),
        (.record, "identity", .identity), (.record, "properties", .properties), (.record, "records", .records),
        (.record, "correlationid", .correlationID),
        // AzureDiagnostics flattened columns.
        (.record, "identity_claim_oid_g", .principalID),
        (.record, "identity_claim_http_schemas_microsoft_com_identity_claims_objectidentifier_g", .principalID),
        (.record, "identity_claim_upn_s", .upn),
        (.record, "identity_claim_http_schemas_xmlsoap_org_ws_2005_05_identity_claims_upn_s", .upn),
        (.record, "identity_claim_appid_g", .appID),
        (.record, "id_s", .objectID), (.record, "httpstatuscode_d", .httpStatusCode), (.record, "clientinfo_s", .clientInfo),
        (.record, "addedaccesspolicy_objectid_g", .addedPolicyObjectID),
        // AZKVAuditLogs columns.
        (.record, "id", .objectID), (.record, "httpstatuscode", .httpStatusCode), (.record, "clientinfo", .clientInfo),
        (.record, "addedaccesspolicy", .addedAccessPolicy),
        // Inside `identity`.
        (.identity, "claim", .claim),
        // Inside `identity.claim`: data-plane short names and control-plane long URIs.
        (.claim, "oid", .principalID),
        (.claim, "http://schemas.microsoft.com/identity/claims/objectidentifier", .principalID),
        (.claim, "upn", .upn),
        (.claim, "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn", .upn),
        (.claim, "appid", .appID),
        // Inside `properties`.
        (.properties, "id", .objectID), (.properties, "httpstatuscode", .httpStatusCode),
        (.properties, "clientinfo", .clientInfo), (.properties, "addedaccesspolicy", .addedAccessPolicy),
        // Inside `addedAccessPolicy`.
        (.accessPolicy, "objectid", .addedPolicyObjectID),
    ])
}

/// The object a key appears in: the same key means different things in different places.
enum KeyContext: UInt8 {
    case record
    case identity
    case claim
    case properties
    case accessPolicy
}

/// A hash table from (context, lowercased key) to a `RecordField`, looked up straight from
/// the record buffer without building a string.
///
/// The hash reads only the length and three bytes of the key: O(1) whatever the key's
/// length (claim URIs are 60 bytes), and distinct enough for the ~40 keys the table holds;
/// a hit is confirmed by comparing the whole key.
struct RecordKeyTable: Sendable {
    private let arena: [UInt8]
    private let starts: [Int32]
    private let lengths: [Int32]
    private let contexts: [KeyContext]
    private let fields: [RecordField]
    private let slots: [Int16]  // index + 1; 0 empty
    private let mask: Int

    init(_ entries: [(KeyContext, String, RecordField)]) {
        var size = 64
        while size < entries.count * 8 { size *= 2 }
        var arena: [UInt8] = []
        var starts: [Int32] = []
        var lengths: [Int32] = []
        var slots = [Int16](repeating: 0, count: size)
        for (index, entry) in entries.enumerated() {
            let key = Array(entry.1.utf8)
            starts.append(Int32(arena.count))
            lengths.append(Int32(key.count))
            arena += key.map { $0 | 0x20 }  // see `matches`
            var slot = key.withUnsafeBytes { Self.hash(entry.0, $0, 0, key.count) } & (size - 1)
            while slots[slot] != 0 { slot = (slot + 1) & (size - 1) }
            slots[slot] = Int16(index + 1)
        }
        self.arena = arena
        self.starts = starts
        self.lengths = lengths
        self.contexts = entries.map(\.0)
        self.fields = entries.map(\.2)
        self.slots = slots
        self.mask = size - 1
    }

    @inline(__always)
    private static func folded(_ byte: UInt8) -> Int {
        Int(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
    }

    @inline(__always)
    static func hash(_ context: KeyContext, _ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Int {
        let length = end - start
        guard length > 0 else { return Int(context.rawValue) }
        let first = folded(bytes[start])
        let middle = folded(bytes[start + length / 2])
        let last = folded(bytes[end - 1])
        return (length &* 0x9E37 ^ first &* 0x2F1 ^ middle &* 0x1D ^ last &* 0x6B3 ^ Int(context.rawValue) &* 0x3C6EF) >> 2
    }

    /// The field a key names in `context`, or nil for a key the decoder does not use.
    @inline(__always)
    func field(_ context: KeyContext, _ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> RecordField? {
        var slot = Self.hash(context, bytes, start, end) & mask
        while true {
            let entry = Int(slots[slot])
            if entry == 0 { return nil }
            let index = entry - 1
            if contexts[index] == context, matches(index, bytes, start, end) { return fields[index] }
            slot = (slot + 1) & mask
        }
    }

    /// Case-insensitive comparison, eight bytes at a time: both sides have 0x20 set in every
    /// byte, which folds ASCII letters (and also equates `_` with DEL, `@` with `` ` `` and a
    /// few more pairs that no real key tells apart by).
    @inline(__always)
    private func matches(_ index: Int, _ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Bool {
        let length = Int(lengths[index])
        guard length == end - start else { return false }
        let keyStart = Int(starts[index])
        let fold: UInt64 = 0x2020_2020_2020_2020
        return arena.withUnsafeBytes { key in
            if length < 8 {
                for offset in 0..<length where bytes[start + offset] | 0x20 != key[keyStart + offset] {
                    return false
                }
                return true
            }
            var offset = 0
            while offset + 8 <= length {
                let word = bytes.loadUnaligned(fromByteOffset: start + offset, as: UInt64.self) | fold
                if word != key.loadUnaligned(fromByteOffset: keyStart + offset, as: UInt64.self) { return false }
                offset += 8
            }
            if offset < length {
                let last = length - 8
                let word = bytes.loadUnaligned(fromByteOffset: start + last, as: UInt64.self) | fold
                if word != key.loadUnaligned(fromByteOffset: keyStart + last, as: UInt64.self) { return false }
            }
            return true
        }
    }
}
