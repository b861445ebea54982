import Foundation
import Testing
@testable import VaultWatchCore

extension DetectionTests {
    @Suite("Alert JSON")
    struct AlertJSONTests {
        static let fieldOrder = [
            "id", "kind", "displayName", "severity", "status", "vault", "resourceId", "principalId", "upn", "appId", "ip",
            "firstSeen", "lastSeen", "count", "reasons", "tactics", "techniques", "evidence", "description", "remediation",
        ]

        private func makeAlert(isSample: Bool = false) -> Alert {
            let time = EventTime(year: 2025, month: 5, day: 6, hour: 10, minute: 0, second: 1, fractionTicks: 2_500_000)
            return Alert(
                id: "0123456789abcdef", kind: .sensitiveOperation, displayName: "Sensitive operation", severity: .low,
                vault: "contoso-kv", resourceID: nil, principalID: "p-1", upn: nil, appID: "", ip: IPAddress("2001:db8::1"),
                firstSeen: time, lastSeen: time + .minutes(5), count: 2,
                reasons: ["quote \" backslash \\ newline \n tab \t bell \u{07} café ✓"],
                evidence: [AlertEvidence(time: time, vault: "contoso-kv", operation: "SecretPurge", outcome: .success, httpStatusCode: 204, objectKind: .secret, objectName: "db", source: "a.jsonl:7")],
                tactics: [.impact], techniques: [.dataDestruction], description: "d", remediation: "r", isSample: isSample)
        }

        /// The top-level keys in the order they are written.
        private func keyOrder(of line: String) throws -> [String] {
            // Top-level keys are the strings that follow `{` or `,` at depth 1 and precede `:`.
            var keys: [String] = []
            var depth = 0
            var inString = false
            var escaped = false
            var current = ""
            var expectingKey = false
            for character in line {
                if inString {
                    if escaped { escaped = false; current.append(character); continue }
                    if character == "\\" { escaped = true; continue }
                    if character == "\"" {
                        inString = false
                        if expectingKey { keys.append(current); expectingKey = false }
                        continue
                    }
                    current.append(character)
                    continue
                }
                switch character {
                case "\"": inString = true; current = ""
                case "{", "[": depth += 1; expectingKey = depth == 1 && character == "{"
                case "}", "]": depth -= 1
                case ",": expectingKey = depth == 1
                default: break
                }
            }
            return keys
        }

        @Test("fields are written in the documented order, with ISO-8601 times")
        func fieldOrder() throws {
            let line = AlertJSON.line(for: makeAlert())
            #expect(!line.contains("\n"))
            #expect(try keyOrder(of: line) == Self.fieldOrder)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["firstSeen"] as? String == "2025-05-06T10:00:01.25Z")
            #expect(object["lastSeen"] as? String == "2025-05-06T10:05:01.25Z")
            #expect(object["count"] as? Int == 2)
            #expect(object["ip"] as? String == "2001:db8::1")
            #expect(object["severity"] as? String == "low")
            #expect(object["status"] as? String == "active")
            #expect(object["tactics"] as? [String] == ["Impact"])
            #expect(object["techniques"] as? [String] == ["T1485 Data Destruction"])
            #expect(object["sample"] == nil)
        }

        @Test("absent and empty values are null, never empty strings")
        func nulls() throws {
            let line = AlertJSON.line(for: makeAlert())
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["resourceId"] is NSNull)
            #expect(object["upn"] is NSNull)
            #expect(object["appId"] is NSNull)  // "" in the value
            #expect(object["principalId"] as? String == "p-1")
            let evidence = try #require((object["evidence"] as? [[String: Any]])?.first)
            #expect(evidence["callerIpAddress"] is NSNull)
            #expect(evidence["principalId"] is NSNull)
            #expect(evidence["httpStatusCode"] as? Int == 204)
            #expect(evidence["objectKind"] as? String == "secret")
            #expect(evidence["source"] as? String == "a.jsonl:7")
            #expect(!line.contains("\"\""))
        }

        @Test("strings are escaped: quotes, backslashes, control characters; UTF-8 passes through")
        func escaping() throws {
            let line = AlertJSON.line(for: makeAlert())
            #expect(line.contains(#"quote \" backslash \\ newline \n tab \t bell \u0007 café ✓"#))
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["reasons"] as? [String] == ["quote \" backslash \\ newline \n tab \t bell \u{07} café ✓"])
        }

        @Test("every control character survives a round trip")
        func controlCharacters() throws {
            var alert = makeAlert()
            let text = String(String.UnicodeScalarView((0..<0x20).compactMap(Unicode.Scalar.init)))
            alert.reasons = [text]
            let line = AlertJSON.line(for: alert)
            #expect(line.utf8.allSatisfy { $0 >= 0x20 })
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["reasons"] as? [String] == [text])
        }

        @Test("samples end with \"sample\": true")
        func sampleFlag() throws {
            let line = AlertJSON.line(for: makeAlert(isSample: true))
            #expect(try keyOrder(of: line) == Self.fieldOrder + ["sample"])
            #expect(line.hasSuffix(#""sample":true}"#))
            var buffer: [UInt8] = []
            AlertJSON.appendLine(for: makeAlert(isSample: true), to: &buffer)
            #expect(buffer.last == UInt8(ascii: "\n"))
            #expect(String(decoding: buffer.dropLast(), as: UTF8.self) == line)
        }
    }
}
