import Testing
@testable import VaultWatchTUI

/// A log field must not be able to drive the analyst's terminal: every escape, control,
/// bidi, zero-width and over-wide character is defused before it reaches a cell.
@Suite struct TerminalSafeTextTests {
    @Test func escapeSequencesCannotReachTheTerminal() {
        let hostile = "vault\u{1B}]0;pwned\u{07}\u{1B}[2J\u{9B}31m\u{202E}evil\u{200B}"
        let safe = TerminalSafeText.sanitize(hostile)
        #expect(!safe.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
        #expect(!safe.contains("\u{202E}"))
        #expect(safe.hasPrefix("vault\u{FFFD}]0;pwned"))
    }

    @Test func csiOscAndC1IntroducersBecomeVisibleReplacements() {
        #expect(TerminalSafeText.sanitize("\u{1B}[31mred") == "\u{FFFD}[31mred")
        #expect(TerminalSafeText.sanitize("\u{1B}]52;c;ZXZpbA==\u{1B}\\") == "\u{FFFD}]52;c;ZXZpbA==\u{FFFD}\\")
        #expect(TerminalSafeText.sanitize("\u{9D}0;title\u{9C}") == "\u{FFFD}0;title\u{FFFD}")
        #expect(TerminalSafeText.sanitize("a\u{7F}b\u{00}c") == "a\u{FFFD}b\u{FFFD}c")
    }

    @Test func bidiControlsAndZeroWidthCharactersVanish() {
        let text = "a\u{202A}b\u{202B}c\u{202D}d\u{2066}e\u{2067}f\u{2068}g\u{2069}h\u{200B}i\u{200D}j\u{FEFF}k\u{2060}l\u{061C}m"
        #expect(TerminalSafeText.sanitize(text) == "abcdefghijklm")
        #expect(TerminalSafeText.sanitize("x\u{E0041}\u{FE0F}y") == "xy", "tag characters and variation selectors")
    }

    @Test func lineBreaksAndTabsBecomeSpaces() {
        #expect(TerminalSafeText.sanitize("one\ntwo\tthree\r\u{2028}four") == "one two three  four")
    }

    @Test func overWideCharactersAreReplaced() {
        #expect(TerminalSafeText.sanitize("\u{FDFD}") == "\u{FFFD}")
        #expect(TerminalSafeText.sanitize("\u{12219}") == "\u{FFFD}")
    }

    @Test func ordinaryTextIncludingWideCharactersPassesThrough() {
        let text = "alice@contoso.com — Zoë 鍵 🔑"
        #expect(TerminalSafeText.sanitize(text) == text)
    }

    @Test func theScreenBufferRefusesControlsWhoeverWrites() {
        var buffer = ScreenBuffer(width: 20, height: 1)
        buffer.write("a\u{1B}[2Jb\u{202E}c\u{9B}", x: 0, y: 0)
        #expect(buffer.lines == ["a\u{FFFD}[2Jbc\u{FFFD}"])
        #expect(buffer.cells.allSatisfy { TerminalSafeText.displayable($0.character) == $0.character })
    }

    @Test func wideCharactersTakeTwoCellsAndAreNeverCutInHalf() {
        var buffer = ScreenBuffer(width: 5, height: 1)
        let used = buffer.write("鍵鍵鍵", x: 0, y: 0)
        #expect(used == 5, "two wide characters, then a space where the third does not fit")
        #expect(buffer[0, 0].width == 2 && buffer[1, 0].width == 0)
        #expect(buffer.lines == ["鍵鍵"])
        buffer.write("x", x: 1, y: 0)  // over the right half of the first
        #expect(buffer[0, 0] == Cell(" "))
        #expect(buffer.lines == [" x鍵"])
    }

    @Test func displayWidths() {
        #expect(TerminalWidth.of("abc") == 3)
        #expect(TerminalWidth.of("鍵") == 2)
        #expect(TerminalWidth.of("e\u{301}") == 1, "a combining accent takes no column")
        #expect(TerminalWidth.of("🔑") == 2)
    }
}
