/// Bytes of a followed path read a second time, and why: the follower says so, as it says a loss
/// (`DataLoss`), so that a repeated line is never silent. A file at the path that starts with
/// the bytes read from the previous one but does not hold the bytes read just before where
/// reading stood (the hash kept in the checkpoint, `Checkpoint.precedingBytes`) is another file:
/// it is read from its start, and the lines it shares with the one read come again.
///
/// It becomes an `InputProblem` about the source (line 0), printed and not counted as a
/// malformed record nor as a loss: the records are all there, some of them twice.
public struct ReadAgain: Sendable, Hashable, CustomStringConvertible {
    /// The followed path as the user named it.
    public var path: String
    /// The whole lines at the start of the new file that are those read before, and their
    /// bytes; or, with `lines` 0, how many bytes of its first line are (a line longer than what
    /// could be compared, which may be the same line).
    public var lines: Int
    public var bytes: Int64
    /// The comparison stopped at what could be compared (1 KiB kept in a checkpoint, 1 MiB of a
    /// replaced file still open) with every byte agreeing: there may be more.
    public var isLowerBound: Bool
    /// Where reading stood in the file replaced.
    public var replacedAt: Int64

    public init(path: String, lines: Int, bytes: Int64, isLowerBound: Bool, replacedAt: Int64) {
        self.path = path
        self.lines = lines
        self.bytes = bytes
        self.isLowerBound = isLowerBound
        self.replacedAt = replacedAt
    }

    /// What a new file's first bytes repeat of `read` (the first bytes of the file read before),
    /// compared as far as both go: nil when not one whole line agrees and the comparison did
    /// not cover `read` whole (the first lines differ), else the lines and bytes that do.
    public static func agreeing(
        _ start: some Collection<UInt8>, _ read: some Collection<UInt8>, path: String, isLowerBound: Bool, replacedAt: Int64
    ) -> ReadAgain? {
        var count = 0
        var lines = 0
        var throughLastLine = 0
        for (new, old) in zip(start, read) {
            guard new == old else { break }
            count += 1
            if new == UInt8(ascii: "\n") {
                lines += 1
                throughLastLine = count
            }
        }
        let coveredAll = count == min(start.count, read.count) && isLowerBound
        guard lines > 0 || (coveredAll && count > 0) else { return nil }
        return ReadAgain(
            path: path, lines: lines, bytes: Int64(lines > 0 ? throughLastLine : count), isLowerBound: coveredAll,
            replacedAt: replacedAt)
    }

    /// What is read again and why, without the path (for an `InputProblem`, which names it).
    public var summary: String {
        let bytesText = "\(bytes) \(bytes == 1 ? "byte" : "bytes")"
        let what = lines > 0
            ? "that starts with \(isLowerBound ? "at least " : "")\(lines) \(lines == 1 ? "line" : "lines") (\(bytesText)) already read"
            : "whose first line starts with \(bytesText) already read"
        let again = lines > 0 ? "those lines are read again" : "that line may be read again"
        return "replaced by another file \(what) but not holding what was read up to byte \(replacedAt): read from its start, so \(again)"
    }

    public var description: String { "\(path): \(summary)" }
}
