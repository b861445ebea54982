import Foundation
import Testing
import VaultWatchCore

extension IngestionTests {
    @Suite("BlobDirectory")
    struct BlobDirectoryTests {
        static func blob(vault: String, day: Int, hour: Int) -> String {
            "resourceId=/SUBSCRIPTIONS/S1/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/\(vault)/"
                + String(format: "y=2024/m=05/d=%02d/h=%02d/m=00/PT1H.json", day, hour)
        }

        @Test func listsBlobsInHourOrderAcrossVaultsThenOtherJSONFilesByPath() throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            let names = [
                Self.blob(vault: "V2", day: 1, hour: 11), Self.blob(vault: "V1", day: 2, hour: 0),
                Self.blob(vault: "V1", day: 1, hour: 10), Self.blob(vault: "V2", day: 1, hour: 10),
                Self.blob(vault: "V1", day: 1, hour: 23), "extra/b.jsonl", "extra/a.json",
            ]
            for name in names { try files.write("{}\n", to: name) }
            try files.write("not a log", to: "extra/readme.txt")
            let listed = try BlobDirectory(root: files.directory.path).scan().map { String($0.path.dropFirst(files.directory.path.count + 1)) }
            #expect(listed == [
                Self.blob(vault: "V1", day: 1, hour: 10), Self.blob(vault: "V2", day: 1, hour: 10),
                Self.blob(vault: "V2", day: 1, hour: 11), Self.blob(vault: "V1", day: 1, hour: 23),
                Self.blob(vault: "V1", day: 2, hour: 0), "extra/a.json", "extra/b.jsonl",
            ])
        }

        @Test func readsTheHourFromABlobPath() {
            let hour = BlobDirectory.Hour(pathComponents: Self.blob(vault: "V", day: 3, hour: 7).split(separator: "/"))
            #expect(hour == BlobDirectory.Hour(year: 2024, month: 5, day: 3, hour: 7, minute: 0))
            #expect(BlobDirectory.Hour(pathComponents: ["y=2024", "m=05", "d=03", "h=07", "m=00", "other.json"]) == nil)
            #expect(BlobDirectory.Hour(year: 1970, month: 1, day: 2, hour: 1).hoursSinceEpoch == 25)
        }

        @Test func returnsOnlyNewBlobsOnLaterScans() throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            try files.write("{}\n", to: Self.blob(vault: "V1", day: 1, hour: 10))
            var directory = BlobDirectory(root: files.directory.path)
            #expect(directory.scanForNewFiles().files.count == 1)
            #expect(directory.scanForNewFiles().files.isEmpty)
            try files.write("{}\n", to: Self.blob(vault: "V2", day: 1, hour: 11))
            try files.write("{}\n", to: Self.blob(vault: "V1", day: 1, hour: 11))
            let fresh = directory.scanForNewFiles()
            #expect(fresh.errors.isEmpty)
            #expect(fresh.files.map(\.path) == [
                files.path(Self.blob(vault: "V1", day: 1, hour: 11)), files.path(Self.blob(vault: "V2", day: 1, hour: 11)),
            ])
        }

        @Test func aDirectoryThatCannotBeListedIsAnErrorNamingIt() throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            let missing = files.path("nowhere")
            #expect(throws: IngestionError.unreadableDirectory(path: missing, reason: "No such file or directory")) {
                try BlobDirectory(root: missing).scan()
            }
            #expect(throws: IngestionError.missing(path: missing)) { try IngestionSource.resolve(missing) }
            #expect(IngestionError.missing(path: missing).description == "\(missing): no such file or directory")
        }
    }
}
