import Foundation
import Testing
import VaultWatchTestSupport
@testable import VaultWatchCore

/// `--directory FILE`: the exports an admin already has, read into display names for ids, and
/// every bad entry reported as `file:line: problem`.
@Suite("Directory names")
struct DirectoryFileTests {
    static let payments = "87f0ed15-39fa-466f-832f-0ca7f04d5ea9"
    static let paymentsApp = "0f1e2d3c-4b5a-4697-8877-665544332211"

    func parse(_ text: String, file: String = "dir.json") throws(DirectoryError) -> DirectoryNames {
        try DirectoryFile.parse(Array(text.utf8), file: file, over: .empty)
    }

    func problem(_ text: String, file: String = "dir.json") -> String? {
        do {
            _ = try parse(text, file: file)
            return nil
        } catch {
            return error.description
        }
    }

    @Test("az ad sp list --all: object id and app id both name the service principal; other fields skipped")
    func servicePrincipals() throws {
        let text = """
            [
              {
                "accountEnabled": true,
                "alternativeNames": [],
                "appDisplayName": "payments-api",
                "appId": "\(Self.paymentsApp)",
                "appRoles": [{"allowedMemberTypes": ["Application"], "id": "x", "isEnabled": true}],
                "displayName": "Payments API",
                "id": "\(Self.payments.uppercased())",
                "info": {"logoUrl": null},
                "keyCredentials": [],
                "servicePrincipalNames": ["\(Self.paymentsApp)", "api://payments"],
                "servicePrincipalType": "Application",
                "tags": ["WindowsAzureActiveDirectoryIntegratedApp"]
              },
              {"appId": "6c1e0e0e-1111-4222-8333-944455556666", "displayName": "mi-batch \\"nightly\\" é", "id": "6c1e0e0e-aaaa-4bbb-8ccc-9dddeeeeffff", "servicePrincipalType": "ManagedIdentity"}
            ]
            """
        let names = try parse(text)
        #expect(names.count == 4)
        #expect(names.name(for: Self.payments) == "Payments API")
        #expect(names.name(for: Self.payments.uppercased()) == "Payments API")
        #expect(names.name(for: Self.paymentsApp) == "Payments API")
        #expect(names.name(for: "6c1e0e0e-aaaa-4bbb-8ccc-9dddeeeeffff") == "mi-batch \"nightly\" é")
        #expect(names.label(for: Self.payments) == "\(Self.payments) (Payments API)")
        #expect(names.label(for: "00000000-0000-0000-0000-000000000001") == "00000000-0000-0000-0000-000000000001")
    }

    @Test("az ad user list and older CLIs (objectId): users by display name, UPN when the name is null")
    func users() throws {
        let text = """
            [{"businessPhones": [], "displayName": "Alice Martin", "id": "11111111-2222-4333-8444-555555555555", "userPrincipalName": "alice@contoso.example"},
             {"displayName": null, "objectId": "21111111-2222-4333-8444-555555555555", "userPrincipalName": "svc@contoso.example"}]
            """
        let names = try parse(text)
        #expect(names.name(for: "11111111-2222-4333-8444-555555555555") == "Alice Martin")
        #expect(names.name(for: "21111111-2222-4333-8444-555555555555") == "svc@contoso.example")
        #expect(names.ids(named: "alice martin") == ["11111111-2222-4333-8444-555555555555"])
    }

    @Test("Graph responses: the value array of each page, pages one after another")
    func graphPages() throws {
        let page1 = #"{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#servicePrincipals", "value": [{"id": "\#(Self.payments)", "appId": "\#(Self.paymentsApp)", "displayName": "Payments API"}], "@odata.nextLink": "https://graph.microsoft.com/v1.0/servicePrincipals?$skiptoken=x"}"#
        let page2 = #"{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users", "value": [{"id": "11111111-2222-4333-8444-555555555555", "displayName": "Alice Martin"}]}"#
        let names = try parse(page1 + "\n" + page2 + "\n")
        #expect(names.count == 3)
        #expect(names.name(for: "11111111-2222-4333-8444-555555555555") == "Alice Martin")
        #expect(try parse(#"{"value": []}"#).count == 0)
    }

    @Test("CSV id,displayName: header, comments, blank lines, CRLF, BOM, quoted names")
    func csv() throws {
        let text = "\u{FEFF}id,displayName\r\n# service principals\r\n\r\n\(Self.payments),Payments API\r\n\(Self.paymentsApp), \"Payments, \"\"prod\"\"\" \r\n"
        let names = try parse(text, file: "names.csv")
        #expect(names.count == 2)
        #expect(names.name(for: Self.payments) == "Payments API")
        #expect(names.name(for: Self.paymentsApp) == "Payments, \"prod\"")
        #expect(try parse("\(Self.payments),Payments API", file: "n.csv").count == 1)
    }

    @Test("bad CSV lines are errors with file:line")
    func csvErrors() {
        #expect(problem("id,displayName\n\(Self.payments),A\nPayments API,\(Self.payments)\n", file: "n.csv")
            == "n.csv:3: \"Payments API\" is not an object id or application id (a GUID)")
        #expect(problem("\(Self.payments),A,extra\n", file: "n.csv")
            == "n.csv:1: expected id,displayName (quote a name that holds a comma or a quote)")
        #expect(problem("# c\n\(Self.payments)\n", file: "n.csv")
            == "n.csv:2: expected id,displayName (quote a name that holds a comma or a quote)")
        #expect(problem("\(Self.payments),\n", file: "n.csv") == "n.csv:1: no display name for \(Self.payments)")
        #expect(problem("\(Self.payments),\"unclosed\n", file: "n.csv")
            == "n.csv:1: expected id,displayName (quote a name that holds a comma or a quote)")
    }

    @Test("bad JSON entries are errors with file:line")
    func jsonErrors() {
        #expect(problem("[\n  {\"id\": \"\(Self.payments)\", \"displayName\": \"A\"},\n  {\"id\": \"\(Self.paymentsApp)\"}\n]")
            == "dir.json:3: entry \(Self.paymentsApp) has no displayName")
        #expect(problem("[\n{\"displayName\": \"A\"}]") == "dir.json:2: entry has no id, objectId or appId")
        #expect(problem("[{\"id\": \"p-1\", \"displayName\": \"A\"}]")
            == "dir.json:1: \"p-1\" is not an object id or application id (a GUID)")
        #expect(problem("[\n\n\"just a string\"]") == "dir.json:3: a directory entry must be a JSON object")
        #expect(problem("[{\"id\": 42, \"displayName\": \"A\"}]") == "dir.json:1: id must be a string")
        #expect(problem("[\n{\"id\": \"\(Self.payments)\",\n\"displayName\": \"A\"") == "dir.json:3: truncated record: the JSON ends before the value does")
        #expect(problem("[{\"id\": \"\(Self.payments)\", \"displayName\": \"A\"}]\n]")?.hasPrefix("dir.json:2: expected a JSON array or object") == true)
    }

    @Test("a missing file is one line naming it")
    func missingFile() {
        #expect(throws: DirectoryError.unreadableFile(path: "/nonexistent/names.csv", reason: "No such file or directory")) {
            try DirectoryFile.load(path: "/nonexistent/names.csv")
        }
    }

    @Test("the built-in table names Microsoft's first-party applications; a file's names go over it")
    func builtIn() throws {
        let builtIn = DirectoryNames.builtIn
        #expect(builtIn.name(for: "04b07795-8ddb-461a-bbee-02f9e1bf7b46") == "Microsoft Azure CLI")
        #expect(builtIn.name(for: "C44B4083-3BB0-49C1-B47D-974E53CBDF3C") == "Azure Portal")
        #expect(builtIn.name(for: "509e4652-da8d-478d-a730-e9d4a1996ca4") == "Azure Resource Graph")
        #expect(builtIn.entries.keys.allSatisfy { DirectoryFile.isGUID($0) && $0 == $0.lowercased() })
        let names = try DirectoryFile.parse(Array("04b07795-8ddb-461a-bbee-02f9e1bf7b46,az (our wrapper)\n".utf8), file: "n.csv")
        #expect(names.name(for: "04b07795-8ddb-461a-bbee-02f9e1bf7b46") == "az (our wrapper)")
        #expect(names.name(for: "c44b4083-3bb0-49c1-b47d-974e53cbdf3c") == "Azure Portal")
    }

    @Test("the configuration's directory key reads a file relative to the configuration")
    func configurationKey() throws {
        let directory = try TestPaths.temporaryDirectory()
        try "\(Self.payments),Payments API\n".write(to: directory.appendingPathComponent("names.csv"), atomically: true, encoding: .utf8)
        let configPath = directory.appendingPathComponent("vaultwatch.toml").path
        let configuration = try ConfigurationFile.parse("directory = \"names.csv\"\n", file: configPath, over: DetectorConfiguration())
        #expect(configuration.directory.name(for: Self.payments) == "Payments API")
        #expect(configuration.directory.name(for: "04b07795-8ddb-461a-bbee-02f9e1bf7b46") == "Microsoft Azure CLI")

        try "\(Self.payments),A\nnot-a-guid,B\n".write(to: directory.appendingPathComponent("bad.csv"), atomically: true, encoding: .utf8)
        #expect(throws: ConfigurationError.self) {
            try ConfigurationFile.parse("learning_days = 7\ndirectory = \"bad.csv\"\n", file: configPath, over: DetectorConfiguration())
        }
        do {
            _ = try ConfigurationFile.parse("learning_days = 7\ndirectory = \"bad.csv\"\n", file: configPath, over: DetectorConfiguration())
        } catch {
            #expect(error.description.hasPrefix("\(configPath):2: directory: \(directory.path)/bad.csv:2: \"not-a-guid\""))
        }
        #expect(throws: ConfigurationError.self) {
            try ConfigurationFile.parse("directory = 3\n", file: configPath, over: DetectorConfiguration())
        }
    }
}
