import Foundation
import Testing
@testable import VaultWatchCore

/// Random records written with Foundation's `JSONSerialization` (random key order and key
/// case, escapes, extra nested fields): the decoder must read back exactly what was written.
struct DecoderPropertyTests {
    /// Text with quotes, backslashes, controls, non-ASCII and astral characters.
    static func awkwardString(_ random: inout SeededRandom) -> String {
        let pieces = ["a", "Z", "0", "-", "\"", "\\", "/", "\n", "\t", "\u{01}", "é", "日本", "😀", "\u{2028}", " ", "x y"]
        return (0..<Int.random(in: 1...12, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
    }

    /// A JSON string literal of `text`, escaping more than needed at random (`\uXXXX`, with
    /// surrogate pairs for astral characters) — as other serializers do.
    static func literal(_ text: String, _ random: inout SeededRandom) -> String {
        var output = "\""
        for scalar in text.unicodeScalars {
            let escapeAnyway = Int.random(in: 0..<4, using: &random) == 0
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\t": output += "\\t"
            case "/": output += escapeAnyway ? "\\/" : "/"
            default:
                if scalar.value < 0x20 || escapeAnyway {
                    for unit in String(scalar).utf16 { output += String(format: "\\u%04X", unit) }
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        return output + "\""
    }

    static func randomCase(_ key: String, _ random: inout SeededRandom) -> String {
        switch Int.random(in: 0..<4, using: &random) {
        case 0: key.uppercased()
        case 1: key.lowercased()
        default: key
        }
    }

    static func noise(_ random: inout SeededRandom, depth: Int = 0) -> Any {
        switch Int.random(in: 0..<(depth > 2 ? 4 : 6), using: &random) {
        case 0: return Self.awkwardString(&random)
        case 1: return Int.random(in: -1_000_000...1_000_000, using: &random)
        case 2: return Double.random(in: -1e6...1e6, using: &random)
        case 3: return [true, false].randomElement(using: &random)!
        case 4: return (0..<Int.random(in: 0...3, using: &random)).map { _ in Self.noise(&random, depth: depth + 1) }
        default:
            var object: [String: Any] = [:]
            for index in 0..<Int.random(in: 0...3, using: &random) { object["k\(index)"] = Self.noise(&random, depth: depth + 1) }
            return object
        }
    }

    /// An object's members in random order; values serialized by JSONSerialization or `literal`.
    static func object(_ members: [(String, String)], _ random: inout SeededRandom) -> String {
        "{" + members.shuffled(using: &random).map { "\(Self.literal($0.0, &random)):\($0.1)" }.joined(separator: ",") + "}"
    }

    static func serialized(_ value: Any) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed]), as: UTF8.self)
    }

    @Test(arguments: [1, 2, 3, 4])
    func randomRecordsDecodeToWhatWasWritten(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        let symbols = SymbolTable()
        var lines: [String] = []
        var written: [(vault: String, operation: String, principal: String, upn: String, app: String, ip: String, status: Int, object: String, client: String, ticks: Int64)] = []
        for index in 0..<300 {
            let vault = "kv-" + String(index % 7) + ["", "-Prod", "-é"].randomElement(using: &random)!
            let operation = ["SecretGet", "SecretList", "KeyDecrypt", "VaultGet"].randomElement(using: &random)!
            let principal = UUID().uuidString.lowercased()
            let upn = Self.awkwardString(&random) + "@contoso.example"
            let app = UUID().uuidString.lowercased()
            let ip = Bool.random(using: &random)
                ? "\(Int.random(in: 1...223, using: &random)).\(Int.random(in: 0...255, using: &random)).\(Int.random(in: 0...255, using: &random)).\(Int.random(in: 0...255, using: &random))"
                : "2001:db8:\(String(Int.random(in: 0...0xffff, using: &random), radix: 16))::\(Int.random(in: 1...99, using: &random))"
            let status = [200, 201, 401, 403, 404, 429, 500].randomElement(using: &random)!
            // A path segment: '/' and '?' delimit the object URI (real names are [0-9A-Za-z-]).
            let object = String(Self.awkwardString(&random).filter { $0 != "/" && $0 != "?" }) + "n"
            let client = Self.awkwardString(&random)
            let seconds = Int.random(in: 0..<86_400, using: &random)
            let fraction = Int.random(in: 0..<10_000_000, using: &random)
            let time = String(format: "2026-04-15T%02d:%02d:%02d.%07dZ", seconds / 3600, seconds / 60 % 60, seconds % 60, fraction)
            let longClaims = Bool.random(using: &random)
            var claims: [(String, String)] = [
                (longClaims ? "http://schemas.microsoft.com/identity/claims/objectidentifier" : Self.randomCase("oid", &random), Self.literal(principal, &random)),
                (longClaims ? "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn" : Self.randomCase("upn", &random), Self.literal(upn, &random)),
                (Self.randomCase("appid", &random), Self.literal(app, &random)),
                ("xms_az_nwperimid", "[]"),
            ]
            claims.append(("extra", Self.serialized(Self.noise(&random))))
            var properties: [(String, String)] = [
                (Self.randomCase("id", &random), Self.literal("https://\(vault).vault.azure.net/secrets/\(object)/0123abcd", &random)),
                (Self.randomCase("clientInfo", &random), Self.literal(client, &random)),
                (Self.randomCase("httpStatusCode", &random), String(status)),
            ]
            for extra in 0..<Int.random(in: 0...3, using: &random) { properties.append(("p\(extra)", Self.serialized(Self.noise(&random)))) }
            var members: [(String, String)] = [
                (Self.randomCase("time", &random), Self.literal(time, &random)),
                (Self.randomCase("resourceId", &random), Self.literal("/SUBSCRIPTIONS/X/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/" + vault, &random)),
                (Self.randomCase("operationName", &random), Self.literal(operation, &random)),
                ("category", Self.literal("AuditEvent", &random)),
                (Self.randomCase("callerIpAddress", &random), Self.literal(ip, &random)),
                ("identity", Self.object([("claim", Self.object(claims, &random))], &random)),
                ("properties", Self.object(properties, &random)),
            ]
            for extra in 0..<Int.random(in: 0...4, using: &random) { members.append(("x\(extra)", Self.serialized(Self.noise(&random)))) }
            lines.append(Self.object(members, &random))
            let expectedTime = try #require(EventTime.parse(iso8601: time))
            written.append((vault.lowercased(), operation, principal, upn, app, ip, status, object, client, expectedTime.ticks))
        }
        let batch = readAll(lines.joined(separator: "\n"), chunkSize: Int.random(in: 1...4096, using: &random), symbols: symbols)
        #expect(batch.problems.isEmpty, "\(batch.problems.prefix(3))")
        try #require(batch.events.count == written.count)
        for (event, expected) in zip(batch.events, written) {
            #expect(symbols.string(event.vault) == expected.vault)
            #expect(symbols.string(event.operation) == expected.operation)
            #expect(symbols.string(event.principalID) == expected.principal)
            #expect(symbols.string(event.upn) == expected.upn)
            #expect(symbols.string(event.appID) == expected.app)
            #expect(event.callerIP == IPAddress(expected.ip))
            #expect(Int(event.httpStatusCode) == expected.status)
            #expect(event.outcome == Outcome(httpStatusCode: expected.status))
            #expect(event.objectKind == .secret)
            #expect(symbols.string(event.objectName) == expected.object)
            #expect(symbols.string(event.clientInfo) == expected.client)
            #expect(event.time.ticks == expected.ticks)
        }
    }

    @Test(arguments: [11, 12, 13])
    func randomValidJSONOfAnyShapeNeverCrashesAndInvalidJSONIsAlwaysCaught(seed: UInt64) {
        var random = SeededRandom(seed: seed)
        for _ in 0..<200 {
            var bytes = Array(Self.serialized(["records": [Self.noise(&random), ["time": "2026-01-01T00:00:00Z"]]]).utf8)
            let valid = (try? JSONSerialization.jsonObject(with: Data(bytes))) != nil
            #expect(valid)
            // Corrupt one byte: whatever Foundation says of the result's syntax, the decoder agrees.
            let position = Int.random(in: 0..<bytes.count, using: &random)
            bytes[position] = [UInt8(ascii: "{"), UInt8(ascii: "]"), UInt8(ascii: "\""), 0x01, 0xFF, UInt8(ascii: ",")].randomElement(using: &random)!
            let foundationAccepts = (try? JSONSerialization.jsonObject(with: Data(bytes))) != nil
            var decoder = RecordDecoder(symbols: SymbolTable())
            var batch = EventBatch()
            let decoderAccepts = bytes.withUnsafeBytes { text in
                do throws(JSONSyntaxError) {
                    try decoder.decodeOrThrow(text, source: .none, sourceName: "t", line: 1, spansLines: false, into: &batch)
                    return true
                } catch {
                    return false
                }
            }
            #expect(foundationAccepts == decoderAccepts, "\(String(decoding: bytes, as: UTF8.self))")
        }
    }
}
