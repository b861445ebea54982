import Foundation
import Testing
import VaultWatchCore
@testable import VaultWatchStore

/// The alert table's JSON columns and a checkpoint's clock are written by hand as UTF-8 bytes
/// (`StoredJSON`): the text is each string escaped exactly as `JSONString` escapes it, and
/// `JSONDecoder` reads every column back to the value written.
@Suite("Stored JSON columns")
struct StoredJSONTests {
    /// Text of every kind the escaping tells apart: plain ASCII, what JSON must escape, DEL
    /// and the C1 controls (escaped too, so the text is safe on a terminal), and characters of
    /// two, three and four UTF-8 bytes next to them (U+0100 and U+00A0 start with 0xC4 and
    /// 0xC2, as a C1 control does).
    static let texts = [
        "", "plain text 0123", "quote \" backslash \\ slash /", "line\nreturn\rtab\t", "bell \u{07} escape \u{1B}[31m",
        "\u{00}\u{1F}", "delete \u{7F}", "c1 \u{80}\u{85}\u{9B}\u{9F}", "no-break \u{A0} Ā \u{100}", "± 6 — “quoted”",
        "é\u{9F}é", "emoji 🛡️ \u{1F600}", "\u{C2}\u{80}", "KV-É/secrets/α",
    ]

    @Test func stringsAreEscapedAsJSONStringEscapesThemAndReadBack() throws {
        for text in Self.texts {
            let column = StoredJSON.strings([text, "after"])
            #expect(column == "[" + JSONString.quoted(text) + "," + JSONString.quoted("after") + "]", "\(text.debugDescription)")
            #expect(try JSONDecoder().decode([String].self, from: Data(column.utf8)) == [text, "after"])
        }
        #expect(StoredJSON.strings([]) == "[]")
    }

    @Test func evidenceReadsBackAsWritten() throws {
        let evidence = Self.texts.enumerated().map { index, text in
            AlertEvidence(
                time: EventTime(ticks: index % 2 == 0 ? Int64(index) * 1_234_567_890_123 : -Int64(index) - 1),
                vault: index % 3 == 0 ? nil : text, operation: "SecretGet", outcome: Outcome.allCases[index % Outcome.allCases.count],
                httpStatusCode: index % 4 == 0 ? nil : 400 + index, callerIP: index % 2 == 0 ? IPAddress(ipv4: 0x0A00_0001 + UInt32(index)) : nil,
                principalID: text, upn: index % 5 == 0 ? nil : "user\(index)@example.com", appID: text,
                objectKind: ObjectKind.allCases[index % ObjectKind.allCases.count], objectName: text, clientInfo: text,
                source: "/logs/\(text).json:\(index)")
        }
        let column = StoredJSON.evidence(evidence)
        let read = try JSONDecoder().decode([StoredEvidence].self, from: Data(column.utf8)).map(\.evidence)
        #expect(read == evidence)
        #expect(StoredJSON.evidence([]) == "[]")
        #expect(
            StoredJSON.evidence([AlertEvidence(time: EventTime(ticks: 10), outcome: .denied, httpStatusCode: 403, objectKind: .secret)])
                == #"[{"time":10,"outcome":\#(Outcome.denied.rawValue),"httpStatusCode":403,"objectKind":\#(ObjectKind.secret.rawValue)}]"#)
    }

    @Test func techniquesReadBackAsWritten() throws {
        let techniques = [AttackTechnique.validCloudAccounts, AttackTechnique(identifier: "T0000", name: "a \"name\" — é\u{85}")]
        let column = StoredJSON.techniques(techniques)
        #expect(try JSONDecoder().decode([AttackTechnique].self, from: Data(column.utf8)) == techniques)
    }

    /// A checkpoint's clock is the text `JSONEncoder` writes with sorted keys (slashes left
    /// alone), and reads back whatever its source's name holds.
    @Test func clocksAreWhatJSONEncoderWritesAndReadBack() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let run = SourceClock.LateRun(source: "/logs/y=2026/m=02/d=01/h=00/m=00/PT1H.json", firstLine: 7, lastLine: 1_234_567, count: 42, mostBehind: -9_000_000_000)
        let clocks = [
            SourceClock(), SourceClock(lastAccepted: 0), SourceClock(lastAccepted: -1, stretchShift: 36_000_000_000),
            SourceClock(lastAccepted: Int64.max, furthestAccepted: Int64.min), SourceClock(lateRun: run),
            SourceClock(lastAccepted: 639_000_000_000_000_000, furthestAccepted: 639_000_000_720_000_000, stretchShift: 5, lateRun: run),
        ]
        for clock in clocks {
            let text = StoredJSON.clock(clock)
            #expect(text == String(decoding: try encoder.encode(clock), as: UTF8.self))
            #expect(try JSONDecoder().decode(SourceClock.self, from: Data(text.utf8)) == clock)
        }
        for name in Self.texts {
            let clock = SourceClock(lastAccepted: 3, lateRun: SourceClock.LateRun(source: name, firstLine: 1, lastLine: 2, count: 2, mostBehind: 10))
            #expect(try JSONDecoder().decode(SourceClock.self, from: Data(StoredJSON.clock(clock).utf8)) == clock)
        }
    }
}
