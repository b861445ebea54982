import Foundation
import Testing
@testable import VaultWatchCore

/// The decoder predicts a record's members (`MemberPredictor`: each key, and the value after it
/// with what it decoded to) from the records before it. A prediction may only save work: a
/// decoder that has read other records must accept, reject and decode every text exactly as a
/// fresh one does, however little the text differs from what it learned.
struct DecoderPredictionTests {
    /// A record as one serializer writes them, with skipped values of every kind (strings,
    /// numbers that end at the delimiter, literals, nested objects, arrays) around the fields the
    /// decoder reads.
    static let template = #"{"time":"2026-04-15T10:00:00.1234567Z","category":"AuditEvent","operationName":"SecretGet","resultType":"Success","n":123,"flag":true,"nested":{"attributes":{"enabled":true}},"list":[],"identity":{"claim":{"oid":"8c1e6f1e-8f0b-4f4e-9d6f-0a3b1c2d3e4f","appidacr":"2","tid":"b28fd05c-ba2f-490d-87ff-06970145da83","idtyp":"app"}},"properties":{"id":"https://kv-a.vault.azure.net/secrets/s1/0a","httpStatusCode":200,"isAccessPolicyMatch":true,"secretProperties":{"attributes":{"enabled":true}},"tlsVersion":"TLS1_2"},"resourceId":"/SUBSCRIPTIONS/X/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/KV-A","durationMs":"12"}"#

    /// Bytes a change puts in: structure, quotes and escapes, digits that lengthen a number,
    /// whitespace (a newline ends a JSON line), a control byte, a bad UTF-8 byte.
    static let replacements: [UInt8] = Array(#"{}[]":,\ 0 9 e . - t"#.utf8) + [0x0A, 0x09, 0x01, 0xFF]

    /// Decodes each line with `warm` (which keeps its predictions from line to line) and with a
    /// fresh decoder, expects the same result, and returns how many lines were accepted.
    static func decodeAsAFreshDecoderDoes(_ lines: [[UInt8]], warm: inout RecordDecoder, symbols: SymbolTable) -> Int {
        var accepted = 0
        for (index, line) in lines.enumerated() {
            let freshSymbols = SymbolTable()
            var fresh = RecordDecoder(symbols: freshSymbols)
            let expected = decode(line, with: &fresh, symbols: freshSymbols)
            let got = decode(line, with: &warm, symbols: symbols)
            #expect(got == expected, "record \(index): \(String(decoding: line, as: UTF8.self))")
            if expected != nil { accepted += 1 }
        }
        return accepted
    }

    /// What decoding one line gave: nil when the text was rejected, else its events and problems
    /// as text (symbols of two decoders are compared by their strings).
    static func decode(_ line: [UInt8], with decoder: inout RecordDecoder, symbols: SymbolTable) -> [String]? {
        var batch = EventBatch()
        let accepted = (line + [0x0A]).withUnsafeBytes { text -> Bool in
            do throws(JSONSyntaxError) {
                _ = try decoder.decodeLeadingLine(text, source: .none, sourceName: "t", line: 1, into: &batch)
                return true
            } catch {
                return false
            }
        }
        guard accepted else { return nil }
        return batch.events.map { EventFields($0, symbols).description + " \($0.durationMs) \($0.clientInfo.isNone)" }
            + batch.problems.map(\.description)
    }

    @Test(arguments: [21, 22, 23, 24])
    func aDecoderThatLearnedOtherRecordsDecodesEveryTextAsAFreshOne(seed: UInt64) {
        var random = SeededRandom(seed: seed)
        let template = Array(Self.template.utf8)
        let warmSymbols = SymbolTable()
        var warm = RecordDecoder(symbols: warmSymbols)
        var accepted = 0
        var rejected = 0
        for round in 0..<3_000 {
            // Every few texts the record itself, so the predictions are those of its layout.
            var line = template
            if round % 3 != 0 {
                for _ in 0..<Int.random(in: 1...2, using: &random) {
                    let position = Int.random(in: 0..<line.count, using: &random)
                    switch Int.random(in: 0..<3, using: &random) {
                    case 0: line[position] = Self.replacements.randomElement(using: &random)!
                    case 1: line.insert(Self.replacements.randomElement(using: &random)!, at: position)
                    default: line.remove(at: position)
                    }
                }
            }
            let freshSymbols = SymbolTable()
            var fresh = RecordDecoder(symbols: freshSymbols)
            let expected = Self.decode(line, with: &fresh, symbols: freshSymbols)
            let got = Self.decode(line, with: &warm, symbols: warmSymbols)
            #expect(got == expected, "\(String(decoding: line, as: UTF8.self))")
            if expected == nil { rejected += 1 } else { accepted += 1 }
        }
        // Both kinds were met, many times: the comparison covered changes that break the
        // record and changes it survives.
        #expect(accepted > 500 && rejected > 500, "accepted \(accepted), rejected \(rejected)")
    }

    /// A record whose fields take the given values (the rest as every record has them).
    static func record(address: String, agent: String, object: String, principal: String, resourceID: String) -> [UInt8] {
        Array((#"{"time":"2026-04-15T10:00:00Z","category":"AuditEvent","operationName":"SecretGet","callerIpAddress":""#
            + address + #"","identity":{"claim":{"oid":""# + principal + #"","upn":"ann@contoso.com"}},"properties":{"clientInfo":""#
            + agent + #"","id":""# + object + #"","httpStatusCode":200},"resourceId":""# + resourceID + #""}"#).utf8)
    }

    /// A value equal to the same member's in the last record takes what that one decoded to
    /// (`MemberPredictor`): the same as decoding it, when it repeats, changes and comes back,
    /// comes back escaped or with a letter's case changed, grows past the remembered bytes, or
    /// names a transient string the table has forgotten since (capacity 2 here: new user agents,
    /// read before the object in each record, push the object's name out while it repeats).
    @Test
    func aValueRepeatingTheLastRecordsDecodesAsAFreshDecoderDecodesIt() {
        let symbols = SymbolTable(transientCapacity: 2)
        var warm = RecordDecoder(symbols: symbols)
        let vault = "/SUBSCRIPTIONS/X/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/KV-A"
        let object = "https://kv-a.vault.azure.net/secrets/s1/0a"
        let principal = "8c1e6f1e-8f0b-4f4e-9d6f-0a3b1c2d3e4f"
        let long = String(repeating: "a", count: MemberPredictor<Int>.memberCapacity + 1)
        let records = [
            Self.record(address: "10.0.0.1", agent: "agent-1", object: object, principal: principal, resourceID: vault),
            Self.record(address: "10.0.0.1", agent: "agent-1", object: object, principal: principal, resourceID: vault),
            Self.record(address: "10.0.0.2", agent: "agent-2", object: object, principal: principal.uppercased(), resourceID: vault + "/"),
            Self.record(address: "10.0.0.2", agent: "agent-3", object: object, principal: principal, resourceID: vault.lowercased()),
            Self.record(address: "10.0.0.1", agent: "agent-4", object: object, principal: principal, resourceID: vault),
            Self.record(address: "10.0.0.1", agent: "agent-4", object: #"https:\/\/kv-a.vault.azure.net\/secrets\/s1"#, principal: principal, resourceID: vault),
            Self.record(address: "10.0.0.1", agent: long, object: object + "?x", principal: principal + "0", resourceID: vault),
            Self.record(address: "10.0.0.1", agent: long, object: "https://kv-a.vault.azure.net", principal: principal, resourceID: vault),
            Self.record(address: "not an address", agent: long + "b", object: "https://kv-a.vault.azure.net", principal: "", resourceID: "/"),
            Self.record(address: "not an address", agent: long + "b", object: object, principal: "", resourceID: "/"),
        ]
        for (index, line) in records.enumerated() {
            let freshSymbols = SymbolTable(transientCapacity: 2)
            var fresh = RecordDecoder(symbols: freshSymbols)
            let expected = Self.decode(line, with: &fresh, symbols: freshSymbols)
            let got = Self.decode(line, with: &warm, symbols: symbols)
            #expect(expected != nil)
            #expect(got == expected, "record \(index): \(String(decoding: line, as: UTF8.self))")
        }
        // The object's name was forgotten (three agents after it) and read again, not given as
        // a symbol that names nothing.
        var batch = EventBatch()
        (records[4] + [0x0A]).withUnsafeBytes { text in _ = try? warm.decodeLeadingLine(text, source: .none, sourceName: "t", line: 1, into: &batch) }
        #expect(batch.events.first.flatMap { symbols.string($0.objectName) } == "s1")
        #expect(batch.events.first.flatMap { symbols.string($0.resourceID) } == vault)
    }

    /// Records of one source that change shape: the decoder meets keys other than the ones it
    /// predicts at each position, and must read each record as a fresh decoder does. The cases are
    /// the edges of a predicted key: another shape and back (an application's claims, a user's,
    /// the long claim URIs), a key that is only the start of the predicted one or that the
    /// predicted one starts (`appid` / `appidacr`, `id` / `idtyp`), members in another order, a
    /// key written twice (the last one counts), blanks around a predicted key or its colon, a
    /// key cut at the end of the text.
    @Test
    func recordsThatChangeShapeDecodeAsAFreshDecoderDecodesThem() {
        let time = #""time":"2026-04-15T10:00:00Z""#
        let vault = #""resourceId":"/SUBSCRIPTIONS/X/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/KV-A""#
        let operation = #""operationName":"SecretGet""#
        let application = #""identity":{"claim":{"oid":"p-1","appid":"app-1","appidacr":"2","idtyp":"app"}}"#
        let user = #""identity":{"claim":{"oid":"p-2","upn":"ann@contoso.com","appid":"app-2"}}"#
        let longClaims = #""identity":{"claim":{"http://schemas.microsoft.com/identity/claims/objectidentifier":"p-3","#
            + #""http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn":"bob@contoso.com","appid":"app-3"}}"#
        let properties = #""properties":{"id":"https://kv-a.vault.azure.net/secrets/s1/0a","httpStatusCode":200,"tlsVersion":"TLS1_2"}"#
        func record(_ members: String...) -> [UInt8] { Array(("{" + members.joined(separator: ",") + "}").utf8) }
        let lines: [[UInt8]] = [
            record(time, operation, application, properties, vault),
            record(time, operation, application, properties, vault),
            record(time, operation, user, properties, vault),
            record(time, operation, longClaims, properties, vault),
            record(time, operation, application, properties, vault),
            // `appidacr` where `appid` was, `appid` where `appidacr` was; `idtyp` where `id` is read.
            record(time, operation, #""identity":{"claim":{"oid":"p-1","appidacr":"2","appid":"app-9","idtyp":"app"}}"#, properties, vault),
            record(time, operation, #""identity":{"claim":{"oid":"p-1","appid":"app-1","appid":"app-8"}}"#, properties, vault),
            record(time, operation, application, #""properties":{"idtyp":"x","id":"https://kv-a.vault.azure.net/keys/k1","httpStatusCode":403}"#, vault),
            record(time, operation, application, #""properties":{"i":"x","idd":"y","httpStatusCode":404}"#, vault),
            // Members in another order, then back.
            record(vault, properties, application, operation, time),
            record(time, operation, application, properties, vault),
            // A key written twice: the last value counts, whichever position predicted it.
            record(time, operation, #""operationName":"SecretList""#, application, properties, vault),
            record(time, #""operationName":"SecretList""#, operation, application, properties, vault),
            // Blanks around a predicted key and before its colon; a key escaped.
            record(time, " " + operation + " ", #""identity" :{"claim":{ "oid" : "p-1" ,"appid":"app-1"}}"#, properties, vault),
            record(time, #""operation\u004eame":"SecretSet""#, application, properties, vault),
            record(time, operation, application, properties, vault),
            // A key that stops where the predicted one would go on, at the end of the text.
            Array(#"{"time":"2026-04-15T10:00:00Z","operationNa"#.utf8),
            Array(#"{"time":"2026-04-15T10:00:00Z","operationName""#.utf8),
            Array(#"{"time":"2026-04-15T10:00:00Z","operationName":"#.utf8),
            record(time, operation, application, properties, vault),
        ]
        let symbols = SymbolTable()
        var warm = RecordDecoder(symbols: symbols)
        let accepted = Self.decodeAsAFreshDecoderDoes(lines, warm: &warm, symbols: symbols)
        #expect(accepted == lines.count - 3)
        // What the shapes decode to, in the warm decoder: the claims of each shape, the last of
        // a key written twice, the operation of the escaped key.
        var batch = EventBatch()
        for line in [lines[3], lines[6], lines[11], lines[12], lines[14]] {
            (line + [0x0A]).withUnsafeBytes { text in _ = try? warm.decodeLeadingLine(text, source: .none, sourceName: "t", line: 1, into: &batch) }
        }
        let events = batch.events.map { EventFields($0, symbols) }
        #expect(events.map(\.principalID) == ["p-3", "p-1", "p-1", "p-1", "p-1"])
        #expect(events.map(\.upn) == ["bob@contoso.com", nil, nil, nil, nil])
        #expect(events.map(\.appID) == ["app-3", "app-8", "app-1", "app-1", "app-1"])
        #expect(events.map(\.operation) == ["SecretGet", "SecretGet", "SecretList", "SecretGet", "SecretSet"])
    }

    @Test
    func aSkippedValueThatGrowsPastItsDelimiterIsScannedAgain() {
        let symbols = SymbolTable()
        var decoder = RecordDecoder(symbols: symbols)
        let first = Array(Self.template.utf8)
        #expect(Self.decode(first, with: &decoder, symbols: symbols) != nil)
        // The same bytes as the remembered `"n":123,` up to the delimiter, then more of the number
        // (valid) or a byte no number may hold (invalid): the prediction must not stop early.
        let longer = Array(Self.template.replacingOccurrences(of: #""n":123,"#, with: #""n":1234,"#).utf8)
        #expect(Self.decode(longer, with: &decoder, symbols: symbols) != nil)
        let broken = Array(Self.template.replacingOccurrences(of: #""n":123,"#, with: #""n":123x,"#).utf8)
        #expect(Self.decode(broken, with: &decoder, symbols: symbols) == nil)
        let unclosed = Array(Self.template.replacingOccurrences(of: #""tlsVersion":"TLS1_2"}"#, with: #""tlsVersion":"TLS1_2}"#).utf8)
        #expect(Self.decode(unclosed, with: &decoder, symbols: symbols) == nil)
        #expect(Self.decode(first, with: &decoder, symbols: symbols) != nil)
    }

    /// The edges of a predicted member (key, value and delimiter in one comparison, the decoded
    /// value given again): for every kind of value the decoder reads, a value that only starts
    /// like the remembered one or that the remembered one starts, the same key with another
    /// value, the same value with the other delimiter (the member moved to the end of its
    /// object), a member that moves to another position, escapes inside a repeated value (and
    /// the same value unescaped), a value of another kind, and records that end inside a
    /// remembered member. A decoder that has read the records before must read each as a fresh
    /// one does.
    @Test
    func membersThatRepeatOnlyInPartDecodeAsAFreshDecoderDecodesThem() {
        let base: [(String, String)] = [
            ("time", #""2026-04-15T10:00:00Z""#), ("category", #""AuditEvent""#), ("operationName", #""SecretGet""#),
            ("callerIpAddress", #""10.0.0.1""#), ("resultSignature", #""OK""#), ("durationMs", #""12""#),
            ("identity", #"{"claim":{"oid":"p-1","appid":"app-1","upn":"ann@contoso.com"}}"#),
            ("properties", #"{"id":"https://kv-a.vault.azure.net/secrets/s1/0a","clientInfo":"agent-1","httpStatusCode":200}"#),
            ("operationVersion", #""7.4""#), ("resourceId", #""/SUBSCRIPTIONS/X/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/KV-A""#),
        ]
        func record(_ members: [(String, String)]) -> [UInt8] {
            Array(("{" + members.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}").utf8)
        }
        func replacing(_ key: String, with value: String) -> [(String, String)] {
            base.map { $0.0 == key ? ($0.0, value) : $0 }
        }
        var lines: [[UInt8]] = [record(base), record(base)]
        // Each top-level value: longer, shorter, another, escaped (twice: the escaped bytes are
        // remembered too), another kind, then the record as before.
        let variants: [(String, [String])] = [
            ("time", [#""2026-04-15T10:00:00Z0""#, #""2026-04-15T10:00:0Z""#, #""2026-04-15T11:00:00Z""#, #""2026-04-15T10:00:00\u005A""#, #""2026-04-15T10:00:00\u005A""#, "5", "null"]),
            ("category", [#""AuditEventX""#, #""Audit""#, #""AuditLogs""#, #""Audit\u0045vent""#, #""Audit\u0045vent""#, "1"]),
            ("operationName", [#""SecretGetVersions""#, #""Secret""#, #""SecretSet""#, #""Secret\u0047et""#, #""Secret\u0047et""#, #""Secret\"Get""#, "7", "[]"]),
            ("callerIpAddress", [#""10.0.0.10""#, #""10.0.0.""#, #""10.0.0.2""#, #""10.0.0.\u0031""#, #""10.0.0.\u0031""#, "{}"]),
            ("resultSignature", [#""OKAY""#, #""O""#, #""Forbidden""#, #""\u004fK""#, #""\u004fK""#, "true"]),
            ("durationMs", [#""123""#, #""1""#, #""13""#, "12", "12", "120", "1.5", "-3", #""1\u0032""#]),
            ("operationVersion", [#""7.40""#, #""7.""#, #""2016-10-01""#, #""7\u002e4""#, #""7\u002e4""#, "7.4"]),
            ("resourceId", [#""/SUBSCRIPTIONS/X/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/KV-AB""#, #""/SUBSCRIPTIONS/X/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/KV-""#,
                            #""/subscriptions/x/providers/microsoft.keyvault/vaults/kv-a""#, #""\/SUBSCRIPTIONS\/X\/PROVIDERS\/MICROSOFT.KEYVAULT\/VAULTS\/KV-A""#,
                            #""\/SUBSCRIPTIONS\/X\/PROVIDERS\/MICROSOFT.KEYVAULT\/VAULTS\/KV-A""#, "0"]),
            ("identity", [#"{"claim":{"oid":"p-10","appid":"app-1","upn":"ann@contoso.com"}}"#, #"{"claim":{"oid":"p-","appid":"app-1","upn":"ann@contoso.com"}}"#,
                          #"{"claim":{"oid":"p-1","appid":"app-1","upn":"ann@contoso.comx"}}"#, #"{"claim":{"oid":"p-1","appid":"app-1"}}"#,
                          #"{"claim":{"oid":"p\u002d1","appid":"app-1","upn":"ann@contoso.com"}}"#, #"{"claim":{"oid":"p\u002d1","appid":"app-1","upn":"ann@contoso.com"}}"#,
                          #"{"claim":{"appid":"app-1","oid":"p-1","upn":"ann@contoso.com"}}"#, #"{"claim":{"oid":"p-1","upn":"ann@contoso.com","appid":"app-1"}}"#,
                          #"{"claim":{"oid":1,"appid":"app-1","upn":"ann@contoso.com"}}"#]),
            ("properties", [#"{"id":"https://kv-a.vault.azure.net/secrets/s1/0a","clientInfo":"agent-1","httpStatusCode":2000}"#,
                            #"{"id":"https://kv-a.vault.azure.net/secrets/s1/0a","clientInfo":"agent-1","httpStatusCode":20}"#,
                            #"{"id":"https://kv-a.vault.azure.net/secrets/s1/0a","clientInfo":"agent-1","httpStatusCode":200,"x":1}"#,
                            #"{"id":"https://kv-a.vault.azure.net/secrets/s1/0a","httpStatusCode":200,"clientInfo":"agent-1"}"#,
                            #"{"id":"https://kv-a.vault.azure.net/secrets/s10/0a","clientInfo":"agent-10","httpStatusCode":403}"#,
                            #"{"id":"https://kv-a.vault.azure.net/keys/s1","clientInfo":"agent-","httpStatusCode":"200"}"#,
                            #"{"id":"https:\/\/kv-a.vault.azure.net\/secrets\/s1\/0a","clientInfo":"agent\u002d1","httpStatusCode":200}"#,
                            #"{"id":"https:\/\/kv-a.vault.azure.net\/secrets\/s1\/0a","clientInfo":"agent\u002d1","httpStatusCode":200}"#,
                            #"{"id":"https://kv-a.vault.azure.net/secrets/s1/0a","clientInfo":"agent-1","httpStatusCode":200 }"#]),
        ]
        for (key, values) in variants {
            for value in values { lines.append(record(replacing(key, with: value))) }
            lines.append(record(base))
        }
        // The same value with the other delimiter: the member moved to the end of the record, and back.
        var moved = base
        moved.append(moved.remove(at: 2))
        lines += [record(moved), record(moved), record(base), record(Array(base.reversed())), record(base)]
        // A record that ends inside a remembered member, or right after its value.
        let whole = record(base)
        let operation = String(decoding: whole, as: UTF8.self).range(of: #""operationName":"SecretGet","#)!
        let cut = String(decoding: whole, as: UTF8.self).distance(from: String(decoding: whole, as: UTF8.self).startIndex, to: operation.upperBound)
        for end in (cut - 14)...cut { lines.append(Array(whole[..<end])) }
        lines.append(whole)
        let symbols = SymbolTable()
        var warm = RecordDecoder(symbols: symbols)
        let accepted = Self.decodeAsAFreshDecoderDoes(lines, warm: &warm, symbols: symbols)
        // Only the cut records are rejected.
        #expect(accepted == lines.count - 15)
    }

    /// An `identity` (or `claim`) object that repeats the last record's gives again the claims it
    /// wrote (`RecordDecoder.Claims`), only those: a claim it does not hold keeps what the record
    /// wrote before it (the flattened columns of a row), a `null` it holds clears it, a claim
    /// object written twice inside gives both, and an identity written as a string of JSON
    /// repeats as well. Each record decodes as a fresh decoder decodes it.
    @Test
    func anObjectOfClaimsRepeatingTheLastRecordsGivesOnlyTheClaimsItWrote() {
        let time = #""time":"2026-04-15T10:00:00Z""#
        let vault = #""resourceId":"/SUBSCRIPTIONS/X/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/KV-A""#
        let operation = #""operationName":"SecretGet""#
        let flatUPN = #""identity_claim_upn_s":"flat@contoso.com""#
        let flatApp = #""identity_claim_appid_g":"flat-app""#
        let noUPN = #""identity":{"claim":{"oid":"p-1","appid":"app-1"}}"#
        let nullUPN = #""identity":{"claim":{"oid":"p-1","upn":null}}"#
        let twice = #""identity":{"claim":{"oid":"p-2"},"claim":{"appid":"app-2"}}"#
        let asText = #""identity":"{\"claim\":{\"oid\":\"p-3\",\"upn\":\"ann@contoso.com\"}}""#
        func record(_ members: String...) -> [UInt8] { Array(("{" + members.joined(separator: ",") + "}").utf8) }
        let lines: [[UInt8]] = [
            record(time, operation, noUPN, vault),
            record(time, operation, noUPN, vault),
            record(time, operation, flatUPN, noUPN, vault),
            record(time, operation, flatUPN, noUPN, vault),
            record(time, operation, noUPN, vault),
            record(time, operation, flatUPN, flatApp, nullUPN, vault),
            record(time, operation, flatUPN, flatApp, nullUPN, vault),
            record(time, operation, flatApp, twice, vault),
            record(time, operation, flatUPN, twice, vault),
            record(time, operation, twice, vault),
            record(time, operation, flatUPN, asText, vault),
            record(time, operation, flatApp, asText, vault),
        ]
        let symbols = SymbolTable()
        var warm = RecordDecoder(symbols: symbols)
        #expect(Self.decodeAsAFreshDecoderDoes(lines, warm: &warm, symbols: symbols) == lines.count)
        var batch = EventBatch()
        for line in lines {
            (line + [0x0A]).withUnsafeBytes { text in _ = try? warm.decodeLeadingLine(text, source: .none, sourceName: "t", line: 1, into: &batch) }
        }
        let events = batch.events.map { EventFields($0, symbols) }
        #expect(events.map(\.principalID) == ["p-1", "p-1", "p-1", "p-1", "p-1", "p-1", "p-1", "p-2", "p-2", "p-2", "p-3", "p-3"])
        #expect(events.map(\.upn) == [
            nil, nil, "flat@contoso.com", "flat@contoso.com", nil, nil, nil, nil, "flat@contoso.com", nil,
            "ann@contoso.com", "ann@contoso.com",
        ])
        #expect(events.map(\.appID) == ["app-1", "app-1", "app-1", "app-1", "app-1", "flat-app", "flat-app", "app-2", "app-2", "app-2", nil, "flat-app"])
    }

    /// A value read from a text that spans lines may hold a newline between its tokens: it is not
    /// given again to a JSON line holding the same bytes, which a newline ends (the line is
    /// rejected, as a fresh decoder rejects it). A value read from a JSON line holds none.
    @Test
    func aValueReadAcrossLinesIsNotGivenAgainToAJSONLine() {
        let text = Array(#"{"time":"2026-04-15T10:00:00Z","operationName":"SecretGet","identity":{"claim":{"oid":"p-1"}"#.utf8)
            + [0x0A] + Array(#"},"resourceId":"/VAULTS/KV-A"}"#.utf8)
        let symbols = SymbolTable()
        var warm = RecordDecoder(symbols: symbols)
        for _ in 0..<2 {
            var batch = EventBatch()
            let accepted = text.withUnsafeBytes { bytes -> Bool in
                do throws(JSONSyntaxError) {
                    try warm.decodeOrThrow(bytes, source: .none, sourceName: "t", line: 1, spansLines: true, into: &batch)
                    return true
                } catch {
                    return false
                }
            }
            #expect(accepted && batch.events.count == 1)
        }
        let freshSymbols = SymbolTable()
        var fresh = RecordDecoder(symbols: freshSymbols)
        #expect(Self.decode(text, with: &fresh, symbols: freshSymbols) == nil)
        #expect(Self.decode(text, with: &warm, symbols: symbols) == nil)
    }

    /// A bad time is never given again from a remembered member: its problem quotes the text of
    /// the last bad time read, which another member may have replaced since (here `TimeGenerated`
    /// comes first, so the record's problem quotes its `time`).
    @Test
    func aRepeatedBadTimeIsReportedWithItsOwnText() {
        func record(_ generated: String, _ time: String) -> [UInt8] {
            Array((#"{"TimeGenerated":""# + generated + #"","time":""# + time + #"","operationName":"SecretGet","resourceId":"/VAULTS/KV-A"}"#).utf8)
        }
        let symbols = SymbolTable()
        var warm = RecordDecoder(symbols: symbols)
        for line in [record("bad-2", "bad-1"), record("bad-3", "bad-1"), record("bad-3", "bad-1")] {
            let got = Self.decode(line, with: &warm, symbols: symbols)
            #expect(got?.count == 1)
            #expect(got?.first?.contains(#"time "bad-1" is not an ISO-8601 date-time"#) == true, "\(got ?? [])")
        }
    }

    /// A remembered `resourceId` gives its vault, and the resource id this decoder holds for the
    /// vault now: the back half of a chunk is decoded by a decoder handed the ids the front knew
    /// (`SourceReader.frameInHalves`), which may be another spelling of the id, or none.
    @Test
    func aRepeatedResourceIDGivesTheIDTheDecoderHoldsForItsVault() {
        let line = Array(#"{"time":"2026-04-15T10:00:00Z","operationName":"SecretGet","resourceId":"/SUBSCRIPTIONS/X/VAULTS/KV-A"}"#.utf8)
        let symbols = SymbolTable()
        var decoder = RecordDecoder(symbols: symbols)
        func resourceID() -> String? {
            var batch = EventBatch()
            (line + [0x0A]).withUnsafeBytes { text in _ = try? decoder.decodeLeadingLine(text, source: .none, sourceName: "t", line: 1, into: &batch) }
            return batch.events.first.flatMap { symbols.string($0.resourceID) }
        }
        #expect(resourceID() == "/SUBSCRIPTIONS/X/VAULTS/KV-A")
        #expect(resourceID() == "/SUBSCRIPTIONS/X/VAULTS/KV-A")
        let vault = Int(symbols.intern("kv-a").rawValue)
        decoder.resourceIDByVault[vault] = symbols.intern("/subscriptions/x/vaults/kv-a")
        #expect(resourceID() == "/subscriptions/x/vaults/kv-a")
        decoder.resourceIDByVault = []
        #expect(resourceID() == "/SUBSCRIPTIONS/X/VAULTS/KV-A")
        #expect(resourceID() == "/SUBSCRIPTIONS/X/VAULTS/KV-A")
    }
}
