/// The fields the decoder takes from a record, under every name the input shapes give them:
/// the `AuditEvent` resource log, `AzureDiagnostics` rows (flattened `identity_claim_*_g`,
/// `*_s`, `*_d` columns) and `AZKVAuditLogs` rows (PascalCase columns, dynamic `Identity`).
/// Keys match case-insensitively (`resourceId` and `resourceid` both appear in real exports).
enum RecordField: UInt8 {
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

    /// Top-level keys of a record, in all three shapes.
    static let recordKeys = RecordKeyTable([
        ("time", .time), ("timegenerated", .timeGenerated),
        ("resourceid", .resourceID), ("_resourceid", .resourceID), ("resource", .resourceName),
        ("operationname", .operationName), ("operationversion", .operationVersion),
        ("category", .category), ("resultsignature", .resultSignature),
        ("durationms", .durationMs), ("calleripaddress", .callerIPAddress),
        ("identity", .identity), ("properties", .properties), ("records", .records),
        // AzureDiagnostics flattened columns.
        ("identity_claim_oid_g", .principalID),
        ("identity_claim_http_schemas_microsoft_com_identity_claims_objectidentifier_g", .principalID),
        ("identity_claim_upn_s", .upn),
        ("identity_claim_http_schemas_xmlsoap_org_ws_2005_05_identity_claims_upn_s", .upn),
        ("identity_claim_appid_g", .appID),
        ("id_s", .objectID), ("httpstatuscode_d", .httpStatusCode), ("clientinfo_s", .clientInfo),
        ("addedaccesspolicy_objectid_g", .addedPolicyObjectID),
        // AZKVAuditLogs columns.
        ("id", .objectID), ("httpstatuscode", .httpStatusCode), ("clientinfo", .clientInfo),
        ("addedaccesspolicy", .addedAccessPolicy),
    ])

    /// Keys inside `identity`.
    static let identityKeys = RecordKeyTable([("claim", .claim)])

    /// Keys inside `identity.claim`: data-plane short names and control-plane long URIs.
    static let claimKeys = RecordKeyTable([
        ("oid", .principalID),
        ("http://schemas.microsoft.com/identity/claims/objectidentifier", .principalID),
        ("upn", .upn),
        ("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn", .upn),
        ("appid", .appID),
    ])

    /// Keys inside `properties`.
    static let propertyKeys = RecordKeyTable([
        ("id", .objectID), ("httpstatuscode", .httpStatusCode), ("clientinfo", .clientInfo),
        ("addedaccesspolicy", .addedAccessPolicy),
    ])

    /// Keys inside `addedAccessPolicy`.
    static let accessPolicyKeys = RecordKeyTable([("objectid", .addedPolicyObjectID)])
}

/// A small hash table from lowercased key bytes to a `RecordField`, looked up straight from
/// the record buffer without building a string.
struct RecordKeyTable: Sendable {
    private let keys: [[UInt8]]
    private let fields: [RecordField]
    private let slots: [Int16]  // index + 1; 0 empty
    private let mask: Int

    init(_ entries: [(String, RecordField)]) {
        var size = 16
        while size < entries.count * 4 { size *= 2 }
        var slots = [Int16](repeating: 0, count: size)
        for (index, entry) in entries.enumerated() {
            let key = Array(entry.0.utf8)
            var slot = Int(Self.hash(key.withUnsafeBytes { $0 }, 0, key.count)) & (size - 1)
            while slots[slot] != 0 { slot = (slot + 1) & (size - 1) }
            slots[slot] = Int16(index + 1)
        }
        self.keys = entries.map { Array($0.0.utf8) }
        self.fields = entries.map(\.1)
        self.slots = slots
        self.mask = size - 1
    }

    /// FNV-1a over ASCII-lowercased bytes.
    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> UInt32 {
        var hash: UInt32 = 2_166_136_261
        var index = start
        while index < end {
            var byte = bytes[index]
            if byte >= 0x41 && byte <= 0x5A { byte |= 0x20 }
            hash = (hash ^ UInt32(byte)) &* 16_777_619
            index += 1
        }
        return hash
    }

    /// The field a key names, or nil for a key the decoder does not use.
    @inline(__always)
    func field(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> RecordField? {
        var slot = Int(Self.hash(bytes, start, end)) & mask
        while true {
            let entry = Int(slots[slot])
            if entry == 0 { return nil }
            if matches(keys[entry - 1], bytes, start, end) { return fields[entry - 1] }
            slot = (slot + 1) & mask
        }
    }

    @inline(__always)
    private func matches(_ key: [UInt8], _ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Bool {
        guard key.count == end - start else { return false }
        for offset in 0..<key.count {
            var byte = bytes[start + offset]
            if byte >= 0x41 && byte <= 0x5A { byte |= 0x20 }
            if byte != key[offset] { return false }
        }
        return true
    }
}
