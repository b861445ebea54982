import Testing
@testable import VaultWatchCore

/// `properties.id` → the object's kind and name (`RecordDecoder.decodeObjectID`), whose
/// separators are found sixteen bytes at a time: every separator must be found wherever it falls
/// in a block (first byte, last byte, the byte after a block, the bytes after the last whole
/// block), and a `?` must stop the path wherever it is.
struct ObjectIDTests {
    /// The object id read a byte at a time: after "scheme://host" (three `/`, or up to a `?`),
    /// the first segment names the kind and the second the object.
    static func expected(_ id: String) -> (kind: ObjectKind, name: String?) {
        let bytes = Array(id.utf8)
        var index = 0
        var slashes = 0
        while index < bytes.count, slashes < 3 {
            if bytes[index] == 0x2F { slashes += 1 }
            if bytes[index] == 0x3F { break }
            index += 1
        }
        func segment() -> String {
            let start = index
            while index < bytes.count, bytes[index] != 0x2F, bytes[index] != 0x3F { index += 1 }
            let text = String(decoding: bytes[start..<index], as: UTF8.self)
            if index < bytes.count, bytes[index] == 0x2F { index += 1 }
            return text
        }
        let kind = segment()
        if kind.isEmpty { return (.vault, nil) }
        return (ObjectKind(pathSegment: kind), segment())
    }

    static var ids: [String] {
        var ids: [String] = []
        let suffixes = ["", "/", "/0a1b2c3d", "/v?api-version=7.4", "?api-version=7.4/x", "/v/w/x"]
        for host in 0...36 {
            let authority = "https://" + String(repeating: "k", count: host)
            for kind in ["secrets", "keys", "deletedcertificates", "storage", "x", ""] {
                for name in [0, 1, 7, 8, 15, 16, 17, 31] {
                    for suffix in suffixes {
                        ids.append(authority + "/" + kind + "/" + String(repeating: "n", count: name) + suffix)
                    }
                }
            }
            // A query, or too few separators, inside or right after the host.
            ids += [authority + "?q=/secrets/s", authority, authority + "/", "h" + String(repeating: "/", count: host % 5)]
        }
        return ids
    }

    @Test
    func objectIDsDecodeAsReadByteByByte() {
        let symbols = SymbolTable()
        var decoder = RecordDecoder(symbols: symbols)
        for id in Self.ids {
            let line = Array((#"{"time":"2026-04-15T10:00:00Z","operationName":"SecretGet","resourceId":"/VAULTS/KV-A","properties":{"id":""#
                + id + #""}}"#).utf8) + [0x0A]
            var batch = EventBatch()
            line.withUnsafeBytes { text in _ = try? decoder.decodeLeadingLine(text, source: .none, sourceName: "t", line: 1, into: &batch) }
            let expected = Self.expected(id)
            #expect(batch.events.count == 1, "\(id)")
            guard let event = batch.events.first else { continue }
            #expect(event.objectKind == expected.kind, "\(id)")
            if let name = expected.name {
                // An empty name interns as no symbol.
                #expect((symbols.string(event.objectName) ?? "") == name, "\(id)")
            } else {
                #expect(event.objectName.isNone, "\(id)")
            }
        }
    }
}
