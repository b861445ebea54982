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

/// The second family toml++ asserts on: values that start like a number or a date.
struct TOMLValueShapeTests {
    @Test(arguments: ["2029-12-31t:00", "2029-12-31 0", "2029-12-31T\u{FFFD}:00:00+02:00", "2029-12-31T07:00", "1979-05-27T07:32:00+7", "1__0", "0x", "+0x10", "07", "1.", "1e", "12:3"])
    func aValueThatIsNoNumberNorDateIsASyntaxErrorAtItsLine(_ value: String) {
        #expect(throws: TOMLDocument.SyntaxError.self) { try TOMLDocument.parse("learning_days = 7\nexpires = \(value)\n") }
        let line = (try? TOMLDocument.parse("learning_days = 7\nexpires = \(value)\n")).map { _ in 0 }
        #expect(line == nil)
        #expect(TOMLDocument.firstCrashingShape(in: Array("a = 1\nb = [\n  \(value) ]\n".utf8))?.line == 3)
    }

    @Test func everyTOMLNumberDateAndTimeStillParses() throws {
        let text = """
            integers = [0, +99, -17, 1_000, 0xDEAD_beef, 0o755, 0b1101]
            floats = [+1.0, 3.1415, -0.01, 5e+22, 1e06, -2E-2, 6.626e-34, 224_617.445_991, inf, -inf, nan, +nan]
            dates = [1979-05-27T07:32:00Z, 1979-05-27T00:32:00-07:00, 1979-05-27T00:32:00.999999+07:00, 1979-05-27 07:32:00Z]
            local = [1979-05-27T07:32:00, 1979-05-27, 07:32:00, 00:32:00.999999]
            inline = { at = 2026-12-31, n = -1 }
            2029-12-31 = "a bare key of digits and dashes"
            """
        let table = try TOMLDocument.parse(text + "\n")
        #expect(table["integers"]?.array?.count == 7)
        #expect(table["floats"]?.array?.count == 12)
        #expect(table["dates"]?.array?.count == 4)
        #expect(table["local"]?.array?.count == 4)
        #expect(table["inline"]?.table?["n"]?.int == -1)
        #expect(table["2029-12-31"]?.string == "a bare key of digits and dashes")
    }
}
