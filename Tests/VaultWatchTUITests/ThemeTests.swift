import Foundation
import Testing
import VaultWatchTestSupport
@testable import VaultWatchTUI

/// The theme files in `themes/` and the colour fallback.
@Suite struct ThemeTests {
    static var themesDirectory: URL { TestPaths.repositoryRoot.appendingPathComponent("themes") }

    @Test func theBundledThemesParseAndStyleEveryRole() throws {
        let library = try ThemeLibrary.load(directory: Self.themesDirectory)
        #expect(library.themes.map(\.name) == ["dark", "colour-blind-safe", "high-contrast", "light"])
        for theme in library.themes {
            let missing = StyleRole.allCases.filter { theme.styles[$0] == nil }
            #expect(missing.isEmpty, "\(theme.name) leaves out \(missing.map(\.themeKey))")
        }
    }

    @Test func aTypoInAThemeIsReportedWithTheFile() {
        let text = """
            [styles]
            "severity.hihg" = { fg = "red" }
            """
        #expect(throws: ThemeError(path: "bad.toml", message: "unknown style role 'severity.hihg'")) {
            try ThemeParser.parse(text, path: "bad.toml")
        }
        #expect(throws: ThemeError.self) { try ThemeParser.parse("[styles]\n\"normal\" = { fg = \"mauve\" }", path: "x.toml") }
        #expect(throws: ThemeError.self) { try ThemeParser.parse("[styles\n", path: "broken.toml") }
    }

    @Test func paletteNamesResolve() throws {
        let theme = try ThemeParser.parse("""
            [palette]
            alarm = "#ff0000"
            [styles]
            "severity.high" = { fg = "alarm", bg = "black", bold = true }
            """, path: "t.toml")
        #expect(theme.style(for: .severityHigh) == ThemeStyle(foreground: .rgb(255, 0, 0), background: .indexed(0), attributes: .bold))
        #expect(theme.name == "t")
    }

    @Test func coloursFallBackThroughEachDepth() {
        let orange = ThemeColor.rgb(255, 135, 0)
        #expect(ColorDepth.trueColor.colorNumber(for: orange) == 0xFF8700)
        #expect(ColorDepth.colors256.colorNumber(for: orange) == 208)
        #expect(ColorDepth.colors16.colorNumber(for: orange) == 11 || ColorDepth.colors16.colorNumber(for: orange) == 3)
        #expect((0..<8).contains(ColorDepth.colors8.colorNumber(for: orange)))
        #expect(ColorDepth.colors8.colorNumber(for: .indexed(9)) == 1, "bright red is red with 8 colours")
        #expect(ColorDepth.colors256.colorNumber(for: .terminalDefault) == -1)
        #expect(ColorDepth(colorCount: 256) == .colors256)
        #expect(ColorDepth(colorCount: 0x1000000) == .trueColor)
    }

    @Test func withoutColourSeveritiesStillLookDifferent() {
        let severities: [StyleRole] = [.severityInformational, .severityLow, .severityMedium, .severityHigh]
        let attributes = severities.map { Theme.attributeOnly.style(for: $0).attributes }
        #expect(Set(attributes.map(\.rawValue)).count == severities.count)
        #expect(attributes.allSatisfy { !$0.isEmpty })
    }
}
