#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a source could not be opened or read, naming the path and the reason in words a user
/// can act on. `description` is the one-line message the command line prints before exiting 1.
public enum IngestionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The path names nothing.
    case missing(path: String)
    /// The path exists but cannot be opened or read (permissions, I/O error).
    case unreadable(path: String, reason: String)
    /// A directory (or one of its subdirectories) cannot be listed.
    case unreadableDirectory(path: String, reason: String)
    /// The path names something that is neither a file, a directory nor a stream (a socket).
    case unsupported(path: String, reason: String)

    public var path: String {
        switch self {
        case .missing(let path), .unreadable(let path, _), .unreadableDirectory(let path, _), .unsupported(let path, _):
            return path
        }
    }

    /// What went wrong, without the path (for an `InputProblem`, which names the source itself).
    public var reason: String {
        switch self {
        case .missing: return "no such file or directory"
        case .unreadable(_, let reason): return "cannot read: \(reason)"
        case .unreadableDirectory(_, let reason): return "cannot list directory: \(reason)"
        case .unsupported(_, let reason): return reason
        }
    }

    public var description: String {
        switch self {
        case .missing(let path): return "\(path): no such file or directory"
        case .unreadable(let path, let reason): return "\(path): cannot read: \(reason)"
        case .unreadableDirectory(let path, let reason): return "\(path): cannot list directory: \(reason)"
        case .unsupported(let path, let reason): return "\(path): \(reason)"
        }
    }

    /// The error for a failed `open`/`stat` of `path`, from `errno`.
    static func opening(_ path: String, errorNumber: Int32) -> IngestionError {
        errorNumber == ENOENT || errorNumber == ENOTDIR
            ? .missing(path: path)
            : .unreadable(path: path, reason: IngestionError.text(errorNumber))
    }

    /// `strerror` text for an errno value ("Permission denied").
    static func text(_ errorNumber: Int32) -> String {
        guard let message = strerror(errorNumber) else { return "error \(errorNumber)" }
        return String(cString: message)
    }
}
