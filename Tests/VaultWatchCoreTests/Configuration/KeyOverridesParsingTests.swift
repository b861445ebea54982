import Foundation
import Testing
import VaultWatchTestSupport
@testable import VaultWatchCore

/// The `[keys]` section as Core reads it: syntax only, with each override's line.
@Suite("Configuration file [keys]")
struct KeyOverridesParsingTests {
    func keys(_ text: String) throws(ConfigurationError) -> KeyOverrides {
        try ConfigurationFile.parseKeyOverrides(text, file: "vw.toml")
    }

    func error(_ text: String) -> ConfigurationError? {
        do {
            _ = try keys(text)
            return nil
        } catch {
            return error
        }
    }

    @Test("a good section: strings and lists, canonical names, each with its line")
    func goodSection() throws {
        let overrides = try keys("""
            learning_days = 7

            [keys]
            dismiss = "x"
            next_panel = ["Tab", "l"]
            help = "F1"
            previous_panel = "shift-tab"
            pause = ["space", "ctrl-P", "PgDn"]
            """)
        #expect(overrides.file == "vw.toml")
        #expect(overrides.overrides == [
            KeyOverrides.Override(action: "dismiss", keys: ["x"], line: 4),
            KeyOverrides.Override(action: "help", keys: ["f1"], line: 6),
            KeyOverrides.Override(action: "next_panel", keys: ["tab", "l"], line: 5),
            KeyOverrides.Override(action: "pause", keys: ["space", "ctrl-p", "pagedown"], line: 8),
            KeyOverrides.Override(action: "previous_panel", keys: ["backtab"], line: 7),
        ])
    }

    @Test("no [keys] section: no overrides, and the detector's parse accepts [keys]")
    func absentAndAcceptedByDetector() throws {
        #expect(try keys("learning_days = 3").isEmpty)
        let configuration = try ConfigurationFile.parse(
            "learning_days = 3\n[keys]\ndismiss = \"x\"\n", file: "vw.toml", over: DetectorConfiguration())
        #expect(configuration.learningDays == 3)
    }

    @Test("every documented key name parses; single characters keep their case")
    func keyNames() throws {
        for name in KeyName.namedKeys { #expect(try KeyName.canonical(name) == name) }
        #expect(try KeyName.canonical("G") == "G")
        #expect(try KeyName.canonical("F12") == "f12")
        #expect(try KeyName.canonical("Escape") == "esc")
        #expect(try KeyName.canonical(" ") == "space")
        #expect(throws: KeyNameError.self) { try KeyName.canonical("f13") }
        #expect(throws: KeyNameError.self) { try KeyName.canonical("ctrl-c") }
        #expect(throws: KeyNameError.self) { try KeyName.canonical("ctrl-1") }
        #expect(throws: KeyNameError.self) { try KeyName.canonical("\t") }
    }

    @Test("an unparseable key names the file, the line and the key")
    func unparseableKey() {
        let problem = error("[keys]\ndismiss = \"x\"\nresolve = \"shift-r\"\n")
        #expect(problem?.line == 3)
        #expect(problem?.description.hasPrefix("vw.toml:3: keys.resolve: \"shift-r\" is not a key") == true)
    }

    @Test("a Ctrl-letter the terminal keeps is refused with the reason")
    func unavailableControlLetter() {
        let problem = error("[keys]\n\nhelp = [\"h\", \"ctrl-c\"]\n")
        #expect(problem?.line == 3)
        #expect(problem?.problem.contains("Ctrl-C interrupts") == true)
    }

    @Test("an empty list is refused at its line")
    func emptyList() {
        let problem = error("[keys]\ndismiss = \"x\"\nresolve = []\n")
        #expect(problem?.description.hasPrefix("vw.toml:3: keys.resolve is an empty list") == true)
    }

    @Test("a value that is not a key name or a list of them is refused at its line")
    func wrongType() {
        #expect(error("[keys]\ndismiss = 4\n")?.description.hasPrefix("vw.toml:2: keys.dismiss must be a key name") == true)
        #expect(error("[keys]\n\ndismiss = [\"x\", 4]\n")?.line == 3)
        #expect(error("keys = 3\n")?.description.hasPrefix("vw.toml:1: keys must be a table") == true)
    }

    @Test("the detector's parse reports a bad key line too, so detect --config refuses it")
    func detectorParseChecksKeys() {
        do {
            _ = try ConfigurationFile.parse("[keys]\ndismiss = \"nope\"\n", file: "vw.toml", over: DetectorConfiguration())
            Issue.record("expected an error")
        } catch {
            #expect(error.line == 2)
        }
    }

    @Test("the shipped example's [keys] parses")
    func example() throws {
        let path = TestPaths.repositoryRoot.appendingPathComponent("demo-data/vaultwatch.example.toml").path
        let overrides = try ConfigurationFile.keyOverrides(path: path)
        #expect(!overrides.isEmpty)
    }
}
