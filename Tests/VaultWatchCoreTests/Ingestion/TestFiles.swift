import Foundation
import VaultWatchTestSupport

/// File operations the ingestion tests perform on a scratch directory: appends in pieces,
/// renames, truncation, deletion, as a log writer or logrotate would.
struct TestFiles {
    let directory: URL

    init(_ name: String = "vaultwatch-ingestion") throws {
        directory = try TestPaths.temporaryDirectory(name)
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// Creates (or replaces) the file with `text`.
    func write(_ text: String, to name: String) throws {
        let url = URL(fileURLWithPath: path(name))
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    /// Appends `text` to the file (creating it), in place: the inode does not change.
    func append(_ text: String, to name: String) throws {
        try append(bytes: Array(text.utf8)[...], to: name)
    }

    /// Appends `bytes` to the file (creating it), in place.
    func append(bytes: ArraySlice<UInt8>, to name: String) throws {
        let fd = open(path(name), O_WRONLY | O_APPEND | O_CREAT, 0o644)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(fd) }
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw POSIXError(.EIO) }
    }

    /// Truncates the file to `length` bytes in place.
    func truncate(_ name: String, to length: Int = 0) throws {
        guard Glibc.truncate(path(name), off_t(length)) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    }

    func rename(_ name: String, to newName: String) throws {
        guard Glibc.rename(path(name), path(newName)) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    }

    func remove(_ name: String) throws {
        try FileManager.default.removeItem(atPath: path(name))
    }

    /// copytruncate: copy the file aside, then truncate it in place.
    func copyTruncate(_ name: String, to copyName: String) throws {
        try FileManager.default.copyItem(atPath: path(name), toPath: path(copyName))
        try truncate(name)
    }

    func cleanUp() {
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Waits until `condition` holds, checking every few milliseconds, for at most `timeout`.
/// Returns whether it held: tests `#expect` it rather than sleeping a fixed time. The bound is
/// generous because it is a liveness bound, not a measure: in the whole `swift test`, tests
/// share a cooperative pool of one thread per core, and end-to-end tests block threads while
/// they wait for their subprocesses, so a follower's actor can wait minutes for a thread.
func eventually(timeout: Duration = .seconds(180), _ condition: () async -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(5))
    }
    return await condition()
}
