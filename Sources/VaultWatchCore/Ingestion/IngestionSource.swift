#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One input the user named on the command line, resolved to how it is read.
public enum IngestionSource: Sendable, Hashable {
    /// A regular file, tailed with `tail -F` semantics in follow mode.
    case file(path: String)
    /// A directory tree of storage blobs (and other `.json`/`.jsonl` files).
    case directory(path: String)
    /// A stream read until its end on a thread of its own: `-` (stdin) or a named pipe /
    /// character device (`<(…)`, `/dev/stdin`).
    case stream(path: String)

    /// The path as the user gave it: the name its problems are reported under.
    public var path: String {
        switch self {
        case .file(let path), .directory(let path), .stream(let path): return path
        }
    }

    /// Resolves and checks `path` before anything is read, so the command line can exit 1
    /// with a one-line message: the file must open for reading, the directory (and every
    /// directory under it) must list.
    /// - Throws: `IngestionError` naming the path and the reason.
    public static func resolve(_ path: String) throws(IngestionError) -> IngestionSource {
        if path == "-" { return .stream(path: path) }
        var status = stat()
        guard stat(path, &status) == 0 else { throw .opening(path, errorNumber: errno) }
        switch status.st_mode & S_IFMT {
        case S_IFDIR:
            _ = try BlobDirectory(root: path).scan()
            return .directory(path: path)
        case S_IFREG:
            let descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw .opening(path, errorNumber: errno) }
            _ = close(descriptor)
            return .file(path: path)
        case S_IFIFO, S_IFCHR:
            // Opening a pipe blocks until a writer appears: only check the permission here.
            guard access(path, R_OK) == 0 else { throw .opening(path, errorNumber: errno) }
            return .stream(path: path)
        default:
            throw .unsupported(path: path, reason: "not a file, a directory or a pipe")
        }
    }
}
