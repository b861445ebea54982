import Testing
@testable import VaultWatchCore

/// An object id (`https://VAULT.vault.azure.net/secrets/NAME/VERSION?query`) is read separator by
/// separator, sixteen bytes at a time (`RecordDecoder.nextSeparator`): wherever its `/` and `?`
/// fall in and around the blocks, it must give the kind and name the byte-wise reading gives.
struct ObjectIDTests {
    /// The first `/` or `?` at or after the start, at every offset of two blocks and the bytes
    /// after them, with another separator behind it that must not hide it.
    @Test func nextSeparatorFindsTheFirstSlashOrQueryAtEveryOffset() {
        let plain: [UInt8] = (0..<70).map { UInt8(0x30 + $0 % 40) }.map { $0 == 0x2F || $0 == 0x3F ? 0x41 : $0 }
        for start in 0..<20 {
            plain.withUnsafeBytes { #expect(RecordDecoder.nextSeparator($0, from: start) == plain.count, "none, from \(start)") }
            for position in start..<plain.count {
                for separator: UInt8 in [0x2F, 0x3F] {
                    var text = plain
                    text[position] = separator
                    if position + 2 < text.count { text[position + 2] = 0x2F }
                    text.withUnsafeBytes { bytes in
                        let found = RecordDecoder.nextSeparator(bytes, from: start)
                        #expect(found == position, "\(separator) at \(position), from \(start): found \(found)")
                    }
                }
            }
        }
    }

    /// Ids whose host, kind and name move every separator across the blocks' edges, each also
    /// with a `?` at every position, decoded in records: the kind and name of the byte-wise reading.
    @Test func anObjectIDDecodesAsTheByteWiseReadingWhereverItsSeparatorsFall() {
        let symbols = SymbolTable()
        var decoder = RecordDecoder(symbols: symbols)
        var ids: [String] = []
        for hostLength in 1...34 {
            let host = String(repeating: "h", count: hostLength)
            for id in [
                "https://\(host)/secrets/db-password/0123456789abcdef", "https://\(host)/keys/k\(hostLength)",
                "https://\(host)/deletedcertificates/c/", "https://\(host)/", "https://\(host)", "https:/\(host)/secrets/x",
                "https://\(host)//secrets/x", "https://\(host)/storage/\(host)/sas/x",
            ] {
                ids.append(id)
                let bytes = Array(id.utf8)
                for position in 0...bytes.count {
                    var withQuery = bytes
                    withQuery.insert(0x3F, at: position)
                    ids.append(String(decoding: withQuery, as: UTF8.self))
                }
            }
        }
        for id in ids {
            let line = Array((#"{"time":"2026-04-15T10:00:00Z","operationName":"SecretGet","resourceId":"/SUBSCRIPTIONS/X/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/KV-A","properties":{"id":""#
                + id + #""}}"#).utf8) + [0x0A]
            var batch = EventBatch()
            let decoded = line.withUnsafeBytes { text -> Bool in
                (try? decoder.decodeLeadingLine(text, source: .none, sourceName: "t", line: 1, into: &batch)) != nil
            }
            let expected = Self.byteWiseReading(Array(id.utf8))
            #expect(decoded && batch.events.count == 1, "\(id)")
            guard let event = batch.events.first else { continue }
            #expect(event.objectKind == expected.kind, "\(id): kind \(event.objectKind), expected \(expected.kind)")
            #expect((symbols.string(event.objectName) ?? "") == (expected.name ?? ""), "\(id): name")
        }
    }

    /// The object id's reading as a byte loop (the decoder's until 5 December's night).
    static func byteWiseReading(_ bytes: [UInt8]) -> (kind: ObjectKind, name: String?) {
        var index = 0
        let count = bytes.count
        var slashes = 0
        while index < count, slashes < 3 {
            if bytes[index] == 0x2F { slashes += 1 }
            if bytes[index] == 0x3F { break }
            index += 1
        }
        func segment(_ index: inout Int) -> Range<Int> {
            let start = index
            while index < count, bytes[index] != 0x2F, bytes[index] != 0x3F { index += 1 }
            let range = start..<index
            if index < count, bytes[index] == 0x2F { index += 1 }
            return range
        }
        let kindRange = segment(&index)
        if kindRange.isEmpty { return (.vault, nil) }
        let kind = ObjectKind(pathSegment: String(decoding: bytes[kindRange], as: UTF8.self))
        let nameRange = segment(&index)
        return (kind, String(decoding: bytes[nameRange], as: UTF8.self))
    }
}
