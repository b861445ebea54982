import Testing
@testable import VaultWatchTUI

@Test func escapeSequencesCannotReachTheTerminal() {
    let hostile = "vault\u{1B}]0;pwned\u{07}\u{1B}[2J\u{9B}31m\u{202E}evil\u{200B}"
    let safe = TerminalSafeText.sanitize(hostile)
    #expect(!safe.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
    #expect(!safe.contains("\u{202E}"))
    #expect(safe.hasPrefix("vault\u{FFFD}]0;pwned"))
}
