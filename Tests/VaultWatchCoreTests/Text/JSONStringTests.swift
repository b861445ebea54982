import Foundation
import Testing
import VaultWatchCore

/// JSON string literals written by hand (the store's JSON columns, the demo's records): plain
/// ASCII is appended whole, everything else escaped as JSON requires and as a terminal needs.
@Suite("JSON string literals")
struct JSONStringTests {
    @Test func plainTextIsQuotedAsIs() {
        #expect(JSONString.quoted("kv-payments") == "\"kv-payments\"")
        #expect(JSONString.quoted("") == "\"\"")
        #expect(JSONString.quoted("https://kv.vault.azure.net/secrets/db?api-version=7.4 ~!@#$%^&*()") ==
            "\"https://kv.vault.azure.net/secrets/db?api-version=7.4 ~!@#$%^&*()\"")
    }

    @Test func quotesBackslashesAndControlsAreEscaped() {
        #expect(JSONString.quoted("a\"b\\c") == #""a\"b\\c""#)
        #expect(JSONString.quoted("line\nnext\r\t") == #""line\nnext\r\t""#)
        #expect(JSONString.quoted("bell\u{07}del\u{7F}") == #""bell\u0007del\u007f""#)
        // C1 controls (a terminal reads U+009B as CSI) are escaped; other non-ASCII is kept.
        #expect(JSONString.quoted("csi\u{9B}31m é ü 東京") == "\"csi\\u009b31m é ü 東京\"")
    }

    @Test func everyLiteralReadsBackAsItsText() throws {
        var generator = SeededRandom(seed: 7)
        let alphabet: [Character] = ["a", "Z", "0", " ", "\"", "\\", "/", "\n", "\u{01}", "\u{1F}", "\u{7F}", "\u{85}", "é", "😀", "~"]
        for _ in 0..<500 {
            let text = String((0..<Int.random(in: 0...12, using: &generator)).map { _ in alphabet.randomElement(using: &generator) ?? "a" })
            let literal = JSONString.quoted(text)
            let decoded = try JSONDecoder().decode(String.self, from: Data(literal.utf8))
            #expect(decoded == text, "\(literal)")
        }
    }
}
