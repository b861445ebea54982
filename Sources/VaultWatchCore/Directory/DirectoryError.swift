/// Why a directory file (`--directory`, the configuration's `directory`) could not be loaded,
/// as one line a user can act on: `names.csv:4: "Payments API" is not an object id or
/// application id (a GUID)`, or `cannot read directory file /x/y: No such file or directory`.
///
/// Like the other lists, a directory is all or nothing: a bad entry stops the command, since a
/// wrong name beside an id is worse than none.
public enum DirectoryError: Error, Sendable, Hashable, CustomStringConvertible {
    case unreadableFile(path: String, reason: String)
    /// Line `line` (from 1) of `file` holds something that is not a valid entry.
    case invalidLine(file: String, line: Int, problem: String)

    public var description: String {
        switch self {
        case .unreadableFile(let path, let reason): "cannot read directory file \(path): \(reason)"
        case .invalidLine(let file, let line, let problem): "\(file):\(line): \(problem)"
        }
    }
}
