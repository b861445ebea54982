import Foundation
import Testing
@testable import VaultWatchCore

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
    }
}
