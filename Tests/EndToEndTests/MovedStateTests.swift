import Foundation
import Testing
import VaultWatchTestSupport

/// `detect --state` over inputs read under another path than the one the state saw (README
/// "Restarts"): a copied folder and a moved folder resume from their checkpoints, with no
/// record read again, none late, no alert raised again. Before, the copies were new sources
/// read from their start: records of days before came again, late, and were judged again (the
/// 18th sweep: 30 new alerts over a copied folder of 17 vault files).
struct MovedStateTests {
    private static let torExits = ["--tor-exits", "demo-data/tor-exit-addresses.txt"]

    /// One file per vault: four days of secret reads a minute apart spread over 4 vaults, calls
    /// from a Tor exit and deletions among them (alerts), in time order in each file.
    static func writeFolder(_ folder: URL, minutes: Range<Int> = 0..<5760) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var texts = Array(repeating: "", count: 4)
        for index in minutes {
            var record = RecordBuilder()
            let (day, hour, minute) = (1 + index / 1440, index % 1440 / 60, index % 60)
            record.time = String(format: "2024-05-%02dT%02d:%02d:00.0000000Z", day, hour, minute)
            record.vault = "vault-\(index % 4)"
            record.principalID = String(format: "00000000-0000-0000-0000-%012d", index % 23)
            record.upn = "user\(index % 23)@contoso.example"
            record.callerIPAddress = index % 31 == 0 ? "192.0.2.10" : "10.0.\(index % 200).\(index % 7 + 1)"
            record.operationName = index % 89 == 0 ? "SecretDelete" : "SecretGet"
            record.objectName = "secret-\(index % 300)"
            texts[index % 4] += record.jsonLine()
        }
        for (vault, text) in texts.enumerated() {
            let url = folder.appendingPathComponent("vault-\(vault).json")
            if let handle = try? FileHandle(forWritingTo: url) {
                try handle.seekToEnd()
                try handle.write(contentsOf: Data(text.utf8))
                try handle.close()
            } else {
                try text.write(to: url, atomically: false, encoding: .utf8)
            }
        }
    }

    static func files(in folder: URL) -> [String] {
        (0..<4).map { folder.appendingPathComponent("vault-\($0).json").path }
    }

    /// The summary's count before `label` ("late", "out of range", "duplicates").
    static func count(_ label: String, in result: CommandRunner.Result) -> Int? {
        guard let summary = result.stderrLines.last(where: { $0.hasPrefix("vaultwatch: ") }),
              let range = summary.range(of: " \(label)") else { return nil }
        let before = summary[..<range.lowerBound]
        return Int(before.reversed().prefix { $0.isNumber }.reversed().map(String.init).joined())
    }

    static func eventsRead(_ result: CommandRunner.Result) -> Int? {
        guard let summary = result.stderrLines.last, let range = summary.range(of: "vaultwatch: ") else { return nil }
        return Int(summary[range.upperBound...].prefix { $0.isNumber })
    }

    @Test func aCopiedAndThenAMovedFolderResumeWithNoRecordReadAgainAndNoAlertRaisedAgain() async throws {
        let directory = try TestPaths.temporaryDirectory("vaultwatch-moved-state")
        defer { try? FileManager.default.removeItem(at: directory) }
        let original = directory.appendingPathComponent("export")
        let state = directory.appendingPathComponent("state.sqlite").path
        try Self.writeFolder(original)
        let first = try await CommandRunner.run(["detect"] + Self.files(in: original) + ["--state", state] + Self.torExits)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(!first.stdoutLines.isEmpty, "the folder raises alerts")
        let over = try await CommandRunner.run(["detect"] + Self.files(in: original) + ["--state", state] + Self.torExits)
        let readAgainAtItsPath = Self.eventsRead(over)

        // Copied (a copy made for another machine): the same as read again at its first path.
        let copy = directory.appendingPathComponent("copy")
        try FileManager.default.copyItem(at: original, to: copy)
        let copied = try await CommandRunner.run(["detect"] + Self.files(in: copy) + ["--state", state] + Self.torExits)
        #expect(copied.status == 0, "\(copied.stderr)")
        #expect(copied.stdout.isEmpty, "alerts raised again: \(copied.stdoutLines.prefix(3))")
        #expect(Self.count("late", in: copied) == 0, "\(copied.stderrLines.last ?? "")")
        #expect(Self.count("out of range", in: copied) == 0, "\(copied.stderrLines.last ?? "")")
        #expect(Self.count("duplicates", in: copied) == 0, "\(copied.stderrLines.last ?? "")")
        #expect(Self.eventsRead(copied) == readAgainAtItsPath, "\(copied.stderrLines.last ?? "")")
        // One line for the folder (its four files keep their names).
        let resumed = "\(copy.path)/…: 4 files resumed from the checkpoints of the same files under \(original.path)/… (copied)"
        #expect(copied.stderrLines.filter { $0.contains("checkpoint") } == [resumed], "\(copied.stderr)")

        // Moved (an export folder renamed), with new records appended: only those are read.
        let moved = directory.appendingPathComponent("moved")
        try FileManager.default.moveItem(at: original, to: moved)
        try Self.writeFolder(moved, minutes: 5760..<5800)
        let afterMove = try await CommandRunner.run(["detect"] + Self.files(in: moved) + ["--state", state] + Self.torExits)
        #expect(afterMove.status == 0, "\(afterMove.stderr)")
        #expect(Self.count("late", in: afterMove) == 0, "\(afterMove.stderrLines.last ?? "")")
        #expect(Self.count("duplicates", in: afterMove) == 0, "\(afterMove.stderrLines.last ?? "")")
        #expect((Self.eventsRead(afterMove) ?? .max) <= (readAgainAtItsPath ?? 0) + 40, "\(afterMove.stderrLines.last ?? "")")
        #expect(
            afterMove.stderrLines.filter { $0.contains("checkpoint") }
                == ["\(moved.path)/…: 4 files resumed from the checkpoints of the same files under \(original.path)/… (moved)"],
            "\(afterMove.stderr)")
        // The next run over the moved folder resumes by its own paths, saying nothing more.
        let next = try await CommandRunner.run(["detect"] + Self.files(in: moved) + ["--state", state] + Self.torExits)
        #expect(next.stdout.isEmpty)
        #expect(!next.stderr.contains("checkpoint of"), "\(next.stderr)")
        #expect(Self.count("late", in: next) == 0, "\(next.stderrLines.last ?? "")")
    }

    /// A folder moved again and again, and a copy of a copy, each with records appended before
    /// it is read: every run resumes (the checkpoints of the paths before are behind, or gone).
    /// Before, the second move was read from its start (the coordinator's sweep, 6 December
    /// afternoon: 552 alerts against 1 over 16 runs of a quiet tenant's files moved at each run).
    @Test(arguments: ["move", "copy"])
    func aFolderMovedOrCopiedAgainAndAgainResumesEachTime(_ how: String) async throws {
        let directory = try TestPaths.temporaryDirectory("vaultwatch-moved-again")
        defer { try? FileManager.default.removeItem(at: directory) }
        let state = directory.appendingPathComponent("state.sqlite").path
        var folder = directory.appendingPathComponent("export-0")
        try Self.writeFolder(folder, minutes: 0..<4000)
        let first = try await CommandRunner.run(["detect"] + Self.files(in: folder) + ["--state", state] + Self.torExits)
        #expect(first.status == 0, "\(first.stderr)")
        for run in 1...3 {
            let next = directory.appendingPathComponent("export-\(run)")
            if how == "move" {
                try FileManager.default.moveItem(at: folder, to: next)
            } else {
                try FileManager.default.copyItem(at: folder, to: next)
            }
            folder = next
            try Self.writeFolder(folder, minutes: (3900 + run * 100)..<(4000 + run * 100))
            let result = try await CommandRunner.run(["detect"] + Self.files(in: folder) + ["--state", state] + Self.torExits)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderrLines.filter { $0.contains("4 files resumed from the checkpoints of the same files") }.count == 1, "run \(run): \(result.stderr)")
            #expect(Self.count("late", in: result) == 0, "run \(run): \(result.stderrLines.last ?? "")")
            #expect(Self.count("out of range", in: result) == 0, "run \(run): \(result.stderrLines.last ?? "")")
            #expect((Self.eventsRead(result) ?? .max) < 1000, "run \(run): \(result.stderrLines.last ?? "")")
        }
    }
}
