import Foundation
import Testing
import VaultWatchCore
import VaultWatchTestSupport

/// Inputs read under another path than their checkpoints' (`CheckpointAdoption`): a folder
/// moved or copied resumes where the earlier run stopped; what cannot be told apart, or does not
/// hold what was read, is read from its start, and an ambiguity is said.
extension IngestionTests {
    @Suite("Inputs under a moved or copied path")
    struct MovedInputTests {
        /// `count` records of `vault`, one a minute from 10:00, object names `prefix0`…
        static func records(_ prefix: String, _ range: Range<Int>, vault: String = "v1") -> String {
            range.map { index in
                RecordBuilder(
                    time: String(format: "2024-05-01T%02d:%02d:00.0000000Z", 10 + index / 60, index % 60), vault: vault,
                    objectName: "\(prefix)\(index)").jsonLine()
            }.joined()
        }

        /// Reads `paths` to their end from `checkpoints`; what was handed on, and the positions
        /// after it (all of them: the earlier ones merged with those that moved).
        static func read(
            _ paths: [String], from checkpoints: [FileFollower.Checkpoint] = []
        ) async throws -> (received: Received, checkpoints: [FileFollower.Checkpoint]) {
            let symbols = SymbolTable()
            let ingestor = try Ingestor(paths: paths, symbols: symbols, configuration: .init(checkpoints: checkpoints))
            let received = Received(symbols: symbols)
            async let consumed: Void = { for await batch in ingestor.batches { received.add(batch) } }()
            await ingestor.run(mode: .readToEnd)
            await consumed
            var all = Dictionary(checkpoints.map { ($0.path, $0) }, uniquingKeysWith: { $1 })
            for checkpoint in ingestor.checkpoints(throughBatch: Int.max) { all[checkpoint.path] = checkpoint }
            for gone in ingestor.takeBlobsGone() { all[gone] = nil }
            return (received, all.values.sorted { $0.path < $1.path })
        }

        static func notes(_ received: Received) -> [String] { received.problems.map(\.description) }

        /// The blob of vault V1 at 10:00 on 2024-05-01 and the same hour's blob of vault V2, under a tree's root.
        static let blob = "resourceId=/SUBSCRIPTIONS/S/RESOURCEGROUPS/G/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/V1/y=2024/m=05/d=01/h=10/m=00/PT1H.json"
        static let otherBlob = blob.replacingOccurrences(of: "VAULTS/V1", with: "VAULTS/V2")

        /// A tree at `root` of the two blobs, 20 records each (`a0`… in V1, `b0`… in V2).
        static func writeTwoVaultTree(_ files: TestFiles, at root: String) throws {
            try files.write(records("a", 0..<20), to: root + "/" + blob)
            try files.write(records("b", 0..<20, vault: "v2"), to: root + "/" + otherBlob)
        }

        @Test func aCopiedFolderReadsOnlyWhatWasAppendedAndKeepsTheOriginalsCheckpoints() async throws {
            let files = try TestFiles("vaultwatch-moved")
            defer { files.cleanUp() }
            try files.write(Self.records("a", 0..<40, vault: "v1"), to: "first/a.json")
            try files.write(Self.records("b", 0..<30, vault: "v2"), to: "first/b.json")
            let first = try await Self.read([files.path("first/a.json"), files.path("first/b.json")])
            #expect(first.received.names.count == 70)
            try FileManager.default.copyItem(atPath: files.path("first"), toPath: files.path("copy"))
            try files.append(Self.records("a", 40..<45, vault: "v1"), to: "copy/a.json")

            let copy = try await Self.read([files.path("copy/a.json"), files.path("copy/b.json")], from: first.checkpoints)
            #expect(copy.received.names == (40..<45).map { "a\($0)" })
            // One line for the folder: its files keep their names under another folder.
            #expect(Self.notes(copy.received) == [
                files.path("copy") + "/…: 2 files resumed from the checkpoints of the same files under " + files.path("first") + "/… (copied)"
            ])
            // The originals keep theirs: read again, they have nothing new.
            #expect(copy.checkpoints.map(\.path).contains(files.path("first/a.json")))
            let again = try await Self.read([files.path("first/a.json"), files.path("first/b.json")], from: copy.checkpoints)
            #expect(again.received.names.isEmpty)
            #expect(again.received.problems.isEmpty)
        }

        @Test func aMovedFolderResumesAndItsOldPathsAreForgotten() async throws {
            let files = try TestFiles("vaultwatch-moved")
            defer { files.cleanUp() }
            try files.write(Self.records("a", 0..<40), to: "first/a.json")
            try files.write(Self.records("b", 0..<30, vault: "v2"), to: "first/b.json")
            let first = try await Self.read([files.path("first/a.json"), files.path("first/b.json")])
            try files.rename("first", to: "moved")

            let moved = try await Self.read([files.path("moved/a.json"), files.path("moved/b.json")], from: first.checkpoints)
            #expect(moved.received.names.isEmpty)
            #expect(Self.notes(moved.received).count == 1 && Self.notes(moved.received)[0].hasSuffix("(moved)"), "\(Self.notes(moved.received))")
            // Keyed by the new paths only: the next run resumes by path, saying nothing.
            #expect(moved.checkpoints.map(\.path) == [files.path("moved/a.json"), files.path("moved/b.json")])
            try files.append(Self.records("b", 30..<32, vault: "v2"), to: "moved/b.json")
            let next = try await Self.read([files.path("moved/a.json"), files.path("moved/b.json")], from: moved.checkpoints)
            #expect(next.received.names == ["b30", "b31"])
            #expect(next.received.problems.isEmpty)
        }

        @Test func aMovedBlobTreeResumesEachBlob() async throws {
            let files = try TestFiles("vaultwatch-moved")
            defer { files.cleanUp() }
            let (blob, other) = (Self.blob, Self.otherBlob)
            try Self.writeTwoVaultTree(files, at: "tree")
            let first = try await Self.read([files.path("tree")])
            #expect(first.received.names.count == 40)
            try files.rename("tree", to: "synced")
            try files.append(Self.records("a", 20..<22), to: "synced/" + blob)

            let moved = try await Self.read([files.path("synced")], from: first.checkpoints)
            #expect(moved.received.names == ["a20", "a21"])
            #expect(Self.notes(moved.received) == [
                files.path("synced") + "/…: 2 files resumed from the checkpoints of the same files under " + files.path("tree") + "/… (moved)"
            ])
            #expect(Set(moved.checkpoints.map(\.path)) == [files.path("synced/" + blob), files.path("synced/" + other)])
        }

        /// Following from the end (`watch`) a moved file that grew while nothing read it: it resumes
        /// from its checkpoint, so the records written meanwhile are read; before, it was a new
        /// file followed from its end, and they were skipped without a word.
        @Test func followingFromTheEndAMovedFileReadsWhatWasWrittenMeanwhile() async throws {
            let files = try TestFiles("vaultwatch-moved")
            defer { files.cleanUp() }
            try files.write(Self.records("a", 0..<20), to: "first/a.json")
            let first = try await Self.read([files.path("first/a.json")])
            try files.rename("first", to: "moved")
            try files.append(Self.records("a", 20..<25), to: "moved/a.json")

            let symbols = SymbolTable()
            let ingestor = try Ingestor(
                paths: [files.path("moved/a.json")], symbols: symbols,
                configuration: .init(start: .end, pollInterval: .milliseconds(10), checkpoints: first.checkpoints))
            let received = Received(symbols: symbols)
            let consumer = Task { for await batch in ingestor.batches { received.add(batch) } }
            let run = Task { await ingestor.run(mode: .follow) }
            try files.append(Self.records("a", 25..<27), to: "moved/a.json")
            let deadline = ContinuousClock.now + .seconds(20)
            while !received.hasAll(["a20", "a26"]), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
            run.cancel()
            await run.value
            await consumer.value
            #expect(received.names == (20..<27).map { "a\($0)" })
            #expect(ingestor.resumedElsewhereNotes.count == 1 && ingestor.resumedElsewhereNotes[0].contains("(moved)"), "\(ingestor.resumedElsewhereNotes)")
        }

        /// Following a tree at its new root while it is synced there (`watch --state` started
        /// before the copy ends): blobs the scans find later resume from their checkpoints too.
        @Test func followingATreeBeingSyncedToANewRootResumesTheBlobsFoundLater() async throws {
            let files = try TestFiles("vaultwatch-moved")
            defer { files.cleanUp() }
            let (blob, other) = (Self.blob, Self.otherBlob)
            try Self.writeTwoVaultTree(files, at: "tree")
            let first = try await Self.read([files.path("tree")])
            try files.write(Self.records("a", 0..<20), to: "synced/" + blob)

            let symbols = SymbolTable()
            let ingestor = try Ingestor(
                paths: [files.path("synced")], symbols: symbols,
                configuration: .init(
                    pollInterval: .milliseconds(10), directoryScanInterval: .milliseconds(20), checkpoints: first.checkpoints))
            let received = Received(symbols: symbols)
            let consumer = Task { for await batch in ingestor.batches { received.add(batch) } }
            let run = Task { await ingestor.run(mode: .follow) }
            let deadline = ContinuousClock.now + .seconds(20)
            while ingestor.resumedElsewhereNotes.isEmpty, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
            // The rest of the tree arrives, grown since (whole: written aside, then renamed in).
            try files.write(Self.records("b", 0..<22, vault: "v2"), to: "staging/PT1H.json")
            let target = URL(fileURLWithPath: files.path("synced/" + other))
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try files.rename("staging/PT1H.json", to: "synced/" + other)
            while !received.hasAll(["b21"]), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
            run.cancel()
            await run.value
            await consumer.value
            #expect(received.names == ["b20", "b21"])
            #expect(ingestor.resumedElsewhereNotes.count == 2, "\(ingestor.resumedElsewhereNotes)")
        }

        /// A tree of many blobs moved is one line, not one a blob; files renamed one by one are a
        /// line each, the first three, then how many more.
        @Test func aMovedTreeIsSaidInOneLineAndRenamedFilesInAFew() async throws {
            let files = try TestFiles("vaultwatch-moved")
            defer { files.cleanUp() }
            var paths: [String] = []
            for hour in 0..<24 {
                let blob = String(format: "tree/resourceId=/SUBSCRIPTIONS/S/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/V1/y=2024/m=05/d=01/h=%02d/m=00/PT1H.json", hour)
                try files.write(Self.records("h\(hour)-", 0..<3), to: blob)
                paths.append(blob)
            }
            for index in 0..<5 { try files.write(Self.records("f\(index)-", 0..<3, vault: "v\(index)"), to: "loose/f\(index).json") }
            let loose = (0..<5).map { files.path("loose/f\($0).json") }
            let first = try await Self.read([files.path("tree")] + loose)
            try files.rename("tree", to: "synced")
            for index in 0..<5 { try files.rename("loose/f\(index).json", to: "loose/renamed-\(index).json") }

            let moved = try await Self.read([files.path("synced")] + (0..<5).map { files.path("loose/renamed-\($0).json") }, from: first.checkpoints)
            #expect(moved.received.names.isEmpty)
            let notes = Self.notes(moved.received)
            #expect(notes.count == 5, "\(notes)")
            #expect(notes.first == files.path("synced") + "/…: 24 files resumed from the checkpoints of the same files under " + files.path("tree") + "/… (moved)")
            #expect(notes.dropFirst().prefix(3).allSatisfy { $0.contains(": resumed from the checkpoint of " + files.path("loose/f")) }, "\(notes)")
            #expect(notes.last == "vaultwatch: and 2 more files resumed from, or holding, the checkpoints of other paths")
        }

        /// A copy of a copy that was read further: the input holds both checkpoints (the original's
        /// and the copy's), and resumes from the furthest, where the records were all read.
        @Test func aCopyOfACopyReadFurtherResumesFromTheFurthest() async throws {
            let files = try TestFiles("vaultwatch-moved")
            defer { files.cleanUp() }
            try files.write(Self.records("a", 0..<20), to: "first/a.json")
            let first = try await Self.read([files.path("first/a.json")])
            try FileManager.default.copyItem(atPath: files.path("first"), toPath: files.path("copy"))
            try files.append(Self.records("a", 20..<25), to: "copy/a.json")
            let copy = try await Self.read([files.path("copy/a.json")], from: first.checkpoints)
            #expect(copy.received.names == (20..<25).map { "a\($0)" })
            try FileManager.default.copyItem(atPath: files.path("copy"), toPath: files.path("again"))
            try files.append(Self.records("a", 25..<27), to: "again/a.json")

            let again = try await Self.read([files.path("again/a.json")], from: copy.checkpoints)
            #expect(again.received.names == ["a25", "a26"])
            #expect(Self.notes(again.received).count == 1 && Self.notes(again.received)[0].contains("checkpoint of " + files.path("copy/a.json")), "\(Self.notes(again.received))")
        }

        /// Two checkpoints at the same place in the same bytes (a folder copied at each run, the
        /// copies left) are one choice whatever their clocks say: one of them saved again after a
        /// cut knows none, the other's late run names its own path.
        @Test func checkpointsAtTheSamePlaceWithOtherClocksAreOneChoice() async throws {
            let files = try TestFiles("vaultwatch-moved")
            defer { files.cleanUp() }
            try files.write(Self.records("a", 0..<20), to: "first/a.json")
            let first = try await Self.read([files.path("first/a.json")])
            let original = try #require(first.checkpoints.first)
            #expect(original.clock != nil)
            try FileManager.default.copyItem(atPath: files.path("first"), toPath: files.path("copy"))
            var copied = original
            copied.path = files.path("copy/a.json")
            copied.clock = nil
            try FileManager.default.copyItem(atPath: files.path("first"), toPath: files.path("again"))
            try files.append(Self.records("a", 20..<22), to: "again/a.json")

            let again = try await Self.read([files.path("again/a.json")], from: [original, copied])
            #expect(again.received.names == ["a20", "a21"])
            #expect(Self.notes(again.received).count == 1 && Self.notes(again.received)[0].contains(": resumed from the checkpoint of "), "\(Self.notes(again.received))")
        }

        /// Two identical files renamed: which one carries on cannot be told, so both are read
        /// from their start, and that is said. Identical files that keep their names are told
        /// apart by them.
        @Test func identicalFilesAreToldApartByTheirNamesOrReadFromTheStart() async throws {
            let files = try TestFiles("vaultwatch-moved")
            defer { files.cleanUp() }
            let text = Self.records("s", 0..<30)
            try files.write(text, to: "first/a.json")
            try files.write(text, to: "first/b.json")
            let first = try await Self.read([files.path("first/a.json"), files.path("first/b.json")])
            try FileManager.default.copyItem(atPath: files.path("first"), toPath: files.path("kept"))
            try files.write(text, to: "renamed/x.json")
            try files.write(text, to: "renamed/y.json")

            let kept = try await Self.read([files.path("kept/a.json"), files.path("kept/b.json")], from: first.checkpoints)
            #expect(kept.received.names.isEmpty)
            #expect(kept.received.problems.count == 1, "\(Self.notes(kept.received))")

            let renamed = try await Self.read([files.path("renamed/x.json"), files.path("renamed/y.json")], from: first.checkpoints)
            #expect(renamed.received.names.count == 60)
            let notes = Self.notes(renamed.received)
            #expect(notes.count == 2 && notes.allSatisfy { $0.contains("read from its start") }, "\(notes)")
        }

        /// A folder copied twice and both copies read in one run: one checkpoint is never adopted
        /// twice; each copy is read from its start, said with the other named.
        @Test func twoCopiesReadTogetherAreBothReadFromTheStart() async throws {
            let files = try TestFiles("vaultwatch-moved")
            defer { files.cleanUp() }
            try files.write(Self.records("a", 0..<20), to: "first/a.json")
            let first = try await Self.read([files.path("first/a.json")])
            try FileManager.default.copyItem(atPath: files.path("first"), toPath: files.path("one"))
            try FileManager.default.copyItem(atPath: files.path("first"), toPath: files.path("two"))

            let both = try await Self.read([files.path("one/a.json"), files.path("two/a.json")], from: first.checkpoints)
            #expect(both.received.names.count == 40)
            let notes = Self.notes(both.received)
            #expect(notes.count == 2, "\(notes)")
            #expect(notes.contains { $0.hasPrefix(files.path("one/a.json") + ": holds what an earlier run read of ") && $0.contains(files.path("two/a.json")) }, "\(notes)")
        }

        /// A file that starts as the checkpoint's did but was rewritten before where reading
        /// stood, or is shorter than it, does not hold what was read: read from its start.
        @Test func aFileThatStartsTheSameButDiffersBeforeTheOffsetIsNotAdopted() async throws {
            let files = try TestFiles("vaultwatch-moved")
            defer { files.cleanUp() }
            // Long enough that the first KiB is far from the offset.
            let start = Self.records("a", 0..<20)
            try files.write(start + Self.records("b", 20..<40), to: "first/a.json")
            try files.write(start + Self.records("c", 20..<40), to: "first/c.json")
            let first = try await Self.read([files.path("first/a.json"), files.path("first/c.json")])
            try files.write(start + Self.records("z", 20..<40), to: "other/a.json")
            try files.write(start + Self.records("c", 20..<30), to: "other/c.json")

            let other = try await Self.read([files.path("other/a.json"), files.path("other/c.json")], from: first.checkpoints)
            #expect(other.received.names.count == 70)
            #expect(other.received.problems.isEmpty, "\(Self.notes(other.received))")
        }
    }
}
