import Foundation
import Synchronization
import Testing
@testable import VaultWatchCore

/// What a follower reported, with data merged into text and the other changes kept in order.
private struct Observed: Equatable {
    enum Step: Equatable {
        case opened(Int64)
        case text(String)
        case truncated
        case rotated
        case missing
        case unreadable
        case openedRotated(String, Int64)
        case lost(DataLoss.Reason)
        case readAgain(Int64)
    }

    var steps: [Step] = []

    var text: String {
        steps.map { if case .text(let text) = $0 { text } else { "" } }.joined()
    }

    mutating func add(_ changes: [FileFollower.Change]) {
        for change in changes {
            switch change {
            case .opened(let offset): steps.append(.opened(offset))
            case .data(let bytes):
                let text = String(decoding: bytes, as: UTF8.self)
                if case .text(let previous) = steps.last {
                    steps[steps.count - 1] = .text(previous + text)
                } else {
                    steps.append(.text(text))
                }
            case .truncated: steps.append(.truncated)
            case .rotated: steps.append(.rotated)
            case .missing: steps.append(.missing)
            case .unreadable: steps.append(.unreadable)
            case .openedRotated(let path, let offset): steps.append(.openedRotated(path, offset))
            case .lost(let loss): steps.append(.lost(loss.reason))
            case .readAgain(let again): steps.append(.readAgain(again.bytes))
            }
        }
    }
}

/// Polls until a poll reports nothing more, as the ingestor does each round.
private func pollUntilQuiet(_ follower: FileFollower) -> Observed {
    var observed = Observed()
    for _ in 0..<10_000 {
        let changes = follower.poll()
        observed.add(changes)
        if !changes.contains(where: { if case .data = $0 { true } else { false } }) { break }
    }
    return observed
}

extension IngestionTests {
    @Suite("FileFollower")
    struct FileFollowerTests {
        @Test func readsAppendsInPiecesIncludingAPartialLine() throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            try files.write("one\ntw", to: "a.log")
            let follower = FileFollower(path: files.path("a.log"), chunkSize: 4)
            #expect(pollUntilQuiet(follower).steps == [.opened(0), .text("one\ntw")])
            #expect(pollUntilQuiet(follower).steps.isEmpty)
            try files.append("o\nthree\n", to: "a.log")
            #expect(pollUntilQuiet(follower).steps == [.text("o\nthree\n")])
            #expect(follower.checkpoint?.offset == 14)
            #expect(follower.checkpoint?.fingerprint.length == 14)
        }

        @Test func finishesTheOldFileThenOpensTheNewOneAfterARename() throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            try files.write("old1\n", to: "a.log")
            let follower = FileFollower(path: files.path("a.log"))
            #expect(pollUntilQuiet(follower).text == "old1\n")
            try files.append("old2\n", to: "a.log")  // written before the rename, not read yet
            try files.rename("a.log", to: "a.log.1")
            try files.write("new1\n", to: "a.log")
            #expect(pollUntilQuiet(follower).steps == [.text("old2\n"), .rotated, .opened(0), .text("new1\n")])
            try files.append("new2\n", to: "a.log")
            #expect(pollUntilQuiet(follower).steps == [.text("new2\n")])
        }

        @Test func startsAgainFromZeroAfterTruncation() throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            try files.write("aaaa\nbbbb\n", to: "a.log")
            let follower = FileFollower(path: files.path("a.log"))
            #expect(pollUntilQuiet(follower).text == "aaaa\nbbbb\n")
            try files.truncate("a.log")
            try files.append("c\n", to: "a.log")
            // Everything had been read: nothing is known lost, but a write just before the
            // truncation could have been, and there is no copy to tell.
            #expect(pollUntilQuiet(follower).steps == [.lost(.truncatedWithoutCopy), .truncated, .text("c\n")])
        }

        @Test func noticesCopyTruncateEvenWhenTheFileGrewPastTheOldOffset() throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            try files.write("first\n", to: "a.log")
            let follower = FileFollower(path: files.path("a.log"))
            #expect(pollUntilQuiet(follower).text == "first\n")
            try files.copyTruncate("a.log", to: "a.log.1")
            try files.append("second record, longer than the first\n", to: "a.log")
            // The copy holds nothing unread; the window between copy and truncation is reported,
            // and the file is finished: copies made since would come next, then the path from 0.
            #expect(pollUntilQuiet(follower).steps == [
                .lost(.copyTruncate(copy: files.path("a.log.1"))), .rotated, .opened(0), .text("second record, longer than the first\n"),
            ])
        }

        @Test func waitsForADeletedFileAndReadsItsReplacementFromZero() throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            try files.write("before\n", to: "a.log")
            let follower = FileFollower(path: files.path("a.log"))
            #expect(pollUntilQuiet(follower).text == "before\n")
            try files.append("last words\n", to: "a.log")
            try files.remove("a.log")
            #expect(pollUntilQuiet(follower).steps == [.text("last words\n"), .missing])
            #expect(follower.poll().isEmpty)  // reported once
            #expect(follower.checkpoint == nil)
            try files.write("after\n", to: "a.log")
            #expect(pollUntilQuiet(follower).steps == [.opened(0), .text("after\n")])
        }

        @Test func resumesFromAMatchingCheckpoint() throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            try files.write("r1\nr2\n", to: "a.log")
            let first = FileFollower(path: files.path("a.log"))
            _ = pollUntilQuiet(first)
            let checkpoint = try #require(first.checkpoint)
            #expect(checkpoint.offset == 6)
            try files.append("r3\n", to: "a.log")
            let resumed = FileFollower(path: files.path("a.log"), resumingFrom: checkpoint)
            #expect(pollUntilQuiet(resumed).steps == [.opened(6), .text("r3\n")])
        }

        @Test func startsFromZeroWhenTheCheckpointNoLongerMatches() throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            try files.write("r1\nr2\n", to: "a.log")
            let first = FileFollower(path: files.path("a.log"))
            _ = pollUntilQuiet(first)
            let checkpoint = try #require(first.checkpoint)
            // Rewritten in place (same inode), longer than the checkpoint's offset.
            try files.truncate("a.log")
            try files.append("x1\nx2\nx3\n", to: "a.log")
            let resumed = FileFollower(path: files.path("a.log"), resumingFrom: checkpoint)
            #expect(pollUntilQuiet(resumed).steps == [.lost(.checkpointedFileGone), .opened(0), .text("x1\nx2\nx3\n")])
            // Replaced by another file with the same first bytes but another inode: too few bytes
            // to recognise it by content alone, so it is read from 0.
            try files.write("r1\nr2\nr3\n", to: "a.log.new")
            try files.rename("a.log.new", to: "a.log")  // created before the old one goes: another inode
            let replaced = FileFollower(path: files.path("a.log"), resumingFrom: checkpoint)
            // Its first bytes are those read before: said, as they are read again.
            #expect(pollUntilQuiet(replaced).steps.prefix(3) == [.lost(.checkpointedFileGone), .opened(0), .readAgain(6)])
        }

        @Test func followingFromTheEndStartsAfterTheLastCompleteLine() throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            try files.write("old\nolder\npart", to: "a.log")
            let follower = FileFollower(path: files.path("a.log"), start: .end)
            #expect(pollUntilQuiet(follower).steps == [.opened(10), .text("part")])
            try files.append("ial\n", to: "a.log")
            #expect(pollUntilQuiet(follower).text == "ial\n")
        }

        @Test func blobFollowerClosesTheFileBetweenPolls() throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            try files.write("b1\n", to: "PT1H.json")
            let follower = FileFollower(path: files.path("PT1H.json"), keepsFileOpen: false)
            #expect(pollUntilQuiet(follower).steps == [.opened(0), .text("b1\n")])
            #expect(follower.poll().isEmpty)
            try files.append("b2\n", to: "PT1H.json")
            #expect(pollUntilQuiet(follower).steps == [.text("b2\n")])
            try files.write("c1\n", to: "PT1H.json.new")
            try files.rename("PT1H.json.new", to: "PT1H.json")
            #expect(pollUntilQuiet(follower).steps == [.lost(.replaced), .rotated, .opened(0), .text("c1\n")])
        }

        /// A line longer than the fingerprint (1 KiB), then `tail`: bytes past the first KiB can
        /// change without the follower telling (no truncation check covers them).
        private static func longLine(then tail: String) -> String {
            String(repeating: "a", count: 2_047) + "\n" + tail
        }

        @Test func theNextPollGivesTheChunkReadAheadAsTheFileHeldItWhenRead() throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            try files.write(Self.longLine(then: "bbbb\ncccc\n"), to: "a.log")
            let follower = FileFollower(path: files.path("a.log"), chunkSize: 2_048)
            #expect(follower.poll() == [.opened(offset: 0), .data(Array(Self.longLine(then: "").utf8))])
            follower.readNextChunkAhead()
            follower.chunkReadAhead?.wait()
            // Rewritten in place after it was read ahead: what was read stands, as for any read.
            let fd = open(files.path("a.log"), O_WRONLY)
            try #require(fd >= 0)
            _ = Array("BBBB\n".utf8).withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 2_048) }
            close(fd)
            #expect(follower.poll() == [.data(Array("bbbb\ncccc\n".utf8))])
            #expect(follower.chunkReadAhead == nil)
            #expect(follower.checkpoint?.offset == 2_058)
            #expect(follower.poll().isEmpty)
        }

        @Test func aChunkReadAheadIsDroppedWhenTheFileIsTruncated() throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            try files.write(Self.longLine(then: "bbbb\n"), to: "a.log")
            let follower = FileFollower(path: files.path("a.log"), chunkSize: 2_048)
            #expect(pollUntilQuiet(follower).text == Self.longLine(then: "bbbb\n"))
            try files.append("cccc\n", to: "a.log")
            follower.readNextChunkAhead()
            follower.chunkReadAhead?.wait()
            try files.truncate("a.log")
            try files.append("d\n", to: "a.log")
            #expect(pollUntilQuiet(follower).steps == [.lost(.truncatedWithoutCopy), .truncated, .text("d\n")])
        }

        @Test func aChunkReadAheadIsDroppedWhenTheFollowerCloses() throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            try files.write(Self.longLine(then: "bbbb\n"), to: "a.log")
            let follower = FileFollower(path: files.path("a.log"), chunkSize: 2_048)
            _ = follower.poll()
            // Its read held up behind other work, so it is dropped before it is done: the read
            // then holds the last reference, and lets it go on the queue's own thread.
            let release = DispatchSemaphore(value: 0)
            PrefetchedChunk.queue.async { release.wait() }
            follower.readNextChunkAhead()
            #expect(follower.chunkReadAhead != nil)
            follower.close()
            #expect(follower.chunkReadAhead == nil)
            release.signal()
            #expect(pollUntilQuiet(follower).text == "bbbb\n")
            // The queue goes on to the next read ahead (a dropped one once waited for itself
            // there, and every read ahead after it waited for good).
            try files.append("cccc\n", to: "a.log")
            follower.readNextChunkAhead()
            let ahead = try #require(follower.chunkReadAhead)
            let read = DispatchSemaphore(value: 0)
            DispatchQueue.global().async {
                ahead.wait()
                read.signal()
            }
            #expect(read.wait(timeout: .now() + 60) == .success, "the read ahead never ran")
        }

        /// A chunk read ahead whose read has not started when the next poll takes it (the queue's
        /// thread busy, or not yet given a core) is read by that poll, not waited for: here the
        /// queue is held until the poll is over, or for 30 s if the poll waits for it.
        @Test func aChunkReadAheadNotStartedIsReadByThePollThatTakesIt() throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            try files.write(Self.longLine(then: "bbbb\n"), to: "a.log")
            let follower = FileFollower(path: files.path("a.log"), chunkSize: 2_048)
            #expect(follower.poll() == [.opened(offset: 0), .data(Array(Self.longLine(then: "").utf8))])
            let release = DispatchSemaphore(value: 0)
            PrefetchedChunk.queue.async { release.wait() }
            follower.readNextChunkAhead()
            #expect(follower.chunkReadAhead != nil)
            let pollIsOver = DispatchSemaphore(value: 0)
            let waitedForTheQueue = QueueHold()
            DispatchQueue.global().async {
                if pollIsOver.wait(timeout: .now() + 30) == .timedOut { waitedForTheQueue.wasReleasedFirst.store(true, ordering: .relaxed) }
                release.signal()
            }
            let changes = follower.poll()
            pollIsOver.signal()
            let waited = waitedForTheQueue.wasReleasedFirst.load(ordering: .relaxed)
            #expect(!waited, "the poll waited for the queue's thread")
            #expect(changes == [.data(Array("bbbb\n".utf8))])
            #expect(follower.checkpoint?.offset == 2_053)
        }

        @Test func fingerprintCoversTheFirstKibibyteOnly() throws {
            let files = try TestFiles()
            defer { files.cleanUp() }
            let long = String(repeating: "x", count: 1500) + "\n"
            try files.write(long, to: "a.log")
            let follower = FileFollower(path: files.path("a.log"), chunkSize: 700)
            #expect(pollUntilQuiet(follower).text == long)
            let fingerprint = try #require(follower.checkpoint?.fingerprint)
            #expect(fingerprint.length == 1024)
            let expected = Array(long.utf8.prefix(1024)).withUnsafeBytes { FileFingerprint(of: $0) }
            #expect(fingerprint == expected)
        }
    }
}

/// Whether a queue held for a test was released before the test's step was over.
private final class QueueHold: Sendable {
    let wasReleasedFirst = Atomic<Bool>(false)
}
