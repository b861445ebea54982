import Testing
import TOMLKit
@testable import VaultWatchCore

/// The guard in front of toml++: table names starting outside ASCII crash it (found by fuzzing),
/// so they are refused at their line; the same text inside a multi-line string is text.
struct TOMLDocumentTests {
    @Test(arguments: ["[é]", "[[€]]", "  [ 😀.x]", "\u{FEFF}[é]"])
    func tableNameStartingOutsideASCIIIsASyntaxError(_ header: String) {
        #expect(throws: TOMLDocument.SyntaxError(
            line: 2, message: "Error while parsing table header: a table name starts with a letter, digit, '_', '-' or a quote"
        )) {
            try TOMLDocument.parse("learning_days = 7\n\(header)\nx = 1\n")
        }
    }

    @Test func theSameLineInsideAMultiLineStringIsText() throws {
        let table = try TOMLDocument.parse("note = \"\"\"\n[é]\n\"\"\"\nraw = '''\n[[é]]'''\n[\"é\"]\nx = 1\n")
        #expect(table["note"]?.string == "[é]\n")
        #expect(table["é"]?.table?["x"]?.int == 1)
    }

    @Test func configurationAndThemeErrorsNameTheLine() {
        #expect(throws: ConfigurationError(
            file: "vw.toml", line: 1, problem: "Error while parsing table header: a table name starts with a letter, digit, '_', '-' or a quote"
        )) {
            try ConfigurationFile.parse("[é]\n", file: "vw.toml", over: DetectorConfiguration())
        }
    }
}
