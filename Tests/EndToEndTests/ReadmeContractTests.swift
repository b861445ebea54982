import Foundation
import Testing
import VaultWatchTestSupport

/// The README as a specification: its alert table, its alert fields, its command synopsis and
/// its example error lines are read from README.md and checked against the built binary, and
/// every test it names for a promise must exist, so the manual cannot promise what the program
/// does not do without a test failing.
struct ReadmeContractTests {
    private static let sample = [
        "demo-data/sample-audit.jsonl", "--tor-exits", "demo-data/tor-exit-addresses.txt",
        "--threat-intel", "demo-data/threat-intel.txt",
    ]

    @Test("the README's alert table names every kind the program raises, with its severity")
    func alertTableMatchesTheProgram() async throws {
        let alerts = try #require(ReadmeText.load().section("## Alerts"))
        // | `KV_TORAccess` | Medium (denied: Low) | the caller IP is … |
        let rows = alerts.tableRows.filter { $0.first?.hasPrefix("`KV_") == true }
        var documented: [String: String] = [:]
        for row in rows {
            let kind = row[0].trimmingCharacters(in: CharacterSet(charactersIn: "`"))
            documented[kind] = row[1].split(separator: " ").first.map { $0.lowercased() }
        }
        #expect(documented.count == 16)

        // `sample-alerts` prints one alert of each kind the program raises, at its usual severity.
        let samples = try await CommandRunner.run(["sample-alerts"])
        #expect(samples.status == 0)
        var raised: [String: String] = [:]
        for line in samples.stdoutLines {
            let alert = try JSONValue.parse(line)
            raised[try #require(alert["kind"]?.string)] = alert["severity"]?.string
        }
        #expect(raised == documented)
    }

    @Test("a detected alert has exactly the README's fields, in its order, with its value sets and no empty strings")
    func alertFieldsAreTheReadmes() async throws {
        let readme = try #require(ReadmeText.load().section("## Alerts"))
        let paragraph = try #require(readme.between("One JSON object per line, with the fields", and: "Absent values"))
        let fields = ReadmeText.quotedNames(in: paragraph, outsideParentheses: true)
        #expect(fields.first == "id" && fields.last == "remediation" && fields.count == 20, "\(fields)")
        let severityList = try #require(readme.between("`severity`", and: ")"))
        let statusList = try #require(readme.between("`status`", and: ")"))
        let severities = ReadmeText.quotedNames(in: severityList)
        let statuses = ReadmeText.quotedNames(in: statusList)
        #expect(severities == ["informational", "low", "medium", "high"])
        #expect(statuses == ["active", "resolved", "dismissed"])

        let result = try await CommandRunner.run(["detect"] + Self.sample)
        #expect(result.status == 0)
        #expect(result.stdoutLines.count == 5)
        for line in result.stdoutLines {
            let alert = try JSONValue.parse(line)
            #expect(Set(alert.object?.keys.map { $0 } ?? []) == Set(fields), "\(line)")
            // Top-level keys come before the evidence's, so the first occurrence of each is its own.
            let positions = fields.compactMap { line.range(of: "\"\($0)\":")?.lowerBound }
            #expect(positions.count == fields.count && positions == positions.sorted(), "fields out of the README's order: \(line)")
            #expect(severities.contains(alert["severity"]?.string ?? ""))
            #expect(statuses.contains(alert["status"]?.string ?? ""))
            for key in ["firstSeen", "lastSeen"] {
                let time = alert[key]?.string ?? ""
                #expect(time.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,7})?Z$"#, options: .regularExpression) != nil, "\(key) \(time)")
            }
            #expect(!Self.containsEmptyString(alert), "an empty string where null belongs: \(line)")
            // "`evidence` lists the events (time, operation, outcome, caller, object, and the
            // `file:line` they came from); `tactics` and `techniques` map it to MITRE ATT&CK".
            let evidence = alert["evidence"]?.array ?? []
            #expect(!evidence.isEmpty)
            for event in evidence {
                for key in ["time", "operation", "outcome", "principalId", "objectName", "source"] {
                    #expect(event[key] != nil, "evidence without \(key): \(line)")
                }
                #expect(event["source"]?.string?.range(of: #"^demo-data/sample-audit\.jsonl:\d+$"#, options: .regularExpression) != nil)
            }
            #expect(alert["tactics"]?.array?.allSatisfy { $0.string != nil } == true)
            #expect(alert["techniques"]?.array?.allSatisfy { $0.string?.hasPrefix("T") == true } == true)
        }
    }

    private static func containsEmptyString(_ value: JSONValue) -> Bool {
        switch value {
        case .string(let text): text.isEmpty
        case .array(let elements): elements.contains(where: containsEmptyString)
        case .object(let members): members.values.contains(where: containsEmptyString)
        default: false
        }
    }

    /// The commands of the README's synopsis and the options it gives each.
    static func synopsis() throws -> [String: Set<String>] {
        let commands = try #require(ReadmeText.load().section("## Commands"))
        let block = try #require(commands.codeBlocks.first?.body)
        var options: [String: Set<String>] = [:]
        var current: [String] = []
        func flags(_ text: Substring) -> [String] {
            text.split(whereSeparator: { !$0.isLetter && $0 != "-" }).map(String.init).filter { $0.hasPrefix("--") && $0.count > 2 }
        }
        for line in block.split(separator: "\n") {
            if line.hasPrefix("vaultwatch ") {
                // `vaultwatch alerts list|show ID|export …`: the words before the first option or
                // argument, alternatives split at `|`, ids dropped.
                let words = line.split(separator: " ").dropFirst().prefix { word in
                    !word.hasPrefix("[") && !word.hasPrefix("--") && !word.hasPrefix("PATH")
                }
                let alternatives = words.joined(separator: " ").split(separator: "|").map {
                    $0.split(separator: " ").filter { $0 != "ID" }.map(String.init)
                }
                guard let first = alternatives.first, !first.isEmpty else { continue }
                let parent = first.dropLast(alternatives.count > 1 ? 1 : 0)
                current = [first.joined(separator: " ")]
                    + alternatives.dropFirst().map { (parent + $0).joined(separator: " ") }
            } else if line.hasPrefix("detection options ("), let close = line.firstIndex(of: ")") {
                current = line[line.index(line.startIndex, offsetBy: 19)..<close].split(separator: ",").map {
                    $0.trimmingCharacters(in: .whitespaces)
                }
            } else if let also = line.range(of: " also take ") {
                current = line[..<also.lowerBound].components(separatedBy: " and ")
            } else if !line.hasPrefix(" ") {
                current = []
            }
            for command in current { options[command, default: []].formUnion(flags(line)) }
        }
        return options
    }

    @Test("every command and option of the README's synopsis exists")
    func synopsisIsTheProgramsCommandLine() async throws {
        let synopsis = try Self.synopsis()
        // The parse itself: each command of the synopsis, with options where it has them.
        #expect(Set(synopsis.keys) == [
            "demo", "demo generate", "watch", "detect", "hunt", "alerts list", "alerts show", "alerts export",
            "alerts dismiss", "alerts resolve", "sample-alerts",
        ])
        #expect(synopsis["detect"]?.isSuperset(of: ["--follow", "--format", "--state", "--no-state", "--tor-exits", "--lang"]) == true)
        for (command, options) in synopsis {
            let help = try await CommandRunner.run(command.split(separator: " ").map(String.init) + ["--help"])
            #expect(help.status == 0, "\(command) --help: \(help.stderr)")
            for option in options {
                #expect(help.stdout.contains(option), "the README gives `vaultwatch \(command)` \(option), which it does not take")
            }
        }
    }

    @Test("the README's example error lines are the program's, word for word")
    func exampleErrorLines() async throws {
        let readme = try ReadmeText.load()
        let block = try #require(readme.section("## Commands")?.codeBlocks.dropFirst().first?.body)
        let examples = block.split(separator: "\n").map(String.init)
        #expect(examples.count == 2)

        // vaultwatch: /var/log/kv/audit.jsonl: no such file or directory
        let missingPath = try #require(examples.first { $0.hasSuffix("no such file or directory") })
        let path = String(missingPath.dropFirst("vaultwatch: ".count).dropLast(": no such file or directory".count))
        try #require(!FileManager.default.fileExists(atPath: path), "\(path) exists on this machine")
        let missing = try await CommandRunner.run(["detect", path])
        #expect(missing.status == 1)
        #expect(missing.stdout.isEmpty)
        #expect(missing.stderrLines == [missingPath])

        // vaultwatch: tor.txt:12: "300.1.2.3" is not an IPv4 or IPv6 address: a list whose
        // twelfth line is that address, named as given on the command line.
        let badList = try #require(examples.first { $0.contains("tor.txt:") })
        let lineNumber = try #require(Int(badList.split(separator: ":")[2]))
        let directory = try TestPaths.temporaryDirectory("vaultwatch-readme")
        defer { try? FileManager.default.removeItem(at: directory) }
        let entries = ["# Tor exits"] + (1..<(lineNumber - 1)).map { "192.0.2.\($0)" } + ["300.1.2.3"]
        try (entries.joined(separator: "\n") + "\n").write(to: directory.appendingPathComponent("tor.txt"), atomically: true, encoding: .utf8)
        let log = TestPaths.repositoryRoot.appendingPathComponent("demo-data/sample-audit.jsonl").path
        let refused = try await CommandRunner.run(["detect", log, "--tor-exits", "tor.txt"], directory: directory)
        #expect(refused.status == 1)
        #expect(refused.stdout.isEmpty)
        #expect(refused.stderrLines == [badList])
    }

    @Test("the README's configuration example is accepted by detect and changes nothing it should not")
    func configurationExampleRuns() async throws {
        let configuration = try #require(ReadmeText.load().section("## Configuration")?.codeBlocks.first { $0.info == "toml" }?.body)
        let directory = try TestPaths.temporaryDirectory("vaultwatch-readme")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("vaultwatch.toml")
        try configuration.write(to: file, atomically: true, encoding: .utf8)
        let configured = try await CommandRunner.run(["detect", "--config", file.path] + Self.sample)
        #expect(configured.status == 0, "\(configured.stderr)")
        // Its allow-list, trusted range and suppression touch nothing in the sample log.
        let plain = try await CommandRunner.run(["detect"] + Self.sample)
        #expect(configured.stdout == plain.stdout)
    }

    /// GitHub's anchor for a heading: lower case, punctuation but `-` and `_` dropped, spaces to `-`.
    static func anchor(_ heading: String) -> String {
        String(heading.lowercased().compactMap { character -> Character? in
            if character == " " { return "-" }
            return character.isLetter || character.isNumber || character == "-" || character == "_" ? character : nil
        })
    }

    static func anchors(in text: String) -> Set<String> {
        var inCode = false
        var anchors: Set<String> = []
        for line in text.split(separator: "\n") {
            if line.hasPrefix("```") { inCode.toggle() }
            guard !inCode, line.hasPrefix("#") else { continue }
            anchors.insert(anchor(String(line.drop { $0 == "#" }.dropFirst())))
        }
        return anchors
    }

    @Test("every file and section the README links to exists")
    func linksLeadSomewhere() throws {
        let readme = try ReadmeText.load().text
        var links: [String] = []
        var rest = readme[...]
        while let open = rest.range(of: "]("), let close = rest[open.upperBound...].firstIndex(of: ")") {
            links.append(String(rest[open.upperBound..<close]))
            rest = rest[close...]
        }
        let local = links.filter { !$0.hasPrefix("http") }
        #expect(local.count >= 10, "\(links)")
        for link in local {
            let parts = link.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let target = parts[0].isEmpty ? readme : try String(
                contentsOf: TestPaths.repositoryRoot.appendingPathComponent(parts[0]), encoding: .utf8)
            if parts.count == 2 {
                #expect(Self.anchors(in: target).contains(parts[1]), "no section #\(parts[1]) in \(parts[0].isEmpty ? "README.md" : parts[0])")
            }
        }
    }

    @Test("every test the README names for a promise exists, with the test it names")
    func testsTheReadmeNamesExist() throws {
        // What the test sources declare: types (suites, nested ones by their last name), files
        // and functions.
        var suites: Set<String> = []
        var functions: Set<String> = []
        let folder = TestPaths.repositoryRoot.appendingPathComponent("Tests")
        let declaration = try Regex(#"(?:struct|class|enum|extension) (?:[A-Za-z0-9]+\.)*([A-Za-z0-9]+)"#)
        let function = try Regex(#"func ([A-Za-z0-9_]+)"#)
        let walker = FileManager.default.enumerator(atPath: folder.path)
        while let path = walker?.nextObject() as? String {
            guard path.hasSuffix(".swift") else { continue }
            let source = try String(contentsOf: folder.appendingPathComponent(path), encoding: .utf8)
            suites.insert(String(path.split(separator: "/").last?.dropLast(".swift".count) ?? ""))
            for match in source.matches(of: declaration) { suites.insert(String(match.output[1].substring ?? "")) }
            for match in source.matches(of: function) { functions.insert(String(match.output[1].substring ?? "")) }
        }
        // `SuiteTests`, `SuiteTests.someTest` or `SuiteTests.aTestWhose…` (a name's start).
        let cited = try Regex(#"`([A-Z][A-Za-z0-9]*Tests)(?:\.([A-Za-z0-9_]+)(?:\(\))?(…)?)?`"#)
        let readme = try ReadmeText.load().text
        var named = 0
        for match in readme.matches(of: cited) {
            named += 1
            let suite = String(match.output[1].substring ?? "")
            let declared = suites.contains(suite)
            #expect(declared, "the README names \(suite), which no test declares")
            guard let test = match.output[2].substring.map(String.init) else { continue }
            let isStart = match.output[3].substring != nil
            let exists = isStart ? functions.contains { $0.hasPrefix(test) } : functions.contains(test)
            #expect(
                exists,
                "the README names \(suite).\(test)\(isStart ? "…" : ""), which no test declares")
        }
        #expect(named >= 30, "the README names \(named) tests")
    }

    @Test("detect --format defender and ocsf give the same documents on every run (times are event time)")
    func shapesAreReproducible() async throws {
        for format in ["defender", "ocsf"] {
            let first = try await CommandRunner.run(["detect", "--format", format] + Self.sample)
            let second = try await CommandRunner.run(["detect", "--format", format] + Self.sample)
            #expect(first.status == 0 && !first.stdout.isEmpty)
            #expect(first.stdout == second.stdout, "\(format)")
        }
    }
}
