import TOMLKit
import Testing
@testable import VaultWatchCore

/// The guard in front of toml++: a table header without a name's first character crashes it
/// (found by fuzzing), so it is refused at its line; the same text inside a value is text.
struct TOMLDocumentTests {
    static let headerError = "Error while parsing table header: expected a table name (a letter, digit, '_', '-' or a quote)"

    @Test(arguments: ["[é]", "[[€]]", "  [ 😀.x]", "[@]", "[", "[[ ", "[#]", "[\u{7F}]"])
    func headerWithoutANameIsASyntaxErrorAtItsLine(_ header: String) {
        #expect(throws: TOMLDocument.SyntaxError(line: 2, message: Self.headerError)) {
            try TOMLDocument.parse("learning_days = 7\n\(header)\nx = 1\n")
        }
    }

    @Test func afterAByteOrderMarkToo() {
        #expect(throws: TOMLDocument.SyntaxError(line: 1, message: Self.headerError)) {
            try TOMLDocument.parse("\u{FEFF}[é]\n")
        }
    }

    @Test func bracketsInsideValuesStringsAndCommentsAreNotHeaders() throws {
        let text = """
            note = \"\"\"
            [é]
            \"\"\"
            raw = '''
            [@]'''
            nested = [
              [ 1, 2 ],
              [
                3 ],
            ]
            quoted = "[é" # [é]
            ["é"]
            x = 1
            """
        let table = try TOMLDocument.parse(text + "\n")
        #expect(table["note"]?.string == "[é]\n")
        #expect(table["raw"]?.string == "[@]")
        #expect(table["nested"]?.array?.count == 2)
        #expect(table["é"]?.table?["x"]?.int == 1)
    }

    @Test func configurationAndThemeErrorsNameTheLine() {
        #expect(throws: ConfigurationError(file: "vw.toml", line: 1, problem: Self.headerError)) {
            try ConfigurationFile.parse("[@]\n", file: "vw.toml", over: DetectorConfiguration())
        }
    }
}
