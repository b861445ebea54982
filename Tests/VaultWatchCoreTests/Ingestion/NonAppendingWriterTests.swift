import Foundation
import Testing
@testable import VaultWatchCore

/// copytruncate under a writer that does not append (`--no-append` in
/// `scripts/rotation-measure.py`): after each truncation it writes on at its old offset, so the
/// log starts with a hole of zeros, and every copy of it holds the zeros of the holes before.
/// The reader is polled at seeded random points (keeping up, paused over several rotations,
/// while a copy is half made, between a copy and its truncation), and must read every line
/// still on disk once, in order, and report every window it did not read.
extension IngestionTests.RotationTests {
    /// When the reader may look during a copytruncate.
    enum ReaderTiming: CaseIterable, Sendable {
        /// Only between rotations: each copy and its truncation happen at once.
        case betweenRotations
        /// Also while a copy is half made, and between a copy and its truncation.
        case duringRotations
    }

    /// Runs 16 and up are runs 0 to 15 again with the next chunk read ahead after each poll (as
    /// `detect` reads, `FileFollower.readNextChunkAhead()`) before the writer goes on.
    @Test(arguments: ReaderTiming.allCases, 0..<32)
    func anyInterleavingWithANonAppendingWriterReadsEachLineOnce(timing: ReaderTiming, run: Int) throws {
        let seed = run % 16
        let readsAhead = run >= 16
        let files = try TestFiles()
        defer { files.cleanUp() }
        var random = SeededRandom(seed: 0x686f_6c65, stream: "non-appending", seed)
        var writer = NonAppendingWriter(log: RotatingLog(files: files, retention: 100))
        try writer.write(5)
        let follower = FileFollower(path: writer.log.path, chunkSize: random.number(in: 64...2048))
        var lines = FollowedLines()
        func poll() {
            lines.add(follower.poll())
            guard readsAhead else { return }
            follower.readNextChunkAhead()
            follower.chunkReadAhead?.wait()
        }
        poll()
        var windows: [ClosedRange<Int>] = []
        var copyTruncates = 0
        var trace: [String] = []
        for _ in 0..<150 {
            switch random.below(10) {
            case 0..<4:
                let count = random.number(in: 1...80)
                try writer.write(count)
                trace.append("w\(count)")
            case 4:
                let window = random.below(3) == 0 ? random.number(in: 1...20) : 0
                let pieces = timing == .duringRotations ? random.number(in: 1...3) : 1
                let pollsDuringCopy = timing == .duringRotations && random.below(2) == 0
                let pollsBeforeTruncation = timing == .duringRotations && random.below(4) == 0
                let lost = try writer.copyTruncate(
                    window: window, pieces: pieces,
                    duringCopy: { if pollsDuringCopy { poll() } },
                    beforeTruncation: { if pollsBeforeTruncation { poll() } })
                if let lost { windows.append(lost) }
                copyTruncates += 1
                trace.append("ct\(window)/\(pieces)\(pollsDuringCopy ? "p" : "")\(pollsBeforeTruncation ? "P" : "")")
            default:
                poll()
                trace.append("p")
            }
        }
        followToQuiet(follower, into: &lines)
        let inWindows = Set(windows.flatMap { Array($0) })
        let onDisk = (1...writer.log.written).filter { !inWindows.contains($0) }
        let read = Set(lines.numbers)
        let missing = onDisk.filter { !read.contains($0) }
        let disorder = zip(lines.numbers, lines.numbers.dropFirst()).filter { $0 >= $1 }.prefix(5).map { "\($0)→\($1)" }
        let context = "windows \(windows), losses \(lines.losses.map { "\($0.reason) \($0.bytes.map(String.init) ?? "?")" }); \(trace.joined(separator: " "))"
        // Every line on disk once, in order; window lines only if read before the truncation.
        #expect(missing.isEmpty && disorder.isEmpty, "missing \(missing.prefix(20)), out of order \(disorder); \(context)")
        #expect(read.subtracting(onDisk).isSubset(of: inWindows))
        // Only copytruncate's windows are reported, at most once each. What was not read of
        // them is counted exactly (the writer's holes say where each window ended), or, for a
        // window the reader could not yet tell the writer's kind by, reported without a count.
        #expect(lines.losses.allSatisfy { if case .copyTruncate = $0.reason { true } else { false } }, "\(context)")
        #expect(lines.losses.count <= copyTruncates, "\(context)")
        let unreadBytes = windows.flatMap { Array($0) }.filter { !read.contains($0) }.reduce(0) {
            $0 + writer.log.byteCount(ofLines: $1...$1)
        }
        let reportedBytes = lines.losses.reduce(0) { $0 + Int($1.bytes ?? 0) }
        let uncounted = lines.losses.filter { $0.bytes == nil }.count
        #expect(reportedBytes == unreadBytes || (reportedBytes < unreadBytes && uncounted > 0), "\(context)")
        #expect(unreadBytes == 0 || !lines.losses.isEmpty, "\(context)")
    }
}

extension IngestionTests.RotationTests {
    /// The live shortfall of `rotation-measure.py --no-append`, step by step: the reader had read
    /// the whole file when it was copied and truncated, then the log was copied and truncated
    /// again before the reader looked. The first copy holds nothing unread; the second holds
    /// lines the path's new contents come after. They must be read before the path, not after
    /// (or never).
    @Test func aCopyWithNothingUnreadIsFollowedByTheCopiesMadeSince() throws {
        let files = try TestFiles()
        defer { files.cleanUp() }
        var writer = NonAppendingWriter(log: RotatingLog(files: files))
        try writer.write(60)
        let follower = FileFollower(path: writer.log.path, chunkSize: 4096)
        var lines = FollowedLines()
        followToQuiet(follower, into: &lines)
        let window = try #require(try writer.copyTruncate(window: 16))
        try writer.write(16)
        _ = try writer.copyTruncate(window: 0)
        try writer.write(63)
        followToQuiet(follower, into: &lines)
        #expect(lines.isExactly((1...writer.log.written).filter { !window.contains($0) }), "\(lines.numbers)")
        #expect(lines.losses.map(\.reason) == [.copyTruncate(copy: files.path("audit.log.2"))])
        #expect(lines.losses.map(\.bytes) == [Int64(writer.log.byteCount(ofLines: window))])
        // The writer's hole measured it: said as the size, not as a lower bound.
        #expect(lines.losses.map(\.bytesAreExact) == [true])
        #expect(lines.losses.first?.summary.hasPrefix("\(writer.log.byteCount(ofLines: window)) bytes (about ") == true, "\(lines.losses)")
    }
}
