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

        /// Where reading of the blob at `path` stopped once read to its end, as the Ingestor settles
        /// it: its identity, size and modification time now.
        static func checkpointAtTheEnd(of path: String) -> FileFollower.Checkpoint {
            var status = stat()
            stat(path, &status)
            return FileFollower.Checkpoint(
                path: path, device: UInt64(status.st_dev), inode: UInt64(status.st_ino), offset: Int64(status.st_size),
                fingerprint: FileFingerprint(hash: 1, length: 3),
                modified: Int64(status.st_mtim.tv_sec) * 1_000_000_000 + Int64(status.st_mtim.tv_nsec))
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

        /// A follow scans its tree every 5 s for new blobs and appends to settled ones: a blob listed
        /// before needs no `stat` (its name says all), only settled blobs do (their modification
        /// time says whether Azure appended). Stat'ing every file made a 14,510-blob tree's idle
        /// follow cost 9% of a core (5 December).
        @Test func aScanStatsOnlyTheSettledBlobs() throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            for vault in ["V1", "V2", "V3"] {
                for hour in 10..<14 { try files.write("{}\n", to: Self.blob(vault: vault, day: 1, hour: hour)) }
            }
            // Every scan a whole listing (between them, scans skip the forgotten hours: below).
            var directory = BlobDirectory(root: files.directory.path, wholeListingEvery: 1)
            #expect(directory.scanForNewFiles().files.count == 12)
            #expect(directory.statusReads == 0)
            #expect(directory.scanForNewFiles().files.isEmpty)
            #expect(directory.statusReads == 0)

            // Hours 10 and 11 forgotten, two of their blobs settled (read to their end).
            let hour12 = BlobDirectory.Hour(year: 2024, month: 5, day: 1, hour: 12).hoursSinceEpoch
            let settledNames = [Self.blob(vault: "V1", day: 1, hour: 10), Self.blob(vault: "V2", day: 1, hour: 11)]
            for name in settledNames { directory.settle(Self.checkpointAtTheEnd(of: files.path(name))) }
            directory.forgetHours(before: hour12)
            #expect(directory.scanForNewFiles().files.isEmpty)
            #expect(directory.statusReads == 2)
            #expect(directory.takeChangedSettledBlobs().isEmpty)

            // An append to a settled blob is still seen, and a new blob of a followed hour found.
            Thread.sleep(forTimeInterval: 0.02)
            try files.append("{}\n", to: settledNames[1])
            try files.write("{}\n", to: Self.blob(vault: "V4", day: 1, hour: 13))
            let fresh = directory.scanForNewFiles()
            #expect(fresh.files.map(\.path) == [files.path(Self.blob(vault: "V4", day: 1, hour: 13))])
            #expect(directory.takeChangedSettledBlobs().map(\.blob.path) == [files.path(settledNames[1])])
        }

        /// A tree followed for a month holds a folder per vault, day and hour: between whole
        /// listings a scan skips the folders whose hours are all forgotten, and what appears there
        /// late (a blob first written long after its hour, an append to a settled blob) is found
        /// by the next whole listing, never lost. Listing every folder each 5 s cost 0.70 s of CPU
        /// for 35,088 blobs (5 December).
        @Test func scansBetweenWholeListingsSkipTheForgottenHoursFolders() throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            for vault in ["V1", "V2", "V3"] {
                for hour in 10..<14 { try files.write("{}\n", to: Self.blob(vault: vault, day: 1, hour: hour)) }
                for hour in 0..<2 { try files.write("{}\n", to: Self.blob(vault: vault, day: 2, hour: hour)) }
            }
            var directory = BlobDirectory(root: files.directory.path, wholeListingEvery: 3)
            #expect(directory.scanForNewFiles().files.count == 18)
            let everyFolder = directory.directoriesListed

            // Day 1 forgotten, one of its blobs settled (read to its end).
            let settledName = Self.blob(vault: "V1", day: 1, hour: 10)
            directory.settle(Self.checkpointAtTheEnd(of: files.path(settledName)))
            directory.forgetHours(before: BlobDirectory.Hour(year: 2024, month: 5, day: 2, hour: 0).hoursSinceEpoch)
            #expect(directory.scanForNewFiles().files.isEmpty)
            #expect(directory.statusReads == 0, "the settled blob's folder is not listed")
            #expect(directory.directoriesListed < everyFolder - 3 * 4, "no folder of day 1's hours is listed: \(directory.directoriesListed) of \(everyFolder)")

            // Late: a blob first written in a forgotten hour, an append to the settled blob. A new
            // blob of a followed hour is found at once.
            Thread.sleep(forTimeInterval: 0.02)
            try files.write("{}\n", to: Self.blob(vault: "V4", day: 1, hour: 12))
            try files.append("{}\n", to: settledName)
            try files.write("{}\n", to: Self.blob(vault: "V4", day: 2, hour: 1))
            #expect(directory.scanForNewFiles().files.map(\.path) == [files.path(Self.blob(vault: "V4", day: 2, hour: 1))])
            #expect(directory.takeChangedSettledBlobs().isEmpty)
            #expect(directory.settledCount == 1, "a settled blob whose folder was skipped is still watched")

            // The next whole listing (one scan in three) finds both.
            #expect(directory.scanForNewFiles().files.map(\.path) == [files.path(Self.blob(vault: "V4", day: 1, hour: 12))])
            #expect(directory.directoriesListed >= everyFolder)
            #expect(directory.takeChangedSettledBlobs().map(\.blob.path) == [files.path(settledName)])
        }

        /// A whole listing says which blobs are gone (retention deleted their hour), so that a
        /// state file forgets their positions without a `stat` of each: those it knew (returned,
        /// settled, or read by an earlier run) and no longer lists. Never one still there, none
        /// between whole listings (they skip folders), none while the root lists nothing.
        @Test func aWholeListingNamesTheBlobsGoneFromTheTreeAndNoneStillThere() throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            let names = (10..<16).map { Self.blob(vault: "V1", day: 1, hour: $0) }
            for name in names { try files.write("{}\n", to: name) }
            // An earlier run read hours 10 to 15 and an hour since deleted; and a file elsewhere.
            let deletedBefore = files.path(Self.blob(vault: "V1", day: 1, hour: 9))
            var directory = BlobDirectory(
                root: files.directory.path, wholeListingEvery: 2,
                readBefore: names.map(files.path) + [deletedBefore, "/elsewhere/PT1H.json"])
            #expect(directory.scanForNewFiles().files.count == 6)
            #expect(directory.takeGoneBlobs() == [deletedBefore])
            #expect(directory.takeGoneBlobs().isEmpty, "handed over once")

            // Hour 10 settled and forgotten (read to its end), then hours 10 and 12 deleted.
            directory.settle(Self.checkpointAtTheEnd(of: files.path(names[0])))
            directory.forgetHours(before: BlobDirectory.Hour(year: 2024, month: 5, day: 1, hour: 11).hoursSinceEpoch)
            for name in [names[0], names[2]] { try FileManager.default.removeItem(atPath: files.path(name)) }
            #expect(directory.scanForNewFiles().files.isEmpty)
            #expect(directory.takeGoneBlobs().isEmpty, "a scan between whole listings says nothing is gone")
            #expect(directory.scanForNewFiles().files.isEmpty)
            #expect(directory.takeGoneBlobs() == Set([names[0], names[2]].map(files.path)))

            // Emptied (unmounted, moved): its blobs may come back, none is gone.
            for name in names.dropFirst(3) { try FileManager.default.removeItem(atPath: files.path(name)) }
            try FileManager.default.removeItem(at: files.directory.appendingPathComponent("resourceId="))
            _ = directory.scanForNewFiles()
            _ = directory.scanForNewFiles()
            #expect(directory.takeGoneBlobs().isEmpty)
        }

        @Test func aFoldersLastHourIsReadFromItsPath() {
            func last(_ path: String) -> Int? { BlobDirectory.Hour.lastHour(ofFolder: path.split(separator: "/")) }
            #expect(last("resourceId=/SUBSCRIPTIONS/S1/VAULTS/V1") == nil)
            #expect(last("VAULTS/V1/y=2024") == BlobDirectory.Hour(year: 2024, month: 12, day: 31, hour: 23).hoursSinceEpoch)
            #expect(last("VAULTS/V1/y=2024/m=05") == BlobDirectory.Hour(year: 2024, month: 5, day: 31, hour: 23).hoursSinceEpoch)
            #expect(last("VAULTS/V1/y=2024/m=04")! >= BlobDirectory.Hour(year: 2024, month: 4, day: 30, hour: 23).hoursSinceEpoch)
            #expect(last("VAULTS/V1/y=2024/m=05/d=03") == BlobDirectory.Hour(year: 2024, month: 5, day: 3, hour: 23).hoursSinceEpoch)
            #expect(last("y=2024/m=05/d=03/h=07/m=00") == BlobDirectory.Hour(year: 2024, month: 5, day: 3, hour: 7).hoursSinceEpoch)
            #expect(last("y=2024/m=13") == nil, "not a month: may hold anything")
        }

        /// Symbolic links are followed (a vault's folder, a blob), and a link back up the tree is
        /// visited once: the listing says a link is a link, so the scan asks what it points to.
        @Test func followsLinksToFoldersAndBlobsAndListsALoopOnce() throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            let outside = try TestFiles()
            defer { outside.cleanUp() }
            try files.write("{}\n", to: "tree/" + Self.blob(vault: "V1", day: 1, hour: 10))
            try outside.write("{}\n", to: "V2/" + String(Self.blob(vault: "V2", day: 1, hour: 11).split(separator: "/V2/")[1]))
            try outside.write("{}\n", to: "single.json")
            let vaults = files.path("tree/resourceId=/SUBSCRIPTIONS/S1/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS")
            try FileManager.default.createSymbolicLink(atPath: vaults + "/V2", withDestinationPath: outside.path("V2"))
            try FileManager.default.createSymbolicLink(atPath: files.path("tree/extra.json"), withDestinationPath: outside.path("single.json"))
            try FileManager.default.createSymbolicLink(atPath: vaults + "/V1/y=2024/loop", withDestinationPath: vaults)
            let listed = try BlobDirectory(root: files.path("tree")).scan().map(\.path)
            #expect(listed == [
                files.path("tree/" + Self.blob(vault: "V1", day: 1, hour: 10)), vaults + "/V2/y=2024/m=05/d=01/h=11/m=00/PT1H.json",
                files.path("tree/extra.json"),
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
