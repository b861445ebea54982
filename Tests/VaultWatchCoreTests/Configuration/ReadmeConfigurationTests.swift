import Testing
import VaultWatchTestSupport
@testable import VaultWatchCore

/// The README's configuration example ("Configuration"), read from README.md, means what its
/// comments say; and the README's "Every key is described in docs/configuration.md" holds for
/// every top-level key the parser accepts.
@Suite("Configuration: the README's example")
struct ReadmeConfigurationTests {
    func example() throws -> String {
        let section = try #require(ReadmeText.load().section("## Configuration"))
        return try #require(section.codeBlocks.first { $0.info == "toml" }?.body)
    }

    @Test("every line of the example takes effect")
    func exampleTakesEffect() throws {
        let configuration = try ConfigurationFile.parse(try example(), file: "README.md", over: DetectorConfiguration())
        let settings = configuration.effectiveBehaviour
        #expect(settings.learningDays == 7)
        // `timezone` for every vault, `[timezones]` first for the vaults its pattern matches.
        #expect(settings.timeZones.clock(forVault: "kv-orders-au")?.label == "Australia/Sydney")
        #expect(settings.timeZones.clock(forVault: "kv-data-platform")?.label == "Europe/Paris")
        #expect(configuration.allowedApplicationIDs == ["0f1e2d3c-4b5a-4697-8877-665544332211"])
        #expect(configuration.trustedRanges.contains(try #require(IPAddress("203.0.113.77"))))
        #expect(!configuration.trustedRanges.contains(try #require(IPAddress("203.0.114.1"))))
        #expect(settings.listGet.minimumDistinctReads == 8)
        let suppression = try #require(configuration.suppressions.first)
        #expect(configuration.suppressions.count == 1)
        #expect(suppression.kind == .operationVolumeAnomaly)
        #expect(suppression.vault == "kv-data-platform")
        #expect(suppression.expires == EventTime(year: 2026, month: 12, day: 31))
    }

    /// The keys the parser accepts in the table at `path` ("" for the top level), from the list
    /// it gives when it refuses one.
    static func acceptedKeys(_ path: String) throws -> [String] {
        let text = path.isEmpty ? "no_such_key = 1\n" : path == "suppress" ? "[[suppress]]\nno_such_key = 1\n" : "[\(path)]\nno_such_key = 1\n"
        var message = ""
        do {
            _ = try ConfigurationFile.parse(text, file: "vw.toml", over: DetectorConfiguration())
        } catch {
            message = error.description
        }
        let list = try #require(message.range(of: "(expected one of: "), "\(path): \(message)").upperBound
        return message[list...].dropLast().components(separatedBy: ", ")
    }

    @Test("every key the parser accepts, at the top level and in each table, is described in docs/configuration.md")
    func everyKeyIsDocumented() throws {
        let docs = try String(
            contentsOf: TestPaths.repositoryRoot.appendingPathComponent("docs/configuration.md"), encoding: .utf8)
        let topLevel = try Self.acceptedKeys("")
        #expect(topLevel.count >= 10 && topLevel.contains("learning_days"), "\(topLevel)")
        var keys = topLevel.map { ("", $0) }
        for table in ["clock", "allow", "suppress", "journal"] + AlertKind.allCases.map({ "rules.\($0.rawValue)" }) {
            keys += try Self.acceptedKeys(table).map { (table, $0) }
        }
        for (table, key) in keys {
            #expect(docs.contains("`\(key)") || docs.contains("[\(key)") || docs.contains("\n\(key) ="),
                    "\(table.isEmpty ? "" : table + ".")\(key) is not in docs/configuration.md")
        }
    }
}
